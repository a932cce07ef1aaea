"""Publish the chain's head, so that a copy of it exists outside the database: once a day
(`manage.py publish_audit_head`, from cron), with every public notice and with every
submission receipt."""

from datetime import date

from django.db import transaction
from django.utils import timezone

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


def receipt_for(*, subject, action: str) -> Receipt | None:
    """The receipt of a subject's latest entry of this action (for a confirmation page)."""
    entry = (
        AuditEntry.objects.filter(
            object_type=subject._meta.label_lower, object_id=str(subject.pk), action=action
        )
        .order_by("-sequence")
        .first()
    )
    return Receipt.of(entry) if entry else None
