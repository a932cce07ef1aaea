"""The tamper-evident record: append entries to a hash chain, and check the chain.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own content in a
canonical JSON form. Appends lock the single chain-head row, so entries join the chain one
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
from django.utils.translation import gettext as _

from subsidies.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def _content(
    *,
    sequence: int,
    created_at: str,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    data: Any,
) -> str:
    return json.dumps(
        {
            "sequence": sequence,
            "created_at": created_at,
            "actor_id": actor_id,
            "actor_name": actor_name,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "data": data,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def entry_hash(previous_hash: str, content: str) -> str:
    return hashlib.sha256(f"{previous_hash}\n{content}".encode()).hexdigest()


def entry_hash_of(entry: AuditEntry) -> str:
    content = _content(
        sequence=entry.sequence,
        created_at=entry.created_at.isoformat(),
        actor_id=entry.actor_id,
        actor_name=entry.actor_name,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        data=entry.data,
    )
    return entry_hash(entry.previous_hash, content)


def audit_append(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    subject: models.Model,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction."""
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
            data=_plain(data or {}),
            previous_hash=head.last_hash,
        )
        entry.entry_hash = entry_hash_of(entry)
        entry.save()
        head.last_sequence = entry.sequence
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_sequence", "last_hash"])
    return entry


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    problem: str


def audit_chain_verify(*, batch_size: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return how many entries were checked and the first break."""
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=batch_size):
        if entry.sequence != expected_sequence:
            return checked, ChainBreak(
                expected_sequence,
                f"entry {expected_sequence} is missing (next is {entry.sequence})",
            )
        if entry.previous_hash != previous_hash:
            return checked, ChainBreak(
                entry.sequence, _("its previous hash does not match the entry before it")
            )
        if entry_hash_of(entry) != entry.entry_hash:
            return checked, ChainBreak(entry.sequence, _("its content does not match its hash"))
        previous_hash = entry.entry_hash
        expected_sequence += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_sequence != checked:
        return checked, ChainBreak(
            checked + 1,
            _("the chain ends at %(end)s but %(written)s entries were written")
            % {"end": checked, "written": head.last_sequence},
        )
    return checked, None
