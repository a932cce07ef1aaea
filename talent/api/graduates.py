"""The talent API's graduate reports: a university reports a year's graduates as JSON rows
(checked as the page's file upload is), an employer confirms a hire."""

import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from directory.api import EnterpriseCodeField
from ssb_portal.api import FORBIDDEN, INVALID, NOT_FOUND, RefuseUnknownFields
from ssb_portal.roles import is_official
from ssb_portal.viewsets import SignedInViewSet
from talent import graduate_rows, selectors, services
from talent.filters import YEAR_MAX, YEAR_MIN, GraduateFilter
from talent.models import DegreeLevel, Destination, Graduate

MAX_GRADUATE_ROWS = 5_000


# --- input ---------------------------------------------------------------------------------


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


# --- output --------------------------------------------------------------------------------


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


# --- views ---------------------------------------------------------------------------------


@extend_schema(tags=["talent graduates"])
class GraduateViewSet(SignedInViewSet):
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
