"""Issue 16: the audit chain cannot be rolled back or forged.

Before: `TRUNCATE subsidies_auditentry` succeeded and, with the head moved back,
`verify_audit_log` said "intact: 0 entries"; deleting the last entry with triggers off
(replica mode) and moving the head back one also passed; entries had no secret.
"""

import contextlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from ssb_portal.audit_chain.chain import audit_append, entry_hash_of
from ssb_portal.audit_chain.verify import audit_chain_verify
from ssb_portal.models import AuditChainHead, AuditEntry, PublishedHead

pytestmark = pytest.mark.django_db
POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no TRUNCATE and no statement triggers; production runs PostgreSQL",
)


@contextlib.contextmanager
def triggers_off():
    """What a database superuser can do: write with the guards off (PostgreSQL's replica mode;
    on SQLite the head's triggers are dropped inside the test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            try:
                yield cursor
            finally:
                cursor.execute("SET session_replication_role = origin")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS subsidies_auditchainhead_only_appends")
            cursor.execute("DROP TRIGGER IF EXISTS subsidies_auditchainhead_starts_at_an_entry")
            yield cursor


def roll_back_to(cursor, sequence: int) -> None:
    """Delete the entries after `sequence` and move the head back to it."""
    kept = AuditEntry.objects.filter(sequence=sequence).first()
    cursor.execute("DELETE FROM subsidies_auditentry WHERE sequence > %s", [sequence])
    cursor.execute(
        "UPDATE subsidies_auditchainhead SET last_sequence = %s, last_hash = %s",
        [sequence, kept.entry_hash if kept else "0" * 64],
    )


@POSTGRESQL_ONLY
def test_postgresql_refuses_to_truncate_the_chain(submitted):
    for table in ("subsidies_auditentry", "subsidies_auditchainhead", "ssb_portal_publishedhead"):
        with pytest.raises(DatabaseError, match="may not be truncated"), transaction.atomic():
            connection.cursor().execute(f"TRUNCATE {table} CASCADE")
    assert AuditEntry.objects.exists()


@POSTGRESQL_ONLY
def test_postgresql_keeps_published_heads_append_only(submitted):
    with pytest.raises(DatabaseError), transaction.atomic():
        PublishedHead.objects.update(sequence=0)
    with pytest.raises(DatabaseError), transaction.atomic():
        PublishedHead.objects.all()._raw_delete(connection.alias)


def test_the_head_moves_only_by_one_append(submitted):
    head = AuditChainHead.objects.get()
    for sql, params in [
        ("UPDATE subsidies_auditchainhead SET last_sequence = 0", []),
        ("UPDATE subsidies_auditchainhead SET last_sequence = last_sequence - 1", []),
        ("UPDATE subsidies_auditchainhead SET last_sequence = last_sequence + 1", []),
        ("UPDATE subsidies_auditchainhead SET last_hash = %s", ["f" * 64]),
    ]:
        with pytest.raises(DatabaseError), transaction.atomic():
            connection.cursor().execute(sql, params)
    head.refresh_from_db()
    assert head.last_sequence == AuditEntry.objects.count()


def test_emptied_chain_with_head_at_zero_is_a_rollback(submitted):
    """The issue's TRUNCATE and head at 0: the submission's published receipt names it."""
    with triggers_off() as cursor:
        roll_back_to(cursor, 0)
    assert AuditEntry.objects.count() == 0
    with pytest.raises(CommandError, match="rolled back"):
        call_command("verify_audit_log")


def test_last_entry_deleted_and_head_moved_back_one_is_a_rollback(submitted, capsys):
    call_command("publish_audit_head")
    last = AuditEntry.objects.order_by("sequence").last()
    with triggers_off() as cursor:
        roll_back_to(cursor, last.sequence - 1)
    checked, broken = audit_chain_verify()
    assert broken is not None and broken.sequence == last.sequence
    assert "rolled back" in broken.problem
    assert checked == last.sequence - 1


def test_a_head_kept_outside_shows_a_rollback_even_with_the_published_heads_gone(
    submitted, client, tmp_path
):
    kept = tmp_path / "heads.json"
    kept.write_text(json.dumps(client.get("/api/v1/audit/heads/").json()))
    csv_copy = tmp_path / "heads.csv"
    head = AuditChainHead.objects.get()
    csv_copy.write_text(f"sequence,hash\n{head.last_sequence},{head.last_hash}\n")
    call_command("verify_audit_log", "--heads", str(kept), "--heads", str(csv_copy))
    with triggers_off() as cursor:
        roll_back_to(cursor, 1)
        cursor.execute("DELETE FROM ssb_portal_publishedhead")
    call_command("verify_audit_log")  # the database alone cannot tell
    for copy in (kept, csv_copy):
        with pytest.raises(CommandError, match="broken at entry 2: .*rolled back"):
            call_command("verify_audit_log", "--heads", str(copy))


def test_a_rewritten_entry_differs_from_its_published_head(submitted):
    """Rewritten with the key (an insider who has it): the published head still tells."""
    call_command("publish_audit_head")
    target = AuditEntry.objects.order_by("sequence").last()
    with triggers_off() as cursor:
        cursor.execute("DELETE FROM subsidies_auditentry WHERE sequence = %s", [target.sequence])
        cursor.execute(
            "UPDATE subsidies_auditchainhead SET last_sequence = %s, last_hash = %s",
            [target.sequence - 1, target.previous_hash],
        )
    audit_append(actor=None, action="status", subject=submitted, data={"to": "withdrawn"})
    _checked, broken = audit_chain_verify()
    assert broken.sequence == target.sequence
    assert "differs from published head" in broken.problem


def test_a_forged_entry_with_a_plain_hash_is_detected(submitted):
    """A forger without the key recomputes a plain SHA-256 (as the chain used to be)."""
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert all(entry.key_id for entry in entries)
    forged = entries[-1]
    forged.data = {**forged.data, "note": "forged"}
    forged.key_id = ""
    with triggers_off() as cursor:
        cursor.execute(
            "UPDATE subsidies_auditentry SET data = %s, key_id = '', entry_hash = %s WHERE id = %s",
            [json.dumps(forged.data), entry_hash_of(forged), forged.pk],
        )
        cursor.execute(
            "UPDATE subsidies_auditchainhead SET last_hash = %s", [entry_hash_of(forged)]
        )
    _checked, broken = audit_chain_verify()
    assert broken.sequence == forged.sequence
    assert "no key" in broken.problem


def test_a_forged_entry_keyed_with_a_guessed_key_is_detected(submitted):
    forged = AuditEntry.objects.order_by("sequence").last()
    forged.actor_name = "someone else"
    guessed = entry_hash_of(forged, b"a guessed key")
    with triggers_off() as cursor:
        cursor.execute(
            "UPDATE subsidies_auditentry SET actor_name = %s, entry_hash = %s WHERE id = %s",
            [forged.actor_name, guessed, forged.pk],
        )
        cursor.execute("UPDATE subsidies_auditchainhead SET last_hash = %s", [guessed])
    _checked, broken = audit_chain_verify()
    assert broken.sequence == forged.sequence
    assert "does not match its hash" in broken.problem
