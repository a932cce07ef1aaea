"""Drafting and submitting an application through the services: who may apply, eligibility,
the lines and fields a claim may hold, no line or reward claimed twice, and the documents
checked by content.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import ListingStatus, PurchaseLineConfirmation
from subsidies.models import Application, ClaimedLine
from subsidies.selectors.eligibility import application_eligibility, near_duplicate_lines
from subsidies.services.drafting import (
    application_create,
    application_set_lines,
    application_update,
    document_add,
)
from subsidies.services.submission import application_submit, application_withdraw
from tests.factories import (
    EnterpriseFactory,
    ProgrammeFactory,
    PurchaseLineFactory,
    StandardParticipationFactory,
    outside_district,
)
from tests.subsidies.services_support import S

pytestmark = pytest.mark.django_db


# --- drafting and eligibility -----------------------------------------------------------------


def test_only_members_of_the_applicant_may_start_an_application(procurement, anchor, sme):
    with pytest.raises(PermissionDenied):
        application_create(actor=sme.owner, programme=procurement, applicant=anchor)
    assert not Application.objects.exists()


def test_submission_computes_five_percent_of_the_claimed_lines(submitted):
    # V_total = 100,000 + 250,000 + 40,000.50 = 390,000.50; S = 5 % = 19,500.025 → 19,500.03
    assert submitted.status == S.SUBMITTED
    assert submitted.computed_amount_cny == Decimal("19500.03")
    assert submitted.submitted_at is not None


def test_submission_takes_the_corrected_amount_of_a_line(draft, anchor, lines):
    type(lines[0]).objects.filter(pk=lines[0].pk).update(amount=Decimal("200000.00"))
    # ... and its supplier confirms the corrected line.
    PurchaseLineConfirmation.objects.filter(line=lines[0]).update(amount=Decimal("200000.00"))
    application = application_submit(actor=anchor.owner, application=draft)
    assert application.computed_amount_cny == Decimal("24500.03")


def test_eligibility_is_shown_before_submission_with_what_to_do(anchor, procurement, lines):
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    eligibility = application_eligibility(application)
    failed = {check.code for check in eligibility.checks if not check.ok}
    assert failed == {"documents", "claim", "amount"}
    assert "Attach: Invoices or purchase contracts." in eligibility.problems
    assert "Pick at least one purchase line to claim." in eligibility.problems


def test_an_unverified_enterprise_cannot_submit(draft, anchor):
    type(anchor).objects.filter(pk=anchor.pk).update(status=ListingStatus.PENDING)
    with pytest.raises(ValidationError) as error:
        application_submit(actor=anchor.owner, application=draft)
    assert "An official must verify the enterprise before it can apply." in error.value.messages
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert draft.computed_amount_cny is None


def test_an_enterprise_outside_the_municipality_cannot_submit(draft, anchor):
    type(anchor).objects.filter(pk=anchor.pk).update(district=outside_district())
    with pytest.raises(ValidationError, match="Only local enterprises may apply"):
        application_submit(actor=anchor.owner, application=draft)


def test_a_closed_programme_refuses_submissions(draft, anchor, procurement):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    type(procurement).objects.filter(pk=procurement.pk).update(
        opens_on=yesterday - datetime.timedelta(days=30), closes_on=yesterday
    )
    with pytest.raises(ValidationError, match="takes applications from"):
        application_submit(actor=anchor.owner, application=draft)


@pytest.mark.parametrize(
    "line_kwargs",
    [
        pytest.param({"supplier__district": "outside"}, id="supplier-not-local"),
        pytest.param({"supplier__status": ListingStatus.PENDING}, id="supplier-unverified"),
        pytest.param({"invoice_date": "last-year"}, id="outside-the-programme-year"),
        pytest.param({"category": "production-equipment"}, id="category-not-eligible"),
        pytest.param(
            {"amount": Decimal("-500.00"), "original_invoice_no": "INV-0"}, id="credit-note"
        ),
        pytest.param({"buyer": "other"}, id="not-the-applicants-purchase"),
    ],
)
def test_lines_the_programme_does_not_pay_for_cannot_be_claimed(anchor, procurement, line_kwargs):
    from directory.models import SupplyCategory

    kwargs = {"buyer": anchor}
    for name, value in line_kwargs.items():
        if value == "outside":
            value = outside_district()
        elif value == "last-year":
            value = datetime.date(timezone.localdate().year - 1, 6, 1)
        elif value == "production-equipment":
            value = SupplyCategory.objects.get(slug=value)
        elif value == "other":
            value = EnterpriseFactory(kind="anchor")
        kwargs[name] = value
    line = PurchaseLineFactory(**kwargs)
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    with pytest.raises(ValidationError) as error:
        application_set_lines(actor=anchor.owner, application=application, line_ids=[line.pk])
    assert "lines" in error.value.message_dict
    assert not application.claimed_lines.exists()


def test_claimed_lines_can_be_replaced_while_a_draft(draft, anchor, lines):
    application_set_lines(actor=anchor.owner, application=draft, line_ids=[lines[1].pk])
    assert list(draft.claimed_lines.values_list("purchase_line_id", flat=True)) == [lines[1].pk]


def test_a_submitted_application_cannot_be_edited(submitted, anchor):
    with pytest.raises(ValidationError, match="Only a draft or a returned application"):
        application_update(actor=anchor.owner, application=submitted, data={"summary": "x"})


def test_fields_of_another_programme_kind_are_refused(draft, anchor):
    with pytest.raises(ValidationError) as error:
        application_update(
            actor=anchor.owner, application=draft, data={"total_investment_cny": Decimal("1")}
        )
    assert "total_investment_cny" in error.value.message_dict


# --- no double claim --------------------------------------------------------------------------


def test_a_line_claimed_in_one_application_cannot_be_claimed_in_another(draft, anchor, lines):
    other_programme = ProgrammeFactory(kind="demonstration_procurement")
    other = application_create(actor=anchor.owner, programme=other_programme, applicant=anchor)
    with pytest.raises(ValidationError, match="already claimed"):
        application_set_lines(actor=anchor.owner, application=other, line_ids=[lines[0].pk])


def test_a_withdrawn_application_frees_its_lines(draft, anchor, lines, procurement):
    application_withdraw(actor=anchor.owner, application=draft)
    again = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    claimed = application_set_lines(actor=anchor.owner, application=again, line_ids=[lines[0].pk])
    assert len(claimed) == 1


def test_the_database_refuses_a_second_live_claim_of_a_line(draft, lines, procurement, anchor):
    other = Application.objects.create(
        programme=procurement, kind=procurement.kind, applicant=anchor
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimedLine.objects.create(
            application=other,
            purchase_line=lines[0],
            amount_cny=lines[0].amount,
            supplier_uscc="X" * 18,
            invoice_key="UNRELATED",
            line_no=1,
            invoice_date=lines[0].invoice_date,
        )


def test_the_same_invoice_written_differently_cannot_be_claimed_twice(
    anchor, supplier, procurement
):
    first = PurchaseLineFactory(
        buyer=anchor, supplier=supplier, invoice_no="INV-000123", confirmation="confirmed"
    )
    twin = PurchaseLineFactory(
        buyer=anchor, supplier=supplier, invoice_no="inv 123", confirmation="confirmed"
    )
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    application_set_lines(actor=anchor.owner, application=application, line_ids=[first.pk])
    other = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    with pytest.raises(ValidationError, match="differently written invoice number"):
        application_set_lines(actor=anchor.owner, application=other, line_ids=[twin.pk])


def test_near_duplicate_invoices_are_flagged_not_refused(anchor, supplier, procurement):
    day = timezone.localdate().replace(month=5, day=10)
    first = PurchaseLineFactory(
        buyer=anchor,
        supplier=supplier,
        invoice_no="A-1",
        invoice_date=day,
        confirmation="confirmed",
    )
    near = PurchaseLineFactory(
        buyer=anchor,
        supplier=supplier,
        invoice_no="B-7",
        invoice_date=day + datetime.timedelta(days=2),
        confirmation="confirmed",
    )
    far = PurchaseLineFactory(
        buyer=anchor,
        supplier=supplier,
        invoice_no="C-9",
        invoice_date=day + datetime.timedelta(days=40),
        confirmation="confirmed",
    )
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    application_set_lines(
        actor=anchor.owner, application=application, line_ids=[first.pk, near.pk, far.pk]
    )
    flagged = near_duplicate_lines(application)
    pairs = {(f["claim"].purchase_line_id, f["other"].purchase_line_id) for f in flagged}
    assert pairs == {(first.pk, near.pk), (near.pk, first.pk)}


def test_one_standards_reward_per_enterprise_per_standard(anchor):
    participation = StandardParticipationFactory(enterprise=anchor)
    data = {"standard_participation": participation}
    application_create(
        actor=anchor.owner,
        programme=ProgrammeFactory(kind="standards_reward"),
        applicant=anchor,
        data=data,
    )
    with pytest.raises(ValidationError) as error:
        application_create(
            actor=anchor.owner,
            programme=ProgrammeFactory(kind="standards_reward"),
            applicant=anchor,
            data=data,
        )
    assert "standard_participation" in error.value.message_dict


def test_a_claim_points_to_a_participation_of_the_applicant_itself(anchor, sme):
    with pytest.raises(ValidationError) as error:
        application_create(
            actor=anchor.owner,
            programme=ProgrammeFactory(kind="standards_reward"),
            applicant=anchor,
            data={"standard_participation": StandardParticipationFactory(enterprise=sme)},
        )
    assert "standard_participation" in error.value.message_dict


def test_an_unconfirmed_participation_earns_no_reward(anchor):
    participation = StandardParticipationFactory(enterprise=anchor, status="pending")
    application = application_create(
        actor=anchor.owner,
        programme=ProgrammeFactory(kind="standards_reward", required_documents=[]),
        applicant=anchor,
        data={"standard_participation": participation},
    )
    with pytest.raises(ValidationError, match="not confirmed this participation"):
        application_submit(actor=anchor.owner, application=application)


def test_a_national_project_is_matched_once_whoever_claims_it(anchor, sme):
    programme = ProgrammeFactory(kind="national_matching")
    data = {
        "project_name": "Sulfide electrolyte pilot line",
        "approving_ministry": "MIIT",
        "document_number": "工信部〔2026〕12号",
        "total_investment_cny": Decimal("80000000.00"),
    }
    application_create(actor=anchor.owner, programme=programme, applicant=anchor, data=data)
    with pytest.raises(ValidationError) as error:
        application_create(
            actor=sme.owner,
            programme=programme,
            applicant=sme,
            data={**data, "document_number": "工信部 (2026) 12 号"},
        )
    assert "document_number" in error.value.message_dict


# --- documents --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", b"#!/bin/sh\nrm -rf /\n", "is not a PDF, JPEG or PNG file"),
        ("photo.png", b"%PDF-1.4 fake", "is a PDF file but its name says otherwise"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_documents_are_checked_by_content(draft, anchor, name, content, message):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError, match=message) as error:
        document_add(actor=anchor.owner, application=draft, kind="other", upload=upload)
    assert "file" in error.value.message_dict
    assert draft.documents.count() == 1  # only the fixture's invoice


def test_documents_over_the_limit_are_refused(draft, anchor, settings):
    settings.APPLICATION_DOCUMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000)
    with pytest.raises(ValidationError, match="the limit is 1.0"):
        document_add(actor=anchor.owner, application=draft, kind="other", upload=upload)


def test_documents_are_stored_outside_the_web_root(draft, settings):
    document = draft.documents.get()
    path = document.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert "invoice" not in path  # the applicant's file name never reaches the disk
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018
