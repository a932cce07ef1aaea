"""One SME's thread with one demand (shortlist, decline, answer, agree) and the meetings
between the two sides, with their calendar files.
"""

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from alliance import calendar, selectors
from alliance.api.common import NoteInSerializer, not_before
from alliance.models import DemandResponse, Meeting, MeetingStatus, ResponseStatus
from alliance.services import collaborations as collaboration_services
from alliance.services import responses as response_services
from directory.models import CapacityUnit
from ssb_portal.api import FORBIDDEN, INVALID, NOT_FOUND, RefuseUnknownFields
from ssb_portal.viewsets import SignedInViewSet


class AnswerInSerializer(RefuseUnknownFields, serializers.Serializer):
    accept = serializers.BooleanField(help_text=_("true accepts the invitation, false declines."))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TermsInSerializer(RefuseUnknownFields, serializers.Serializer):
    """The anchor sends the terms as it agrees; the SME agrees to them as they are (no body)."""

    agreed_value_cny = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False, allow_null=True)
    committed_annual_volume = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=_("Long-term supply agreements: what the supplier commits to deliver a year."),
    )
    volume_unit = serializers.ChoiceField(
        choices=CapacityUnit.choices, required=False, allow_blank=True
    )

    def validate(self, attrs: dict) -> dict:
        not_before(attrs, "starts_on", "ends_on")
        return attrs


class MeetingInSerializer(RefuseUnknownFields, serializers.Serializer):
    slots = serializers.ListField(
        child=serializers.DateTimeField(),
        min_length=1,
        max_length=response_services.MAX_MEETING_SLOTS,
        help_text=_("Proposed start times in the future, ISO 8601 with the time zone."),
    )
    duration_minutes = serializers.IntegerField(min_value=15, max_value=480, default=60)
    location = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class MeetingAnswerInSerializer(RefuseUnknownFields, serializers.Serializer):
    accept = serializers.BooleanField(help_text=_("true accepts one of the slots, false declines."))
    slot = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("The chosen slot, when accepting.")
    )


class TermsSerializer(serializers.Serializer):
    """The terms the anchor proposed; null where it set none."""

    agreed_value_cny = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True, read_only=True
    )
    starts_on = serializers.DateField(allow_null=True, read_only=True)
    ends_on = serializers.DateField(allow_null=True, read_only=True)
    committed_annual_volume = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, read_only=True
    )
    volume_unit = serializers.CharField(allow_null=True, read_only=True)


def _side_uscc(meeting: Meeting) -> str:
    response = meeting.response
    if meeting.proposed_by_id == response.demand.owner_id:
        return response.demand.owner.uscc
    return response.supplier.uscc


class MeetingSerializer(serializers.ModelSerializer):
    proposed_by = serializers.SerializerMethodField(
        help_text=_("The unified social credit code of the side that proposed it.")
    )
    slots = serializers.ListField(child=serializers.DateTimeField(), read_only=True)
    status = serializers.ChoiceField(choices=MeetingStatus.choices, read_only=True)
    calendar = serializers.SerializerMethodField(
        help_text=_("Once accepted: the address of the meeting's calendar file (.ics).")
    )

    class Meta:
        model = Meeting
        fields = (
            "id",
            "response",
            "proposed_by",
            "slots",
            "duration_minutes",
            "location",
            "status",
            "starts_at",
            "calendar",
            "created_at",
        )
        read_only_fields = fields

    def get_proposed_by(self, meeting: Meeting) -> str:
        return _side_uscc(meeting)

    def get_calendar(self, meeting: Meeting) -> str | None:
        if meeting.status != MeetingStatus.ACCEPTED:
            return None
        return reverse("alliance-api:meeting-ics", args=[meeting.pk])


