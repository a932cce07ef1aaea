"""The local-procurement subsidy counts lines their supplier confirmed; an official may accept
an unconfirmed line with a reason, recorded in the audit chain; a disputed line never counts."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from directory.models import PurchaseLine, PurchaseLineConfirmation
from ssb_portal.audit_chain.verify import audit_chain_verify
from ssb_portal.models import AuditEntry
from subsidies.models import UnconfirmedLineAcceptance
from subsidies.selectors.eligibility import application_eligibility, claimable_lines
from subsidies.services.drafting import application_create, application_set_lines
from subsidies.services.line_acceptance import purchase_line_accept_unconfirmed
from tests.factories import PurchaseLineFactory


@pytest.fixture
def application(anchor, procurement):
    return application_create(actor=anchor.owner, programme=procurement, applicant=anchor)


@pytest.mark.parametrize("confirmation", [None, "disputed"])
def test_an_unconfirmed_or_disputed_line_cannot_be_claimed(
    anchor, supplier, application, confirmation
):
    line = PurchaseLineFactory(buyer=anchor, supplier=supplier, confirmation=confirmation)
    assert not claimable_lines(application).filter(pk=line.pk).exists()
    with pytest.raises(ValidationError) as refused:
        application_set_lines(actor=anchor.owner, application=application, line_ids=[line.pk])
    assert "not confirmed by the supplier" in refused.value.message_dict["lines"][0]
    assert not application.claimed_lines.exists()


def test_a_claimed_line_its_supplier_disputes_later_stops_the_submission(draft, lines):
    PurchaseLineConfirmation.objects.filter(line=lines[0]).update(
        status="disputed", reason="Never delivered"
    )
    eligibility = application_eligibility(draft)
    assert not eligibility.ok
    assert any(
        lines[0].invoice_no in problem and "disputes it" in problem
        for problem in eligibility.problems
    )


def test_an_official_accepts_an_unconfirmed_line_with_a_reason_in_the_audit_chain(
    anchor, supplier, application, official
):
    line = PurchaseLineFactory(buyer=anchor, supplier=supplier)
    acceptance = purchase_line_accept_unconfirmed(
        actor=official, line_id=line.pk, reason="Supplier closed; customs papers checked."
    )
    assert (acceptance.amount_cny, acceptance.accepted_by) == (line.amount, official)
    entry = AuditEntry.objects.get(action="unconfirmed_line_accepted")
    assert entry.data["purchase_line"] == line.pk
    assert entry.data["reason"] == "Supplier closed; customs papers checked."
    assert audit_chain_verify()[1] is None
    application_set_lines(actor=anchor.owner, application=application, line_ids=[line.pk])
    assert application.claimed_lines.count() == 1


def test_an_acceptance_lapses_when_the_line_changes_or_its_supplier_disputes_it(
    anchor, supplier, application, official
):
    changed, disputed = PurchaseLineFactory.create_batch(2, buyer=anchor, supplier=supplier)
    for line in (changed, disputed):
        purchase_line_accept_unconfirmed(actor=official, line_id=line.pk, reason="Checked")
    PurchaseLine.objects.filter(pk=changed.pk).update(amount=Decimal("999999.00"))
    PurchaseLineConfirmation.of_line(disputed, "disputed", "Not ours").save()
    assert not claimable_lines(application).exists()


def test_acceptance_is_for_officials_with_a_reason_and_never_over_a_dispute(
    anchor, supplier, official
):
    line = PurchaseLineFactory(buyer=anchor, supplier=supplier)
    with pytest.raises(PermissionDenied):
        purchase_line_accept_unconfirmed(actor=anchor.owner, line_id=line.pk, reason="Mine")
    with pytest.raises(ValidationError) as refused:
        purchase_line_accept_unconfirmed(actor=official, line_id=line.pk, reason=" ")
    assert "reason" in refused.value.message_dict
    for status in ("disputed", "confirmed"):
        other = PurchaseLineFactory(buyer=anchor, supplier=supplier, confirmation=status)
        with pytest.raises(ValidationError) as refused:
            purchase_line_accept_unconfirmed(actor=official, line_id=other.pk, reason="Checked")
        assert "line" in refused.value.message_dict
    assert not UnconfirmedLineAcceptance.objects.exists()
    assert not AuditEntry.objects.filter(action="unconfirmed_line_accepted").exists()
