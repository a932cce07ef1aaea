"""The FilterSet of purchase lines (buyer, year, category), next to their selectors."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from directory.filters import YearFilter
from directory.models import ConfirmationStatus, PurchaseLine
from directory.purchases.rows import UNCATEGORISED
from directory.validators import normalise_uscc


class PurchaseLineFilter(django_filters.FilterSet):
    buyer = django_filters.CharFilter(
        method="filter_buyer",
        help_text=_("The buying enterprise's code; members see only their own firm's lines."),
    )
    year = YearFilter(
        field_name="invoice_date",
        lookup_expr="year",
        min_value=1900,
        max_value=2999,
        help_text=_("The invoices' year."),
    )
    category = django_filters.CharFilter(
        method="filter_category",
        help_text=_("A category slug, or “uncategorised” for the lines without a category."),
    )

    class Meta:
        model = PurchaseLine
        fields = ("buyer", "year", "category")

    def filter_buyer(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(buyer__uscc=normalise_uscc(value))

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == UNCATEGORISED:
            return queryset.filter(category__isnull=True)
        return queryset.filter(category__slug=value)


class SupplierLineFilter(django_filters.FilterSet):
    """The lines naming a supplier, by buyer, year and the supplier's word on them."""

    buyer = django_filters.CharFilter(
        method="filter_buyer",
        label=_("Buyer's code"),
        help_text=_("The buying enterprise's code."),
    )
    year = YearFilter(
        field_name="invoice_date",
        lookup_expr="year",
        label=_("Year"),
        min_value=1900,
        max_value=2999,
        help_text=_("The invoices' year."),
    )
    status = django_filters.ChoiceFilter(
        field_name="confirmation_status",
        label=_("Status"),
        choices=ConfirmationStatus.choices,
        help_text=_("Unconfirmed, confirmed or disputed."),
    )

    class Meta:
        model = PurchaseLine
        fields = ("buyer", "year", "status")

    def filter_buyer(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(buyer__uscc=normalise_uscc(value))
