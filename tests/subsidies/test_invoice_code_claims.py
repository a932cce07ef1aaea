"""A claim names its invoice by seller, invoice code and number, as legacy VAT invoices do:
two invoices of one seller may share the 8-digit number under different codes, and both can
be claimed; the same code and number, however the number is written, are one claim. The
workbench's near-duplicate flag, the admin's claim tables and the migration that fills the
codes of older claims follow.
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from subsidies.models import Application, ClaimedLine
from subsidies.selectors.eligibility import near_duplicate_lines
from subsidies.selectors.workbench import applications_workbench
from subsidies.services.drafting import application_create, application_set_lines
from tests.factories import ApplicationFactory, ProgrammeFactory, PurchaseLineFactory
from tests.subsidies.admin_support import S, change_url, claim

pytestmark = pytest.mark.django_db

fill_migration = importlib.import_module(
    "subsidies.migrations.0011_fill_claimed_line_invoice_codes"
)


def _claim(anchor, procurement, line) -> Application:
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    application_set_lines(actor=anchor.owner, application=application, line_ids=[line.pk])
    return application


def test_two_invoices_sharing_a_number_under_two_codes_are_both_claimed(
    anchor, supplier, procurement
):
    first = PurchaseLineFactory(
        buyer=anchor,
        supplier=supplier,
        invoice_code="3300261130",
        invoice_no="12345678",
        confirmation="confirmed",
    )
    second = PurchaseLineFactory(
        buyer=anchor,
        supplier=supplier,
        invoice_code="3300261131",
        invoice_no="12345678",
        confirmation="confirmed",
    )
    _claim(anchor, procurement, first)
    _claim(anchor, procurement, second)
    assert set(ClaimedLine.objects.values_list("purchase_line", "invoice_code")) == {
        (first.pk, "3300261130"),
        (second.pk, "3300261131"),
    }


@pytest.mark.parametrize("twin_no", ["１２３４５６７８", "1234-5678", "012345678"])
def test_one_code_and_number_written_differently_is_refused_as_one_claim(
    anchor, sme, supplier, procurement, twin_no
):
    """Two buyers' records of one seller's invoice line: the second claim is refused."""
    first = PurchaseLineFactory(
        buyer=anchor,
        supplier=supplier,
        invoice_code="3300261130",
        invoice_no="12345678",
        confirmation="confirmed",
    )
    twin = PurchaseLineFactory(
        buyer=sme,
        supplier=supplier,
        invoice_code="3300261130",
        invoice_no=twin_no,
        confirmation="confirmed",
    )
    _claim(anchor, procurement, first)
    other = application_create(actor=sme.owner, programme=procurement, applicant=sme)
    with pytest.raises(ValidationError, match="differently written invoice number"):
        application_set_lines(actor=sme.owner, application=other, line_ids=[twin.pk])
    assert list(ClaimedLine.objects.values_list("purchase_line", flat=True)) == [first.pk]


@pytest.fixture
def shared_number_claims(anchor, sme, supplier):
    """Two submitted applications each claiming line 1 of one seller's invoice 12345678, of
    the same amount and day, under two codes."""
    programme = ProgrammeFactory(kind="local_procurement")
    day = datetime.date(timezone.localdate().year, 3, 10)
    first = ApplicationFactory(programme=programme, applicant=anchor, status=S.SUBMITTED)
    second = ApplicationFactory(programme=programme, applicant=sme, status=S.SUBMITTED)
    claim(first, supplier, invoice_code="3300261130", invoice_no="12345678", day=day)
    claim(second, supplier, invoice_code="3300261131", invoice_no="12345678", day=day)
    return first, second


def test_the_workbench_flags_lookalikes_of_another_invoice_code(shared_number_claims):
    flags = dict(applications_workbench().values_list("pk", "has_near_duplicates"))
    assert flags == {application.pk: True for application in shared_number_claims}


def test_the_reviewer_sees_the_claim_of_another_invoice_code_as_a_lookalike(
    shared_number_claims,
):
    first, second = shared_number_claims
    pairs = near_duplicate_lines(first)
    assert [(pair["claim"].application_id, pair["other"].application_id) for pair in pairs] == [
        (first.pk, second.pk)
    ]


def test_the_admin_names_a_claimed_invoice_by_code_and_number(
    official_client, shared_number_claims
):
    first, _second = shared_number_claims
    content = official_client.get(change_url(first)).content.decode()
    assert "3300261130-12345678" in content


def test_the_migration_fills_older_claims_with_their_purchase_lines_code(
    anchor, supplier, procurement
):
    coded = PurchaseLineFactory(
        buyer=anchor,
        supplier=supplier,
        invoice_code="3300261130",
        invoice_no="12345678",
        confirmation="confirmed",
    )
    digital = PurchaseLineFactory(
        buyer=anchor,
        supplier=supplier,
        invoice_no="26332000000012345678",
        confirmation="confirmed",
    )
    _claim(anchor, procurement, coded)
    _claim(anchor, procurement, digital)
    ClaimedLine.objects.update(invoice_code="")
    fill_migration.fill_invoice_codes(apps, None)
    assert set(ClaimedLine.objects.values_list("purchase_line", "invoice_code")) == {
        (coded.pk, "3300261130"),
        (digital.pk, ""),
    }
