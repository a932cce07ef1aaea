"""Reads that carry logic: what the public, members and officials may see, and the search."""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    Case,
    DecimalField,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone

from directory.models import (
    Certification,
    Enterprise,
    LcrTrajectory,
    ListingStatus,
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


def lcr_by_buyer_and_year(lines: QuerySet[PurchaseLine] | None = None) -> list[dict[str, Any]]:
    """Every firm's LCR in every year, in one GROUP BY, each row with its year's target."""
    lines = PurchaseLine.objects.all() if lines is None else lines
    rows = (
        lines.annotate(year=ExtractYear("invoice_date"))
        .values("buyer_id", "buyer__uscc", "buyer__name_zh", "buyer__name_en", "year")
        .annotate(local=local_value_expression(), total=Sum("amount"))
        .order_by("year", "buyer__name_zh")
    )
    targets: dict[int, Decimal | None] = {}
    table = []
    for row in rows:
        year = row["year"]
        if year not in targets:
            targets[year] = lcr_target_percent(year)
        figure = _figure(row["local"], row["total"])
        target = targets[year]
        table.append(
            {
                "buyer_uscc": row["buyer__uscc"],
                "buyer_name_zh": row["buyer__name_zh"],
                "buyer_name_en": row["buyer__name_en"],
                "year": year,
                **figure,
                "target_percent": target,
                "behind_target": target is not None
                and figure["lcr_percent"] is not None
                and figure["lcr_percent"] < target,
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
