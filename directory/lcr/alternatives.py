"""Local suppliers a firm could buy from instead: for the categories its LCR shows it buys
mostly outside the city (its LCR page)."""

from decimal import Decimal
from typing import Any

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from directory.models import Enterprise, ListingStatus, SupplyCategory

#: A category counts as bought "mostly non-local" below this local share (percent).
MOSTLY_NON_LOCAL_BELOW_PERCENT = Decimal(50)
LOCAL_ALTERNATIVES_PER_CATEGORY = 5


def local_alternatives(
    buyer: Enterprise, category_groups: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Verified local suppliers for the categories a firm buys mostly outside the city.

    `category_groups` are the firm's figures of a year by category (from `lcr_figures`). For
    each category whose local share is below 50 %, biggest non-local spend first: up to five
    verified local enterprises of that category (or of its subcategories), recommended ones
    first, then by name. Two queries, whatever the number of categories.
    """
    wanted = [
        group
        for group in category_groups
        # Uncategorised lines name nothing to look for.
        if not group.get("uncategorised")
        and group["lcr_percent"] is not None
        and group["lcr_percent"] < MOSTLY_NON_LOCAL_BELOW_PERCENT
    ]
    if not wanted:
        return []
    wanted.sort(key=lambda group: (group["local_value"] - group["total_value"], group["key"]))
    slugs = [group["key"] for group in wanted]
    covered: dict[str, set[int]] = {slug: set() for slug in slugs}
    for row in SupplyCategory.objects.filter(Q(slug__in=slugs) | Q(parent__slug__in=slugs)).values(
        "pk", "slug", "parent__slug"
    ):
        for slug in (row["slug"], row["parent__slug"]):
            if slug in covered:
                covered[slug].add(row["pk"])
    category_ids = set().union(*covered.values())
    through = Enterprise.categories.through
    ranked = (
        through.objects.filter(
            supplycategory_id__in=category_ids,
            enterprise__status=ListingStatus.VERIFIED,
            enterprise__district__is_local=True,
        )
        .exclude(enterprise_id=buyer.pk)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("supplycategory_id")],
                order_by=[
                    F("enterprise__recommended").desc(),
                    F("enterprise__name_zh").asc(),
                    F("enterprise_id").asc(),
                ],
            )
        )
        .filter(rank__lte=LOCAL_ALTERNATIVES_PER_CATEGORY)
        .select_related("enterprise")
    )
    by_category: dict[int, list[Enterprise]] = {}
    for row in ranked:
        by_category.setdefault(row.supplycategory_id, []).append(row.enterprise)
    result = []
    for group in wanted:
        suppliers = {
            enterprise.pk: enterprise
            for category_id in covered[group["key"]]
            for enterprise in by_category.get(category_id, [])
        }
        best = sorted(suppliers.values(), key=lambda e: (not e.recommended, e.name_zh, e.pk))[
            :LOCAL_ALTERNATIVES_PER_CATEGORY
        ]
        result.append({"category": group, "suppliers": best})
    return result
