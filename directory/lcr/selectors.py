"""The Local Content Ratio: figures of purchase lines, the trajectory and its targets, the
published years, and the pages' and dashboards' overviews."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Case,
    DecimalField,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractQuarter
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.access import enterprise_for_member
from directory.lcr.alternatives import local_alternatives
from directory.lcr.cache import lcr_cached
from directory.lcr.ledger import InvoiceYear
from directory.lcr.rollup import ledger_local_value
from directory.models import (
    ConfirmationStatus,
    Enterprise,
    LcrBasis,
    LcrLedgerRow,
    LcrPublication,
    LcrPublishedFigure,
    LcrRollupRow,
    LcrTrajectory,
    LcrYearRow,
    PurchaseLine,
)
from directory.purchases.confirmation_selectors import confirmed_condition, disputed_condition
from directory.purchases.rows import UNCATEGORISED
from directory.purchases.selectors import (
    LOCAL_SUPPLIER,
    buyer_visible_to,
    lines_of_year,
    local_share_percent,
    share_basis_in_force,
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

# --- purchase records and the Local Content Ratio -------------------------------------------

LCR_GROUPINGS = ("category", "quarter", "supplier", "basis")


def local_value_expression(only: Q | None = None) -> Sum:
    """SQL for the local value of purchase lines (of those matching `only`, when given).

    A line's local share is 0 unless its supplier is a verified enterprise registered in the
    municipality; then it is the verified local-content share of the product the line names
    in force on the invoice date, where there is one, else 100 %. A share verified later never
    reaches back to earlier invoices.
    """
    return Sum(
        Case(
            When(
                LOCAL_SUPPLIER if only is None else LOCAL_SUPPLIER & only,
                then=F("amount") * local_share_percent() / Value(Decimal(100)),
            ),
            default=Value(Decimal(0)),
            output_field=DecimalField(max_digits=24, decimal_places=4),
        )
    )


def lcr_sums() -> dict[str, Sum]:
    """The one aggregate of the LCR: the local and total value, and how much of the local
    value its suppliers confirmed or disputed (the rest is unconfirmed). A line's status is
    joined by its primary key; the local share is looked up once more only for decided lines.
    """
    return {
        "local": local_value_expression(),
        "total": Sum("amount"),
        "confirmed": local_value_expression(confirmed_condition()),
        "disputed": local_value_expression(disputed_condition()),
    }


#: The local value as the pages' sums read it (then rounded to the fen).
LOCAL_SUM = DecimalField(max_digits=24, decimal_places=4)


def ledger_sums() -> dict[str, Sum]:
    """`lcr_sums` over the ledger's rows instead of the lines."""
    return {
        "local": ledger_local_value(output_field=LOCAL_SUM),
        "total": Sum("total_value"),
        "confirmed": ledger_local_value(
            Q(confirmation=ConfirmationStatus.CONFIRMED), output_field=LOCAL_SUM
        ),
        "disputed": ledger_local_value(
            Q(confirmation=ConfirmationStatus.DISPUTED), output_field=LOCAL_SUM
        ),
    }


def _rollup_local(status: str) -> Sum:
    return Sum(
        Case(
            When(confirmation=status, then=F("local_value")),
            default=Value(Decimal(0)),
            output_field=LOCAL_SUM,
        )
    )


def rollup_sums() -> dict[str, Sum]:
    """`lcr_sums` over the rollup's (or the year table's) rows, whose local value is counted
    already."""
    return {
        "local": Sum("local_value", output_field=LOCAL_SUM),
        "total": Sum("total_value"),
        "confirmed": _rollup_local(ConfirmationStatus.CONFIRMED),
        "disputed": _rollup_local(ConfirmationStatus.DISPUTED),
    }


