"""Frozen purchase lines: a line held elsewhere (claimed in a support application) is not
changed in place by an import or the API; the correction is kept pending, the import says
so, and the listeners of `purchase_corrections_pending` hear of it in the same transaction."""

from decimal import Decimal

import pytest
from django.db import transaction

from directory.models import (
    CorrectionStatus,
    PurchaseLine,
    PurchaseLineCorrection,
    PurchaseLineRevision,
)
from directory.purchases.frozen import purchase_line_holds_set
from directory.purchases.signals import purchase_corrections_pending
from tests.directory.purchase_support import repost
from tests.factories import PurchaseLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(anchor):
    line = PurchaseLineFactory(buyer=anchor, amount=Decimal("250000.00"))
    purchase_line_holds_set(holder="test", holder_id=1, line_ids=[line.pk])
    return line


def test_a_held_line_is_not_changed_in_place_and_its_correction_is_kept_pending(held, anchor):
    purchase_import, outcome = repost(held, actor=anchor.owner, amount="1.00")

    assert (outcome.updated, outcome.pending, outcome.unchanged) == (0, 1, 0)
    assert PurchaseLine.objects.get(pk=held.pk).amount == Decimal("250000.00")
    assert not PurchaseLineRevision.objects.exists()
    correction = PurchaseLineCorrection.objects.get()
    assert correction.line == held
    assert correction.purchase_import == purchase_import
    assert correction.proposed_by == anchor.owner
    assert correction.status == CorrectionStatus.PENDING
    assert correction.current_values["amount"] == "250000.00"
    assert correction.proposed_values["amount"] == "1.00"
    assert "1 correction kept pending: the line is claimed in a support application" in (
        outcome.summary()
    )


def test_posting_the_same_correction_again_keeps_one_pending(held):
    repost(held, amount="1.00")
    _, outcome = repost(held, amount="1.00")

    assert outcome.pending == 1
    assert PurchaseLineCorrection.objects.count() == 1


def test_an_unchanged_held_line_is_unchanged(held):
    _, outcome = repost(held)

    assert (outcome.unchanged, outcome.pending) == (1, 0)
    assert not PurchaseLineCorrection.objects.exists()


def test_a_released_line_is_corrected_in_place_again(held):
    purchase_line_holds_set(holder="test", holder_id=1, line_ids=[])
    _, outcome = repost(held, amount="1.00")

    assert (outcome.updated, outcome.pending) == (1, 0)
    assert PurchaseLine.objects.get(pk=held.pk).amount == Decimal("1.00")


def test_the_listeners_hear_of_the_pending_correction_inside_the_transaction(held, anchor):
    heard = []

    def listener(sender, *, corrections, actor, **kwargs):
        heard.append(([c.line_id for c in corrections], actor, transaction.get_autocommit()))

    purchase_corrections_pending.connect(listener)
    try:
        repost(held, actor=anchor.owner, amount="1.00")
    finally:
        purchase_corrections_pending.disconnect(listener)

    assert heard == [([held.pk], anchor.owner, False)]


def test_a_listener_that_fails_leaves_nothing_half_saved(held):
    def listener(sender, **kwargs):
        raise RuntimeError("the reviewer could not be told")

    purchase_corrections_pending.connect(listener)
    try:
        with pytest.raises(RuntimeError):
            repost(held, amount="1.00")
    finally:
        purchase_corrections_pending.disconnect(listener)

    assert not PurchaseLineCorrection.objects.exists()


def test_the_api_reports_the_pending_corrections(api_client, held, anchor):
    api_client.force_authenticate(anchor.owner)
    response = api_client.post(
        "/api/v1/purchases/",
        {
            "buyer": anchor.uscc,
            "lines": [
                {
                    "invoice_no": held.invoice_no,
                    "line_no": 1,
                    "invoice_date": held.invoice_date.isoformat(),
                    "supplier_uscc": held.supplier_id,
                    "category": held.category.slug,
                    "amount": "1.00",
                }
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["updated"] == 0
    assert response.json()["pending"] == 1
    assert "kept pending" in response.json()["summary"]
    assert PurchaseLine.objects.get(pk=held.pk).amount == Decimal("250000.00")
