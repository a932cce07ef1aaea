"""Append entries to the audit chain.

Each entry's hash is HMAC-SHA256, by the chain's secret, over the previous entry's hash and the
entry's own content in a canonical JSON form (entries from before the chain was keyed: plain
SHA-256, key id empty). Appends lock the single chain-head row, so entries join the chain one
at a time even from several processes; the lock is held to the end of the caller's
transaction, so an entry exists exactly when the change it records was committed.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone

from ssb_portal.audit_chain.keys import current_key, keyed_hash
from ssb_portal.audit_chain.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


def plain(value: Any) -> Any:
    """A value as JSON keeps it: Decimals as strings, dates in ISO form, records by id."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


# One encoder with the canonical options, made once: `json.dumps` with these options builds a
# new encoder on every call, which was most of the cost of verifying the chain.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_content(
    sequence: int,
    created_at: datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    data: Any,
    key_id: str,
) -> str:
    """The canonical text an entry's hash covers (the key id too, once entries are keyed)."""
    content = {
        "sequence": sequence,
        "created_at": created_at.isoformat(),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "data": data,
    }
    if key_id:
        content["key_id"] = key_id
    return _CANONICAL.encode(content)


def entry_content(entry: AuditEntry) -> str:
    """The canonical text an entry's hash covers (see `canonical_content`)."""
    return canonical_content(
        entry.sequence,
        entry.created_at,
        entry.actor_id,
        entry.actor_name,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.data,
        entry.key_id,
    )


def entry_hash(previous_hash: str, content: str, secret: bytes | None = None) -> str:
    message = f"{previous_hash}\n{content}"
    if secret is None:
        return hashlib.sha256(message.encode()).hexdigest()
    return keyed_hash(secret, message)


def entry_hash_of(entry: AuditEntry, secret: bytes | None = None) -> str:
    """The hash an entry must carry: keyed by `secret` (its key id's), plain when unkeyed."""
    return entry_hash(entry.previous_hash, entry_content(entry), secret)


def audit_append(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    subject: models.Model,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction."""
    key_id, secret = current_key()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.get_or_create(
            pk=1, defaults={"last_sequence": 0, "last_hash": GENESIS_HASH}
        )
        head = AuditChainHead.objects.select_for_update().get(pk=head.pk)
        known = actor is not None and actor.is_authenticated
        entry = AuditEntry(
            sequence=head.last_sequence + 1,
            # Whole microseconds survive every database's round trip, so the hash re-checks.
            created_at=timezone.now(),
            actor_id=actor.pk if known else None,
            actor_name=actor.get_username() if known else "",
            action=action,
            object_type=subject._meta.label_lower,
            object_id=str(subject.pk),
            data=plain(data or {}),
            previous_hash=head.last_hash,
            key_id=key_id,
        )
        entry.entry_hash = entry_hash_of(entry, secret)
        entry.save()
        head.last_sequence = entry.sequence
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_sequence", "last_hash"])
    return entry


@dataclass(frozen=True)
class Receipt:
    """What an applicant keeps of a submission: where it sits in the chain, like an eReceipt."""

    sequence: int
    entry_hash: str
    created_at: datetime

    @classmethod
    def of(cls, entry: AuditEntry) -> "Receipt":
        return cls(entry.sequence, entry.entry_hash, entry.created_at)