#: What the LCR figures are summed from: purchase lines, their ledger, its rollup or the year
#: table (the same figures; only the lines and the ledger know the suppliers, only the year
#: table does not know the quarter, category and basis).
LcrSource = (
    QuerySet[PurchaseLine] | QuerySet[LcrLedgerRow] | QuerySet[LcrRollupRow] | QuerySet[LcrYearRow]
)


def _from_ledger(source: LcrSource) -> bool:
    """Whether the source is summed already (the ledger, the rollup or the year table): it
    has the year (and but for the year table the quarter and basis)."""
    return source.model in (LcrLedgerRow, LcrRollupRow, LcrYearRow)


def _sums_of(source: LcrSource) -> dict[str, Sum]:
    if source.model in (LcrRollupRow, LcrYearRow):
        return rollup_sums()
    return ledger_sums() if source.model is LcrLedgerRow else lcr_sums()


def _of_year(source: LcrSource, year: int) -> LcrSource:
    return source.filter(year=year) if _from_ledger(source) else lines_of_year(source, year)


def _with_year(source: LcrSource) -> LcrSource:
    return source if _from_ledger(source) else source.annotate(year=InvoiceYear("invoice_date"))


def _with_quarter(source: LcrSource) -> LcrSource:
    if _from_ledger(source):
        return source
    return source.annotate(quarter=ExtractQuarter("invoice_date"))


def _with_basis(source: LcrSource) -> LcrSource:
    return source if _from_ledger(source) else source.annotate(basis=share_basis_in_force())


def lcr_ledger(buyer: Enterprise | None = None) -> QuerySet[LcrLedgerRow]:
    """The ledger rows of a buyer, or of the city: what the figures by supplier read."""
    rows = LcrLedgerRow.objects.all()
    return rows if buyer is None else rows.filter(buyer=buyer)


def lcr_rollup(buyer: Enterprise | None = None) -> QuerySet[LcrRollupRow]:
    """The rollup rows of a buyer, or of the city: what the figures by category, quarter and
    basis read."""
    rows = LcrRollupRow.objects.all()
    return rows if buyer is None else rows.filter(buyer=buyer)


def lcr_years(buyer: Enterprise | None = None) -> QuerySet[LcrYearRow]:
    """The year table's rows of a buyer, or of the city: what the yearly figures read."""
    rows = LcrYearRow.objects.all()
    return rows if buyer is None else rows.filter(buyer=buyer)


def lcr_rows(buyer: Enterprise | None = None, group_by: str | None = None) -> LcrSource:
    """What figures grouped so are read from: the ledger by supplier, the year table without
    a grouping, else the rollup."""
    if group_by == "supplier":
        return lcr_ledger(buyer)
    return lcr_years(buyer) if group_by is None else lcr_rollup(buyer)


def _figure(sums: dict[str, Any] | None) -> dict[str, Any]:
    """Sums as the API and pages show them: CNY to the fen, LCR to 0.01 %, None when empty.

    The local value is split by the suppliers' word: confirmed, disputed, and unconfirmed.
    """
    sums = sums or {}
    local, total, confirmed, disputed = (
        quantize_cny(Decimal(sums.get(name) or 0))
        for name in ("local", "total", "confirmed", "disputed")
    )
    # No ratio when nothing (net) was bought, or when non-local credit notes outweigh the
    # non-local invoices of the period (local > total): neither has a meaningful percentage.
    meaningful = total > 0 and local <= total
    return {
        "local_value": local,
        "total_value": total,
        "lcr_percent": local_content_ratio_percent(local, total) if meaningful else None,
        "confirmed_value": confirmed,
        "unconfirmed_value": local - confirmed - disputed,
        "disputed_value": disputed,
    }


#: The group of the lines without a category, in every grouping by category.
UNCATEGORISED_KEY = UNCATEGORISED


def _category_group(row: dict[str, Any]) -> dict[str, Any]:
    if row["category__slug"] is None:
        names = {
            "key": UNCATEGORISED_KEY,
            "name_zh": "未分类",
            "name_en": "Uncategorised",
            "uncategorised": True,
        }
    else:
        names = {
            "key": row["category__slug"],
            "name_zh": row["category__name_zh"],
            "name_en": row["category__name_en"],
            "uncategorised": False,
        }
    return {**names, **_figure(row)}


