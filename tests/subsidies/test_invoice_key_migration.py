"""The data migration that re-keys claims made under the old invoice key: claims are found
again under the new key, and two live claims of one invoice line stop it, named, with
nothing changed.
"""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from subsidies.models import Application, ClaimedLine
from subsidies.services.drafting import application_set_lines
from tests.factories import PurchaseLineFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "subsidies.migrations.0008_rekey_claimed_lines_by_unicode_invoice_key"
)


@pytest.fixture
def old_claim(anchor, supplier, procurement):
    """Claim a new line of `invoice_no` as the old key left it: `old_key` kept full-width
    forms, dots and zero-width characters."""

    def claim(invoice_no, old_key, *, holds_claim=True):
        line = PurchaseLineFactory(
            buyer=anchor, supplier=supplier, invoice_no=invoice_no, confirmation="confirmed"
        )
        application = Application.objects.create(
            programme=procurement, kind=procurement.kind, applicant=anchor
        )
        return ClaimedLine.objects.create(
            application=application,
            purchase_line=line,
            amount_cny=line.amount,
            supplier_uscc=line.supplier_id,
            invoice_key=old_key,
            line_no=line.line_no,
            invoice_date=line.invoice_date,
            holds_claim=holds_claim,
        )

    return claim


def test_claims_under_the_old_key_are_found_again_under_the_new_one(
    anchor, supplier, procurement, old_claim
):
    claim = old_claim("ＤＵＰＸ７７７", "ＤＵＰＸ７７７")
    migration.rekey_claimed_lines(apps, None)
    claim.refresh_from_db()
    assert claim.invoice_key == "DUPX777"
    dotted = PurchaseLineFactory(
        buyer=anchor, supplier=supplier, invoice_no="DUPX.777", confirmation="confirmed"
    )
    other = Application.objects.create(
        programme=procurement, kind=procurement.kind, applicant=anchor
    )
    with pytest.raises(ValidationError, match="differently written invoice number"):
        application_set_lines(actor=anchor.owner, application=other, line_ids=[dotted.pk])


def test_two_live_claims_of_one_invoice_line_stop_the_migration_naming_both(old_claim):
    plain = old_claim("DUPX-777", "DUPX777")
    hidden = old_claim("DUPX\u200b777", "DUPX\u200b777")
    with pytest.raises(migration.ClaimKeyCollision) as refused:
        migration.rekey_claimed_lines(apps, None)
    message = str(refused.value)
    for claim in (plain, hidden):
        assert f"#{claim.pk} (application #{claim.application_id}" in message
    assert "Withdraw or reject one of the two applications" in message
    hidden.refresh_from_db()
    assert hidden.invoice_key == "DUPX\u200b777"


def test_a_claim_that_no_longer_holds_is_rekeyed_beside_a_live_one(old_claim):
    live = old_claim("DUPX777", "DUPX777")
    withdrawn = old_claim("DUPX.777", "DUPX.777", holds_claim=False)
    migration.rekey_claimed_lines(apps, None)
    assert set(ClaimedLine.objects.values_list("pk", "invoice_key")) == {
        (live.pk, "DUPX777"),
        (withdrawn.pk, "DUPX777"),
    }
