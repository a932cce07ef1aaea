"""Reads of the directory proper: public listings, what a member may see of their enterprise,
categories, and the programme's count of listed enterprises."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone

from directory.models import (
    Certification,
    Enterprise,
    ListingStatus,
    Membership,
    Product,
    StatusChange,
    SupplyCategory,
)


def enterprises_public() -> QuerySet[Enterprise]:
    """Only verified enterprises are public."""
    return Enterprise.objects.filter(status=ListingStatus.VERIFIED)


def listed_categories() -> QuerySet[SupplyCategory]:
    """An enterprise's categories in the order a listing shows them."""
    return SupplyCategory.objects.order_by("sort_order", "slug")


def valid_certifications() -> QuerySet[Certification]:
    """Certificates a listing shows: those not expired."""
    return Certification.objects.filter(valid_until__gte=timezone.localdate())


def public_products() -> QuerySet[Product]:
    """Products a listing shows: the verified ones."""
    return Product.objects.filter(status=ListingStatus.VERIFIED)


def with_public_details(
    queryset: QuerySet[Enterprise], *, products: QuerySet[Product] | None = None
) -> QuerySet[Enterprise]:
    """Everything a listing shows, in a fixed number of queries whatever the page size.

    Adds `public_products` (verified products with their category; only those of `products`
    when given, as a search narrows them) and `valid_certifications` (not expired) to each
    enterprise.
    """
    if products is None:
        products = public_products()
    return queryset.select_related("district").prefetch_related(
        Prefetch("categories", queryset=listed_categories()),
        Prefetch("certifications", queryset=valid_certifications(), to_attr="valid_certifications"),
        Prefetch(
            "products",
            # passport_version: the number of its current battery-passport version, if any.
            queryset=products.select_related("category").annotate(
                passport_version=F("passport__current_version__number")
            ),
            to_attr="public_products",
        ),
    )


def public_details_rows(
    enterprise_ids: list[int],
    *,
    certification_columns: tuple,
    product_columns: tuple,
    products: QuerySet[Product] | None = None,
) -> tuple[dict[int, list], dict[int, list], dict[int, list]]:
    """What `with_public_details` adds, as `values()` rows by enterprise id, in one query per
    relation and in the same order: (category slugs, valid certificates, verified products, or
    only those of `products` when given). For the API's list, which renders rows without model
    instances (ssb_portal.output_plans)."""
    slugs_of: dict[int, list] = {pk: [] for pk in enterprise_ids}
    certifications_of: dict[int, list] = {pk: [] for pk in enterprise_ids}
    products_of: dict[int, list] = {pk: [] for pk in enterprise_ids}
    if not enterprise_ids:
        return slugs_of, certifications_of, products_of
    for enterprise_id, slug in (
        listed_categories()
        .filter(enterprises__in=enterprise_ids)
        .values_list("enterprises", "slug")
    ):
        slugs_of[enterprise_id].append(slug)
    for row in (
        valid_certifications()
        .filter(enterprise__in=enterprise_ids)
        .values("enterprise_id", *certification_columns)
    ):
        certifications_of[row["enterprise_id"]].append(row)
    if products is None:
        products = public_products()
    for row in products.filter(enterprise__in=enterprise_ids).values(
        "enterprise_id", *product_columns
    ):
        products_of[row["enterprise_id"]].append(row)
    return slugs_of, certifications_of, products_of


def enterprise_public_detail(*, uscc: str) -> Enterprise:
    return get_object_or_404(with_public_details(enterprises_public()), uscc=uscc)


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


def product_public(*, uscc: str, product_id: int) -> Product:
    """A verified product of a verified enterprise; 404 otherwise."""
    return get_object_or_404(
        Product.objects.select_related("enterprise", "category").filter(
            status=ListingStatus.VERIFIED, enterprise__status=ListingStatus.VERIFIED
        ),
        enterprise__uscc=uscc,
        pk=product_id,
    )


# --- the programme's figures (issue 8) --------------------------------------------------------

#: StatusChange.to_status of a recommendation (directory.services.enterprises.RECOMMENDED).
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
