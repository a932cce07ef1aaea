"""Reads that carry logic: what the public, members and officials may see, and the search."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
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
