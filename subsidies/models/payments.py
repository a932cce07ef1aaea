"""Money paid and money claimed back: disbursement batches, recoveries and repayments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from subsidies.models.applications import Application
from subsidies.models.fields import money_field


class DisbursementBatch(models.Model):
    """Awards handed to finance together; marking the batch paid disburses them."""

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    total_cny = money_field(_("total (CNY)"), default=0)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("paid by"),
    )
    payment_reference = models.CharField(_("bank payment reference"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("disbursement batch")
        verbose_name_plural = _("disbursement batches")

    def __str__(self) -> str:
        return self.reference


class RecoveryReason(models.TextChoices):
    TARGETS_NOT_MET = "targets_not_met", _("Targets not met")
    FALSE_DECLARATION = "false_declaration", _("False declaration")
    RELOCATION = "relocation", _("Relocation out of the municipality")
    PURCHASE_CORRECTION = "purchase_correction", _("Claimed purchase line corrected")


class RecoveryStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("recovery status", "Open")
    PARTLY_REPAID = "partly_repaid", _("Partly repaid")
    REPAID = "repaid", _("Repaid")
    WRITTEN_OFF = "written_off", _("Written off")


class Recovery(models.Model):
    """Money claimed back from a disbursed award (clawback)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="recoveries",
        verbose_name=_("application"),
    )
    reason = models.CharField(_("reason"), max_length=24, choices=RecoveryReason.choices)
    basis = models.TextField(
        _("how the amount was set"),
        help_text=_("Full amount, or the pro-rata rule and its figures."),
    )
    amount_cny = money_field(_("amount to recover (CNY)"))
    repaid_cny = money_field(_("repaid so far (CNY)"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=RecoveryStatus.choices, default=RecoveryStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cny__gt=0), name="recovery_amount_positive"),
            models.CheckConstraint(
                condition=Q(repaid_cny__gte=0) & Q(repaid_cny__lte=models.F("amount_cny")),
                name="recovery_repaid_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.application_id} {self.amount_cny} CNY"


class Repayment(models.Model):
    recovery = models.ForeignKey(
        Recovery, on_delete=models.PROTECT, related_name="repayments", verbose_name=_("recovery")
    )
    amount_cny = money_field(_("amount (CNY)"))
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cny__gt=0), name="repayment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount_cny} CNY {self.received_on}"
