"""The talent API's students: universities' staff record them and link the student's own
login; a student sees their own record."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from directory.api import EnterpriseCodeField
from ssb_portal.api import FORBIDDEN, INVALID, NOT_FOUND, RefuseUnknownFields, sent
from ssb_portal.viewsets import SignedInViewSet
from talent import selectors, services
from talent.filters import StudentFilter
from talent.models import DegreeLevel, Student

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


# --- views ---------------------------------------------------------------------------------


@extend_schema(tags=["talent students"])
class StudentViewSet(SignedInViewSet):
    """Universities' students: their staff record them; the student sees their own record."""

    serializer_class = StudentSerializer
    filterset_class = StudentFilter

    def get_queryset(self):
        return selectors.students_visible_to(self.request.user)

    def visible(self, pk: int) -> Student:
        return selectors.student_for(self.request.user, pk)

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
            data=sent(serializer, "university"),
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
        student = self.visible(pk)
        serializer = StudentWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.student_update(actor=request.user, student=student, data=sent(serializer))
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
        student = self.visible(pk)
        serializer = LinkAccountInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.student_link_account(
            actor=request.user, student=student, email=serializer.validated_data["email"]
        )
        return self.detail_response(pk)
