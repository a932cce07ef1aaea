"""Reads of purchase lines and imports, scoped to who may see them."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from directory.access import enterprise_for_member
from directory.models import (
    Enterprise,
    LcrBasis,
    ListingStatus,
    LocalContentShare,
    PurchaseImport,
    PurchaseLine,
)
from ssb_portal.roles import is_official


def purchase_lines_visible_to(user: AbstractBaseUser) -> QuerySet[PurchaseLine]:
    """Officials see every firm's purchases; a firm's members see their own firm's."""
    if is_official(user):
        return PurchaseLine.objects.all()
    if not user.is_authenticated:
        return PurchaseLine.objects.none()
    return PurchaseLine.objects.filter(buyer__memberships__user=user)


#: A supplier whose lines count as local: a verified enterprise registered in the municipality.
LOCAL_SUPPLIER = Q(supplier__status=ListingStatus.VERIFIED, supplier__district__is_local=True)


def _of_share_in_force(field: str) -> Subquery:
    """SQL for a field of the share row in force for a line's product on the line's invoice
    date: the newest verified on or before it; NULL before the first one, for a product
    without a share and for a line without a product."""
    return Subquery(
        LocalContentShare.objects.filter(
            product_id=OuterRef("product_id"), valid_from__lte=OuterRef("invoice_date")
        )
        .order_by("-valid_from")
        .values(field)[:1]
    )


def share_in_force() -> Subquery:
    """SQL for the verified local-content share (percent) of a line's product on the line's
    invoice date (`_of_share_in_force`)."""
    return _of_share_in_force("share")


def share_basis_in_force() -> Coalesce:
    """SQL for what a line's local share rests on (`LcrBasis`): the basis of the share row in
    force on its invoice date, else no share."""
    return Coalesce(
        _of_share_in_force("basis"),
        Value(LcrBasis.NO_SHARE.value),
        output_field=CharField(),
    )


def local_share_percent() -> Coalesce:
    """SQL for the percent of a local supplier's line that counts as local: the share in force
    on its invoice date, else 100."""
    return Coalesce(share_in_force(), Value(Decimal(100)))


def purchase_lines_of_buyer(user: AbstractBaseUser, buyer: Enterprise) -> QuerySet[PurchaseLine]:
    """The buyer's lines the user may see, each with `local_share`: the percent of it the LCR
    counts as local (`directory.lcr.selectors.local_value_expression`): NULL unless the
    supplier is local (LOCAL_SUPPLIER), else `local_share_percent()`. One query, however many
    lines.
    """
    return (
        purchase_lines_visible_to(user)
        .filter(buyer=buyer)
        .select_related("category", "product")
        .annotate(
            local_share=Case(
                When(LOCAL_SUPPLIER, then=local_share_percent()),
                default=None,
                output_field=DecimalField(max_digits=5, decimal_places=2),
            )
        )
    )


def buyer_visible_to(*, user: AbstractBaseUser, uscc: str) -> Enterprise:
    """A buyer whose figures the user may see (officials: any); 404 for everybody else."""
    if is_official(user):
        return get_object_or_404(Enterprise, uscc=uscc)
    return enterprise_for_member(user=user, uscc=uscc)


def purchase_imports_of(buyer: Enterprise) -> QuerySet[PurchaseImport]:
    return buyer.imports.select_related("submitted_by", "column_mapping")


def lines_of_year(lines: QuerySet[PurchaseLine], year: int) -> QuerySet[PurchaseLine]:
    start = datetime.date(year, 1, 1)
    return lines.filter(invoice_date__gte=start, invoice_date__lt=start.replace(year=year + 1))


def purchase_lines_of_year(year: int) -> QuerySet[PurchaseLine]:
    """Every firm's purchase lines invoiced in the year."""
    return lines_of_year(PurchaseLine.objects.all(), year)
