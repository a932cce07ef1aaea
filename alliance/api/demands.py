"""Demands: post, change, close, their matches, the SMEs' interest and invitations."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from alliance import selectors
from alliance.api.common import NoteInSerializer, OrganisationSerializer
from alliance.api.responses import ResponseSerializer, ResponseViewSet
from alliance.filters import DemandFilter
from alliance.models import (
    CollaborationModel,
    Demand,
    DemandStatus,
    DemandVisibility,
    ResponseStatus,
)
from alliance.services import demands as demand_services
from alliance.services import responses as response_services
from directory.api import EnterpriseCodeField, FiniteFloatField
from directory.models import CapacityUnit, CertificationScheme, SupplyCategory
from ssb_portal.api import FORBIDDEN, INVALID, NOT_FOUND, RefuseUnknownFields, sent
from ssb_portal.roles import is_official
from ssb_portal.viewsets import SignedInViewSet


class DemandWriteSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    """A demand's fields; the thresholds are the directory search's spec fields."""

    # Floats must be finite; the bounds come from the model's field validators, so that a value
    # out of range is reported under its own name.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.FloatField: FiniteFloatField,
    }
    category = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=SupplyCategory.objects.all(),
        help_text=_("A category slug, see /api/v1/categories/."),
    )
    required_certifications = serializers.ListField(
        child=serializers.ChoiceField(choices=CertificationScheme.choices),
        required=False,
        max_length=len(CertificationScheme.choices),
        help_text=_("Certification schemes a supplier must hold, valid today."),
    )
    volume_unit = serializers.ChoiceField(
        choices=CapacityUnit.choices,
        required=False,
        allow_blank=True,
        help_text=_("The unit of the annual volume, as production capacities are given."),
    )

    class Meta:
        model = Demand
        fields = demand_services.DEMAND_FIELDS


class DemandCreateSerializer(DemandWriteSerializer):
    owner = EnterpriseCodeField(
        help_text=_("The unified social credit code of your anchor enterprise, which posts it.")
    )

    class Meta(DemandWriteSerializer.Meta):
        fields = ("owner", *demand_services.DEMAND_FIELDS)


class InterestInSerializer(RefuseUnknownFields, serializers.Serializer):
    supplier = EnterpriseCodeField(
        help_text=_("The unified social credit code of your SME, which answers the demand.")
    )
    message = serializers.CharField(help_text=_("What your enterprise can offer."))


class InviteInSerializer(RefuseUnknownFields, serializers.Serializer):
    supplier = EnterpriseCodeField(help_text=_("The unified social credit code of the SME."))
    message = serializers.CharField(required=False, allow_blank=True, default="")


class DemandSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.uscc", read_only=True)
    owner_name_zh = serializers.CharField(source="owner.name_zh", read_only=True)
    owner_name_en = serializers.CharField(source="owner.name_en", read_only=True)
    category = serializers.CharField(source="category.slug", read_only=True)
    required_certifications = serializers.ListField(
        child=serializers.ChoiceField(choices=CertificationScheme.choices), read_only=True
    )
    preferred_model = serializers.ChoiceField(choices=CollaborationModel.choices, read_only=True)
    visibility = serializers.ChoiceField(choices=DemandVisibility.choices, read_only=True)
    status = serializers.ChoiceField(choices=DemandStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Demand
        fields = (
            "id",
            "owner",
            "owner_name_zh",
            "owner_name_en",
            *demand_services.DEMAND_FIELDS,
            "status",
            "status_label",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class ScorePartSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=_("specs, capacity, local, recommended, track_record or responsiveness.")
    )
    points = serializers.FloatField()
    max_points = serializers.IntegerField()
    detail = serializers.DictField(help_text=_("The figures behind the points."))


class MatchProductSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="product_id")
    name = serializers.CharField(source="product_name")
    specs = serializers.DictField(
        source="product",
        child=serializers.FloatField(allow_null=True),
        help_text=_("The product's values of the demand's threshold fields."),
    )


class MatchSerializer(serializers.Serializer):
    """A candidate for a demand: the best of its products and the score's parts."""

    enterprise = OrganisationSerializer(source="*")
    product = MatchProductSerializer(source="*")
    score = serializers.FloatField(source="score.total", help_text=_("From 0 to 100."))
    parts = ScorePartSerializer(source="score.parts", many=True)
    qualifies = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("The thresholds met and the certifications held."),
    )
    response_status = serializers.SerializerMethodField(
        help_text=_("Where the candidate's thread with this demand stands; null if none.")
    )

    @extend_schema_field(serializers.ChoiceField(choices=ResponseStatus.choices, allow_null=True))
    def get_response_status(self, match: selectors.Match) -> str | None:
        return self.context.get("response_statuses", {}).get(match.enterprise_id)