class ResponseSerializer(serializers.ModelSerializer):
    """One SME's thread with one demand, with its meetings."""

    demand_title = serializers.CharField(source="demand.title", read_only=True)
    supplier = serializers.CharField(source="supplier.uscc", read_only=True)
    supplier_name_zh = serializers.CharField(source="supplier.name_zh", read_only=True)
    supplier_name_en = serializers.CharField(source="supplier.name_en", read_only=True)
    status = serializers.ChoiceField(choices=ResponseStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    owner_terms = TermsSerializer(read_only=True)
    meetings = MeetingSerializer(many=True, read_only=True)

    class Meta:
        model = DemandResponse
        fields = (
            "id",
            "demand",
            "demand_title",
            "supplier",
            "supplier_name_zh",
            "supplier_name_en",
            "status",
            "status_label",
            "message",
            "invited_at",
            "answered_at",
            "owner_terms",
            "owner_agreed_at",
            "supplier_agreed_at",
            "created_at",
            "meetings",
        )
        read_only_fields = fields


class AgreementSerializer(serializers.Serializer):
    response = ResponseSerializer()
    collaboration = serializers.IntegerField(
        allow_null=True,
        help_text=_("The collaboration's id once both sides agreed; null until then."),
    )


@extend_schema(tags=["alliance demands"])
class ResponseViewSet(SignedInViewSet):
    """One SME's thread with one demand, for the members of its two sides."""

    serializer_class = ResponseSerializer
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        return DemandResponse.objects.none()

    @staticmethod
    def detail_response(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
        response = selectors.response_for(request.user, pk)
        return Response(ResponseSerializer(response).data, status=code)

    def visible(self, pk: int) -> DemandResponse:
        return selectors.response_for(self.request.user, pk)

    @extend_schema(summary=_("One response"), responses={200: ResponseSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, pk: int) -> Response:
        return self.detail_response(request, pk)

    @extend_schema(
        summary=_("Shortlist an interested SME"),
        description=_("The demand's owner."),
        request=None,
        responses={200: ResponseSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def shortlist(self, request: Request, pk: int) -> Response:
        response_services.response_shortlist(actor=request.user, response=self.visible(pk))
        return self.detail_response(request, pk)

    @extend_schema(
        summary=_("Turn an SME down"),
        description=_("The demand's owner, before the SME was invited."),
        request=NoteInSerializer,
        responses={200: ResponseSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: int) -> Response:
        response = self.visible(pk)
        serializer = NoteInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response_services.response_decline(
            actor=request.user, response=response, note=serializer.validated_data["note"]
        )
        return self.detail_response(request, pk)

    @extend_schema(
        summary=_("Answer an invitation"),
        description=_("The invited SME accepts or declines; how fast it answers counts later."),
        request=AnswerInSerializer,
        responses={200: ResponseSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: int) -> Response:
        response = self.visible(pk)
        serializer = AnswerInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response_services.response_answer(
            actor=request.user, response=response, **serializer.validated_data
        )
        return self.detail_response(request, pk)

    @extend_schema(
        summary=_("Agree to collaborate"),
        description=_(
            "Once the invitation is accepted. The anchor agrees with its terms (at least the "
            "start date); changing them withdraws the SME's earlier agreement. The SME agrees "
            "to the terms as they are, with an empty body. The second agreement creates the "
            "collaboration (201)."
        ),
        request=TermsInSerializer,
        responses={
            200: AgreementSerializer,
            201: AgreementSerializer,
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def agree(self, request: Request, pk: int) -> Response:
        response = self.visible(pk)
        serializer = TermsInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        terms = {
            name: value
            for name, value in serializer.validated_data.items()
            if name in serializer.initial_data
        }
        if terms and not selectors.is_demand_owner(request.user, response.demand):
            raise serializers.ValidationError(
                {name: [gettext("The anchor enterprise sets the terms.")] for name in terms}
            )
        collaboration = collaboration_services.collaboration_agree(
            actor=request.user, response=response, terms=terms or None
        )
        body = {
            "response": ResponseSerializer(selectors.response_for(request.user, pk)).data,
            "collaboration": collaboration.pk if collaboration else None,
        }
        code = status.HTTP_201_CREATED if collaboration else status.HTTP_200_OK
        return Response(body, status=code)

    @extend_schema(
        methods=["get"],
        summary=_("The response's meetings"),
        responses={200: MeetingSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["post"],
        summary=_("Propose a meeting"),
        description=_("Either side proposes up to five time slots; the other side picks one."),
        request=MeetingInSerializer,
        responses={201: MeetingSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"])
    def meetings(self, request: Request, pk: int) -> Response:
        response = self.visible(pk)
        if request.method == "GET":
            meetings = response.meetings.all()
            return Response(MeetingSerializer(meetings, many=True).data)
        serializer = MeetingInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = response_services.meeting_propose(
            actor=request.user, response=response, **serializer.validated_data
        )
        meeting = selectors.meeting_for(request.user, meeting.pk)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class CalendarRenderer(renderers.BaseRenderer):
    """iCalendar text as it is; anything else (an error) as plain JSON text."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, str):
            return data.encode(self.charset)
        return renderers.JSONRenderer().render(data)


@extend_schema(tags=["alliance demands"])
class MeetingViewSet(SignedInViewSet):
    """Meetings between the two sides of a response; nobody else sees them."""

    serializer_class = MeetingSerializer
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        return Meeting.objects.none()

    def visible(self, pk: int) -> Meeting:
        return selectors.meeting_for(self.request.user, pk)

    @extend_schema(summary=_("One meeting"), responses={200: MeetingSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(MeetingSerializer(self.visible(pk)).data)

    @extend_schema(
        summary=_("Answer a meeting request"),
        description=_("The other side accepts one of the proposed slots, or declines."),
        request=MeetingAnswerInSerializer,
        responses={200: MeetingSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: int) -> Response:
        meeting = self.visible(pk)
        serializer = MeetingAnswerInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        chosen = serializer.validated_data.get("slot")
        # The slots are kept as ISO strings; name the one at the same instant, whatever the
        # time zone the client wrote it in.
        slot = next(
            (text for text in meeting.slots if chosen and parse_datetime(text) == chosen),
            chosen.isoformat() if chosen else None,
        )
        response_services.meeting_answer(
            actor=request.user,
            meeting=meeting,
            slot=slot,
            accept=serializer.validated_data["accept"],
        )
        return Response(MeetingSerializer(self.visible(pk)).data)

    @extend_schema(
        summary=_("The meeting's calendar file"),
        description=_("Once accepted: an iCalendar (.ics) file to add to a calendar."),
        responses={(200, "text/calendar"): OpenApiTypes.STR, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, CalendarRenderer],
    )
    def ics(self, request: Request, pk: int) -> HttpResponse:
        meeting = self.visible(pk)
        if meeting.status != MeetingStatus.ACCEPTED or meeting.starts_at is None:
            raise NotFound(gettext("This meeting has no agreed time yet."))
        return calendar.meeting_file(request, meeting)
