"""The support programmes' pages: what applicants, officials and the public see and can do.

Every write goes through the services; these tests prove what a person sees on the page
and that bad input answers with a message on the field (never a 500) and changes nothing.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from subsidies.models import (
    Application,
    ApplicationStatus,
    Document,
    KpiTarget,
    Message,
    Milestone,
    Objection,
    Recovery,
    Transition,
)
from subsidies.services.approvals import appeal_decide, application_approve
from subsidies.services.drafting import (
    application_create,
    application_set_lines,
    application_set_plan,
    application_update,
)
from subsidies.services.notices_and_objections import (
    notice_publish,
    objection_lodge,
    objection_resolve,
)
from subsidies.services.reviews import (
    application_reject,
    application_return,
    application_start_review,
)
from subsidies.services.submission import application_submit, message_post
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProgrammeFactory,
    PurchaseLineFactory,
    StandardParticipationFactory,
    UserFactory,
)
from tests.subsidies.conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db

S = ApplicationStatus


def text_of(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def url(name: str, *args) -> str:
    return reverse(f"subsidies:{name}", args=args)


@pytest.fixture
def member(client, anchor):
    client.force_login(anchor.owner)
    return client


def approve(application, official):
    application_start_review(actor=official, application=application)
    return application_approve(actor=official, application=application)


@pytest.fixture
def approved(submitted, official):
    return approve(submitted, official)


@pytest.fixture
def in_notice(approved, official):
    notice = notice_publish(actor=official, programme=approved.programme)
    approved.refresh_from_db()
    approved.notice = notice
    return approved


# --- programmes ---------------------------------------------------------------------------------


def test_programmes_list_open_ones_first_with_the_rule_in_words(client):
    today = timezone.localdate()
    closed = ProgrammeFactory(
        kind="national_matching",
        name_en="Matching of last year",
        year=today.year - 1,
        opens_on=today - datetime.timedelta(days=400),
        closes_on=today - datetime.timedelta(days=300),
    )
    ProgrammeFactory(
        kind="local_procurement",
        name_en="Local purchases",
        required_documents=["invoices"],
        budget_cny=Decimal("8000000.00"),
    )

    response = client.get(url("programmes"))

    page = text_of(response)
    assert response.status_code == 200
    assert page.index("Local purchases") < page.index("Matching of last year")
    assert "5 % of the claimed local purchases" in page
    assert "15 % of the total investment of the national major project." in page
    assert "Invoices or purchase contracts" in page
    assert "8,000,000.00 CNY" in page
    assert f"{closed.opens_on:%Y-%m-%d} to {closed.closes_on:%Y-%m-%d}" in page


def test_programmes_page_says_when_nothing_is_open(client):
    response = client.get(url("programmes"))

    assert "No programme takes applications today" in text_of(response)


def test_programmes_page_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for kind in ("local_procurement", "standards_reward", "rd_fund", "energy_quota"):
        ProgrammeFactory(kind=kind)
        ProgrammeFactory(kind=kind, year=2020, opens_on="2020-01-01", closes_on="2020-06-30")

    # programmes with their money figures, their eligible categories
    with django_assert_max_num_queries(2):
        response = client.get(url("programmes"))
    assert text_of(response).count("Details") == 8


def test_programme_page_offers_members_to_apply(client, anchor, procurement):
    client.force_login(anchor.owner)

    response = client.get(url("programme", procurement.pk))

    assert response.status_code == 200
    assert f'href="{url("apply", procurement.pk)}"' in response.content.decode()
    assert "5 % of the claimed local purchases" in text_of(response)


def test_programme_page_asks_visitors_to_log_in_and_others_to_register(client, procurement):
    page = text_of(client.get(url("programme", procurement.pk)))
    assert "Log in to apply" in page

    client.force_login(UserFactory())
    response = client.get(url("programme", procurement.pk))
    assert "Only members of a registered enterprise can apply" in text_of(response)
    assert f'href="{reverse("directory:register")}"' in response.content.decode()


def test_unknown_programme_is_404(client):
    assert client.get(url("programme", 999)).status_code == 404


# --- applying -----------------------------------------------------------------------------------


def test_a_member_of_one_enterprise_applies_without_choosing(member, anchor, procurement):
    page = text_of(member.get(url("apply", procurement.pk)))
    assert f"You apply as {anchor.name_en}" in page

    response = member.post(url("apply", procurement.pk), {"enterprise": anchor.pk})

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("application", application.pk)
    assert (application.applicant, application.programme, application.status) == (
        anchor,
        procurement,
        S.DRAFT,
    )
    assert application.created_by == anchor.owner


def test_a_member_of_two_enterprises_chooses_which_applies(client, anchor, sme, procurement):
    MembershipFactory(user=anchor.owner, enterprise=sme)
    stranger = EnterpriseFactory()
    client.force_login(anchor.owner)

    page = text_of(client.get(url("apply", procurement.pk)))
    assert anchor.name_en in page and sme.name_en in page

    missing = client.post(url("apply", procurement.pk), {})
    foreign = client.post(url("apply", procurement.pk), {"enterprise": stranger.pk})
    chosen = client.post(url("apply", procurement.pk), {"enterprise": sme.pk})

    assert "This field is required." in text_of(missing)
    assert "Choose one of your enterprises." in text_of(foreign)
    assert chosen.status_code == 302
    assert Application.objects.get().applicant == sme


def test_a_user_without_enterprise_is_told_to_register_one(client, procurement):
    client.force_login(UserFactory())

    response = client.get(url("apply", procurement.pk))
    post = client.post(url("apply", procurement.pk), {"enterprise": "1"})

    assert "Register your enterprise first" in text_of(response)
    assert f'href="{reverse("directory:register")}"' in response.content.decode()
    assert post.status_code == 200
    assert not Application.objects.exists()


def test_a_closed_programme_takes_no_application(member, anchor):
    today = timezone.localdate()
    closed = ProgrammeFactory(
        opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(days=1)
    )

    response = member.post(url("apply", closed.pk), {"enterprise": anchor.pk})

    assert "it takes no more applications" in text_of(response)
    assert not Application.objects.exists()


# --- my applications ----------------------------------------------------------------------------


def test_my_applications_lists_those_of_all_my_enterprises_only(client, anchor, sme, submitted):
    MembershipFactory(user=anchor.owner, enterprise=sme)
    of_sme = ApplicationFactory(applicant=sme)
    foreign = ApplicationFactory()
    client.force_login(anchor.owner)

    response = client.get(url("applications"))

    page = response.content.decode()
    assert f'href="{url("application", submitted.pk)}"' in page
    assert f'href="{url("application", of_sme.pk)}"' in page
    assert f'href="{url("application", foreign.pk)}"' not in page
    assert "19,500.03" in text_of(response)  # 5 % of 390,000.50, computed at submission
    assert "Submitted" in text_of(response)


def test_my_applications_filters_by_status_and_has_an_empty_state(member, anchor, submitted):
    ApplicationFactory(applicant=anchor)

    drafts = member.get(url("applications"), {"status": "draft"})
    rejected = member.get(url("applications"), {"status": "rejected"})

    assert f'href="{url("application", submitted.pk)}"' not in drafts.content.decode()
    assert "1 application" in text_of(drafts)
    assert "No application in this status" in text_of(rejected)


def test_my_applications_says_when_there_are_none(member):
    assert "You have no applications yet" in text_of(member.get(url("applications")))


def test_my_applications_takes_a_fixed_number_of_queries(
    member, anchor, django_assert_max_num_queries
):
    for kind in ("local_procurement", "rd_fund", "standards_reward"):
        for _ in range(3):
            ApplicationFactory(applicant=anchor, programme=ProgrammeFactory(kind=kind))

    # session, user, count, the page (with programme and applicant)
    with django_assert_max_num_queries(4):
        response = member.get(url("applications"))
    assert "9 applications" in text_of(response)


# --- the application's page ---------------------------------------------------------------------


def test_a_draft_shows_its_eligibility_before_submission(member, anchor, procurement, lines):
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    application_set_lines(actor=anchor.owner, application=application, line_ids=[lines[0].pk])

    page = text_of(member.get(url("application", application.pk)))

    assert "✓ The enterprise is verified in the directory" in page
    assert "✗ The required documents are attached" in page
    assert "Attach: Invoices or purchase contracts." in page
    assert "Not ready yet" in page
    # 5 % of the one claimed line of 100,000, computed by the server
    assert "5,000.00" in page
    assert "fixed when you submit" in page


def test_a_complete_draft_is_ready_and_offers_submission(member, draft):
    response = member.get(url("application", draft.pk))

    assert "Ready to submit" in text_of(response)
    assert f'href="{url("submit", draft.pk)}"' in response.content.decode()
    assert "19,500.03" in text_of(response)


def test_the_page_shows_claim_lines_documents_and_history(member, submitted, lines):
    document = submitted.documents.get()

    response = member.get(url("application", submitted.pk))

    page = text_of(response)
    assert lines[1].invoice_no in page
    assert "390,000.50" in page  # the claimed total
    assert "invoice.pdf" in page
    assert f'href="{url("document", submitted.pk, document.pk)}"' in response.content.decode()
    assert "sme-owner" not in page
    assert "anchor-owner Draft Submitted" in page
    # submitted: nothing left to edit
    assert f'href="{url("edit", submitted.pk)}"' not in response.content.decode()
    assert f'href="{url("withdraw", submitted.pk)}"' in response.content.decode()


def test_a_returned_application_shows_what_to_change(member, under_review, official):
    application_return(
        actor=official, application=under_review, note="Attach the signed contract for INV-7."
    )

    page = text_of(member.get(url("application", under_review.pk)))

    assert "Returned for changes" in page
    assert "What to change: Attach the signed contract for INV-7." in page
    assert "Ready to submit" in page


def test_applicants_never_see_internal_notes_officials_do(client, anchor, submitted, official):
    message_post(actor=official, application=submitted, body="Please confirm INV-1.")
    message_post(actor=official, application=submitted, body="Supplier looks odd.", internal=True)

    client.force_login(anchor.owner)
    applicant_page = text_of(client.get(url("application", submitted.pk)))
    client.force_login(official)
    official_page = text_of(client.get(url("application", submitted.pk)))

    assert "Please confirm INV-1." in applicant_page
    assert "Supplier looks odd." not in applicant_page
    assert "Supplier looks odd." in official_page
    assert "Internal note" in official_page


def test_the_application_page_takes_a_bounded_number_of_queries(
    member, submitted, official, django_assert_max_num_queries
):
    for n in range(3):
        message_post(actor=official, application=submitted, body=f"Question {n}")
        message_post(actor=submitted.created_by, application=submitted, body=f"A {n}")

    with django_assert_max_num_queries(20):
        response = member.get(url("application", submitted.pk))
    assert "Question 2" in text_of(response)


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


@pytest.fixture
def empty_draft(anchor, procurement):
    return application_create(actor=anchor.owner, programme=procurement, applicant=anchor)


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
        PurchaseLineFactory(buyer=anchor, supplier=supplier)

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


# --- submit, withdraw, appeal, messages ---------------------------------------------------------


def test_submitting_an_ineligible_application_shows_the_problems_and_changes_nothing(
    member, empty_draft
):
    page = text_of(member.get(url("submit", empty_draft.pk)))
    assert "Pick at least one purchase line to claim." in page
    assert "Submit the application" not in page.split("Amount", 1)[1]

    response = member.post(url("submit", empty_draft.pk))

    assert response.status_code == 400
    assert "The application was not submitted" in text_of(response)
    assert "Attach: Invoices or purchase contracts." in text_of(response)
    empty_draft.refresh_from_db()
    assert empty_draft.status == S.DRAFT
    assert empty_draft.computed_amount_cny is None
    assert not Transition.objects.exists()


def test_submitting_a_complete_application_fixes_the_amount(member, draft):
    confirm = member.get(url("submit", draft.pk))
    assert "19,500.03 CNY" in text_of(confirm)

    response = member.post(url("submit", draft.pk))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == S.SUBMITTED
    assert draft.computed_amount_cny == Decimal("19500.03")
    assert "is submitted" in text_of(member.get(response["Location"]))


def test_a_submitted_application_cannot_be_submitted_again(member, submitted):
    response = member.post(url("submit", submitted.pk))

    assert response.status_code == 302
    assert Transition.objects.filter(to_status=S.SUBMITTED).count() == 1


def test_withdrawing_records_the_note(member, submitted):
    confirm = member.get(url("withdraw", submitted.pk))
    assert "Withdraw application" in text_of(confirm)

    response = member.post(url("withdraw", submitted.pk), {"note": "Wrong year."})

    submitted.refresh_from_db()
    assert response.status_code == 302
    assert submitted.status == S.WITHDRAWN
    page = text_of(member.get(url("application", submitted.pk)))
    assert "Wrong year." in page
    assert "Withdraw…" not in page


@pytest.fixture
def rejected(under_review, official):
    return application_reject(actor=official, application=under_review, note="Lines are from 2019.")


def test_a_rejection_can_be_appealed_once_with_grounds(member, rejected, official):
    page = text_of(member.get(url("application", rejected.pk)))
    assert "Lines are from 2019." in page
    assert "Appeal…" in page

    blank = member.post(url("appeal", rejected.pk), {"grounds": "  "})
    assert blank.context["form"].errors["grounds"] == ["Give the grounds of your appeal."]

    response = member.post(url("appeal", rejected.pk), {"grounds": "The invoices are of 2026."})
    rejected.refresh_from_db()
    assert response.status_code == 302
    assert rejected.status == S.APPEALED

    appeal = rejected.appeals.get()
    appeal_decide(
        actor=UserFactory(username="o2", is_superuser=True),
        appeal=appeal,
        upheld=False,
        note="Stands.",
    )
    again = member.get(url("appeal", rejected.pk))
    assert again.status_code == 302
    assert rejected.appeals.count() == 1
    assert "Appeal…" not in text_of(member.get(url("application", rejected.pk)))


def test_only_a_rejection_can_be_appealed(member, submitted):
    response = member.post(url("appeal", submitted.pk), {"grounds": "Because."})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_a_member_writes_to_the_officials(member, submitted):
    response = member.post(url("message", submitted.pk), {"body": "INV-7 is attached."})

    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.body, message.internal) == ("INV-7 is attached.", False)


def test_an_empty_message_is_refused_on_its_field(member, submitted):
    response = member.post(url("message", submitted.pk), {"body": "   "})

    assert response.status_code == 400
    assert "Write a message." in text_of(response)
    assert not Message.objects.exists()


def test_an_applicant_cannot_write_internal_notes(member, submitted):
    member.post(url("message", submitted.pk), {"body": "psst", "internal": "on"})

    assert Message.objects.get().internal is False


def test_an_official_may_write_an_internal_note(client, official, submitted):
    client.force_login(official)

    client.post(url("message", submitted.pk), {"body": "Check supplier.", "internal": "on"})

    assert Message.objects.get().internal is True


# --- public disclosure --------------------------------------------------------------------------


def test_awards_are_published_with_recipient_amount_and_date(client, anchor, approved, draft):
    ApplicationFactory()  # a draft elsewhere: never shown

    response = client.get(url("awards"))

    page = text_of(response)
    assert anchor.name_en in page
    assert "19,500.03" in page
    assert f"{timezone.localtime(approved.decided_at):%Y-%m-%d}" in page
    assert "1 award" in page


def test_awards_can_be_filtered_by_programme_and_year(client, approved):
    other = ProgrammeFactory()

    same = client.get(url("awards"), {"programme": approved.programme_id})
    elsewhere = client.get(url("awards"), {"programme": other.pk})
    old = client.get(url("awards"), {"year": 2001})
    bad = client.get(url("awards"), {"year": "soon"})

    assert "19,500.03" in text_of(same)
    assert "No approved award matches the filter." in text_of(elsewhere)
    assert "No approved award matches the filter." in text_of(old)
    assert bad.status_code == 400
    assert "Enter a whole number." in text_of(bad)


def test_awards_download_as_csv(client, anchor, approved):
    response = client.get(url("awards_csv"))

    content = response.content.decode("utf-8-sig")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert content.splitlines()[0].startswith("Programme,Year,Recipient,USCC,Amount (CNY)")
    assert f"{anchor.uscc},19500.03" in content


def test_largest_recipients_are_shown_net_of_recoveries(client, anchor, approved, official):
    Recovery.objects.create(
        application=approved,
        reason="relocation",
        basis="Half, pro rata",
        amount_cny=Decimal("9750.00"),
        repaid_cny=Decimal("9750.00"),
        status="repaid",
    )

    page = text_of(client.get(url("awards")))

    recipients = page.split("Largest recipients")[1]
    assert anchor.name_en in recipients
    assert "9,750.00" in recipients and "9,750.03" in recipients  # net of the repayment


def test_the_awards_page_says_when_there_are_none(client):
    assert "No award has been approved yet." in text_of(client.get(url("awards")))


def test_the_awards_page_takes_a_fixed_number_of_queries(
    client, official, django_assert_max_num_queries
):
    programme = ProgrammeFactory(kind="national_matching")
    for n in range(5):
        applicant = EnterpriseFactory()
        owner = UserFactory()
        MembershipFactory(user=owner, enterprise=applicant)
        application = application_create(
            actor=owner,
            programme=programme,
            applicant=applicant,
            data={
                "project_name": f"Project {n}",
                "approving_ministry": "MIIT",
                "document_number": f"MIIT-2026-{n}",
                "total_investment_cny": Decimal("1000000"),
            },
        )
        application_submit(actor=owner, application=application)
        approve(application, official)

    # programme choices, count, the page of awards, the largest recipients
    with django_assert_max_num_queries(4):
        response = client.get(url("awards"))
    assert "5 awards" in text_of(response)


def test_notices_list_their_awards_and_objections(client, in_notice):
    response = client.get(url("notices"))

    page = text_of(response)
    assert "Open for objections" in page
    assert "19,500.03" in page
    assert f'href="{url("notice", in_notice.notice.pk)}"' in response.content.decode()


def test_the_notices_page_takes_a_fixed_number_of_queries(
    client, official, django_assert_max_num_queries
):
    for _ in range(4):
        programme = ProgrammeFactory(kind="standards_reward")
        owner = UserFactory()
        applicant = EnterpriseFactory()
        MembershipFactory(user=owner, enterprise=applicant)
        application = ApplicationFactory(
            programme=programme,
            applicant=applicant,
            status=S.UNDER_REVIEW,
            computed_amount_cny=Decimal("500000.00"),
        )
        application_approve(actor=official, application=application)
        notice_publish(actor=official, programme=programme)

    # count, the page of notices with their figures
    with django_assert_max_num_queries(2):
        response = client.get(url("notices"))
    assert text_of(response).count("Open for objections") == 4


def test_the_notice_page_takes_a_fixed_number_of_queries(
    client, official, django_assert_max_num_queries
):
    programme = ProgrammeFactory(kind="standards_reward")
    for _ in range(4):
        ApplicationFactory(
            programme=programme,
            status=S.UNDER_REVIEW,
            computed_amount_cny=Decimal("500000.00"),
        )
    for application in Application.objects.all():
        application_approve(actor=official, application=application)
    notice = notice_publish(actor=official, programme=programme)
    for application in Application.objects.all():
        objection_lodge(
            actor=official,
            application=application,
            author_name="Wei Li",
            organisation="Rival Co.",
            reason="Doubtful.",
        )

    # the notice, its awards (with recipients), its objections
    with django_assert_max_num_queries(3):
        response = client.get(url("notice", notice.pk))
    assert text_of(response).count("Doubtful.") == 4
    assert "2,000,000.00 CNY" in text_of(response)


def test_the_notices_page_says_when_there_are_none(client):
    assert "No notice published yet" in text_of(client.get(url("notices")))


def test_anonymous_visitors_see_the_notice_and_are_asked_to_log_in_to_object(client, in_notice):
    response = client.get(url("notice", in_notice.notice.pk))

    page = text_of(response)
    assert "19,500.03" in page
    assert "Log in to object" in page
    assert 'name="reason"' not in response.content.decode()
    post = client.post(url("notice", in_notice.notice.pk), {"reason": "x"})
    assert post.status_code == 302
    assert post["Location"].startswith(reverse("login"))
    assert not Objection.objects.exists()


def test_a_logged_in_user_objects_to_an_award_signed_with_name_and_organisation(
    client, sme, in_notice
):
    sme.owner.first_name, sme.owner.last_name = "Wei", "Li"
    sme.owner.save()
    client.force_login(sme.owner)
    notice_url = url("notice", in_notice.notice.pk)

    form = client.get(notice_url, {"award": in_notice.pk}).context["form"]
    assert form.initial["author_name"] == "Wei Li"
    assert form.initial["organisation"] == sme.name_zh

    blank = client.post(
        notice_url,
        {"application": in_notice.pk, "author_name": "Wei Li", "organisation": "X", "reason": ""},
    )
    assert "reason" in blank.context["form"].errors

    response = client.post(
        notice_url,
        {
            "application": in_notice.pk,
            "author_name": "Wei Li",
            "organisation": sme.name_zh,
            "reason": "The invoices were issued to another firm.",
        },
    )

    objection = Objection.objects.get()
    assert response.status_code == 302
    assert (objection.application, objection.author, objection.author_name) == (
        in_notice,
        sme.owner,
        "Wei Li",
    )
    page = text_of(client.get(notice_url))
    assert "The invoices were issued to another firm." in page
    assert "by Wei Li" in page


def test_after_the_period_objections_stay_public_and_no_new_one_is_taken(
    client, sme, in_notice, official
):
    objection_lodge(
        actor=sme.owner,
        application=in_notice,
        author_name="Wei Li",
        organisation="Rival Co.",
        reason="Doubtful.",
    )
    objection = Objection.objects.get()
    objection_resolve(
        actor=official, objection=objection, upheld=True, resolution="Invoices were re-issued."
    )
    notice = in_notice.notice
    type(notice).objects.filter(pk=notice.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=10),
        ends_at=timezone.now() - datetime.timedelta(days=3),
    )
    client.force_login(sme.owner)

    response = client.get(url("notice", notice.pk))
    post = client.post(url("notice", notice.pk), {"application": in_notice.pk, "reason": "x"})

    page = text_of(response)
    assert "The notice period ended" in page
    assert "Doubtful." in page
    assert "Invoices were re-issued." in page
    assert "Upheld" in page
    assert "Lodge the objection" not in page
    assert post.status_code == 302
    assert Objection.objects.count() == 1


def test_unknown_notice_is_404(client):
    assert client.get(url("notice", 999)).status_code == 404
