"""Frozen purchase lines: the holds another part of the portal places on a line it relies
on (a support application that claims it), and the corrections kept pending meanwhile."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.purchases import PurchaseImport, PurchaseLine


class PurchaseLineHold(models.Model):
    """A line held by a holder (e.g. "application" 42): an import does not change it in place.

    The directory does not know what a holder is; the app that places the hold does.
    """

    line = models.ForeignKey(
        PurchaseLine, verbose_name=_("line"), on_delete=models.PROTECT, related_name="holds"
    )
    holder = models.CharField(_("held by"), max_length=32)
    holder_id = models.PositiveBigIntegerField(_("holder number"))
    held_at = models.DateTimeField(_("held since"), default=timezone.now)

    class Meta:
        ordering = ["line", "holder", "holder_id"]
        verbose_name = _("purchase line hold")
        verbose_name_plural = _("purchase line holds")
        constraints = [
            models.UniqueConstraint(
                fields=["line", "holder", "holder_id"], name="purchaselinehold_once_per_holder"
            ),
        ]
        indexes = [models.Index(fields=["holder", "holder_id"], name="purchaselinehold_holder")]

    def __str__(self) -> str:
        return f"{self.line} ← {self.holder} {self.holder_id}"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPLIED = "applied", _("Applied")
    DISMISSED = "dismissed", _("Dismissed")


class PurchaseLineCorrection(models.Model):
    """Values an import proposed for a held line, kept aside instead of changing the line."""

    line = models.ForeignKey(
        PurchaseLine, verbose_name=_("line"), on_delete=models.PROTECT, related_name="corrections"
    )
    purchase_import = models.ForeignKey(
        PurchaseImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
        verbose_name=_("purchase import"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    current_values = models.JSONField(_("values on record"))
    proposed_values = models.JSONField(_("proposed values"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.PENDING,
    )
    # Who decided (none when it was applied as the line's holds were released), when, why.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("pending purchase line correction")
        verbose_name_plural = _("pending purchase line corrections")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CorrectionStatus.values),
                name="purchaselinecorrection_status_known",
            ),
            # A decided correction says when it was decided; a pending one was not yet.
            models.CheckConstraint(
                condition=Q(status=CorrectionStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=CorrectionStatus.PENDING) & Q(decided_at__isnull=False)),
                name="purchaselinecorrection_decided_when",
            ),
        ]
        indexes = [
            models.Index(fields=["line", "status"], name="purchaselinecorr_line_status"),
        ]

    def __str__(self) -> str:
        return f"{self.line} ({self.get_status_display()})"
