"""The LCR ledger: purchase lines summed per buyer, quarter, category, supplier and the
supplier's word, kept in step with the lines by every write (directory.lcr.ledger)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models.confirmations import ConfirmationStatus
from directory.models.listings import Enterprise, SupplyCategory
from directory.models.shares import ShareBasis


class LcrBasis(models.TextChoices):
    """What a line's local share rests on: the basis of the product's share in force on the
    invoice date, or no share at all (a local supplier's line then counts whole)."""

    DECLARED = ShareBasis.DECLARED.value, ShareBasis.DECLARED.label
    VERIFIED = ShareBasis.VERIFIED.value, ShareBasis.VERIFIED.label
    SAFE_HARBOUR = ShareBasis.SAFE_HARBOUR.value, ShareBasis.SAFE_HARBOUR.label
    NO_SHARE = "none", _("No share (counts whole)")


class LcrSummedRow(models.Model):
    """What every level of the LCR's summary keeps: sums of a buyer's purchase lines of a
    year with one word of the suppliers (`directory.lcr.ledger`, `directory.lcr.rollup`)."""

    buyer = models.ForeignKey(
        Enterprise, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    confirmation = models.CharField(
        _("supplier's word"), max_length=12, choices=ConfirmationStatus.choices
    )
    line_count = models.PositiveIntegerField(_("lines"))
    total_value = models.DecimalField(_("total value (CNY)"), max_digits=20, decimal_places=2)

    class Meta:
        abstract = True


class LcrQuarterRow(LcrSummedRow):
    """A level that keeps the quarter, the category and the basis of the shares."""

    quarter = models.PositiveSmallIntegerField(_("quarter"))
    category = models.ForeignKey(
        SupplyCategory,
        verbose_name=_("supply category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    basis = models.CharField(_("share's basis"), max_length=12, choices=LcrBasis.choices)

    class Meta:
        abstract = True


class LcrLedgerRow(LcrQuarterRow):
    """The sums of one group of a buyer's purchase lines of a quarter.

    Whether the supplier is local (verified, registered in the municipality) is not stored:
    it is read with the row, so a supplier's verification or move changes the figures at
    once without rewriting anything. `local_if_local_value` is what the lines count as local
    should the supplier be local: each line's amount times the share in force on its invoice
    date (100 % without one), exactly, not rounded.
    """

    # Like the line's: the code, joined to the directory when the supplier is listed.
    supplier = models.ForeignKey(
        Enterprise,
        verbose_name=_("supplier"),
        to_field="uscc",
        db_column="supplier_uscc",
        db_constraint=False,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    supplier_name = models.CharField(_("supplier name"), max_length=160)
    local_if_local_value = models.DecimalField(
        _("local value if the supplier is local (CNY)"), max_digits=26, decimal_places=6
    )

    class Meta:
        verbose_name = _("LCR ledger row")
        verbose_name_plural = _("LCR ledger rows")
        indexes = [
            # A buyer's year, and the slice a write replaces.
            models.Index(fields=["buyer", "year"], name="lcr_ledger_buyer_year"),
            # The city's year.
            models.Index(fields=["year", "buyer"], name="lcr_ledger_year_buyer"),
            # A supplier's rows: what its verification or move moves in the rollup.
            models.Index(fields=["supplier"], name="lcr_ledger_supplier"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer_id} {self.year}-Q{self.quarter} {self.supplier_name}"
