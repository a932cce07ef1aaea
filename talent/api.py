"""The talent programme's REST API: thin views that parse input, call one service or selector,
and render the result.

The dashboard (figures only, nobody named) and the scholarship funds are public. Personal
data is scoped by `talent.selectors`: a university's staff see its students, internships and
graduate reports; a host enterprise's members see the internships it hosts, the graduates it
hired and its overseas experts; a student sees their own record and scholarship applications;
officials see everything. A record the user may not see answers 404, a move the user may not
make answers 403, and bad input answers 400 with the message under the field's name. Amounts
are CNY as decimal strings with two places ("20000.00"), never floats.
"""

import math
from collections.abc import Mapping, Sequence
from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from directory.api import EnterpriseCodeField
from directory.filters import YearFilter
from directory.models import Enterprise
from directory.validators import normalise_uscc
from ssb_portal.api import RefuseUnknownFields
from ssb_portal.formulas import scholarship_fund_cny
from ssb_portal.roles import is_official
from talent import graduate_rows, selectors, services
from talent.models import (
    DegreeLevel,
    Destination,
    ExpertStatus,
    Graduate,
    Internship,
    InternshipOutcome,
    InternshipStatus,
    OverseasExpert,
    ScholarshipApplication,
    ScholarshipFund,
    ScholarshipStatus,
    Student,
    TrainingBase,
)

#: The largest id the database stores (a 64-bit integer).
MAX_ID = 2**63 - 1
MAX_GRADUATE_ROWS = 5_000
MAX_BENEFITS = 50
YEAR_MIN, YEAR_MAX = 2000, 2100


def _sent(serializer: serializers.Serializer, *exclude: str) -> dict[str, Any]:
    """Only the fields the request names (form data would add empty values)."""
    return {
        name: value
        for name, value in serializer.validated_data.items()
        if name in serializer.initial_data and name not in exclude
    }


class VisibleIdField(serializers.PrimaryKeyRelatedField):
    """A record named by its id, among those the serializer's `queryset` lets the user see."""

    default_error_messages = {
        "does_not_exist": _("No record with this id, or not yours to see."),
        "incorrect_type": _("Send the record's id, a whole number."),
    }

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            number = int(data)
        except ValueError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= number <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(number)


# --- input ---------------------------------------------------------------------------------


class StudentWriteSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = Student
        fields = services.STUDENT_FIELDS
        # The service reports a student number recorded twice by its field.
        validators: list = []


class StudentCreateSerializer(StudentWriteSerializer):
    university = EnterpriseCodeField(
        help_text=_("The unified social credit code of your university, which records them.")
    )

    class Meta(StudentWriteSerializer.Meta):
        fields = ("university", *services.STUDENT_FIELDS)


class LinkAccountInSerializer(RefuseUnknownFields, serializers.Serializer):
    email = serializers.EmailField(
        help_text=_("The email of the student's own portal account, to apply for scholarships.")
    )


class InternshipInSerializer(RefuseUnknownFields, serializers.Serializer):
    student = VisibleIdField(
        queryset=Student.objects.none(),
        help_text=_("The student's id, see /api/v1/talent/students/."),
    )
    host = EnterpriseCodeField(
        help_text=_("The unified social credit code of the host enterprise.")
    )
    training_base = VisibleIdField(
        queryset=TrainingBase.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The training base of the university and the host, if any."),
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:  # None only when the schema is drawn
            self.fields["student"].queryset = selectors.students_visible_to(user)

    def validate(self, attrs: dict) -> dict:
        if attrs["ends_on"] < attrs["starts_on"]:
            raise serializers.ValidationError(
                {"ends_on": gettext("The internship ends before it starts.")}
            )
        return attrs


COMPLETED_OUTCOMES = [
    (value, label)
    for value, label in InternshipOutcome.choices
    if value != InternshipOutcome.PENDING
]


class InternshipCompleteInSerializer(RefuseUnknownFields, serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=COMPLETED_OUTCOMES,
        help_text=_("How it ended; only the host enterprise records a hire."),
    )


class GraduateImportInSerializer(RefuseUnknownFields, serializers.Serializer):
    university = EnterpriseCodeField(
        help_text=_("The unified social credit code of your university, which reports them.")
    )
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    rows = serializers.ListField(
        child=serializers.JSONField(),
        allow_empty=False,
        max_length=MAX_GRADUATE_ROWS,
        help_text=_(
            "One object per graduate with student_number, degree (vocational, bachelor, "
            "master or doctorate), field, destination (local_ssb, city_other, outside or "
            "unknown) and employer_uscc (the directory enterprise, for local_ssb only)."
        ),
        error_messages={
            "max_length": _("At most {max_length} graduates per call."),
            "empty": _("Send at least one graduate."),
        },
    )


class BenefitSerializer(RefuseUnknownFields, serializers.Serializer):
    label = serializers.CharField(max_length=120)
    amount_cny = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, help_text=_("CNY a year.")
    )


class ExpertWriteSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ExpertStatus.choices, required=False)
    benefits = BenefitSerializer(
        many=True,
        required=False,
        max_length=MAX_BENEFITS,
        help_text=_(
            "Other benefits of the package; they replace the ones recorded. Left out, the "
            "recorded ones stay."
        ),
    )

    class Meta:
        model = OverseasExpert
        fields = (*services.EXPERT_FIELDS, "benefits")


class ExpertCreateSerializer(ExpertWriteSerializer):
    host = EnterpriseCodeField(
        help_text=_("The unified social credit code of the host enterprise.")
    )

    class Meta(ExpertWriteSerializer.Meta):
        fields = ("host", *services.EXPERT_FIELDS, "benefits")


class ScholarshipApplyInSerializer(RefuseUnknownFields, serializers.Serializer):
    fund = VisibleIdField(
        queryset=ScholarshipFund.objects.all(),
        help_text=_("The fund's id, see /api/v1/talent/scholarships/funds/."),
    )
    degree = serializers.ChoiceField(
        choices=DegreeLevel.choices,
        required=False,
        help_text=_("The degree you study for; your student record's when left out."),
    )
    field = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text=_("Your field of study; your student record's when left out."),
    )
    grade_average = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, help_text=_("From 0 to 100.")
    )
    statement = serializers.CharField()
    renewal_of = VisibleIdField(
        queryset=ScholarshipApplication.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("For a renewal: the id of your award of last year."),
    )
    progress_report = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("For a renewal: your progress since the award."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:  # None only when the schema is drawn
            self.fields["renewal_of"].queryset = ScholarshipApplication.objects.filter(
                student__user=user
            ).select_related("fund")


# --- output --------------------------------------------------------------------------------


class StudentSerializer(serializers.ModelSerializer):
    university = serializers.CharField(source="university.uscc", read_only=True)
    university_name_zh = serializers.CharField(source="university.name_zh", read_only=True)
    degree = serializers.ChoiceField(choices=DegreeLevel.choices, read_only=True)
    has_account = serializers.SerializerMethodField(
        help_text=_("Whether the student's own login is linked (to apply for scholarships).")
    )

    class Meta:
        model = Student
        fields = (
            "id",
            "university",
            "university_name_zh",
            *services.STUDENT_FIELDS,
            "has_account",
        )
        read_only_fields = fields

    def get_has_account(self, student: Student) -> bool:
        return student.user_id is not None


class InternshipSerializer(serializers.ModelSerializer):
    student_name = serializers.CharField(source="student.name", read_only=True)
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    university = serializers.CharField(source="student.university.uscc", read_only=True)
    university_name_zh = serializers.CharField(source="student.university.name_zh", read_only=True)
    host = serializers.CharField(source="host.uscc", read_only=True)
    host_name_zh = serializers.CharField(source="host.name_zh", read_only=True)
    training_base_name = serializers.CharField(
        source="training_base.name", read_only=True, allow_null=True, default=None
    )
    status = serializers.ChoiceField(choices=InternshipStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    outcome = serializers.ChoiceField(choices=InternshipOutcome.choices, read_only=True)

    class Meta:
        model = Internship
        fields = (
            "id",
            "student",
            "student_name",
            "student_number",
            "university",
            "university_name_zh",
            "host",
            "host_name_zh",
            "training_base",
            "training_base_name",
            "starts_on",
            "ends_on",
            "status",
            "status_label",
            "outcome",
            "host_confirmed_at",
            "created_at",
        )
        read_only_fields = fields


class GraduateSerializer(serializers.ModelSerializer):
    university = serializers.CharField(source="university.uscc", read_only=True)
    university_name_zh = serializers.CharField(source="university.name_zh", read_only=True)
    degree = serializers.ChoiceField(choices=DegreeLevel.choices, read_only=True)
    destination = serializers.ChoiceField(choices=Destination.choices, read_only=True)
    employer = serializers.CharField(
        source="employer.uscc", read_only=True, allow_null=True, default=None
    )
    employer_name_zh = serializers.CharField(
        source="employer.name_zh", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Graduate
        fields = (
            "id",
            "university",
            "university_name_zh",
            "year",
            "student_number",
            "degree",
            "field",
            "destination",
            "employer",
            "employer_name_zh",
            "employer_confirmed_at",
            "reported_at",
        )
        read_only_fields = fields


class GraduateRowErrorsSerializer(serializers.Serializer):
    rows = serializers.DictField(
        child=serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
        help_text=_(
            "Per row (its index in `rows`, from 0): per field, what is wrong. Nothing was saved."
        ),
    )


class ExpertSerializer(serializers.ModelSerializer):
    host = serializers.CharField(source="host.uscc", read_only=True)
    host_name_zh = serializers.CharField(source="host.name_zh", read_only=True)
    status = serializers.ChoiceField(choices=ExpertStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    benefits = BenefitSerializer(many=True, read_only=True)
    total_package_cny = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        read_only=True,
        help_text=_("C_total = base salary + housing benefit + other benefits; computed."),
    )

    class Meta:
        model = OverseasExpert
        fields = (
            "id",
            "host",
            "host_name_zh",
            "name",
            "country",
            "field",
            "years_experience",
            "status",
            "status_label",
            "signed_on",
            "base_salary_cny",
            "housing_benefit_cny",
            "benefits",
            "total_package_cny",
            "school_priority",
            "relocation_support",
            "created_at",
        )
        read_only_fields = fields


class FundSerializer(serializers.ModelSerializer):
    fund_cny = serializers.SerializerMethodField(
        help_text=_("F = n × A: the number of awards times the award.")
    )
    awarded = serializers.IntegerField(read_only=True, help_text=_("Awards made so far."))
    is_open = serializers.SerializerMethodField(
        help_text=_("Whether the fund takes applications today.")
    )

    class Meta:
        model = ScholarshipFund
        fields = (
            "id",
            "year",
            "award_cny",
            "awards",
            "fund_cny",
            "industry_contribution_cny",
            "government_contribution_cny",
            "opens_on",
            "closes_on",
            "is_open",
            "awarded",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_fund_cny(self, fund: ScholarshipFund) -> str:
        return f"{scholarship_fund_cny(fund.awards, fund.award_cny):.2f}"

    def get_is_open(self, fund: ScholarshipFund) -> bool:
        return fund.opens_on <= timezone.localdate() <= fund.closes_on


class ScholarshipApplicationSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="fund.year", read_only=True)
    student_name = serializers.CharField(source="student.name", read_only=True)
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    university = serializers.CharField(source="student.university.uscc", read_only=True)
    university_name_zh = serializers.CharField(source="student.university.name_zh", read_only=True)
    degree = serializers.ChoiceField(choices=DegreeLevel.choices, read_only=True)
    status = serializers.ChoiceField(choices=ScholarshipStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ScholarshipApplication
        fields = (
            "id",
            "fund",
            "year",
            "student_name",
            "student_number",
            "university",
            "university_name_zh",
            "degree",
            "field",
            "grade_average",
            "statement",
            "renewal_of",
            "progress_report",
            "status",
            "status_label",
            "submitted_at",
            "decided_at",
        )
        read_only_fields = fields


class RetentionFiguresSerializer(serializers.Serializer):
    graduates = serializers.IntegerField(help_text=_("N_grad, the relevant graduates."))
    retained = serializers.IntegerField(
        help_text=_("Graduates who joined a local solid-state battery enterprise.")
    )
    p_retain = serializers.DecimalField(
        max_digits=None,
        decimal_places=4,
        allow_null=True,
        help_text=_("retained / N_grad, a fraction; null without graduates."),
    )
    influx = serializers.DecimalField(
        max_digits=None, decimal_places=2, help_text=_("I_talent = N_grad × p_retain.")
    )
    meets_retention = serializers.BooleanField()


class UniversityFiguresSerializer(RetentionFiguresSerializer):
    university = serializers.CharField(
        source="uscc", help_text=_("The university's unified social credit code.")
    )
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


class EnterpriseFiguresSerializer(serializers.Serializer):
    enterprise = serializers.CharField(
        source="uscc", help_text=_("The enterprise's unified social credit code.")
    )
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    graduates_hired = serializers.IntegerField()
    internships_completed = serializers.IntegerField()
    hired_from_internships = serializers.IntegerField()
    conversion = serializers.DecimalField(
        max_digits=None,
        decimal_places=4,
        allow_null=True,
        help_text=_("Hires from internships / internships completed; null without any."),
    )


class DashboardSerializer(RetentionFiguresSerializer):
    """The year's figures against the seed's targets; nobody is named."""

    year = serializers.IntegerField()
    graduates_target = serializers.IntegerField()
    meets_graduates = serializers.BooleanField()
    retention_target = serializers.DecimalField(max_digits=None, decimal_places=2)
    experts = serializers.IntegerField(
        help_text=_("Overseas experts recruited (contract signed) in the last experts_years.")
    )
    experts_years = serializers.IntegerField()
    experts_target_min = serializers.IntegerField()
    experts_target_max = serializers.IntegerField()
    meets_experts = serializers.BooleanField()
    scholarship_recipients = serializers.IntegerField()
    scholarship_money_cny = serializers.DecimalField(max_digits=None, decimal_places=2)
    scholarships_target = serializers.IntegerField()
    meets_scholarships = serializers.BooleanField()
    internships_completed = serializers.IntegerField()
    internships_hired = serializers.IntegerField()
    internship_conversion = serializers.DecimalField(
        max_digits=None, decimal_places=4, allow_null=True
    )
    by_university = UniversityFiguresSerializer(many=True)
    by_enterprise = EnterpriseFiguresSerializer(many=True)


class DashboardQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        required=False,
        help_text=_("This year if left out."),
    )


# --- the graduate report's rows ------------------------------------------------------------


def _cell_problem(value: Any) -> str | None:
    """A cell of a row sent as JSON is text, a number or null; anything else is refused."""
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return gettext("Enter text.")
    if isinstance(value, float) and not math.isfinite(value):
        return gettext("Enter text.")
    return None


def clean_graduate_rows(
    rows: Sequence[Any],
) -> tuple[list[dict[str, Any]], dict[str, dict[str, list[str]]]]:
    """Check every row of a graduate report as the page's file upload does
    (`talent.graduate_rows.clean_rows`): (the rows for the service, the errors).

    The errors are keyed by the row's index in `rows` (from 0), then by the field; the
    problems of the whole row are under "non_field_errors". Rows that are not objects, name
    fields the report does not have or hold lists or objects are refused first.
    """
    errors: dict[str, dict[str, list[str]]] = {}

    def problem(index: int, field: str, message: str) -> None:
        errors.setdefault(str(index), {}).setdefault(field or "non_field_errors", []).append(
            message
        )

    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            problem(index, "", gettext("Each row must be an object."))
            continue
        for name, value in row.items():
            if name not in graduate_rows.GRADUATE_COLUMNS:
                problem(index, str(name), gettext("Unknown field."))
            elif message := _cell_problem(value):
                problem(index, name, message)
    if errors:
        return [], errors
    employers = selectors.local_employers(graduate_rows.employer_codes(rows))
    cleaned, row_errors = graduate_rows.clean_rows(rows, employers=employers)
    for error in row_errors:
        problem(error.row - graduate_rows.FIRST_DATA_ROW, error.column, error.message)
    return cleaned, errors


# --- filters -------------------------------------------------------------------------------


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


# --- views ---------------------------------------------------------------------------------

INVALID = OpenApiResponse(description=_("Invalid data; the errors are listed under each field."))
FORBIDDEN = OpenApiResponse(description=_("You may not do this."))
NOT_FOUND = OpenApiResponse(description=_("No such record, or not yours to see."))


class TalentViewSet(viewsets.GenericViewSet):
    # Token first, so that a request without credentials is told to bring a token (401).
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    lookup_value_converter = "int"

    def paged(self, serializer_class: type[serializers.Serializer]) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(serializer_class(page, many=True).data)


@extend_schema(tags=["talent"])
class DashboardViewSet(TalentViewSet):
    """The talent programme's public figures."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = DashboardSerializer
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        return Graduate.objects.none()

    @extend_schema(
        summary=_("The talent dashboard"),
        description=_(
            "A year's figures against the seed's targets: graduates entering the field and "
            "the local retention rate p_retain (with I_talent = N_grad × p_retain), overseas "
            "experts recruited over the last three years, scholarship recipients and money, "
            "the internship-to-hire conversion; by university and by enterprise. Public: "
            "figures only, nobody is named."
        ),
        parameters=[DashboardQuerySerializer],
        responses={200: DashboardSerializer, 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        figures = selectors.talent_dashboard(year)
        # The figures name organisations by id; the API names them by credit code (one query).
        ids = {row["university_id"] for row in figures["by_university"]}
        ids |= {row["enterprise"].pk for row in figures["by_enterprise"]}
        codes = dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "uscc"))
        figures["by_university"] = [
            {**row, "uscc": codes.get(row["university_id"], "")} for row in figures["by_university"]
        ]
        figures["by_enterprise"] = [
            {
                **row,
                "uscc": codes.get(row["enterprise"].pk, ""),
                "name_zh": row["enterprise"].name_zh,
                "name_en": row["enterprise"].name_en,
            }
            for row in figures["by_enterprise"]
        ]
        return Response(DashboardSerializer(figures).data)


@extend_schema(tags=["talent students"])
class StudentViewSet(TalentViewSet):
    """Universities' students: their staff record them; the student sees their own record."""

    serializer_class = StudentSerializer
    filterset_class = StudentFilter

    def get_queryset(self):
        return selectors.students_visible_to(self.request.user)

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        student = selectors.student_for(self.request.user, pk)
        return Response(StudentSerializer(student).data, status=code)

    @extend_schema(
        summary=_("Students you may see"),
        description=_(
            "Your universities' students (a student sees their own record); officials see "
            "every student."
        ),
        responses={200: StudentSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        return self.paged(StudentSerializer)

    @extend_schema(
        summary=_("Record a student"),
        description=_("By the university's staff; a student number is recorded once."),
        request=StudentCreateSerializer,
        responses={201: StudentSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        serializer = StudentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        student = services.student_add(
            actor=request.user,
            university=serializer.validated_data["university"],
            data=_sent(serializer, "university"),
        )
        return self.detail_response(student.pk, status.HTTP_201_CREATED)

    @extend_schema(summary=_("One student"), responses={200: StudentSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, pk: int) -> Response:
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Change a student's record"),
        description=_("By the university's staff."),
        request=StudentWriteSerializer,
        responses={200: StudentSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        student = selectors.student_for(request.user, pk)
        serializer = StudentWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.student_update(actor=request.user, student=student, data=_sent(serializer))
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Link the student's own login"),
        description=_(
            "By the university's staff: the student's portal account, found by its email, so "
            "that they can apply for scholarships."
        ),
        request=LinkAccountInSerializer,
        responses={200: StudentSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="link-account",
        filter_backends=[],
        pagination_class=None,
    )
    def link_account(self, request: Request, pk: int) -> Response:
        student = selectors.student_for(request.user, pk)
        serializer = LinkAccountInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.student_link_account(
            actor=request.user, student=student, email=serializer.validated_data["email"]
        )
        return self.detail_response(pk)


@extend_schema(tags=["talent internships"])
class InternshipViewSet(TalentViewSet):
    """Internships: the university records the offer, the host confirms it, either side
    completes it with its outcome or cancels it."""

    serializer_class = InternshipSerializer
    filterset_class = InternshipFilter

    def get_queryset(self):
        return selectors.internships_visible_to(self.request.user)

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        internship = selectors.internship_for(self.request.user, pk)
        return Response(InternshipSerializer(internship).data, status=code)

    def move(self, pk: int, to_status: str, outcome: str = "") -> Response:
        internship = selectors.internship_for(self.request.user, pk)
        services.internship_move(
            actor=self.request.user, internship=internship, to_status=to_status, outcome=outcome
        )
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Internships you may see"),
        description=_(
            "Your universities' students' internships and those your enterprises host, newest "
            "first; officials see every internship."
        ),
        responses={200: InternshipSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        return self.paged(InternshipSerializer)

    @extend_schema(
        summary=_("Record an internship offer"),
        description=_(
            "By the university's staff, for one of its students; the host enterprise confirms."
        ),
        request=InternshipInSerializer,
        responses={201: InternshipSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        serializer = InternshipInSerializer(data=request.data, user=request.user)
        serializer.is_valid(raise_exception=True)
        internship = services.internship_offer(actor=request.user, **serializer.validated_data)
        return self.detail_response(internship.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("One internship"), responses={200: InternshipSerializer, 404: NOT_FOUND}
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Confirm an internship"),
        description=_("The host enterprise confirms the offer; the internship is ongoing."),
        request=None,
        responses={200: InternshipSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def confirm(self, request: Request, pk: int) -> Response:
        return self.move(pk, InternshipStatus.ONGOING)

    @extend_schema(
        summary=_("Complete an internship"),
        description=_("With its outcome; only the host enterprise records a hire."),
        request=InternshipCompleteInSerializer,
        responses={200: InternshipSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def complete(self, request: Request, pk: int) -> Response:
        selectors.internship_for(request.user, pk)
        serializer = InternshipCompleteInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.move(pk, InternshipStatus.COMPLETED, serializer.validated_data["outcome"])

    @extend_schema(
        summary=_("Cancel an internship"),
        description=_("The university or the host, before it is completed."),
        request=None,
        responses={200: InternshipSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def cancel(self, request: Request, pk: int) -> Response:
        return self.move(pk, InternshipStatus.CANCELLED)


@extend_schema(tags=["talent graduates"])
class GraduateViewSet(TalentViewSet):
    """Universities' graduate reports: where each relevant graduate went."""

    serializer_class = GraduateSerializer
    filterset_class = GraduateFilter

    def get_queryset(self):
        return selectors.graduates_visible_to(self.request.user)

    @extend_schema(
        summary=_("Graduates you may see"),
        description=_(
            "Your universities' reports and the graduates your enterprises hired; officials "
            "see every report."
        ),
        responses={200: GraduateSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        return self.paged(GraduateSerializer)

    @extend_schema(
        summary=_("Report a year's graduates"),
        description=_(
            "By the university's staff, up to 5,000 graduates a call. All or nothing: if any "
            "row is wrong nothing is saved and every problem is listed by row (its index in "
            "rows, from 0) and field. A graduate is known by the university, the year and the "
            "student number: sending the report again changes nothing, and a changed row "
            "updates the graduate (a changed employer must confirm the hire again)."
        ),
        request=GraduateImportInSerializer,
        responses={
            200: inline_serializer(
                "GraduateImportResult",
                {
                    "created": serializers.IntegerField(),
                    "updated": serializers.IntegerField(),
                    "unchanged": serializers.IntegerField(),
                },
            ),
            400: GraduateRowErrorsSerializer,
            403: FORBIDDEN,
        },
        examples=[
            OpenApiExample(
                "Two graduates",
                request_only=True,
                value={
                    "university": "91330100MA2H3K4L50",
                    "year": 2026,
                    "rows": [
                        {
                            "student_number": "2022010101",
                            "degree": "master",
                            "field": "Electrochemistry",
                            "destination": "local_ssb",
                            "employer_uscc": "91330100MA2H3K4L50",
                        },
                        {
                            "student_number": "2022010102",
                            "degree": "bachelor",
                            "field": "Materials science",
                            "destination": "outside",
                        },
                    ],
                },
            )
        ],
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        filter_backends=[],
        pagination_class=None,
    )
    def import_rows(self, request: Request) -> Response:
        serializer = GraduateImportInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        university = serializer.validated_data["university"]
        # Who may report comes before what is wrong with the rows: a stranger learns nothing.
        if not (
            is_official(request.user)
            or selectors.universities_of(request.user).filter(pk=university.pk).exists()
        ):
            raise PermissionDenied(gettext("Only the university's staff may do this."))
        rows, errors = clean_graduate_rows(serializer.validated_data["rows"])
        if errors:
            return Response({"rows": errors}, status=status.HTTP_400_BAD_REQUEST)
        created, updated = services.graduates_import(
            actor=request.user,
            university=university,
            year=serializer.validated_data["year"],
            rows=rows,
        )
        return Response(
            {"created": created, "updated": updated, "unchanged": len(rows) - created - updated}
        )

    @extend_schema(
        summary=_("Confirm a hire"),
        description=_("The employer confirms it hired the graduate the university reported."),
        request=None,
        responses={200: GraduateSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="confirm-hire",
        filter_backends=[],
        pagination_class=None,
    )
    def confirm_hire(self, request: Request, pk: int) -> Response:
        graduate = self.visible(pk)
        services.graduate_confirm_hire(actor=request.user, graduate=graduate)
        return Response(GraduateSerializer(self.visible(pk)).data)

    def visible(self, pk: int) -> Graduate:
        return get_object_or_404(self.get_queryset(), pk=pk)


@extend_schema(tags=["talent experts"])
class ExpertViewSet(TalentViewSet):
    """Overseas experts with 5+ years in battery R&D and their packages; seen by officials and
    the host enterprise's members only."""

    serializer_class = ExpertSerializer
    filterset_class = ExpertFilter

    def get_queryset(self):
        return selectors.experts_visible_to(self.request.user)

    def visible(self, pk: int) -> OverseasExpert:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(ExpertSerializer(self.visible(pk)).data, status=code)

    @extend_schema(
        summary=_("Experts you may see"),
        description=_("Your enterprises' experts; officials see every expert."),
        responses={200: ExpertSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        return self.paged(ExpertSerializer)

    @extend_schema(
        summary=_("Record an expert"),
        description=_(
            "By the host enterprise's members or officials. The total package is computed: "
            "base salary + housing benefit + the other benefits."
        ),
        request=ExpertCreateSerializer,
        responses={201: ExpertSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        serializer = ExpertCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expert = services.expert_save(
            actor=request.user,
            host=serializer.validated_data["host"],
            data=_sent(serializer, "host", "benefits"),
            benefits=serializer.validated_data.get("benefits", ()),
        )
        return self.detail_response(expert.pk, status.HTTP_201_CREATED)

    @extend_schema(summary=_("One expert"), responses={200: ExpertSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, pk: int) -> Response:
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Change an expert's record"),
        description=_("Status, package and the rest; the total package is computed again."),
        request=ExpertWriteSerializer,
        responses={200: ExpertSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        expert = self.visible(pk)
        serializer = ExpertWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "benefits" in serializer.validated_data:
            benefits = serializer.validated_data["benefits"]
        else:
            benefits = [
                {"label": benefit.label, "amount_cny": benefit.amount_cny}
                for benefit in expert.benefits.all()
            ]
        services.expert_save(
            actor=request.user,
            host=expert.host,
            data=_sent(serializer, "benefits"),
            benefits=benefits,
            expert=expert,
        )
        return self.detail_response(pk)


@extend_schema(tags=["talent scholarships"])
class FundViewSet(TalentViewSet):
    """The scholarship funds, one a year: F = n × A, funded by industry and government."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = FundSerializer
    filter_backends: list = []

    def get_queryset(self):
        awarded = Count("applications", filter=Q(applications__status=ScholarshipStatus.AWARDED))
        return ScholarshipFund.objects.annotate(awarded=awarded).order_by("-year")

    @extend_schema(
        summary=_("Scholarship funds"),
        description=_("Newest year first, with the awards made so far."),
        responses={200: FundSerializer(many=True)},
    )
    def list(self, request: Request) -> Response:
        return self.paged(FundSerializer)

    @extend_schema(summary=_("One fund"), responses={200: FundSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(FundSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)


@extend_schema(tags=["talent scholarships"])
class ScholarshipApplicationViewSet(TalentViewSet):
    """Scholarship applications: a student submits and sees their own; officials decide in
    the admin."""

    serializer_class = ScholarshipApplicationSerializer
    filterset_class = ScholarshipApplicationFilter

    def get_queryset(self):
        return selectors.scholarship_applications_visible_to(self.request.user)

    def visible(self, pk: int) -> ScholarshipApplication:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(ScholarshipApplicationSerializer(self.visible(pk)).data, status=code)

    @extend_schema(
        summary=_("Your scholarship applications"),
        description=_("Newest first; officials see every application."),
        responses={200: ScholarshipApplicationSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        return self.paged(ScholarshipApplicationSerializer)

    @extend_schema(
        summary=_("Apply for a scholarship"),
        description=_(
            "By the student's own login, linked by their university, while the fund is open; "
            "once a year. A renewal names last year's award and reports the progress since."
        ),
        request=ScholarshipApplyInSerializer,
        responses={201: ScholarshipApplicationSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        serializer = ScholarshipApplyInSerializer(data=request.data, user=request.user)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        fund = data.pop("fund")
        application = services.scholarship_apply(actor=request.user, fund=fund, data=data)
        return self.detail_response(application.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("One application"),
        responses={200: ScholarshipApplicationSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Withdraw an application"),
        description=_("By the student, while it awaits a decision."),
        request=None,
        responses={
            200: ScholarshipApplicationSerializer,
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def withdraw(self, request: Request, pk: int) -> Response:
        services.scholarship_withdraw(actor=request.user, application=self.visible(pk))
        return self.detail_response(pk)
