"""The member list, a member's public page, and applying to join."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from alliance import selectors
from alliance.api.standards import StandardBriefSerializer
from alliance.filters import MemberFilter
from alliance.models import (
    AllianceMember,
    CollaborationModel,
    CollaborationParty,
    CollaborationStatus,
    MemberStatus,
    PartyRole,
    StandardParticipation,
    StandardRole,
)
from alliance.services import membership as membership_services
from directory.api import EnterpriseCodeField
from directory.models import EnterpriseKind
from directory.validators import normalise_uscc
from ssb_portal.api import FORBIDDEN, INVALID, NOT_FOUND, RefuseUnknownFields
from ssb_portal.viewsets import SignedInViewSet


class MemberApplySerializer(RefuseUnknownFields, serializers.Serializer):
    enterprise = EnterpriseCodeField(
        help_text=_("The unified social credit code of your organisation, which applies.")
    )
    motivation = serializers.CharField(required=False, allow_blank=True, default="")
    notify_new_demands = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_("For SMEs: an email when an anchor member posts a demand you qualify for."),
    )


class MemberSerializer(serializers.ModelSerializer):
    """An approved member as the public list shows it."""

    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    name_zh = serializers.CharField(source="enterprise.name_zh", read_only=True)
    name_en = serializers.CharField(source="enterprise.name_en", read_only=True)
    kind = serializers.ChoiceField(
        source="enterprise.kind", choices=EnterpriseKind.choices, read_only=True
    )
    district = serializers.CharField(source="enterprise.district.code", read_only=True)
    is_local = serializers.BooleanField(source="enterprise.district.is_local", read_only=True)
    member_since = serializers.DateTimeField(source="decided_at", read_only=True, allow_null=True)

    class Meta:
        model = AllianceMember
        fields = ("uscc", "name_zh", "name_en", "kind", "district", "is_local", "member_since")
        read_only_fields = fields


class MemberCollaborationSerializer(serializers.ModelSerializer):
    """A collaboration on a member's public page: no money, no documents."""

    id = serializers.IntegerField(source="collaboration.pk", read_only=True)
    title = serializers.CharField(source="collaboration.title", read_only=True)
    model = serializers.ChoiceField(
        source="collaboration.model", choices=CollaborationModel.choices, read_only=True
    )
    status = serializers.ChoiceField(
        source="collaboration.status", choices=CollaborationStatus.choices, read_only=True
    )
    starts_on = serializers.DateField(source="collaboration.starts_on", read_only=True)
    ends_on = serializers.DateField(source="collaboration.ends_on", read_only=True, allow_null=True)
    role = serializers.ChoiceField(choices=PartyRole.choices, read_only=True)

    class Meta:
        model = CollaborationParty
        fields = ("id", "title", "model", "status", "starts_on", "ends_on", "role")
        read_only_fields = fields


class MemberStandardSerializer(serializers.ModelSerializer):
    """A confirmed role in a standard's work."""

    standard = StandardBriefSerializer(read_only=True)
    role = serializers.ChoiceField(choices=StandardRole.choices, read_only=True)

    class Meta:
        model = StandardParticipation
        fields = ("standard", "role", "joined_on", "left_on")
        read_only_fields = fields


class MemberDetailSerializer(MemberSerializer):
    """A member's public page; expects selectors.member_public."""

    collaborations = MemberCollaborationSerializer(
        source="enterprise.collaboration_parties", many=True, read_only=True
    )
    standards = MemberStandardSerializer(
        source="enterprise.standard_participations",
        many=True,
        read_only=True,
        help_text=_("Confirmed participations in standards work."),
    )

    class Meta(MemberSerializer.Meta):
        fields = (*MemberSerializer.Meta.fields, "collaborations", "standards")
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    """An organisation's own membership record, as its application left it."""

    enterprise = serializers.CharField(source="enterprise.uscc", read_only=True)
    status = serializers.ChoiceField(choices=MemberStatus.choices, read_only=True)

    class Meta:
        model = AllianceMember
        fields = (
            "enterprise",
            "status",
            "motivation",
            "notify_new_demands",
            "applied_at",
            "decided_at",
            "decision_reason",
        )
        read_only_fields = fields


USCC_PARAMETER = OpenApiParameter(
    "uscc",
    str,
    OpenApiParameter.PATH,
    description=_("The member's unified social credit code."),
)


@extend_schema(tags=["alliance"])
class MemberViewSet(SignedInViewSet):
    """The Industry Alliance's members: verified enterprises, universities and institutes."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    lookup_field = "uscc"
    lookup_value_converter = "str"

    def get_queryset(self):
        return selectors.members_public()

    @extend_schema(
        summary=_("Alliance members"),
        description=_("Approved members by name; filter by the kind of organisation."),
        responses={200: MemberSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(MemberSerializer(page, many=True).data)

    @extend_schema(
        summary=_("A member's public page"),
        description=_("Its collaborations (without their value) and its confirmed standards work."),
        parameters=[USCC_PARAMETER],
        responses={200: MemberDetailSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, uscc: str) -> Response:
        member = selectors.member_public(normalise_uscc(uscc))
        return Response(MemberDetailSerializer(member).data)

    @extend_schema(
        summary=_("Apply to join"),
        description=_(
            "For an organisation verified in the directory, by one of its members; officials "
            "approve or decline the application. A declined organisation may apply again."
        ),
        request=MemberApplySerializer,
        responses={201: MembershipSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        serializer = MemberApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = membership_services.member_apply(actor=request.user, **serializer.validated_data)
        return Response(MembershipSerializer(member).data, status=status.HTTP_201_CREATED)
