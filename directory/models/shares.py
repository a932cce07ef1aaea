"""The history of products' verified local-content shares: each in force from the day an
official verified it until the next one, so that a change never reaches back in time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.listings import PERCENT, Product


class ShareBasis(models.TextChoices):
    DECLARED = "declared", _("Declared")
    VERIFIED = "verified", _("Verified composition")
    SAFE_HARBOUR = "safe_harbour", _("Safe-harbour table")


class LocalContentShare(models.Model):
    """A product's local-content share as verified on a day; the LCR counts a line with the
    share in force on its invoice date (none before the first: 100 % for a local supplier)."""

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="local_content_shares",
        verbose_name=_("product"),
    )
    share = models.DecimalField(
        _("local content share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Empty: no share declared, the whole value counts for a local supplier."),
    )
    basis = models.CharField(
        _("basis"),
        max_length=12,
        choices=ShareBasis.choices,
        default=ShareBasis.DECLARED,
        help_text=_("Declared by the supplier, or computed from a verified bill of materials."),
    )
    valid_from = models.DateField(_("in force from"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)

    class Meta:
        ordering = ["product", "-valid_from"]
        verbose_name = _("verified local content share")
        verbose_name_plural = _("verified local content shares")
        constraints = [
            # Also the index the LCR's look-up of the share in force on a date runs on.
            models.UniqueConstraint(
                fields=["product", "valid_from"], name="local_content_share_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__gte=0, share__lte=100),
                name="local_content_share_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.valid_from}: {self.share}"
