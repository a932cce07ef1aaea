"""The audit chain's tables. They kept their first names (`subsidies_auditentry`,
`subsidies_auditchainhead`) when the chain moved down from subsidies, so no data moved and
the database's triggers still guard them."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One link of the append-only, hash-chained record of public decisions.

    `entry_hash` is HMAC-SHA256, by the secret whose id is `key_id`, over the previous
    entry's hash and this entry's content (see `ssb_portal.audit_chain.chain`), so editing or
    deleting any entry breaks every hash after it and nobody without the secret can forge one.
    Entries written before the chain was keyed have an empty `key_id` and a plain SHA-256.
    The actor is kept by id and name, not by foreign key, so no later change to users can
    rewrite an entry.
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("at"))
    actor_id = models.IntegerField(_("actor id"), null=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=40)
    data = models.JSONField(_("data"))
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)
    key_id = models.CharField(_("key id"), max_length=16, blank=True, default="")

    class Meta:
        db_table = "subsidies_auditentry"
        ordering = ["sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.sequence} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are append-only.")


class AuditChainHead(models.Model):
    """The single row that appends lock, so that entries join the chain one at a time.

    On PostgreSQL a trigger lets it change only by one append: the sequence grows by one and
    the hash is that of the entry with the new sequence."""

    last_sequence = models.PositiveBigIntegerField(default=0, verbose_name=_("last sequence"))
    last_hash = models.CharField(max_length=64, verbose_name=_("last hash"))

    class Meta:
        db_table = "subsidies_auditchainhead"
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.last_sequence} {self.last_hash[:12]}"


class HeadOccasion(models.TextChoices):
    DAILY = "daily", _("daily publication")
    NOTICE = "notice", _("public notice")
    RECEIPT = "receipt", _("submission receipt")


class PublishedHead(models.Model):
    """The chain's head (sequence and hash) as it was made public: each day, with every public
    notice and every submission receipt. Anyone may copy these; a copy kept outside the
    database proves a later rollback (a published sequence gone, or its hash changed)."""

    sequence = models.PositiveBigIntegerField(_("sequence"))
    entry_hash = models.CharField(_("hash"), max_length=64)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    where = models.CharField(_("published with"), max_length=10, choices=HeadOccasion.choices)
    day = models.DateField(_("day"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("published audit head")
        verbose_name_plural = _("published audit heads")
        constraints = [
            models.UniqueConstraint(
                fields=["day"], condition=Q(where="daily"), name="audit_head_once_a_day"
            ),
            models.CheckConstraint(
                condition=~Q(where="daily") | Q(day__isnull=False),
                name="audit_head_daily_has_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.entry_hash[:12]} ({self.where})"
