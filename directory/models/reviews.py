"""Purchase imports that wait for an official: the thresholds (a programme parameter kept as
history) and the record of each review decision."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.listings import PERCENT
from directory.models.purchases import PurchaseImport, PurchaseImportReview


class PurchaseReviewPolicy(models.Model):
    """When an import waits for an official before it counts; the newest row counts.

    Without a row the defaults of the settings apply (PURCHASE_REVIEW_*).
    """

    max_share_percent = models.DecimalField(
        _("largest share an import may add (%)"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        help_text=_(
            "An import that adds more than this share of the buyer's value of a year so far "
            "waits for review. 50 %: a firm's monthly uploads pass from the third month of the "
            "year on; a first upload of a year, or a sudden doubling, is looked at."
        ),
    )
    max_lcr_points = models.DecimalField(
        _("largest LCR move (percentage points)"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        help_text=_(
            "An import that moves the buyer's LCR of a year by more than this waits for "
            "review. 10 points: an ordinary month moves a firm's yearly LCR by a few points."
        ),
    )
    floor_cny = models.DecimalField(
        _("floor (CNY)"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_(
            "An import that changes a year's total and local value by less than this never "
            "waits, so that a small firm's small upload needs nobody. 2,000,000 CNY is far "
            "below what moves the city's figure."
        ),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("purchase import review threshold")
        verbose_name_plural = _("purchase import review thresholds")

    def __str__(self) -> str:
        return f"{self.max_share_percent} % / {self.max_lcr_points} pt / {self.floor_cny} CNY"


class PurchaseImportReviewChange(models.Model):
    """One decision on an import awaiting review: who, when, from, to, why."""

    purchase_import = models.ForeignKey(
        PurchaseImport,
        on_delete=models.CASCADE,
        related_name="review_changes",
        verbose_name=_("purchase import"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=12)
    to_status = models.CharField(_("to"), max_length=12)
    reason = models.TextField(_("reason"), blank=True)
    changed_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("purchase import review")
        verbose_name_plural = _("purchase import reviews")

    def __str__(self) -> str:
        labels = dict(PurchaseImportReview.choices)
        return (
            f"{self.purchase_import_id}: {labels.get(self.from_status, self.from_status)} → "
            f"{labels.get(self.to_status, self.to_status)}"
        )
