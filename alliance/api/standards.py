"""Standards work: the standards with their confirmed participants, recording a standard,
declaring a participation.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from alliance import selectors
from alliance.api.common import OrganisationSerializer, not_before
from alliance.filters import StandardFilter
from alliance.models import (
    ParticipationStatus,
    Standard,
    StandardParticipation,
    StandardRole,
    StandardStage,
)
from alliance.services import standards as standard_services
from directory.api import EnterpriseCodeField
from ssb_portal.api import FORBIDDEN, INVALID, NOT_FOUND, RefuseUnknownFields
from ssb_portal.viewsets import SignedInViewSet


class StandardInSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = Standard
        fields = ("body", "number", "title", "is_international", "stage")


class ParticipationInSerializer(RefuseUnknownFields, serializers.Serializer):
    enterprise = EnterpriseCodeField(
        help_text=_("The unified social credit code of your organisation.")
    )
    role = serializers.ChoiceField(choices=StandardRole.choices)
    joined_on = serializers.DateField()
    left_on = serializers.DateField(required=False, allow_null=True, default=None)
    evidence = serializers.CharField(help_text=_("Working-group letter, ballot record, …"))

    def validate(self, attrs: dict) -> dict:
        not_before(attrs, "joined_on", "left_on")
        return attrs


class StandardBriefSerializer(serializers.ModelSerializer):
    stage = serializers.ChoiceField(choices=StandardStage.choices, read_only=True)

    class Meta:
        model = Standard
        fields = ("id", "body", "number", "title", "is_international", "stage")
        read_only_fields = fields


class StandardParticipantSerializer(serializers.ModelSerializer):
    enterprise = OrganisationSerializer(read_only=True)
    role = serializers.ChoiceField(choices=StandardRole.choices, read_only=True)

    class Meta:
        model = StandardParticipation
        fields = ("enterprise", "role", "joined_on", "left_on")
        read_only_fields = fields


class StandardSerializer(StandardBriefSerializer):
    """A standard with its confirmed participants; expects selectors.standards_public."""

    participations = StandardParticipantSerializer(
        source="confirmed_participations",
        many=True,
        read_only=True,
        help_text=_("Confirmed by the officials."),
    )

    class Meta(StandardBriefSerializer.Meta):
        fields = (*StandardBriefSerializer.Meta.fields, "participations")
        read_only_fields = fields


class ParticipationSerializer(StandardParticipantSerializer):
    """A declared participation, as the officials will decide it."""

    status = serializers.ChoiceField(choices=ParticipationStatus.choices, read_only=True)

    class Meta(StandardParticipantSerializer.Meta):
        fields = (
            "id",
            "standard",
            *StandardParticipantSerializer.Meta.fields,
            "evidence",
            "status",
        )
        read_only_fields = fields


@extend_schema(tags=["alliance standards"])
class StandardViewSet(SignedInViewSet):
    """Standards work: the standards and the confirmed roles of the organisations in it."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = StandardSerializer
    filterset_class = StandardFilter

    def get_queryset(self):
        return selectors.standards_public()

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        standard = get_object_or_404(selectors.standards_public(), pk=pk)
        return Response(StandardSerializer(standard).data, status=code)

    @extend_schema(
        summary=_("Standards"),
        description=_("By body and number, each with its confirmed participants."),
        responses={200: StandardSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(StandardSerializer(page, many=True).data)

    @extend_schema(summary=_("One standard"), responses={200: StandardSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, pk: int) -> Response:
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Record a standard"),
        description=_("Once per body and number; then declare your organisation's role in it."),
        request=StandardInSerializer,
        responses={201: StandardSerializer, 400: INVALID},
    )
    def create(self, request: Request) -> Response:
        serializer = StandardInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        standard = standard_services.standard_register(
            actor=request.user, data=serializer.validated_data
        )
        return self.detail_response(standard.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Declare a participation"),
        description=_(
            "Your organisation's role in the standard's work, with the evidence; officials "
            "confirm it. Confirmed participations are what a standards-reward claim points to."
        ),
        request=ParticipationInSerializer,
        responses={201: ParticipationSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated],
        filter_backends=[],
        pagination_class=None,
    )
    def participations(self, request: Request, pk: int) -> Response:
        standard = get_object_or_404(Standard.objects.all(), pk=pk)
        serializer = ParticipationInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participation = standard_services.participation_declare(
            actor=request.user, standard=standard, **serializer.validated_data
        )
        return Response(ParticipationSerializer(participation).data, status=status.HTTP_201_CREATED)