@extend_schema(tags=["alliance demands"])
class DemandViewSet(SignedInViewSet):
    """Demands of anchor members, their matches and the SMEs' responses."""

    serializer_class = DemandSerializer
    filterset_class = DemandFilter

    def get_queryset(self):
        return selectors.demands_visible_to(self.request.user)

    def visible(self, pk: int) -> Demand:
        return selectors.demand_for(self.request.user, pk)

    @extend_schema(
        summary=_("Demands you may see"),
        description=_(
            "Newest first: your organisations' demands, the open demands for all members and "
            "the private ones your SME was invited to; officials see every demand. Empty for a "
            "user with no organisation in the alliance."
        ),
        responses={200: DemandSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(DemandSerializer(page, many=True).data)

    @extend_schema(
        summary=_("Post a demand"),
        description=_(
            "For an anchor enterprise in the alliance, by one of its members. SMEs that "
            "qualify and asked for it hear of a demand open to all members by email."
        ),
        request=DemandCreateSerializer,
        responses={201: DemandSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        serializer = DemandCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        demand = demand_services.demand_create(
            actor=request.user,
            owner=serializer.validated_data["owner"],
            data=sent(serializer, "owner"),
        )
        return self.detail_response(demand.pk, status.HTTP_201_CREATED)

    @extend_schema(summary=_("One demand"), responses={200: DemandSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, pk: int) -> Response:
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Change a demand"),
        description=_("Its owner's members, while the demand is open."),
        request=DemandWriteSerializer,
        responses={200: DemandSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        demand = self.visible(pk)
        serializer = DemandWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        demand_services.demand_update(actor=request.user, demand=demand, data=sent(serializer))
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Close a demand"),
        request=NoteInSerializer,
        responses={200: DemandSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def close(self, request: Request, pk: int) -> Response:
        demand = self.visible(pk)
        serializer = NoteInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        demand_services.demand_close(
            actor=request.user, demand=demand, note=serializer.validated_data["note"]
        )
        return self.detail_response(pk)

    @extend_schema(
        summary=_("The demand's matches"),
        description=_(
            "For the demand's owner and officials: the verified SMEs that pass the hard "
            "filters (category, every threshold met by one product, certifications valid "
            "today), best first, each with its score from 0 to 100 and the parts it is built "
            "from."
        ),
        responses={200: MatchSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def matches(self, request: Request, pk: int) -> Response:
        demand = self.visible(pk)
        if not (selectors.is_demand_owner(request.user, demand) or is_official(request.user)):
            raise NotFound()
        matches = selectors.demand_matches(demand)
        statuses = dict(demand.responses.values_list("supplier_id", "status"))
        context = {"response_statuses": statuses}
        return Response(MatchSerializer(matches, many=True, context=context).data)

    @extend_schema(
        methods=["get"],
        summary=_("Responses to the demand"),
        description=_("The owner's members and officials see every response; an SME sees its own."),
        responses={200: ResponseSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["post"],
        summary=_("Express interest"),
        description=_("An SME in the alliance tells the anchor it can supply what it asks for."),
        request=InterestInSerializer,
        responses={201: ResponseSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def responses(self, request: Request, pk: int) -> Response:
        demand = self.visible(pk)
        if request.method == "GET":
            page = self.paginate_queryset(selectors.demand_responses_for(request.user, demand))
            return self.get_paginated_response(ResponseSerializer(page, many=True).data)
        serializer = InterestInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response = response_services.interest_express(
            actor=request.user, demand=demand, **serializer.validated_data
        )
        return ResponseViewSet.detail_response(request, response.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Invite an SME"),
        description=_(
            "The owner invites a verified SME of the alliance, from its matches or from those "
            "who showed interest."
        ),
        request=InviteInSerializer,
        responses={200: ResponseSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def invite(self, request: Request, pk: int) -> Response:
        demand = self.visible(pk)
        serializer = InviteInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response = response_services.supplier_invite(
            actor=request.user, demand=demand, **serializer.validated_data
        )
        return ResponseViewSet.detail_response(request, response.pk)
