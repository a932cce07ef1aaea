"""Issue 16: entries are keyed by a secret from the environment (never the database); a key
can be rotated, and the plain entries written before keys still verify."""

import pytest
from django.core.management import CommandError, call_command

from ssb_portal.audit_chain.chain import GENESIS_HASH, audit_append, entry_hash_of
from ssb_portal.audit_chain.keys import key_id_of
from ssb_portal.audit_chain.verify import audit_chain_verify
from ssb_portal.models import AuditChainHead, AuditEntry
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_entries_are_keyed_and_the_key_is_nowhere_in_the_database(settings):
    settings.AUDIT_CHAIN_KEY = "the-secret-of-the-audit-chain"
    entry = audit_append(actor=None, action="test", subject=EnterpriseFactory())
    assert entry.key_id == key_id_of("the-secret-of-the-audit-chain")
    assert entry.entry_hash != entry_hash_of(entry)  # not the plain SHA-256
    assert entry.entry_hash == entry_hash_of(entry, b"the-secret-of-the-audit-chain")
    stored = " ".join(str(value) for value in AuditEntry.objects.values_list().get())
    assert "the-secret" not in stored


def test_a_rotated_key_verifies_old_entries_with_the_old_secret(settings):
    subject = EnterpriseFactory()
    settings.AUDIT_CHAIN_KEY = "first-key"
    audit_append(actor=None, action="one", subject=subject)
    settings.AUDIT_CHAIN_KEY = "second-key"
    settings.AUDIT_CHAIN_OLD_KEYS = ["first-key"]
    audit_append(actor=None, action="two", subject=subject)
    assert [e.key_id for e in AuditEntry.objects.order_by("sequence")] == [
        key_id_of("first-key"),
        key_id_of("second-key"),
    ]
    assert audit_chain_verify() == (2, None)

    settings.AUDIT_CHAIN_OLD_KEYS = []
    checked, broken = audit_chain_verify()
    assert checked == 0 and broken.sequence == 1
    assert key_id_of("first-key") in broken.problem and "not configured" in broken.problem
    with pytest.raises(CommandError, match="broken at entry 1"):
        call_command("verify_audit_log")


def test_plain_entries_from_before_the_keys_still_verify():
    subject = EnterpriseFactory()
    old = AuditEntry(
        sequence=1,
        created_at=subject.created_at,
        actor_id=None,
        actor_name="",
        action="old",
        object_type="directory.enterprise",
        object_id=str(subject.pk),
        data={},
        previous_hash=GENESIS_HASH,
    )
    old.entry_hash = entry_hash_of(old)
    old.save()
    AuditChainHead.objects.create(pk=1, last_sequence=1, last_hash=old.entry_hash)
    audit_append(actor=None, action="new", subject=subject)
    assert audit_chain_verify() == (2, None)