def _basis_groups(of_year: LcrSource, sums: dict[str, Sum]) -> list[dict[str, Any]]:
    """The figures by what the local shares rest on, in `LcrBasis`'s order: one query."""
    grouped = _with_basis(of_year).values("basis").annotate(**sums).order_by()
    rows = {row["basis"]: row for row in grouped}
    return [
        {"key": basis.value, "basis_label": basis.label, **_figure(rows[basis.value])}
        for basis in LcrBasis
        if basis.value in rows
    ]


def _behind_target(figure: dict[str, Any], target: Decimal | None) -> bool:
    """Below the year's target; a year without a ratio or a target is not behind."""
    ratio = figure["lcr_percent"]
    return target is not None and ratio is not None and ratio < target


#: A published (frozen) year's figure is the official one; any other year's is provisional.
OFFICIAL = "official"
PROVISIONAL = "provisional"


def confirmed_share_percent(figure: dict[str, Any]) -> Decimal | None:
    """The share of the local value its suppliers confirmed, in percent (None without any)."""
    local = figure["local_value"]
    if local <= 0:
        return None
    return local_content_ratio_percent(min(figure["confirmed_value"], local), local)


def public_status(figure: dict[str, Any], published: dict[str, Any] | None) -> dict[str, Any]:
    """Whether a year's figure is official (published: its frozen ratio) or provisional (live,
    with the share of its local value the suppliers confirmed)."""
    return {
        "status": OFFICIAL if published else PROVISIONAL,
        "official_lcr_percent": published["lcr_percent"] if published else None,
        "confirmed_share_percent": confirmed_share_percent(figure),
    }


def lcr_figures(
    source: LcrSource,
    *,
    year: int,
    group_by: str | None = None,
    trajectory: LcrTrajectory | None = None,
) -> dict[str, Any]:
    """The LCR of the given lines (or ledger rows) in a year, with the year's target and
    optional groups.

    One aggregate query for the total, one for the groups.
    """
    of_year = _of_year(source, year)
    sums = _sums_of(source)
    totals = of_year.aggregate(**sums)
    result = {
        "year": year,
        **_figure(totals),
        "target_percent": lcr_target_percent(year, trajectory),
        "groups": [],
    }
    if group_by == "category":
        rows = (
            of_year.values("category__slug", "category__name_zh", "category__name_en")
            .annotate(**sums)
            .order_by("category__slug")
        )
        # Uncategorised lines (no category given, none found) count like any other: last.
        result["groups"] = sorted(
            (_category_group(row) for row in rows), key=lambda group: group["uncategorised"]
        )
    elif group_by == "quarter":
        rows = _with_quarter(of_year).values("quarter").annotate(**sums).order_by("quarter")
        result["groups"] = [{"key": f"{year}-Q{row['quarter']}", **_figure(row)} for row in rows]
    elif group_by == "supplier":
        rows = (
            of_year.values("supplier_id", "supplier_name")
            .annotate(**sums)
            .order_by("-total", "supplier_name")
        )
        result["groups"] = [
            {
                "key": row["supplier_id"] or row["supplier_name"],
                "supplier_uscc": row["supplier_id"],
                "supplier_name": row["supplier_name"],
                **_figure(row),
            }
            for row in rows
        ]
    elif group_by == "basis":
        result["groups"] = _basis_groups(of_year, sums)
    return result


