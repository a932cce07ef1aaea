"""The talent API's internships: the university records the offer, the host confirms it,
either side completes it with its outcome or cancels it."""

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from directory.api import EnterpriseCodeField
from ssb_portal.api import FORBIDDEN, INVALID, NOT_FOUND, RefuseUnknownFields
from ssb_portal.viewsets import SignedInViewSet
from talent import selectors, services
from talent.api.common import VisibleIdField
from talent.filters import InternshipFilter
from talent.models import Internship, InternshipOutcome, InternshipStatus, Student, TrainingBase

# --- input ---------------------------------------------------------------------------------


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


# --- output --------------------------------------------------------------------------------


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


# --- views ---------------------------------------------------------------------------------


@extend_schema(tags=["talent internships"])
class InternshipViewSet(SignedInViewSet):
    """Internships: the university records the offer, the host confirms it, either side
    completes it with its outcome or cancels it."""

    serializer_class = InternshipSerializer
    filterset_class = InternshipFilter

    def get_queryset(self):
        return selectors.internships_visible_to(self.request.user)

    def visible(self, pk: int) -> Internship:
        return selectors.internship_for(self.request.user, pk)

    def move(self, pk: int, to_status: str, outcome: str = "") -> Response:
        internship = self.visible(pk)
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
        self.visible(pk)
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
