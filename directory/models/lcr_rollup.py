"""The LCR rollup: the ledger summed again per buyer, quarter, category, the suppliers' word
and the basis of the shares, with the local value counted by which suppliers are local now;
and its year table, summed again per buyer, year and word (directory.lcr.rollup)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models.lcr_ledger import LcrQuarterRow, LcrSummedRow


class LcrRollupRow(LcrQuarterRow):
    """The sums of a buyer's purchase lines of a quarter, one category, one word of the
    suppliers and one basis of the shares: what a firm's and the city's figures by category,
    quarter and basis read, a few rows per buyer and year however many lines and suppliers
    there are.

    Unlike the ledger it holds the local value itself, so it depends on which suppliers are
    local: a supplier's verification, withdrawal or move (and a district's) sums the rows of the
    buyers who bought from it again, in the same transaction. The exact sum is kept (six
    decimals); the pages round to the fen as they did from the ledger and the lines.
    """

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


class LcrYearRow(LcrSummedRow):
    """The rollup summed again per buyer, year and word of the suppliers: what the yearly
    figures (the city's table by firm, the series by year, the headline) read, about three
    rows per buyer and year. Kept with the rollup, in the same transaction."""

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
