"""A buyer's own mappings: of its item names to our supply categories (made once on its
purchase pages, used by every later import) and of its file layout's headers to our columns."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.listings import Enterprise, SupplyCategory


class PurchaseItemCategory(models.Model):
    """A buyer's item name (货物或应税劳务名称 / description) sorted into one of our categories.

    Lines of the buyer that name no category and match no directory product take the
    category of their item name from here. `item_key` is the name as compared
    (`purchases.rows.item_name_key`: NFKC, any case, spaces collapsed).
    """

    buyer = models.ForeignKey(
        Enterprise,
        verbose_name=_("buyer"),
        on_delete=models.CASCADE,
        related_name="item_categories",
    )
    item_name = models.CharField(_("item name"), max_length=255)
    item_key = models.CharField(_("item name as compared"), max_length=255, editable=False)
    category = models.ForeignKey(
        SupplyCategory,
        verbose_name=_("supply category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        ordering = ["buyer", "item_key"]
        verbose_name = _("item category of a buyer")
        verbose_name_plural = _("item categories of buyers")
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "item_key"], name="purchaseitemcategory_once_per_buyer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_name} → {self.category}"


class PurchaseColumnMapping(models.Model):
    """Which header of a buyer's own file layout is which of our purchase columns.

    `columns` is {their header: our column, or "" to ignore the header}. An upload of the
    buyer whose header holds every mapped header is read with it, before the standard aliases.
    """

    buyer = models.ForeignKey(
        Enterprise,
        verbose_name=_("buyer"),
        on_delete=models.CASCADE,
        related_name="column_mappings",
    )
    name = models.CharField(_("name"), max_length=80)
    columns = models.JSONField(_("columns"), default=dict)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        ordering = ["buyer", "name"]
        verbose_name = _("column mapping of a buyer")
        verbose_name_plural = _("column mappings of buyers")
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "name"], name="purchasecolumnmapping_name_once_per_buyer"
            ),
        ]

    def __str__(self) -> str:
        return self.name
