"""The FilterSets of the support programmes' lists: programmes by kind, year and open,
applications by status and programme.
"""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.filters import StrictBooleanFilter, YearFilter
from ssb_portal.ids import MAX_ID
from subsidies.models import Application, ApplicationStatus, Programme, ProgrammeKind


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ProgrammeFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ProgrammeKind.choices)
    year = YearFilter(min_value=2000, max_value=2100)
    open = StrictBooleanFilter(
        method="filter_open",
        help_text=_("true: programmes taking applications today; false: the others."),
    )

    class Meta:
        model = Programme
        fields = ("kind", "year", "open")

    def filter_open(self, queryset, name: str, value: bool | None):
        if value is None:
            return queryset
        today = timezone.localdate()
        taking = {"opens_on__lte": today, "closes_on__gte": today}
        return queryset.filter(**taking) if value else queryset.exclude(**taking)


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    programme = IdFilter(min_value=1, max_value=MAX_ID, help_text=_("A programme's id."))

    class Meta:
        model = Application
        fields = ("status", "programme")
