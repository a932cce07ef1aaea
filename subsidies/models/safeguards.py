"""What guards public money beyond one application: declared conflicts of interest, the
support cap per enterprise and group, and the hash-chained audit log.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Enterprise
from subsidies.models.fields import money_field


class ConflictDeclaration(models.Model):
    """An official or reviewer's declared conflict with an enterprise (and so its group)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official or reviewer"),
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="conflict_once")]

    def __str__(self) -> str:
        return f"{self.user} ⟂ {self.enterprise}"


class SupportCap(models.Model):
    """The most one enterprise (with its group) may receive over a rolling period.

    The newest cap in force on a day applies; earlier rows stay as the record of past rules.
    """

    amount_cny = money_field(_("cap (CNY)"))
    years = models.PositiveSmallIntegerField(
        _("rolling period (years)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    effective_from = models.DateField(_("in force from"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-effective_from", "-pk"]
        verbose_name = _("support cap per enterprise")
        verbose_name_plural = _("support caps per enterprise")
        constraints = [
            models.UniqueConstraint(fields=["effective_from"], name="supportcap_one_per_day"),
            models.CheckConstraint(condition=Q(years__gte=1), name="supportcap_years_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_cny} CNY / {self.years} y"


class AuditEntry(models.Model):
    """One link of the append-only, hash-chained record of public-money decisions.

    `entry_hash` is SHA-256 over the previous entry's hash and this entry's content (see
    `subsidies.audit`), so editing or deleting any entry breaks every hash after it.
    The actor is kept by id and name, not by foreign key, so that no later change to users
    can rewrite an entry.
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

    class Meta:
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
    """The single row that appends lock, so that entries join the chain one at a time."""

    last_sequence = models.PositiveBigIntegerField(default=0, verbose_name=_("last sequence"))
    last_hash = models.CharField(max_length=64, verbose_name=_("last hash"))

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.last_sequence} {self.last_hash[:12]}"
