"""Collaborations born of demands: parties, milestones, documents, deliveries, closing."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from alliance import selectors
from alliance.filters import CollaborationFilter
from alliance.models import (
    Collaboration,
    CollaborationDocument,
    CollaborationMilestone,
    CollaborationModel,
    CollaborationParty,
    CollaborationStatus,
    PartyRole,
)
from alliance.services import collaborations as collaboration_services
from directory.api import EnterpriseCodeField
from ssb_portal.api import FORBIDDEN, INVALID, NOT_FOUND, RefuseUnknownFields
from ssb_portal.viewsets import SignedInViewSet


class CollaborationMilestoneInSerializer(RefuseUnknownFields, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class CollaborationMilestoneCompleteInSerializer(RefuseUnknownFields, serializers.Serializer):
    completed_on = serializers.DateField(
        default=timezone.localdate, help_text=_("Today when not given; never in the future.")
    )


class CollaborationCloseInSerializer(RefuseUnknownFields, serializers.Serializer):
    status = serializers.ChoiceField(
        choices=CollaborationStatus.choices, help_text=_("completed or terminated.")
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when the collaboration is terminated: the reason."),
    )


class PartyInSerializer(RefuseUnknownFields, serializers.Serializer):
    enterprise = EnterpriseCodeField(
        help_text=_("The unified social credit code of the alliance member to bring in.")
    )


class PartySerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    name_zh = serializers.CharField(source="enterprise.name_zh", read_only=True)
    name_en = serializers.CharField(source="enterprise.name_en", read_only=True)
    role = serializers.ChoiceField(choices=PartyRole.choices, read_only=True)

    class Meta:
        model = CollaborationParty
        fields = ("uscc", "name_zh", "name_en", "role")
        read_only_fields = fields


class CollaborationMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = CollaborationMilestone
        fields = ("id", "title", "due_on", "completed_on")
        read_only_fields = fields


class CollaborationDocumentSerializer(serializers.ModelSerializer):
    """A document's record; the file itself is downloaded from the collaboration's page."""

    class Meta:
        model = CollaborationDocument
        fields = (
            "id",
            "title",
            "original_name",
            "content_type",
            "size_bytes",
            "sha256",
            "uploaded_at",
        )
        read_only_fields = fields


class SupplyDeliverySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quantity = serializers.DecimalField(
        max_digits=None,
        decimal_places=3,
        help_text=_("What the anchor's purchase records show it bought from the supplier."),
    )
    amount_cny = serializers.DecimalField(max_digits=None, decimal_places=2)
    committed = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text=_("The committed annual volume."),
    )
    delivered_percent = serializers.DecimalField(max_digits=None, decimal_places=1, allow_null=True)


class CollaborationSerializer(serializers.ModelSerializer):
    model = serializers.ChoiceField(choices=CollaborationModel.choices, read_only=True)
    status = serializers.ChoiceField(choices=CollaborationStatus.choices, read_only=True)
    parties = PartySerializer(many=True, read_only=True)

    class Meta:
        model = Collaboration
        fields = (
            "id",
            "title",
            "demand",
            "model",
            "status",
            "agreed_value_cny",
            "starts_on",
            "ends_on",
            "committed_annual_volume",
            "volume_unit",
            "created_at",
            "closed_at",
            "parties",
        )
        read_only_fields = fields


class CollaborationDetailSerializer(CollaborationSerializer):
    """Expects selectors.collaboration_for, and the deliveries in the context."""

    milestones = CollaborationMilestoneSerializer(many=True, read_only=True)
    documents = CollaborationDocumentSerializer(many=True, read_only=True)
    supply_deliveries = serializers.SerializerMethodField(
        help_text=_(
            "Long-term supply agreements: per year, what the anchor bought from the supplier "
            "against the committed annual volume."
        )
    )

    class Meta(CollaborationSerializer.Meta):
        fields = (
            *CollaborationSerializer.Meta.fields,
            "milestones",
            "documents",
            "supply_deliveries",
        )
        read_only_fields = fields

    @extend_schema_field(SupplyDeliverySerializer(many=True))
    def get_supply_deliveries(self, collaboration: Collaboration) -> list[dict]:
        if collaboration.model != CollaborationModel.LONG_TERM_SUPPLY:
            return []
        deliveries = selectors.supply_delivered(collaboration)
        return SupplyDeliverySerializer(deliveries, many=True).data


@extend_schema(tags=["alliance collaborations"])
class CollaborationViewSet(SignedInViewSet):
    """Collaborations born of demands: parties, milestones, documents, deliveries."""

    serializer_class = CollaborationSerializer
    detail_serializer_class = CollaborationDetailSerializer
    filterset_class = CollaborationFilter

    def get_queryset(self):
        return selectors.collaborations_visible_to(self.request.user)

    def visible(self, pk: int) -> Collaboration:
        return selectors.collaboration_for(self.request.user, pk)

    @extend_schema(
        summary=_("Your collaborations"),
        description=_("Those your organisations take part in; officials see every one."),
        responses={200: CollaborationSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(CollaborationSerializer(page, many=True).data)

    @extend_schema(
        summary=_("One collaboration"),
        description=_(
            "Its parties, milestones, documents (their records) and, for a long-term supply "
            "agreement, the deliveries by year."
        ),
        responses={200: CollaborationDetailSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Add a milestone"),
        description=_("A party's members."),
        request=CollaborationMilestoneInSerializer,
        responses={
            201: CollaborationMilestoneSerializer,
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def milestones(self, request: Request, pk: int) -> Response:
        collaboration = self.visible(pk)
        serializer = CollaborationMilestoneInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        milestone = collaboration_services.milestone_add(
            actor=request.user, collaboration=collaboration, **serializer.validated_data
        )
        return Response(
            CollaborationMilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=_("Complete a milestone"),
        description=_("A party's members."),
        parameters=[
            OpenApiParameter("milestone_id", int, OpenApiParameter.PATH, description=_("Its id."))
        ],
        request=CollaborationMilestoneCompleteInSerializer,
        responses={
            200: CollaborationMilestoneSerializer,
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="milestones/<int:milestone_id>/complete",
        url_name="milestone-complete",
        filter_backends=[],
        pagination_class=None,
    )
    def milestone_complete(self, request: Request, pk: int, milestone_id: int) -> Response:
        collaboration = self.visible(pk)
        milestone = get_object_or_404(collaboration.milestones.all(), pk=milestone_id)
        serializer = CollaborationMilestoneCompleteInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        milestone = collaboration_services.milestone_complete(
            actor=request.user, milestone=milestone, **serializer.validated_data
        )
        return Response(CollaborationMilestoneSerializer(milestone).data)

    @extend_schema(
        summary=_("Close a collaboration"),
        description=_("Completed, or terminated with the reason."),
        request=CollaborationCloseInSerializer,
        responses={
            200: CollaborationDetailSerializer,
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def close(self, request: Request, pk: int) -> Response:
        collaboration = self.visible(pk)
        serializer = CollaborationCloseInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        collaboration_services.collaboration_close(
            actor=request.user, collaboration=collaboration, **serializer.validated_data
        )
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Bring in a party"),
        description=_("A university, research institute or another SME of the alliance."),
        request=PartyInSerializer,
        responses={201: PartySerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def parties(self, request: Request, pk: int) -> Response:
        collaboration = self.visible(pk)
        serializer = PartyInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        party = collaboration_services.collaboration_add_party(
            actor=request.user, collaboration=collaboration, **serializer.validated_data
        )
        return Response(PartySerializer(party).data, status=status.HTTP_201_CREATED)
