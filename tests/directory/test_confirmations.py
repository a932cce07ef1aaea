"""The supplier confirms: members of a verified supplier confirm or dispute the purchase lines
naming it, one by one or a whole invoice; every move of the workflow is recorded, every
refused move changes nothing, and a line its buyer changes is unconfirmed again."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from directory.models import (
    ConfirmationStatus,
    Enterprise,
    ListingStatus,
    PurchaseLine,
    PurchaseLineConfirmation,
    PurchaseLineConfirmationChange,
    SupplyCategory,
)
from directory.purchases.confirmation_selectors import lines_naming_supplier
from directory.purchases.confirmations import purchase_invoice_decide, purchase_line_decide
from directory.workflow import CONFIRMATION_WORKFLOW, SUPPLIER
from tests.factories import EnterpriseFactory, MembershipFactory, PurchaseLineFactory, UserFactory

UNCONFIRMED = ConfirmationStatus.UNCONFIRMED
CONFIRMED = ConfirmationStatus.CONFIRMED
DISPUTED = ConfirmationStatus.DISPUTED


@pytest.fixture
def invoice(anchor, seller):
    """Three lines of one invoice of the anchor naming the seller."""
    return [
        PurchaseLineFactory(buyer=anchor, supplier=seller, invoice_no="INV-7", line_no=number)
        for number in (1, 2, 3)
    ]


def status_of(line: PurchaseLine) -> str:
    supplier = Enterprise.objects.get(uscc=line.supplier_id)
    return lines_naming_supplier(supplier).get(pk=line.pk).confirmation_status


def decide(seller, line, status, reason=""):
    return purchase_line_decide(
        actor=seller.clerk, supplier=seller, line_id=line.pk, status=status, reason=reason
    )


ALL = [UNCONFIRMED, CONFIRMED, DISPUTED]
ALLOWED = {
    (UNCONFIRMED, CONFIRMED),
    (UNCONFIRMED, DISPUTED),
    (DISPUTED, CONFIRMED),
    (CONFIRMED, DISPUTED),
}


@pytest.mark.parametrize("current,target", sorted(ALLOWED))
def test_a_supplier_member_makes_every_move_of_the_table(seller, invoice, current, target):
    line = invoice[0]
    if current != UNCONFIRMED:
        decide(seller, line, current, reason="Wrong amount")
    decide(seller, line, target, reason="Wrong amount")
    assert status_of(line) == target
    change = PurchaseLineConfirmationChange.objects.filter(line=line).first()
    assert (change.actor, change.from_status, change.to_status) == (seller.clerk, current, target)
    assert change.reason == ("Wrong amount" if target == DISPUTED else "")


@pytest.mark.parametrize(
    "current,target", [(a, b) for a in ALL for b in ALL if (a, b) not in ALLOWED]
)
def test_every_other_move_is_not_in_the_table(current, target):
    assert not CONFIRMATION_WORKFLOW.allows(current, target, SUPPLIER)


def test_confirming_a_confirmed_line_again_is_refused_and_records_nothing(seller, invoice):
    decide(seller, invoice[0], CONFIRMED)
    with pytest.raises(ValidationError) as refused:
        decide(seller, invoice[0], CONFIRMED)
    assert "status" in refused.value.message_dict
    assert PurchaseLineConfirmationChange.objects.count() == 1


def test_a_dispute_needs_a_reason_and_the_buyer_hears_of_it(
    seller, invoice, anchor, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as refused:
        decide(seller, invoice[0], DISPUTED, reason="  ")
    assert "reason" in refused.value.message_dict
    assert not PurchaseLineConfirmation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        decide(seller, invoice[0], DISPUTED, reason="We never delivered this.")
    [message] = mail.outbox
    assert anchor.owner.email in message.to
    assert "INV-7/1" in message.body and "We never delivered this." in message.body


def test_the_database_refuses_a_dispute_without_reason(invoice):
    line = invoice[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        PurchaseLineConfirmation.of_line(line, DISPUTED).save()


def test_a_whole_invoice_is_confirmed_at_once_leaving_confirmed_lines_alone(seller, invoice):
    decide(seller, invoice[1], CONFIRMED)
    decide(seller, invoice[2], DISPUTED, reason="Short delivery")
    changed = purchase_invoice_decide(
        actor=seller.clerk,
        supplier=seller,
        buyer_uscc=invoice[0].buyer.uscc,
        invoice_no="INV-7",
        status=CONFIRMED,
    )
    assert changed == 2
    assert {status_of(line) for line in invoice} == {CONFIRMED}
    assert PurchaseLineConfirmationChange.objects.count() == 4


def test_an_invoice_of_another_supplier_or_buyer_is_refused(seller, invoice):
    other = EnterpriseFactory()
    PurchaseLineFactory(buyer=invoice[0].buyer, supplier=other, invoice_no="INV-8")
    for buyer_uscc, number in [(invoice[0].buyer.uscc, "INV-8"), (other.uscc, "INV-7")]:
        with pytest.raises(ValidationError) as refused:
            purchase_invoice_decide(
                actor=seller.clerk,
                supplier=seller,
                buyer_uscc=buyer_uscc,
                invoice_no=number,
                status=CONFIRMED,
            )
        assert "invoice_no" in refused.value.message_dict
    assert not PurchaseLineConfirmation.objects.exists()


def test_a_line_naming_another_supplier_is_refused(seller, invoice):
    foreign = PurchaseLineFactory(buyer=invoice[0].buyer)
    with pytest.raises(ValidationError):
        decide(seller, foreign, CONFIRMED)
    assert not PurchaseLineConfirmation.objects.exists()


def test_only_members_of_a_verified_supplier_who_are_not_the_buyer_decide(seller, invoice, anchor):
    line = invoice[0]
    with pytest.raises(PermissionDenied):
        purchase_line_decide(
            actor=UserFactory(), supplier=seller, line_id=line.pk, status=CONFIRMED
        )
    MembershipFactory(user=anchor.owner, enterprise=seller)
    with pytest.raises(PermissionDenied):
        purchase_line_decide(actor=anchor.owner, supplier=seller, line_id=line.pk, status=CONFIRMED)
    seller.status = ListingStatus.PENDING
    seller.save(update_fields=["status"])
    with pytest.raises(PermissionDenied):
        decide(seller, line, CONFIRMED)
    assert not PurchaseLineConfirmation.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [
        ("amount", Decimal("1.00")),
        ("invoice_date", "2020-01-01"),
        ("category_id", None),
    ],
)
def test_a_line_changed_after_the_decision_is_unconfirmed_again(seller, invoice, field, value):
    line = invoice[0]
    decide(seller, line, CONFIRMED)
    if field == "category_id":
        value = SupplyCategory.objects.exclude(pk=line.category_id).first().pk
    PurchaseLine.objects.filter(pk=line.pk).update(**{field: value})
    assert status_of(line) == UNCONFIRMED
    # The supplier looks again and confirms the line as it is now.
    decide(seller, line, CONFIRMED)
    assert status_of(line) == CONFIRMED
    assert PurchaseLineConfirmationChange.objects.first().from_status == UNCONFIRMED
