"""The LCR rollup: the ledger summed again per buyer, quarter, category and the suppliers'
word, with the local value counted by which suppliers are local now (directory.lcr.rollup)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models.confirmations import ConfirmationStatus
from directory.models.lcr_ledger import LcrBasis
from directory.models.listings import Enterprise, SupplyCategory


class LcrRollupRow(models.Model):
    """The sums of a buyer's purchase lines of a quarter, one category, one word of the
    suppliers and one basis of the shares: what a firm's and the city's figures by category,
    quarter and basis read, a few rows per buyer and year however many lines and suppliers
    there are.

    Unlike the ledger it holds the local value itself, so it depends on which suppliers are
    local: a supplier's verification, withdrawal or move (and a district's) sums the rows of the
    buyers who bought from it again, in the same transaction. The exact sum is kept (six
    decimals); the pages round to the fen as they did from the ledger and the lines.
    """

    buyer = models.ForeignKey(
        Enterprise, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    category = models.ForeignKey(
        SupplyCategory,
        verbose_name=_("supply category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmation = models.CharField(
        _("supplier's word"), max_length=12, choices=ConfirmationStatus.choices
    )
    basis = models.CharField(_("share's basis"), max_length=12, choices=LcrBasis.choices)
    line_count = models.PositiveIntegerField(_("lines"))
    total_value = models.DecimalField(_("total value (CNY)"), max_digits=20, decimal_places=2)
    local_value = models.DecimalField(_("local value (CNY)"), max_digits=26, decimal_places=6)

    class Meta:
        verbose_name = _("LCR rollup row")
        verbose_name_plural = _("LCR rollup rows")
        indexes = [
            # A buyer's years, and the slice a refresh replaces.
            models.Index(fields=["buyer", "year"], name="lcr_rollup_buyer_year"),
            # The city's year.
            models.Index(fields=["year", "buyer"], name="lcr_rollup_year_buyer"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.buyer_id} {self.year}-Q{self.quarter} {self.category_id} "
            f"{self.confirmation} {self.basis}"
        )


class LcrYearRow(models.Model):
    """The rollup summed again per buyer, year and word of the suppliers: what the yearly
    figures (the city's table by firm, the series by year, the headline) read, about three
    rows per buyer and year. Kept with the rollup, in the same transaction."""

    buyer = models.ForeignKey(
        Enterprise, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    confirmation = models.CharField(
        _("supplier's word"), max_length=12, choices=ConfirmationStatus.choices
    )
    line_count = models.PositiveIntegerField(_("lines"))
    total_value = models.DecimalField(_("total value (CNY)"), max_digits=20, decimal_places=2)
    local_value = models.DecimalField(_("local value (CNY)"), max_digits=26, decimal_places=6)

    class Meta:
        verbose_name = _("LCR year row")
        verbose_name_plural = _("LCR year rows")
        indexes = [
            # A buyer's years, and the slice a refresh replaces.
            models.Index(fields=["buyer", "year"], name="lcr_year_buyer_year"),
            # The city's year.
            models.Index(fields=["year", "buyer"], name="lcr_year_year_buyer"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer_id} {self.year} {self.confirmation}"
