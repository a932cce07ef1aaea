"""Reads that carry logic: what the public, members and officials may see, and the search."""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear, RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import (
    Certification,
    DatasetKind,
    DatasetStatus,
    Enterprise,
    LcrPublication,
    LcrPublishedFigure,
    LcrTrajectory,
    ListingStatus,
    MeasurementDataset,
    Membership,
    Product,
    PurchaseImport,
    PurchaseLine,
    StatusChange,
    SupplyCategory,
)
from ssb_portal.formulas import (
    LCR_BASELINE_PERCENT,
    LCR_TARGET_PERCENT,
    LCR_TARGET_YEARS,
    lcr_trajectory_target_percent,
    local_content_ratio_percent,
    quantize_cny,
)
from ssb_portal.roles import is_official


def enterprises_public() -> QuerySet[Enterprise]:
    """Only verified enterprises are public."""
    return Enterprise.objects.filter(status=ListingStatus.VERIFIED)


def with_public_details(queryset: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Everything a listing shows, in a fixed number of queries whatever the page size.

    Adds `public_products` (verified products with their category) and
    `valid_certifications` (not expired) to each enterprise.
    """
    return queryset.select_related("district").prefetch_related(
        Prefetch("categories", queryset=SupplyCategory.objects.order_by("sort_order", "slug")),
        Prefetch(
            "certifications",
            queryset=Certification.objects.filter(valid_until__gte=timezone.localdate()),
            to_attr="valid_certifications",
        ),
        Prefetch(
            "products",
            queryset=Product.objects.filter(status=ListingStatus.VERIFIED).select_related(
                "category"
            ),
            to_attr="public_products",
        ),
    )


def enterprise_public_detail(*, uscc: str) -> Enterprise:
    return get_object_or_404(with_public_details(enterprises_public()), uscc=uscc)


def enterprises_of_member(user: AbstractBaseUser) -> QuerySet[Enterprise]:
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(memberships__user=user).select_related("district")


def enterprise_for_member(*, user: AbstractBaseUser, uscc: str) -> Enterprise:
    """The enterprise if the user is one of its members; 404 for everybody else."""
    return get_object_or_404(enterprises_of_member(user), uscc=uscc)


def product_for_member(*, user: AbstractBaseUser, uscc: str, product_id: int) -> Product:
    return get_object_or_404(
        Product.objects.select_related("enterprise", "category").filter(
            enterprise__memberships__user=user
        ),
        enterprise__uscc=uscc,
        pk=product_id,
    )


def certification_for_member(
    *, user: AbstractBaseUser, uscc: str, certification_id: int
) -> Certification:
    return get_object_or_404(
        Certification.objects.select_related("enterprise").filter(
            enterprise__memberships__user=user
        ),
        enterprise__uscc=uscc,
        pk=certification_id,
    )


def membership_for_owner(*, user: AbstractBaseUser, uscc: str, membership_id: int) -> Membership:
    """A membership of an enterprise the user is a member of (the service checks the role)."""
    return get_object_or_404(
        Membership.objects.select_related("enterprise", "user").filter(
            enterprise__memberships__user=user
        ),
        enterprise__uscc=uscc,
        pk=membership_id,
    )


def enterprise_members(enterprise: Enterprise) -> QuerySet[Membership]:
    return enterprise.memberships.select_related("user").order_by("created_at", "pk")


def is_member_of(user: AbstractBaseUser, enterprise_id: int) -> bool:
    """Whether the user belongs to the organisation: the one access rule every app shares."""
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, enterprise_id=enterprise_id).exists()
    )


def member_emails(enterprise: Enterprise) -> list[str]:
    """Where to write to an organisation: its active members' addresses."""
    return list(
        get_user_model()
        .objects.filter(memberships__enterprise=enterprise, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def enterprise_history(enterprise: Enterprise) -> QuerySet[StatusChange]:
    """The enterprise's status changes, newest first, for its members and officials."""
    return enterprise.status_changes.select_related("actor", "product")


def category_tree() -> list[SupplyCategory]:
    """Top-level categories, each with `children` prefetched, in display order."""
    return list(
        SupplyCategory.objects.filter(parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=SupplyCategory.objects.order_by("sort_order", "slug"))
        )
    )


# --- purchase records and the Local Content Ratio -------------------------------------------

LCR_GROUPINGS = ("category", "quarter", "supplier")


def purchase_lines_visible_to(user: AbstractBaseUser) -> QuerySet[PurchaseLine]:
    """Officials see every firm's purchases; a firm's members see their own firm's."""
    if is_official(user):
        return PurchaseLine.objects.all()
    if not user.is_authenticated:
        return PurchaseLine.objects.none()
    return PurchaseLine.objects.filter(buyer__memberships__user=user)


def buyer_visible_to(*, user: AbstractBaseUser, uscc: str) -> Enterprise:
    """A buyer whose figures the user may see (officials: any); 404 for everybody else."""
    if is_official(user):
        return get_object_or_404(Enterprise, uscc=uscc)
    return enterprise_for_member(user=user, uscc=uscc)


def purchase_imports_of(buyer: Enterprise) -> QuerySet[PurchaseImport]:
    return buyer.imports.select_related("submitted_by")


def local_value_expression() -> Sum:
    """SQL for the local value of purchase lines.

    A line's local share is 0 unless its supplier is a verified enterprise registered in the
    municipality; then it is the verified local-content share of the product the line names,
    where that product has one, else 100 %.
    """
    local_supplier = Q(supplier__status=ListingStatus.VERIFIED, supplier__district__is_local=True)
    product_share = Q(
        product__status=ListingStatus.VERIFIED, product__local_content_share__isnull=False
    )
    return Sum(
        Case(
            When(
                local_supplier & product_share,
                then=F("amount") * F("product__local_content_share") / Value(Decimal(100)),
            ),
            When(local_supplier, then=F("amount")),
            default=Value(Decimal(0)),
            output_field=DecimalField(max_digits=24, decimal_places=4),
        )
    )


def _figure(local_value, total_value) -> dict[str, Any]:
    """Sums as the API and pages show them: CNY to the fen, LCR to 0.01 %, None when empty."""
    local = quantize_cny(Decimal(local_value or 0))
    total = quantize_cny(Decimal(total_value or 0))
    # No ratio when nothing (net) was bought, or when non-local credit notes outweigh the
    # non-local invoices of the period (local > total): neither has a meaningful percentage.
    meaningful = total > 0 and local <= total
    return {
        "local_value": local,
        "total_value": total,
        "lcr_percent": local_content_ratio_percent(local, total) if meaningful else None,
    }


def _behind_target(figure: dict[str, Any], target: Decimal | None) -> bool:
    """Below the year's target; a year without a ratio or a target is not behind."""
    ratio = figure["lcr_percent"]
    return target is not None and ratio is not None and ratio < target


def _lines_of_year(lines: QuerySet[PurchaseLine], year: int) -> QuerySet[PurchaseLine]:
    start = datetime.date(year, 1, 1)
    return lines.filter(invoice_date__gte=start, invoice_date__lt=start.replace(year=year + 1))


def lcr_figures(
    lines: QuerySet[PurchaseLine], *, year: int, group_by: str | None = None
) -> dict[str, Any]:
    """The LCR of the given lines in a year, with the year's target and optional groups.

    One aggregate query for the total, one for the groups.
    """
    of_year = _lines_of_year(lines, year)
    totals = of_year.aggregate(local=local_value_expression(), total=Sum("amount"))
    result = {
        "year": year,
        **_figure(totals["local"], totals["total"]),
        "target_percent": lcr_target_percent(year),
        "groups": [],
    }
    if group_by == "category":
        rows = (
            of_year.values("category__slug", "category__name_zh", "category__name_en")
            .annotate(local=local_value_expression(), total=Sum("amount"))
            .order_by("category__slug")
        )
        result["groups"] = [
            {
                "key": row["category__slug"],
                "name_zh": row["category__name_zh"],
                "name_en": row["category__name_en"],
                **_figure(row["local"], row["total"]),
            }
            for row in rows
        ]
    elif group_by == "quarter":
        rows = (
            of_year.annotate(quarter=ExtractQuarter("invoice_date"))
            .values("quarter")
            .annotate(local=local_value_expression(), total=Sum("amount"))
            .order_by("quarter")
        )
        result["groups"] = [
            {"key": f"{year}-Q{row['quarter']}", **_figure(row["local"], row["total"])}
            for row in rows
        ]
    elif group_by == "supplier":
        rows = (
            of_year.values("supplier_id", "supplier_name")
            .annotate(local=local_value_expression(), total=Sum("amount"))
            .order_by("-total", "supplier_name")
        )
        result["groups"] = [
            {
                "key": row["supplier_id"] or row["supplier_name"],
                "supplier_uscc": row["supplier_id"],
                "supplier_name": row["supplier_name"],
                **_figure(row["local"], row["total"]),
            }
            for row in rows
        ]
    return result


class InvoiceYear(ExtractYear):
    """The year of a date; on SQLite in SQL rather than Django's per-row Python function,
    which took a third of the per-firm-per-year table's time there (bench/lcr.py)."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%Y', {sql}) AS INTEGER)", params


def lcr_by_buyer_and_year(lines: QuerySet[PurchaseLine] | None = None) -> list[dict[str, Any]]:
    """Every firm's LCR in every year, in one GROUP BY, each row with its year's target.

    The GROUP BY holds only the buyer's id and the year, and the names come in a second,
    small query: grouping millions of lines by the names as well makes PostgreSQL misjudge
    the number of groups and sort every line on disk instead of hashing (bench/lcr.py).
    """
    lines = PurchaseLine.objects.all() if lines is None else lines
    rows = list(
        lines.annotate(year=InvoiceYear("invoice_date"))
        .values("buyer_id", "year")
        .annotate(local=local_value_expression(), total=Sum("amount"))
        .order_by()
    )
    buyers = Enterprise.objects.only("uscc", "name_zh", "name_en").in_bulk(
        {row["buyer_id"] for row in rows}
    )
    rows.sort(key=lambda row: (row["year"], buyers[row["buyer_id"]].name_zh, row["buyer_id"]))
    trajectory = lcr_trajectory()
    targets: dict[int, Decimal | None] = {}
    table = []
    for row in rows:
        year = row["year"]
        if year not in targets:
            targets[year] = lcr_target_percent(year, trajectory)
        figure = _figure(row["local"], row["total"])
        target = targets[year]
        buyer = buyers[row["buyer_id"]]
        table.append(
            {
                "buyer_uscc": buyer.uscc,
                "buyer_name_zh": buyer.name_zh,
                "buyer_name_en": buyer.name_en,
                "year": year,
                **figure,
                "target_percent": target,
                "behind_target": _behind_target(figure, target),
            }
        )
    return table


def lcr_trajectory() -> LcrTrajectory:
    """The trajectory officials set, or the programme's default (40 % → 70 % in five years)."""
    configured = LcrTrajectory.objects.order_by("-updated_at", "-pk").first()
    if configured is not None:
        return configured
    return LcrTrajectory(
        baseline_year=settings.LCR_DEFAULT_BASELINE_YEAR,
        baseline_percent=Decimal(LCR_BASELINE_PERCENT),
        goal_percent=Decimal(LCR_TARGET_PERCENT),
        goal_years=LCR_TARGET_YEARS,
    )


def lcr_target_percent(year: int, trajectory: LcrTrajectory | None = None) -> Decimal | None:
    """The year's target on the trajectory; None before the baseline year."""
    trajectory = trajectory or lcr_trajectory()
    if year < trajectory.baseline_year:
        return None
    return lcr_trajectory_target_percent(
        year - trajectory.baseline_year,
        baseline_percent=Decimal(trajectory.baseline_percent),
        goal_percent=Decimal(trajectory.goal_percent),
        goal_years=trajectory.goal_years,
    )


# --- LCR: published years, yearly series, pages and dashboards -------------------------------

#: The years the LCR figures may be asked for.
LCR_FIRST_YEAR = 2000
LCR_LAST_YEAR = 2100
#: A category counts as bought "mostly non-local" below this local share (percent).
MOSTLY_NON_LOCAL_BELOW_PERCENT = Decimal(50)
LOCAL_ALTERNATIVES_PER_CATEGORY = 5
LOWEST_CATEGORIES_SHOWN = 10


def purchase_lines_of_year(year: int) -> QuerySet[PurchaseLine]:
    """Every firm's purchase lines invoiced in the year."""
    return _lines_of_year(PurchaseLine.objects.all(), year)


def lcr_published(year: int) -> LcrPublication | None:
    return LcrPublication.objects.select_related("published_by").filter(year=year).first()


def lcr_published_figure(*, year: int, buyer: Enterprise | None = None) -> dict[str, Any] | None:
    """The frozen figures of a published year, city-wide or of one buyer; None if unpublished.

    A buyer without purchases when the year was published was frozen as having bought nothing.
    """
    publication = lcr_published(year)
    if publication is None:
        return None
    frozen: Any = publication
    if buyer is not None:
        frozen = publication.figures.filter(buyer=buyer).first()
    return {
        "published_at": publication.published_at,
        "local_value": frozen.local_value if frozen else quantize_cny(Decimal(0)),
        "total_value": frozen.total_value if frozen else quantize_cny(Decimal(0)),
        "lcr_percent": frozen.lcr_percent if frozen else None,
        "target_percent": publication.target_percent,
    }


def lcr_for_buyer(
    *, user: AbstractBaseUser, uscc: str, year: int, group_by: str | None = None
) -> dict[str, Any]:
    """A firm's figures of a year beside its frozen ones; 404 unless member or official."""
    return lcr_of_buyer(buyer_visible_to(user=user, uscc=uscc), year=year, group_by=group_by)


def lcr_of_buyer(buyer: Enterprise, *, year: int, group_by: str | None = None) -> dict[str, Any]:
    """A firm's figures of a year beside its frozen ones, for whoever may see them."""
    return {
        "buyer": buyer.uscc,
        **lcr_figures(buyer.purchases.all(), year=year, group_by=group_by),
        "published": lcr_published_figure(year=year, buyer=buyer),
    }


def lcr_for_city(
    *, user: AbstractBaseUser, year: int, group_by: str | None = None
) -> dict[str, Any]:
    """The city-wide figures of a year. Public, so it names no firm: suppliers are for officials."""
    if group_by == "supplier" and not is_official(user):
        raise ValidationError(
            {
                "group_by": _(
                    "City-wide figures by supplier name firms; only officials may see them. "
                    "Group by category or quarter instead."
                )
            }
        )
    return lcr_of_city(year=year, group_by=group_by)


def lcr_of_city(*, year: int, group_by: str | None = None) -> dict[str, Any]:
    """The city-wide figures of a year beside the frozen ones, with no access check."""
    figures = lcr_figures(PurchaseLine.objects.all(), year=year, group_by=group_by)
    return {"buyer": None, **figures, "published": lcr_published_figure(year=year)}


def _published_by_year(buyer: Enterprise | None) -> dict[int, dict[str, Any]]:
    publications = {
        row["year"]: row
        for row in LcrPublication.objects.values(
            "year", "published_at", "local_value", "total_value", "lcr_percent", "target_percent"
        )
    }
    if buyer is None:
        return publications
    zero = quantize_cny(Decimal(0))
    frozen = {
        year: {**row, "local_value": zero, "total_value": zero, "lcr_percent": None}
        for year, row in publications.items()
    }
    for row in LcrPublishedFigure.objects.filter(buyer=buyer).values(
        "publication__year", "local_value", "total_value", "lcr_percent"
    ):
        year = row.pop("publication__year")
        frozen[year].update(row)
    return frozen


def lcr_by_year(*, buyer: Enterprise | None = None) -> list[dict[str, Any]]:
    """The LCR year by year (city-wide, or of one buyer) against the trajectory.

    The years run from the first with purchases (or the baseline year, if earlier) to the
    goal year (or the last with purchases, if later), so that the path ahead shows. Each row:
    year, local_value, total_value, lcr_percent, has_purchases, target_percent, behind_target,
    published (the frozen figures, or None) and change_since_published (percentage points).
    One GROUP BY and two or three small queries.
    """
    lines = PurchaseLine.objects.all() if buyer is None else buyer.purchases.all()
    measured = {
        row["year"]: row
        for row in lines.annotate(year=InvoiceYear("invoice_date"))
        .values("year")
        .annotate(local=local_value_expression(), total=Sum("amount"))
        .order_by("year")
    }
    trajectory = lcr_trajectory()
    published = _published_by_year(buyer)
    goal_year = trajectory.baseline_year + trajectory.goal_years
    years = [*measured, *published, trajectory.baseline_year, goal_year]
    series = []
    for year in range(min(years), max(years) + 1):
        row = measured.get(year)
        figure = _figure(row["local"], row["total"]) if row else _figure(None, None)
        target = lcr_target_percent(year, trajectory)
        frozen = published.get(year)
        series.append(
            {
                "year": year,
                **figure,
                "has_purchases": row is not None,
                "target_percent": target,
                "behind_target": _behind_target(figure, target),
                "published": frozen,
                # Percentage points the live figure moved since the year was published.
                "change_since_published": (
                    figure["lcr_percent"] - frozen["lcr_percent"]
                    if frozen
                    and frozen["lcr_percent"] is not None
                    and figure["lcr_percent"] is not None
                    else None
                ),
            }
        )
    return series


def lcr_default_year(series: list[dict[str, Any]]) -> int:
    """The latest year with purchases, else the current year."""
    with_purchases = [row["year"] for row in series if row["has_purchases"]]
    return max(with_purchases) if with_purchases else timezone.localdate().year


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
        if group["lcr_percent"] is not None
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


def lcr_buyer_overview(*, user: AbstractBaseUser, uscc: str, year: int | None) -> dict[str, Any]:
    """Everything a firm's LCR page shows; 404 unless the user is a member or an official."""
    official = is_official(user)
    if official:
        buyer = get_object_or_404(Enterprise, uscc=uscc)
    else:
        buyer = enterprise_for_member(user=user, uscc=uscc)
    series = lcr_by_year(buyer=buyer)
    year = year or lcr_default_year(series)
    lines = buyer.purchases.all()
    by_category = lcr_figures(lines, year=year, group_by="category")
    by_supplier = lcr_figures(lines, year=year, group_by="supplier")
    current = next((row for row in series if row["year"] == year), None)
    return {
        "buyer": buyer,
        "viewer_is_official": official,
        "series": series,
        "has_purchases": any(row["has_purchases"] for row in series),
        "year": year,
        "years": [row["year"] for row in series if row["has_purchases"]],
        "figures": by_category,
        "behind_target": bool(current and current["behind_target"]),
        "published": (
            current["published"] if current else lcr_published_figure(year=year, buyer=buyer)
        ),
        "by_category": by_category["groups"],
        "by_supplier": by_supplier["groups"],
        "alternatives": local_alternatives(buyer, by_category["groups"]),
    }


def lcr_city_overview(*, year: int | None = None) -> dict[str, Any]:
    """The city-wide figures by year and of one year, by category; names no firm."""
    series = lcr_by_year()
    year = year or lcr_default_year(series)
    figures = lcr_figures(PurchaseLine.objects.all(), year=year, group_by="category")
    current = next((row for row in series if row["year"] == year), None)
    return {
        "series": series,
        "has_purchases": any(row["has_purchases"] for row in series),
        "year": year,
        "years": [row["year"] for row in series if row["has_purchases"]],
        "figures": figures,
        "behind_target": bool(current and current["behind_target"]),
        "published": current["published"] if current else lcr_published_figure(year=year),
    }


def lcr_city_dashboard(*, user: AbstractBaseUser, year: int | None = None) -> dict[str, Any]:
    """The officials' dashboard: the city by year, firms behind target, weakest categories.

    Raises PermissionDenied for anybody but an official (pages answer it with 404).
    """
    if not is_official(user):
        raise PermissionDenied
    overview = lcr_city_overview(year=year)
    firms = lcr_by_buyer_and_year(purchase_lines_of_year(overview["year"]))
    categories = [
        group for group in overview["figures"]["groups"] if group["lcr_percent"] is not None
    ]
    categories.sort(key=lambda group: (group["lcr_percent"], group["key"]))
    return {
        **overview,
        "firms": firms,
        "behind": [row for row in firms if row["behind_target"]],
        "lowest_categories": categories[:LOWEST_CATEGORIES_SHOWN],
    }


# --- technical evidence: measurement datasets ----------------------------------------------

#: Product spec -> the kind of dataset whose accepted fit can back it.
SPEC_EVIDENCE_KIND = {
    "ionic_conductivity": DatasetKind.CONDUCTIVITY,
    "decay_rate": DatasetKind.CAPACITY,
}


def evidence_backing(spec_field: str, product_ref: str = "pk") -> Exists:
    """True for a product whose typed `spec_field` is backed by an accepted fit of its kind
    that does not contradict it; use in filter()/annotate() on products (or, with
    `product_ref`, on anything with an OuterRef to a product)."""
    return Exists(
        MeasurementDataset.objects.filter(
            product=OuterRef(product_ref),
            kind=SPEC_EVIDENCE_KIND[spec_field],
            status=DatasetStatus.ACCEPTED,
            contradicts_spec=False,
        )
    )


def with_evidence(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Products annotated `<spec>_evidence_backed` (bool) for each spec that can be backed."""
    return queryset.annotate(
        **{f"{spec}_evidence_backed": evidence_backing(spec) for spec in SPEC_EVIDENCE_KIND}
    )


def attach_evidence(products: list[Product], *, accepted_only: bool = True) -> None:
    """Give each product `datasets` (newest first) and `evidence` (spec -> the newest accepted
    dataset backing it), in one query whatever the number of products."""
    datasets = MeasurementDataset.objects.filter(product__in=products).order_by(
        "-uploaded_at", "-pk"
    )
    if accepted_only:
        datasets = datasets.filter(status=DatasetStatus.ACCEPTED)
    by_product: dict[int, list[MeasurementDataset]] = {product.pk: [] for product in products}
    for dataset in datasets:
        by_product[dataset.product_id].append(dataset)
    for product in products:
        product.datasets_shown = by_product[product.pk]
        product.evidence = {}
        for dataset in product.datasets_shown:
            if (
                dataset.status == DatasetStatus.ACCEPTED
                and not dataset.contradicts_spec
                and dataset.spec_field not in product.evidence
            ):
                product.evidence[dataset.spec_field] = dataset


def datasets_of_product(product: Product, *, public: bool) -> QuerySet[MeasurementDataset]:
    """A product's datasets: all of them for its members, the accepted ones for the public."""
    datasets = product.datasets.select_related("uploaded_by", "decided_by").order_by(
        "-uploaded_at", "-pk"
    )
    if public:
        datasets = datasets.filter(status=DatasetStatus.ACCEPTED)
    return datasets


def product_public(*, uscc: str, product_id: int) -> Product:
    """A verified product of a verified enterprise; 404 otherwise."""
    return get_object_or_404(
        Product.objects.select_related("enterprise", "category").filter(
            status=ListingStatus.VERIFIED, enterprise__status=ListingStatus.VERIFIED
        ),
        enterprise__uscc=uscc,
        pk=product_id,
    )


def dataset_for_viewer(*, user: AbstractBaseUser, dataset_id: int) -> MeasurementDataset:
    """A dataset whose files the user may download: a member of its enterprise or an
    official; 404 for everybody else."""
    datasets = MeasurementDataset.objects.select_related("product__enterprise")
    if not is_official(user):
        if not user.is_authenticated:
            raise Http404
        datasets = datasets.filter(product__enterprise__memberships__user=user)
    return get_object_or_404(datasets, pk=dataset_id)


# --- the programme's figures (issue 8) --------------------------------------------------------

#: StatusChange.to_status of a recommendation (directory.services.RECOMMENDED).
RECOMMENDATION = "recommended"


def listed_enterprises_by_year() -> list[dict[str, Any]]:
    """The enterprises listed now, counted by the year they were listed and recommended.

    [{year, verified, local, recommended}], oldest first, in two GROUP BYs. A listing's year
    is that of its verification (of its registration where no date was kept); a
    recommendation's is that of the latest recommendation recorded, else of the listing.
    Enterprises suspended or taken off the list since count in no year.
    """
    listed = enterprises_public().annotate(year=ExtractYear(Coalesce("verified_at", "created_at")))
    by_year: dict[int, dict[str, Any]] = {}
    for row in (
        listed.values("year")
        .annotate(verified=Count("pk"), local=Count("pk", filter=Q(district__is_local=True)))
        .order_by()
    ):
        by_year[row["year"]] = {**row, "recommended": 0}
    recommended_at = (
        StatusChange.objects.filter(enterprise=OuterRef("pk"), to_status=RECOMMENDATION)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    for row in (
        enterprises_public()
        .filter(recommended=True)
        .annotate(year=ExtractYear(Coalesce(Subquery(recommended_at), "verified_at", "created_at")))
        .values("year")
        .annotate(recommended=Count("pk"))
        .order_by()
    ):
        by_year.setdefault(row["year"], {"year": row["year"], "verified": 0, "local": 0})
        by_year[row["year"]]["recommended"] = row["recommended"]
    return [by_year[year] for year in sorted(by_year)]
