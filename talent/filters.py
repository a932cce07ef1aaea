"""The talent API's FilterSets: students, internships, graduates, experts and scholarship
applications, by organisation (credit code), year, status and text."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from directory.filters import YearFilter
from directory.validators import normalise_uscc
from talent.models import (
    DegreeLevel,
    Destination,
    ExpertStatus,
    Graduate,
    Internship,
    InternshipStatus,
    OverseasExpert,
    ScholarshipApplication,
    ScholarshipStatus,
    Student,
)

#: The years a filter or a request may name (as the models' year fields allow).
YEAR_MIN, YEAR_MAX = 2000, 2100


class UsccFilter(django_filters.CharFilter):
    """An organisation named by its unified social credit code, as users paste it."""

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if value in ([], (), {}, "", None):
            return qs
        return super().filter(qs, normalise_uscc(value))


class StudentFilter(django_filters.FilterSet):
    university = UsccFilter(
        field_name="university__uscc", help_text=_("The university's credit code.")
    )
    degree = django_filters.ChoiceFilter(choices=DegreeLevel.choices)
    graduation_year = YearFilter(
        field_name="expected_graduation_year", min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    q = django_filters.CharFilter(
        method="filter_text", help_text=_("Part of the student's name or number.")
    )

    class Meta:
        model = Student
        fields = ("university", "degree", "graduation_year", "q")

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(student_number__icontains=value))


class InternshipFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=InternshipStatus.choices)
    host = UsccFilter(field_name="host__uscc", help_text=_("The host enterprise's credit code."))
    university = UsccFilter(
        field_name="student__university__uscc", help_text=_("The university's credit code.")
    )

    class Meta:
        model = Internship
        fields = ("status", "host", "university")


class GraduateFilter(django_filters.FilterSet):
    year = YearFilter(min_value=YEAR_MIN, max_value=YEAR_MAX)
    university = UsccFilter(
        field_name="university__uscc", help_text=_("The university's credit code.")
    )
    destination = django_filters.ChoiceFilter(choices=Destination.choices)

    class Meta:
        model = Graduate
        fields = ("year", "university", "destination")


class ExpertFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ExpertStatus.choices)
    host = UsccFilter(field_name="host__uscc", help_text=_("The host enterprise's credit code."))

    class Meta:
        model = OverseasExpert
        fields = ("status", "host")


class ScholarshipApplicationFilter(django_filters.FilterSet):
    year = YearFilter(field_name="fund__year", min_value=YEAR_MIN, max_value=YEAR_MAX)
    status = django_filters.ChoiceFilter(choices=ScholarshipStatus.choices)

    class Meta:
        model = ScholarshipApplication
        fields = ("year", "status")
