"""An official's acceptance of a purchase line its supplier has not confirmed, so that the
local-procurement subsidy may count it: with the reason, for the amount the line had then."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import PurchaseLine


class UnconfirmedLineAcceptance(models.Model):
    """The line counts for subsidies while it keeps the accepted amount and no supplier
    disputes it; a changed amount or a dispute needs the supplier (or an official) again."""

    purchase_line = models.OneToOneField(
        PurchaseLine,
        on_delete=models.CASCADE,
        related_name="subsidy_acceptance",
        verbose_name=_("purchase line"),
    )
    amount_cny = models.DecimalField(_("accepted amount (CNY)"), max_digits=16, decimal_places=2)
    reason = models.TextField(_("reason"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        verbose_name = _("accepted unconfirmed line")
        verbose_name_plural = _("accepted unconfirmed lines")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="unconfirmed_line_acceptance_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purchase_line} ({self.amount_cny})"
