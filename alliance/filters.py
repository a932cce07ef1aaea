"""The alliance's FilterSets: what the API's lists of members, demands, collaborations and
standards may be filtered by.
"""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from alliance.models import (
    AllianceMember,
    Collaboration,
    CollaborationModel,
    CollaborationStatus,
    Demand,
    DemandStatus,
    Standard,
    StandardStage,
)
from directory.filters import StrictBooleanFilter
from directory.models import EnterpriseKind, SupplyCategory


class MemberFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        field_name="enterprise__kind", choices=EnterpriseKind.choices
    )

    class Meta:
        model = AllianceMember
        fields = ("kind",)


class DemandFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DemandStatus.choices)
    category = django_filters.ModelChoiceFilter(
        queryset=SupplyCategory.objects.all(),
        to_field_name="slug",
        method="filter_category",
        help_text=_("A category's slug; a parent category includes its children."),
    )
    model = django_filters.ChoiceFilter(
        field_name="preferred_model",
        choices=CollaborationModel.choices,
        help_text=_("The preferred collaboration model."),
    )

    class Meta:
        model = Demand
        fields = ("status", "category", "model")

    def filter_category(self, queryset: QuerySet, name: str, value: SupplyCategory) -> QuerySet:
        return queryset.filter(Q(category=value) | Q(category__parent=value))


class CollaborationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CollaborationStatus.choices)
    model = django_filters.ChoiceFilter(choices=CollaborationModel.choices)

    class Meta:
        model = Collaboration
        fields = ("status", "model")


class StandardFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=StandardStage.choices)
    international = StrictBooleanFilter(
        field_name="is_international", help_text=_("true: international standards only.")
    )

    class Meta:
        model = Standard
        fields = ("stage", "international")
