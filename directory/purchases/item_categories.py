"""A buyer's own mapping of its item names (货物或应税劳务名称 / description) to our supply
categories: the uncategorised item names it has to sort, and saving, changing or deleting a
mapping. Saving one also categorises the buyer's uncategorised lines of that name, each change
kept as a revision like a correction; a line held by a support application is not changed in
place: its correction is kept pending (`frozen`). Later imports use the saved mappings
(`services._purchase_lookups`)."""

import dataclasses
import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.access import require_member
from directory.audit import to_json
from directory.models import (
    Enterprise,
    PurchaseItemCategory,
    PurchaseLine,
    PurchaseLineRevision,
    SupplyCategory,
)
from directory.purchases.frozen import held_line_ids, purchase_corrections_keep_pending
from directory.purchases.rows import item_name as without_tax_class
from directory.purchases.rows import item_name_key
from directory.purchases.services import PURCHASE_BATCH_SIZE, PURCHASE_COMPARED_FIELDS

ITEM_NAME_MAX_LENGTH = 255


@dataclasses.dataclass
class UncategorisedItem:
    """The buyer's uncategorised lines of one item name (as compared: `item_name_key`)."""

    key: str
    name: str
    lines: int = 0
    value: Decimal = Decimal("0.00")
    newest: datetime.date | None = None


def uncategorised_items(buyer: Enterprise) -> list[UncategorisedItem]:
    """The item names of the buyer's uncategorised lines, biggest value first.

    One query grouped by the description; descriptions that compare alike (case, width,
    spaces, tax class) are one item. Lines without any description have the key "".
    """
    rows = (
        PurchaseLine.objects.filter(buyer=buyer, category__isnull=True)
        .values("description")
        .annotate(lines=Count("pk"), value=Sum("amount"), newest=Max("invoice_date"))
        .order_by("-lines", "description")
    )
    items: dict[str, UncategorisedItem] = {}
    for row in rows:
        key = item_name_key(row["description"])
        item = items.setdefault(
            key, UncategorisedItem(key=key, name=without_tax_class(row["description"]))
        )
        item.lines += row["lines"]
        item.value += row["value"]
        if item.newest is None or row["newest"] > item.newest:
            item.newest = row["newest"]
    return sorted(items.values(), key=lambda item: (not item.key, -item.value, item.key))


def item_categories_of(buyer: Enterprise):
    """The buyer's saved mappings, by item name."""
    return PurchaseItemCategory.objects.filter(buyer=buyer).select_related("category", "saved_by")


@dataclasses.dataclass
class ItemCategoryOutcome:
    mapping: PurchaseItemCategory
    #: Uncategorised lines of the name now categorised (a revision kept for each).
    categorised: int = 0
    #: Held lines of the name: their categorisation is kept pending instead.
    pending: int = 0


def _checked_name(name: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    key = item_name_key(name)
    if not key:
        raise ValidationError({"item_name": _("Give the item name.")})
    if len(name) > ITEM_NAME_MAX_LENGTH or len(key) > ITEM_NAME_MAX_LENGTH:
        raise ValidationError(
            {"item_name": _("At most %(count)d characters.") % {"count": ITEM_NAME_MAX_LENGTH}}
        )
    return name, key


def _checked_category(category_id: object) -> SupplyCategory:
    text = str(category_id or "").strip()
    category = None
    if text.isascii() and text.isdigit():
        category = SupplyCategory.objects.filter(pk=int(text)).first()
    if category is None:
        raise ValidationError({"category": _("Choose one of the supply categories.")})
    return category


def item_category_save(
    *, actor: AbstractBaseUser, buyer: Enterprise, item_name: str, category_id: object
) -> ItemCategoryOutcome:
    """Save (or change) the buyer's category of an item name and categorise its lines.

    One transaction: the mapping (saved by, at), and every uncategorised line of the buyer
    whose item name compares alike gets the category, a revision keeping its earlier values;
    a held line gets a pending correction instead. Lines categorised already are left alone.
    """
    require_member(actor, buyer)
    name, key = _checked_name(item_name)
    category = _checked_category(category_id)
    now = timezone.now()
    with transaction.atomic():
        # One sort at a time per buyer, and not beside an import of its lines.
        Enterprise.objects.select_for_update().filter(pk=buyer.pk).values_list("pk").first()
        mapping, _created = PurchaseItemCategory.objects.update_or_create(
            buyer=buyer,
            item_key=key,
            defaults={"item_name": name, "category": category, "saved_by": actor, "saved_at": now},
        )
        outcome = ItemCategoryOutcome(mapping=mapping)
        _categorise_lines(actor=actor, buyer=buyer, key=key, category=category, outcome=outcome)
    return outcome


def _categorise_lines(
    *,
    actor: AbstractBaseUser,
    buyer: Enterprise,
    key: str,
    category: SupplyCategory,
    outcome: ItemCategoryOutcome,
) -> None:
    now = timezone.now()
    matching = [
        (pk, dict(zip(PURCHASE_COMPARED_FIELDS, stored, strict=True)))
        for pk, description, *stored in PurchaseLine.objects.filter(
            buyer=buyer, category__isnull=True
        )
        .order_by()
        .values_list("pk", "description", *PURCHASE_COMPARED_FIELDS)
        if item_name_key(description) == key
    ]
    held = held_line_ids(pk for pk, _values in matching)
    outcome.pending = purchase_corrections_keep_pending(
        actor=actor,
        purchase_import=None,
        changes=[
            (pk, values, {**values, "category_id": category.pk})
            for pk, values in matching
            if pk in held
        ],
    )
    free = [(pk, values) for pk, values in matching if pk not in held]
    PurchaseLine.objects.bulk_update(
        [PurchaseLine(pk=pk, category=category, updated_at=now) for pk, _values in free],
        ["category", "updated_at"],
        batch_size=PURCHASE_BATCH_SIZE,
    )
    PurchaseLineRevision.objects.bulk_create(
        [
            PurchaseLineRevision(
                line_id=pk,
                changed_by=actor,
                changed_at=now,
                previous_values={name: to_json(value) for name, value in values.items()},
            )
            for pk, values in free
        ],
        batch_size=PURCHASE_BATCH_SIZE,
    )
    outcome.categorised = len(free)


def item_category_delete(
    *, actor: AbstractBaseUser, buyer: Enterprise, mapping_id: int
) -> PurchaseItemCategory:
    """Delete one of the buyer's mappings: later imports no longer use it; the lines it
    categorised keep their category. Another buyer's mapping is not found."""
    require_member(actor, buyer)
    with transaction.atomic():
        mapping = PurchaseItemCategory.objects.select_for_update().get(pk=mapping_id, buyer=buyer)
        mapping.delete()
    return mapping
