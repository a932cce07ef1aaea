"""Publish the chain's head, so that a copy of it exists outside the database: once a day
(`manage.py publish_audit_head`, from cron), with every public notice and with every
submission receipt."""

from datetime import UTC, date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ssb_portal.audit_chain.chain import GENESIS_HASH, Receipt
from ssb_portal.audit_chain.models import AuditChainHead, AuditEntry, HeadOccasion, PublishedHead


def audit_head_publish(*, where: str) -> PublishedHead:
    """Publish the head as it stands in the caller's transaction (after its appends)."""
    head = AuditChainHead.objects.filter(pk=1).first()
    sequence, entry_hash = (head.last_sequence, head.last_hash) if head else (0, GENESIS_HASH)
    return PublishedHead.objects.create(sequence=sequence, entry_hash=entry_hash, where=where)


def audit_head_publish_daily(*, day: date | None = None) -> tuple[PublishedHead, bool]:
    """Today's head, published once: a second run the same day returns the first one."""
    day = day or timezone.localdate()
    with transaction.atomic():
        existing = PublishedHead.objects.filter(where=HeadOccasion.DAILY, day=day).first()
        if existing is not None:
            return existing, False
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        sequence, entry_hash = (head.last_sequence, head.last_hash) if head else (0, GENESIS_HASH)
        published, created = PublishedHead.objects.get_or_create(
            where=HeadOccasion.DAILY,
            day=day,
            defaults={"sequence": sequence, "entry_hash": entry_hash},
        )
    return published, created


def audit_receipt(entry: AuditEntry) -> Receipt:
    """A submission's receipt: its entry's place in the chain, published with it."""
    PublishedHead.objects.create(
        sequence=entry.sequence, entry_hash=entry.entry_hash, where=HeadOccasion.RECEIPT
    )
    return Receipt.of(entry)


def receipt_text(receipt: Receipt) -> str:
    """The receipt in words, in the active language (for a message or an email)."""
    return _(
        "Receipt: entry %(sequence)s of the audit chain, hash %(hash)s, recorded %(at)s UTC. "
        "Anyone can check it against the published heads of the audit chain."
    ) % {
        "sequence": receipt.sequence,
        "hash": receipt.entry_hash,
        "at": receipt.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
    }


def submission_receipt(subject) -> Receipt | None:
    """The receipt of an application's latest submission (its entry moving it to submitted)."""
    entry = (
        AuditEntry.objects.filter(
            object_type=subject._meta.label_lower,
            object_id=str(subject.pk),
            data__to="submitted",
        )
        .order_by("-sequence")
        .first()
    )
    return Receipt.of(entry) if entry else None
