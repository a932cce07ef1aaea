"""The talent API's scholarships: the yearly funds (public) and the students' applications."""

from typing import Any

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from ssb_portal.api import FORBIDDEN, INVALID, NOT_FOUND, RefuseUnknownFields
from ssb_portal.formulas import scholarship_fund_cny
from ssb_portal.viewsets import SignedInViewSet
from talent import selectors, services
from talent.api.common import VisibleIdField
from talent.filters import ScholarshipApplicationFilter
from talent.models import DegreeLevel, ScholarshipApplication, ScholarshipFund, ScholarshipStatus

# --- input ---------------------------------------------------------------------------------


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


# --- views ---------------------------------------------------------------------------------


@extend_schema(tags=["talent scholarships"])
class FundViewSet(SignedInViewSet):
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
class ScholarshipApplicationViewSet(SignedInViewSet):
    """Scholarship applications: a student submits and sees their own; officials decide in
    the admin."""

    serializer_class = ScholarshipApplicationSerializer
    filterset_class = ScholarshipApplicationFilter

    def get_queryset(self):
        return selectors.scholarship_applications_visible_to(self.request.user)

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