def lcr_by_buyer_and_year(
    source: LcrSource | None = None,
    *,
    year: int | None = None,
    trajectory: LcrTrajectory | None = None,
) -> list[dict[str, Any]]:
    """Every firm's LCR in every year (or in `year`), in one GROUP BY, each row with its
    year's target; from the year table unless lines (or other rows) are given.

    The GROUP BY holds only the buyer's id and the year, and the names come in a second,
    small query: grouping millions of lines by the names as well makes PostgreSQL misjudge
    the number of groups and sort every line on disk instead of hashing (bench/lcr.py).
    """
    source = lcr_years() if source is None else source
    if year is not None:
        source = _of_year(source, year)
    rows = list(
        _with_year(source).values("buyer_id", "year").annotate(**_sums_of(source)).order_by()
    )
    # Plain values, not model instances: a city table names hundreds of firms.
    buyers = {
        pk: {"buyer_uscc": uscc, "buyer_name_zh": name_zh, "buyer_name_en": name_en}
        for pk, uscc, name_zh, name_en in Enterprise.objects.filter(
            pk__in={row["buyer_id"] for row in rows}
        ).values_list("pk", "uscc", "name_zh", "name_en")
    }
    rows.sort(
        key=lambda row: (row["year"], buyers[row["buyer_id"]]["buyer_name_zh"], row["buyer_id"])
    )
    trajectory = trajectory or lcr_trajectory()
    targets: dict[int, Decimal | None] = {}
    table = []
    for row in rows:
        year = row["year"]
        if year not in targets:
            targets[year] = lcr_target_percent(year, trajectory)
        figure = _figure(row)
        target = targets[year]
        table.append(
            {
                **buyers[row["buyer_id"]],
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
LOWEST_CATEGORIES_SHOWN = 10


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
    figures = lcr_figures(lcr_rows(buyer, group_by), year=year, group_by=group_by)
    published = lcr_published_figure(year=year, buyer=buyer)
    return {
        "buyer": buyer.uscc,
        **figures,
        "published": published,
        **public_status(figures, published),
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
    """The city-wide figures of a year beside the frozen ones, with no access check; cached
    until the figures change."""
    return lcr_cached(
        "city", lambda: _lcr_of_city(year=year, group_by=group_by), year=year, group_by=group_by
    )


def _lcr_of_city(*, year: int, group_by: str | None) -> dict[str, Any]:
    figures = lcr_figures(lcr_rows(group_by=group_by), year=year, group_by=group_by)
    published = lcr_published_figure(year=year)
    return {"buyer": None, **figures, "published": published, **public_status(figures, published)}


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


def lcr_by_basis(source: LcrSource, *, year: int) -> list[dict[str, Any]]:
    """A year's figures by what the local shares rest on (declared, verified composition,
    safe harbour, no share): the groups of `lcr_figures(..., group_by="basis")` without its
    total. One query."""
    return _basis_groups(_of_year(source, year), _sums_of(source))


def lcr_by_year(
    *, buyer: Enterprise | None = None, trajectory: LcrTrajectory | None = None
) -> list[dict[str, Any]]:
    """The LCR year by year (city-wide, or of one buyer) against the trajectory.

    The years run from the first with purchases (or the baseline year, if earlier) to the
    goal year (or the last with purchases, if later), so that the path ahead shows. Each row:
    year, local_value, total_value, lcr_percent, has_purchases, target_percent, behind_target,
    published (the frozen figures, or None) and change_since_published (percentage points).
    One GROUP BY and two or three small queries.
    """
    measured = {
        row["year"]: row
        for row in lcr_years(buyer).values("year").annotate(**rollup_sums()).order_by("year")
    }
    trajectory = trajectory or lcr_trajectory()
    published = _published_by_year(buyer)
    goal_year = trajectory.baseline_year + trajectory.goal_years
    years = [*measured, *published, trajectory.baseline_year, goal_year]
    series = []
    for year in range(min(years), max(years) + 1):
        row = measured.get(year)
        figure = _figure(row)
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
                **public_status(figure, frozen),
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


def lcr_buyer_overview(*, user: AbstractBaseUser, uscc: str, year: int | None) -> dict[str, Any]:
    """Everything a firm's LCR page shows; 404 unless the user is a member or an official."""
    official = is_official(user)
    if official:
        buyer = get_object_or_404(Enterprise, uscc=uscc)
    else:
        buyer = enterprise_for_member(user=user, uscc=uscc)
    trajectory = lcr_trajectory()
    series = lcr_by_year(buyer=buyer, trajectory=trajectory)
    year = year or lcr_default_year(series)
    by_category = lcr_figures(
        lcr_rollup(buyer), year=year, group_by="category", trajectory=trajectory
    )
    by_supplier = lcr_figures(
        lcr_ledger(buyer), year=year, group_by="supplier", trajectory=trajectory
    )
    by_basis = lcr_by_basis(lcr_rollup(buyer), year=year)
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
        "by_basis": by_basis,
        "alternatives": local_alternatives(buyer, by_category["groups"]),
    }


def lcr_city_overview(*, year: int | None = None) -> dict[str, Any]:
    """The city-wide figures by year and of one year, by category; names no firm. Cached
    until the figures change."""
    return lcr_cached("city-overview", lambda: _lcr_city_overview(year=year), year=year)


def _lcr_city_overview(*, year: int | None) -> dict[str, Any]:
    trajectory = lcr_trajectory()
    series = lcr_by_year(trajectory=trajectory)
    year = year or lcr_default_year(series)
    figures = lcr_figures(lcr_rollup(), year=year, group_by="category", trajectory=trajectory)
    current = next((row for row in series if row["year"] == year), None)
    published = current["published"] if current else lcr_published_figure(year=year)
    return {
        **public_status(figures, published),
        "series": series,
        "has_purchases": any(row["has_purchases"] for row in series),
        "year": year,
        "years": [row["year"] for row in series if row["has_purchases"]],
        "figures": figures,
        "behind_target": bool(current and current["behind_target"]),
        "published": published,
        "trajectory": trajectory,
    }


def lcr_city_dashboard(*, user: AbstractBaseUser, year: int | None = None) -> dict[str, Any]:
    """The officials' dashboard: the city by year, firms behind target, weakest categories.

    Raises PermissionDenied for anybody but an official (pages answer it with 404).
    """
    if not is_official(user):
        raise PermissionDenied
    overview = lcr_city_overview(year=year)
    firms = lcr_by_buyer_and_year(year=overview["year"], trajectory=overview["trajectory"])
    categories = [
        group for group in overview["figures"]["groups"] if group["lcr_percent"] is not None
    ]
    categories.sort(key=lambda group: (group["lcr_percent"], group["key"]))
    return {
        **overview,
        "by_basis": lcr_by_basis(lcr_rollup(), year=overview["year"]),
        "firms": firms,
        "behind": [row for row in firms if row["behind_target"]],
        "lowest_categories": categories[:LOWEST_CATEGORIES_SHOWN],
    }


def lcr_city_headline() -> dict[str, Any]:
    """The programme's baseline and target beside the city's measured ratio of the latest year
    with purchases (its published figure once officials froze it, else the live one; None
    without purchases). Read from the year table and cached until the figures change, as every
    anonymous visit to the home page asks for it."""
    return lcr_cached("city-headline", _lcr_city_headline)


def _lcr_city_headline() -> dict[str, Any]:
    trajectory = lcr_trajectory()
    year = lcr_years().aggregate(latest=Max("year"))["latest"]
    measured = None
    if year is not None:
        published = lcr_published_figure(year=year)
        figure = published or lcr_figures(lcr_years(), year=year, trajectory=trajectory)
        measured = {"year": year, "lcr_percent": figure["lcr_percent"], "official": bool(published)}
    return {
        "baseline_year": trajectory.baseline_year,
        "baseline_percent": trajectory.baseline_percent,
        "goal_year": trajectory.baseline_year + trajectory.goal_years,
        "goal_percent": trajectory.goal_percent,
        "measured": measured,
    }
