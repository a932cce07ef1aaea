"""The public-money record is append-only and its hash chain shows any tampering."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from ssb_portal.audit_chain.chain import GENESIS_HASH
from ssb_portal.audit_chain.verify import audit_chain_verify
from ssb_portal.models import AuditEntry
from subsidies.services.approvals import application_approve

pytestmark = pytest.mark.django_db


def _tamper(sql: str, params: list) -> None:
    """Rewrite the table behind the application's back, as a hostile DBA might."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE subsidies_auditentry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE subsidies_auditentry ENABLE TRIGGER USER")


def test_state_changes_amounts_and_decisions_are_chained(under_review, official):
    application_approve(actor=official, application=under_review)
    entries = list(AuditEntry.objects.order_by("sequence"))
    actions = [entry.action for entry in entries]
    assert "amount_computed" in actions
    assert actions.count("status") == 3  # submitted, under review, approved
    assert entries[0].previous_hash == GENESIS_HASH
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.previous_hash == before.entry_hash
        assert after.sequence == before.sequence + 1
    approval = entries[-1]
    assert approval.data["to"] == "approved"
    assert approval.data["awarded_cny"] == "19500.03"
    assert approval.actor_name == official.username


def test_verify_command_passes_on_an_intact_log(submitted, capsys):
    call_command("verify_audit_log")
    assert "Audit log intact" in capsys.readouterr().out


def test_an_edited_entry_is_named_by_the_verify_command(under_review):
    target = AuditEntry.objects.order_by("sequence")[2]
    _tamper("UPDATE subsidies_auditentry SET actor_name = %s WHERE id = %s", ["someone", target.pk])
    with pytest.raises(CommandError, match=f"broken at entry {target.sequence}"):
        call_command("verify_audit_log")


def test_a_deleted_entry_is_named_by_the_verify_command(under_review):
    target = AuditEntry.objects.order_by("sequence")[1]
    _tamper("DELETE FROM subsidies_auditentry WHERE id = %s", [target.pk])
    checked, broken = audit_chain_verify()
    assert broken is not None and broken.sequence == target.sequence
    assert checked == target.sequence - 1


def test_the_application_cannot_edit_or_delete_an_entry(submitted):
    entry = AuditEntry.objects.first()
    entry.actor_name = "someone else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_updates_and_deletes_of_entries(submitted):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.update(actor_name="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all()._raw_delete(connection.alias)
