"""The Local Content Ratio's trajectory and its published (frozen) years."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.listings import PERCENT, Enterprise


class LcrTrajectory(models.Model):
    """The programme's path for the Local Content Ratio: a straight line from a baseline."""

    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    baseline_percent = models.DecimalField(
        _("baseline LCR (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    goal_percent = models.DecimalField(
        _("goal LCR (%)"), max_digits=5, decimal_places=2, default=70, validators=PERCENT
    )
    goal_years = models.PositiveSmallIntegerField(
        _("years to reach the goal"), default=5, validators=[MinValueValidator(1)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("LCR trajectory")
        verbose_name_plural = _("LCR trajectory")

    def __str__(self) -> str:
        return f"{self.baseline_year}: {self.baseline_percent} % → {self.goal_percent} %"


class LcrPublication(models.Model):
    """A year's figures frozen by an official; they never change afterwards."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    local_value = models.DecimalField(_("local value (CNY)"), max_digits=18, decimal_places=2)
    total_value = models.DecimalField(_("total value (CNY)"), max_digits=18, decimal_places=2)
    lcr_percent = models.DecimalField(
        _("LCR (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    target_percent = models.DecimalField(
        _("target (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("published LCR year")
        verbose_name_plural = _("published LCR years")

    def __str__(self) -> str:
        return str(self.year)


class LcrPublishedFigure(models.Model):
    """One firm's frozen figure of a published year."""

    publication = models.ForeignKey(
        LcrPublication,
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("publication"),
    )
    buyer = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer")
    )
    local_value = models.DecimalField(_("local value (CNY)"), max_digits=18, decimal_places=2)
    total_value = models.DecimalField(_("total value (CNY)"), max_digits=18, decimal_places=2)
    lcr_percent = models.DecimalField(
        _("LCR (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("published LCR figure")
        verbose_name_plural = _("published LCR figures")
        ordering = ["buyer__name_zh"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "buyer"], name="lcr_published_figure_unique_buyer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication} {self.buyer}"
