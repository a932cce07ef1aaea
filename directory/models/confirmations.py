"""The supplier's word on a purchase line: confirmed or disputed, and every decision made.

A confirmation keeps the values the supplier confirmed or disputed (amount, invoice date,
supplier, category). Its status holds only while the line still has those values: a line
that a later import, API call or correction changes is unconfirmed again, whichever way it
was changed, and the supplier looks at it afresh. A line without a confirmation row is
unconfirmed too, so an import never has to write one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.listings import SupplyCategory
from directory.models.purchases import PurchaseLine


class ConfirmationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    CONFIRMED = "confirmed", _("Confirmed by the supplier")
    DISPUTED = "disputed", _("Disputed by the supplier")


class PurchaseLineConfirmation(models.Model):
    """The supplier's current decision on one purchase line and the values it was made on."""

    # The line's own id is the key: the LCR joins it to every line by primary key.
    line = models.OneToOneField(
        PurchaseLine,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="confirmation",
        verbose_name=_("purchase line"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ConfirmationStatus.choices,
        default=ConfirmationStatus.UNCONFIRMED,
    )
    amount = models.DecimalField(
        _("amount decided on (CNY excl. VAT)"), max_digits=16, decimal_places=2
    )
    invoice_date = models.DateField(_("invoice date decided on"))
    supplier_uscc = models.CharField(_("supplier decided on"), max_length=18)
    category = models.ForeignKey(
        SupplyCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category decided on"),
    )
    reason = models.TextField(_("reason of the dispute"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("supplier confirmation")
        verbose_name_plural = _("supplier confirmations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ConfirmationStatus.DISPUTED) | ~Q(reason=""),
                name="confirmation_dispute_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.status}"

    @classmethod
    def of_line(
        cls, line: PurchaseLine, status: str = ConfirmationStatus.UNCONFIRMED, reason: str = ""
    ) -> "PurchaseLineConfirmation":
        """A decision (not saved) on the line's values as they are now."""
        return cls(
            line=line,
            status=status,
            amount=line.amount,
            invoice_date=line.invoice_date,
            supplier_uscc=line.supplier_id,
            category_id=line.category_id,
            reason=reason,
        )


class PurchaseLineConfirmationChange(models.Model):
    """One decision of a supplier on a line: who, when, from which status to which, why."""

    line = models.ForeignKey(
        PurchaseLine,
        on_delete=models.CASCADE,
        related_name="confirmation_changes",
        verbose_name=_("purchase line"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    changed_at = models.DateTimeField(_("at"), default=timezone.now)
    from_status = models.CharField(_("from"), max_length=12, choices=ConfirmationStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=ConfirmationStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    amount = models.DecimalField(
        _("amount decided on (CNY excl. VAT)"), max_digits=16, decimal_places=2
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("supplier confirmation change")
        verbose_name_plural = _("supplier confirmation changes")

    def __str__(self) -> str:
        return f"{self.line_id}: {self.get_from_status_display()} → {self.get_to_status_display()}"
