"""Issue 17: `verify_audit_log` reads raw rows in keyset chunks and hashes them without model
instances; it must reach the same verdict as `entry_hash_of` on every entry, whatever the
content, and still name the first break."""

import datetime
import hashlib
import hmac
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ssb_portal.audit_chain.chain import audit_append, entry_content
from ssb_portal.audit_chain.verify import audit_chain_verify
from ssb_portal.models import AuditEntry
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

AWKWARD = {
    "note": '引号"、反斜杠\\、换行\n和制表\t',
    "amount": "1234.50",
    "nested": {"z": [1, 2.5, None, True], "a": {"ü": "€"}},
    "empty": {},
    "big": 10**20,
}


def tamper(sequence: int, /, **values) -> None:
    """Rewrite an entry behind the application's back (PostgreSQL: its triggers off)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE subsidies_auditentry DISABLE TRIGGER USER")
        AuditEntry.objects.filter(sequence=sequence).update(**values)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE subsidies_auditentry ENABLE TRIGGER USER")


def chain(count: int, data=None):
    subject = EnterpriseFactory()
    actor = UserFactory(username="审核员\"x'")
    for number in range(count):
        audit_append(
            actor=actor if number % 2 else None,
            action="status",
            subject=subject,
            data=data or {"n": number},
        )


def test_awkward_content_verifies_as_entry_hash_of_does():
    chain(3, AWKWARD)
    assert audit_chain_verify() == (3, None)


def test_tampered_awkward_content_is_named(settings):
    chain(3, AWKWARD)
    tamper(2, data={**AWKWARD, "amount": "1234.51"})
    checked, broken = audit_chain_verify()
    assert (checked, broken.sequence) == (1, 2)
    assert "content does not match" in broken.problem


def test_the_walk_reads_in_chunks_by_sequence_not_offset():
    chain(7)
    with CaptureQueriesContext(connection) as queries:
        assert audit_chain_verify(batch_size=3) == (7, None)
    reads = [q["sql"] for q in queries if "subsidies_auditentry" in q["sql"]]
    assert len(reads) == 3  # 3 + 3 + 1 rows
    assert all("OFFSET" not in sql.upper() for sql in reads)
    assert all('"sequence" >' in sql for sql in reads)


def test_a_chunk_boundary_still_checks_the_link_across_it():
    chain(6)
    tamper(4, previous_hash="f" * 64)
    checked, broken = audit_chain_verify(batch_size=3)
    assert (checked, broken.sequence) == (3, 4)
    assert "previous hash" in broken.problem


def test_the_fast_hmac_is_the_standard_one(settings):
    settings.AUDIT_CHAIN_KEY = "k" * 100  # longer than a block: hashed first, as RFC 2104 says
    chain(2, AWKWARD)
    entry = AuditEntry.objects.get(sequence=2)
    message = f"{entry.previous_hash}\n{entry_content(entry)}".encode()
    assert hmac.new(b"k" * 100, message, hashlib.sha256).hexdigest() == entry.entry_hash
    assert audit_chain_verify() == (2, None)


def test_the_canonical_text_is_json_dumps_with_fixed_options():
    chain(1, AWKWARD)
    entry = AuditEntry.objects.get()
    content = json.loads(entry_content(entry))
    assert entry_content(entry) == json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


@pytest.mark.parametrize("microsecond", [0, 500000, 1])
def test_times_verify_in_one_read_whatever_their_microseconds(monkeypatch, microsecond):
    """Whole seconds (no fraction in ISO form) and trailing zeros (PostgreSQL trims them in its
    own text form) are read the way the ORM reads them: no entry needs the slow re-check."""
    at = datetime.datetime(2026, 3, 1, 8, 0, 0, microsecond, tzinfo=datetime.UTC)
    monkeypatch.setattr("ssb_portal.audit_chain.chain.timezone.now", lambda: at)
    chain(3, AWKWARD)
    with CaptureQueriesContext(connection) as queries:
        assert audit_chain_verify() == (3, None)
    assert len([q for q in queries if "subsidies_auditentry" in q["sql"]]) == 1


def forge(*, sequence: int, after: AuditEntry, data: dict) -> None:
    """Store an entry linked to `after` and hashed as someone without the chain's key can: the
    HMAC by another secret."""
    entry = AuditEntry(
        sequence=sequence,
        created_at=after.created_at,
        action="status",
        object_type=after.object_type,
        object_id=after.object_id,
        data=data,
        previous_hash=after.entry_hash,
        key_id=after.key_id,
    )
    message = f"{entry.previous_hash}\n{entry_content(entry)}".encode()
    entry.entry_hash = hmac.new(b"not the chain's key", message, hashlib.sha256).hexdigest()
    entry.save()


def test_an_entry_inserted_in_the_middle_is_named():
    chain(3)
    for sequence in (3, 2):  # make room at 2, last first (the sequence is unique)
        tamper(sequence, sequence=sequence + 1)
    forge(sequence=2, after=AuditEntry.objects.get(sequence=1), data={"n": "forged"})
    checked, broken = audit_chain_verify()
    assert (checked, broken.sequence) == (1, 2)
    assert "content does not match" in broken.problem


def test_entries_swapped_in_order_are_named():
    chain(3)
    tamper(2, sequence=99)
    tamper(3, sequence=2)
    tamper(99, sequence=3)
    checked, broken = audit_chain_verify()
    assert (checked, broken.sequence) == (1, 2)
    assert "previous hash" in broken.problem


@pytest.mark.parametrize(
    "typed_differently",
    [
        {"n": "1", "amount": "12.50", "flag": False},  # a number as text
        {"n": 1.0, "amount": "12.50", "flag": False},  # a whole number as a float
        {"n": 1, "amount": 12.5, "flag": False},  # money as a number
        {"n": 1, "amount": "12.5", "flag": False},  # money without its fen
        {"n": 1, "amount": "12.50", "flag": 0},  # a boolean as a number
        {"n": 1, "amount": "12.50", "flag": None},  # a boolean as null
    ],
)
def test_a_value_stored_with_another_type_is_named(typed_differently):
    chain(3, {"n": 1, "amount": "12.50", "flag": False})
    tamper(2, data=typed_differently)
    checked, broken = audit_chain_verify()
    assert (checked, broken.sequence) == (1, 2)
    assert "content does not match" in broken.problem


def test_an_entry_appended_behind_the_chains_back_is_named():
    chain(2)
    forge(sequence=3, after=AuditEntry.objects.get(sequence=2), data={"n": 3})
    checked, broken = audit_chain_verify()
    assert (checked, broken.sequence) == (2, 3)
    assert "content does not match" in broken.problem
