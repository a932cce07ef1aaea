"""Reads of purchase lines and imports, scoped to who may see them."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from directory.access import enterprise_for_member
from directory.models import Enterprise, PurchaseImport, PurchaseLine
from ssb_portal.roles import is_official


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


def lines_of_year(lines: QuerySet[PurchaseLine], year: int) -> QuerySet[PurchaseLine]:
    start = datetime.date(year, 1, 1)
    return lines.filter(invoice_date__gte=start, invoice_date__lt=start.replace(year=year + 1))


def purchase_lines_of_year(year: int) -> QuerySet[PurchaseLine]:
    """Every firm's purchase lines invoiced in the year."""
    return lines_of_year(PurchaseLine.objects.all(), year)
