"""Drafting an application on its pages: the claim of each programme kind, the purchase lines
picked, the R&D plan and the documents. The amount is always computed, never typed, and bad
input is refused on its field without changing anything.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from subsidies.models import Document, KpiTarget, Milestone
from subsidies.services.drafting import (
    application_create,
    application_set_lines,
    application_set_plan,
    application_update,
)
from tests.factories import ProgrammeFactory, PurchaseLineFactory, StandardParticipationFactory
from tests.subsidies.conftest import PDF_BYTES, pdf
from tests.subsidies.pages_support import text_of, url

pytestmark = pytest.mark.django_db


# --- editing the claim --------------------------------------------------------------------------


@pytest.fixture
def standards_draft(anchor):
    programme = ProgrammeFactory(kind="standards_reward", required_documents=[])
    return application_create(actor=anchor.owner, programme=programme, applicant=anchor)


def test_the_claim_form_has_only_the_kinds_fields(member, standards_draft):
    response = member.get(url("edit", standards_draft.pk))

    form = response.context["form"]
    assert set(form.fields) == {"summary", "standard_participation"}
    assert 'for="id_standard_participation"' in response.content.decode()


def test_the_claim_offers_only_the_applicants_confirmed_participations(
    member, anchor, sme, standards_draft
):
    own = StandardParticipationFactory(enterprise=anchor)
    StandardParticipationFactory(enterprise=anchor, status="pending")
    StandardParticipationFactory(enterprise=sme)

    form = member.get(url("edit", standards_draft.pk)).context["form"]

    assert list(form.fields["standard_participation"].queryset) == [own]


def test_saving_the_claim_goes_through_the_service_and_the_amount_is_never_typed(
    member, anchor, standards_draft
):
    participation = StandardParticipationFactory(
        enterprise=anchor,
        role="lead",
        standard__body="ISO",
        standard__number="12405-9",
        standard__key="ISO124059",
    )
    response = member.post(
        url("edit", standards_draft.pk),
        {
            "summary": "We lead the ISO work item on sulfide electrolyte safety.",
            "standard_participation": participation.pk,
            "computed_amount_cny": "99999999",
            "awarded_amount_cny": "99999999",
        },
    )

    standards_draft.refresh_from_db()
    assert response.status_code == 302
    assert standards_draft.standard_key == "ISO124059"
    assert standards_draft.computed_amount_cny is None
    assert standards_draft.awarded_amount_cny is None
    page = text_of(response.client.get(response["Location"]))
    assert "1,000,000.00" in page  # the lead reward, by the rule


def test_a_standard_already_claimed_is_refused_on_its_field(member, anchor, standards_draft):
    participation = StandardParticipationFactory(enterprise=anchor)
    application_update(
        actor=anchor.owner,
        application=standards_draft,
        data={"standard_participation": participation},
    )
    second = application_create(
        actor=anchor.owner, programme=standards_draft.programme, applicant=anchor
    )

    response = member.post(url("edit", second.pk), {"standard_participation": participation.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["standard_participation"] == [
        "Your enterprise has already claimed a reward for this standard."
    ]
    second.refresh_from_db()
    assert second.standard_participation is None


def test_bad_numbers_are_refused_on_their_field(member, anchor):
    programme = ProgrammeFactory(kind="national_matching")
    application = application_create(actor=anchor.owner, programme=programme, applicant=anchor)

    response = member.post(
        url("edit", application.pk),
        {"project_name": "Sulfide line", "total_investment_cny": "lots"},
    )
    negative = member.post(
        url("edit", application.pk),
        {"project_name": "Sulfide line", "total_investment_cny": "-5"},
    )

    assert response.status_code == 200
    assert "total_investment_cny" in response.context["form"].errors
    assert "total_investment_cny" in negative.context["form"].errors
    application.refresh_from_db()
    assert application.project_name == ""


def test_a_submitted_application_cannot_be_edited(member, submitted):
    response = member.post(url("edit", submitted.pk), {"summary": "changed"})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.summary == ""
    follow = member.get(response["Location"])
    assert "Only a draft or a returned application can be changed" in text_of(follow)


# --- picking purchase lines ---------------------------------------------------------------------


def test_the_line_picker_lists_claimable_lines_with_the_claimed_ones_ticked(
    member, anchor, draft, lines, supplier
):
    other_year = PurchaseLineFactory(
        buyer=anchor, supplier=supplier, invoice_date=datetime.date(2020, 5, 1)
    )

    response = member.get(url("lines", draft.pk))

    page = response.content.decode()
    for line in lines:
        assert f'name="lines" value="{line.pk}" id="line-{line.pk}" checked' in page
    assert f'value="{other_year.pk}"' not in page
    assert supplier.name_zh in page
    assert "390,000.50" in text_of(response)


def test_ticking_lines_claims_them_and_unticking_releases_them(member, empty_draft, lines):
    shown = [line.pk for line in lines]

    first = member.post(url("lines", empty_draft.pk), {"shown": shown, "lines": shown[:2]})
    assert first.status_code == 302
    assert set(empty_draft.claimed_lines.values_list("purchase_line_id", flat=True)) == set(
        shown[:2]
    )

    member.post(url("lines", empty_draft.pk), {"shown": shown, "lines": [shown[2]]})
    assert list(empty_draft.claimed_lines.values_list("purchase_line_id", flat=True)) == [shown[2]]


def test_saving_one_page_keeps_the_lines_claimed_on_other_pages(member, empty_draft, lines):
    application_set_lines(
        actor=empty_draft.created_by, application=empty_draft, line_ids=[lines[0].pk]
    )

    # The page showed only the second line, and it was ticked.
    member.post(url("lines", empty_draft.pk), {"shown": [lines[1].pk], "lines": [lines[1].pk]})

    claimed = set(empty_draft.claimed_lines.values_list("purchase_line_id", flat=True))
    assert claimed == {lines[0].pk, lines[1].pk}


def test_a_line_claimed_by_another_application_is_refused(
    member, anchor, procurement, draft, lines
):
    second = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    page = member.get(url("lines", second.pk)).content.decode()
    assert f'value="{lines[0].pk}"' not in page  # held by the draft, so not offered

    response = member.post(
        url("lines", second.pk), {"shown": [lines[0].pk], "lines": [lines[0].pk]}
    )

    assert response.status_code == 200
    assert "Nothing was changed" in text_of(response)
    assert f"{lines[0].invoice_no}/1" in text_of(response)
    assert not second.claimed_lines.exists()
    assert draft.claimed_lines.filter(purchase_line=lines[0]).exists()


def test_garbage_line_ids_are_refused_with_a_message(member, empty_draft):
    response = member.post(url("lines", empty_draft.pk), {"lines": ["abc"]})

    assert response.status_code == 200
    assert "Choose purchase lines from the list." in text_of(response)


def test_lines_can_be_filtered_by_invoice_or_supplier(member, empty_draft, lines):
    response = member.get(url("lines", empty_draft.pk), {"q": lines[2].invoice_no})

    page = response.content.decode()
    assert f'value="{lines[2].pk}"' in page
    assert f'value="{lines[0].pk}"' not in page


def test_the_line_picker_says_when_nothing_can_be_claimed(member, empty_draft):
    response = member.get(url("lines", empty_draft.pk))

    assert "No purchase line can be claimed" in text_of(response)


def test_the_line_picker_takes_a_fixed_number_of_queries(
    member, anchor, supplier, empty_draft, django_assert_max_num_queries
):
    for _ in range(12):
        PurchaseLineFactory(buyer=anchor, supplier=supplier, confirmation="confirmed")

    with django_assert_max_num_queries(10):
        response = member.get(url("lines", empty_draft.pk))
    assert "12 lines can be claimed" in text_of(response)


def test_programmes_without_lines_have_no_line_picker(member, standards_draft):
    assert member.get(url("lines", standards_draft.pk)).status_code == 404


# --- R&D plan -----------------------------------------------------------------------------------


@pytest.fixture
def rd_draft(anchor):
    programme = ProgrammeFactory(kind="rd_fund")
    return application_create(actor=anchor.owner, programme=programme, applicant=anchor)


def plan_data(kpis=(), milestones=(), initial_kpis=0, initial_milestones=0) -> dict:
    data = {
        "kpis-TOTAL_FORMS": str(max(len(kpis), 1)),
        "kpis-INITIAL_FORMS": str(initial_kpis),
        "milestones-TOTAL_FORMS": str(max(len(milestones), 1)),
        "milestones-INITIAL_FORMS": str(initial_milestones),
    }
    for index, row in enumerate(kpis):
        data.update({f"kpis-{index}-{name}": value for name, value in row.items()})
    for index, row in enumerate(milestones):
        data.update({f"milestones-{index}-{name}": value for name, value in row.items()})
    return data


def test_the_rd_plan_saves_kpis_and_milestones(member, rd_draft):
    response = member.post(
        url("plan", rd_draft.pk),
        plan_data(
            kpis=[
                {"kpi": "ionic_conductivity", "baseline_value": "0.004", "target_value": "0.012"},
                {"kpi": "asr", "baseline_value": "25", "target_value": "8"},
            ],
            milestones=[{"title": "Pilot line", "due_on": "2027-06-30", "deliverable": "1 t"}],
        ),
    )

    assert response.status_code == 302
    assert sorted(KpiTarget.objects.values_list("kpi", flat=True)) == ["asr", "ionic_conductivity"]
    assert Milestone.objects.get().title == "Pilot line"
    page = text_of(member.get(url("application", rd_draft.pk)))
    assert "Ionic conductivity at 25 °C (S/cm)" in page
    assert "Pilot line" in page


def test_an_existing_plan_row_can_be_removed_and_unchanged_ones_stay(member, anchor, rd_draft):
    application_set_plan(
        actor=anchor.owner,
        application=rd_draft,
        kpis=[
            {"kpi": "asr", "baseline_value": 25, "target_value": 8},
            {"kpi": "cost", "baseline_value": 900, "target_value": 450},
        ],
        milestones=[],
    )

    member.post(
        url("plan", rd_draft.pk),
        plan_data(
            kpis=[
                {"kpi": "asr", "baseline_value": "25", "target_value": "8"},
                {"kpi": "cost", "baseline_value": "900", "target_value": "450", "DELETE": "on"},
            ],
            initial_kpis=2,
        ),
    )

    assert list(KpiTarget.objects.values_list("kpi", flat=True)) == ["asr"]


def test_a_bad_plan_is_refused_on_its_fields_and_nothing_changes(member, rd_draft):
    missing_target = member.post(
        url("plan", rd_draft.pk),
        plan_data(kpis=[{"kpi": "asr", "baseline_value": "25", "target_value": ""}]),
    )
    duplicate = member.post(
        url("plan", rd_draft.pk),
        plan_data(
            kpis=[
                {"kpi": "asr", "baseline_value": "25", "target_value": "8"},
                {"kpi": "asr", "baseline_value": "20", "target_value": "5"},
            ]
        ),
    )

    assert missing_target.status_code == 200
    assert missing_target.context["kpis"].forms[0].errors["target_value"]
    assert "Each KPI may appear once." in text_of(duplicate)
    assert not KpiTarget.objects.exists()


# --- documents ----------------------------------------------------------------------------------


def test_a_pdf_is_attached_and_streamed_back_to_members(member, empty_draft):
    response = member.post(
        url("document_add", empty_draft.pk), {"kind": "invoices", "file": pdf("contract.pdf")}
    )

    document = Document.objects.get()
    assert response.status_code == 302
    assert document.original_name == "contract.pdf"
    download = member.get(url("document", empty_draft.pk, document.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="contract.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_a_chinese_file_name_survives_the_download(member, empty_draft):
    member.post(url("document_add", empty_draft.pk), {"kind": "invoices", "file": pdf("发票.pdf")})

    download = member.get(url("document", empty_draft.pk, Document.objects.get().pk))

    assert "filename*=utf-8''%E5%8F%91%E7%A5%A8.pdf" in download["Content-Disposition"]


def test_a_text_file_renamed_pdf_is_refused_naming_the_file(member, empty_draft):
    fake = SimpleUploadedFile("report.pdf", b"just some text\n", content_type="application/pdf")

    response = member.post(url("document_add", empty_draft.pk), {"kind": "invoices", "file": fake})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "“report.pdf” is not a PDF, JPEG or PNG file."
    ]
    assert "“report.pdf” is not a PDF, JPEG or PNG file." in text_of(response)
    assert not Document.objects.exists()


def test_an_oversize_file_is_refused_with_the_limit(member, empty_draft, settings):
    settings.APPLICATION_DOCUMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * 2048, content_type="application/pdf")

    response = member.post(url("document_add", empty_draft.pk), {"kind": "invoices", "file": big})

    assert "the limit is 1.0\xa0KB" in response.context["form"].errors["file"][0]
    assert not Document.objects.exists()


def test_a_document_needs_a_kind_and_a_file(member, empty_draft):
    response = member.post(url("document_add", empty_draft.pk), {})

    assert set(response.context["form"].errors) == {"kind", "file"}


def test_a_document_is_removed_after_confirmation(member, draft):
    document = draft.documents.get()

    confirm = member.get(url("document_delete", draft.pk, document.pk))
    response = member.post(url("document_delete", draft.pk, document.pk))

    assert "Remove “invoice.pdf”" in text_of(confirm)
    assert response.status_code == 302
    assert not draft.documents.exists()
