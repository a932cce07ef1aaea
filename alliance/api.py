"""The Industry Alliance's REST API: thin views that parse input, call one service or selector,
and render the result.

The member list and the standards are public. Demands are seen as the selectors allow (their
owner, the members for open demands to all members, the invited SMEs for private ones,
officials); a record the user may not see answers 404, a move the user may not make answers
403, and bad input answers 400 with the message under the field's name. Amounts are CNY as
decimal strings with two places ("19500.03"), never floats.
"""

from typing import Any

import django_filters
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import renderers, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from alliance import calendar, selectors, services
from alliance.models import (
    AllianceMember,
    Collaboration,
    CollaborationDocument,
    CollaborationMilestone,
    CollaborationModel,
    CollaborationParty,
    CollaborationStatus,
    Demand,
    DemandResponse,
    DemandStatus,
    DemandVisibility,
    Meeting,
    MeetingStatus,
    MemberStatus,
    ParticipationStatus,
    PartyRole,
    ResponseStatus,
    Standard,
    StandardParticipation,
    StandardRole,
    StandardStage,
)
from directory.api import EnterpriseCodeField, FiniteFloatField
from directory.filters import StrictBooleanFilter
from directory.models import (
    CapacityUnit,
    CertificationScheme,
    Enterprise,
    EnterpriseKind,
    SupplyCategory,
)
from directory.validators import normalise_uscc
from ssb_portal.api import RefuseUnknownFields
from ssb_portal.roles import is_official

# --- input ---------------------------------------------------------------------------------


def _not_before(attrs: dict, start: str, end: str) -> None:
    if attrs.get(start) and attrs.get(end) and attrs[end] < attrs[start]:
        raise serializers.ValidationError({end: gettext("This date cannot be before the start.")})


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
        fields = services.DEMAND_FIELDS


class DemandCreateSerializer(DemandWriteSerializer):
    owner = EnterpriseCodeField(
        help_text=_("The unified social credit code of your anchor enterprise, which posts it.")
    )

    class Meta(DemandWriteSerializer.Meta):
        fields = ("owner", *services.DEMAND_FIELDS)


class NoteInSerializer(RefuseUnknownFields, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InterestInSerializer(RefuseUnknownFields, serializers.Serializer):
    supplier = EnterpriseCodeField(
        help_text=_("The unified social credit code of your SME, which answers the demand.")
    )
    message = serializers.CharField(help_text=_("What your enterprise can offer."))


class InviteInSerializer(RefuseUnknownFields, serializers.Serializer):
    supplier = EnterpriseCodeField(help_text=_("The unified social credit code of the SME."))
    message = serializers.CharField(required=False, allow_blank=True, default="")


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
        _not_before(attrs, "starts_on", "ends_on")
        return attrs


class MeetingInSerializer(RefuseUnknownFields, serializers.Serializer):
    slots = serializers.ListField(
        child=serializers.DateTimeField(),
        min_length=1,
        max_length=services.MAX_MEETING_SLOTS,
        help_text=_("Proposed start times in the future, ISO 8601 with the time zone."),
    )
    duration_minutes = serializers.IntegerField(min_value=15, max_value=480, default=60)
    location = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class MeetingAnswerInSerializer(RefuseUnknownFields, serializers.Serializer):
    accept = serializers.BooleanField(help_text=_("true accepts one of the slots, false declines."))
    slot = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("The chosen slot, when accepting.")
    )


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
        _not_before(attrs, "joined_on", "left_on")
        return attrs


# --- output --------------------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ("uscc", "name_zh", "name_en")
        read_only_fields = fields


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


class StandardBriefSerializer(serializers.ModelSerializer):
    stage = serializers.ChoiceField(choices=StandardStage.choices, read_only=True)

    class Meta:
        model = Standard
        fields = ("id", "body", "number", "title", "is_international", "stage")
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
            "title",
            "description",
            "category",
            "ionic_conductivity_min",
            "asr_max",
            "specific_capacity_min",
            "decay_rate_max",
            "coulombic_efficiency_min",
            "weight_reduction_min",
            "required_certifications",
            "annual_volume",
            "volume_unit",
            "needed_by",
            "preferred_model",
            "visibility",
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


# --- filters -------------------------------------------------------------------------------


class MemberFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        field_name="enterprise__kind", choices=EnterpriseKind.choices
    )

    class Meta:
        model = AllianceMember
        fields = ("kind",)


class DemandFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DemandStatus.choices)
    category = django_filters.ModelChoiceFilter(
        queryset=SupplyCategory.objects.all(),
        to_field_name="slug",
        method="filter_category",
        help_text=_("A category's slug; a parent category includes its children."),
    )
    model = django_filters.ChoiceFilter(
        field_name="preferred_model",
        choices=CollaborationModel.choices,
        help_text=_("The preferred collaboration model."),
    )

    class Meta:
        model = Demand
        fields = ("status", "category", "model")

    def filter_category(self, queryset: QuerySet, name: str, value: SupplyCategory) -> QuerySet:
        return queryset.filter(Q(category=value) | Q(category__parent=value))


class CollaborationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CollaborationStatus.choices)
    model = django_filters.ChoiceFilter(choices=CollaborationModel.choices)

    class Meta:
        model = Collaboration
        fields = ("status", "model")


class StandardFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=StandardStage.choices)
    international = StrictBooleanFilter(
        field_name="is_international", help_text=_("true: international standards only.")
    )

    class Meta:
        model = Standard
        fields = ("stage", "international")


# --- views ---------------------------------------------------------------------------------

INVALID = OpenApiResponse(description=_("Invalid data; the errors are listed under each field."))
FORBIDDEN = OpenApiResponse(description=_("You may not do this."))
NOT_FOUND = OpenApiResponse(description=_("No such record, or not yours to see."))
USCC_PARAMETER = OpenApiParameter(
    "uscc",
    str,
    OpenApiParameter.PATH,
    description=_("The member's unified social credit code."),
)


class AllianceViewSet(viewsets.GenericViewSet):
    # Token first, so that a request without credentials is told to bring a token (401).
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    lookup_value_converter = "int"


@extend_schema(tags=["alliance"])
class MemberViewSet(AllianceViewSet):
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
        member = services.member_apply(actor=request.user, **serializer.validated_data)
        return Response(MembershipSerializer(member).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["alliance demands"])
class DemandViewSet(AllianceViewSet):
    """Demands of anchor members, their matches and the SMEs' responses."""

    serializer_class = DemandSerializer
    filterset_class = DemandFilter

    def get_queryset(self):
        return selectors.demands_visible_to(self.request.user)

    def visible(self, pk: int) -> Demand:
        return selectors.demand_for(self.request.user, pk)

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(DemandSerializer(self.visible(pk)).data, status=code)

    @staticmethod
    def sent(serializer: serializers.Serializer, *exclude: str) -> dict[str, Any]:
        """Only the fields the request names (form data would add empty values)."""
        return {
            name: value
            for name, value in serializer.validated_data.items()
            if name in serializer.initial_data and name not in exclude
        }

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
        demand = services.demand_create(
            actor=request.user,
            owner=serializer.validated_data["owner"],
            data=self.sent(serializer, "owner"),
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
        services.demand_update(actor=request.user, demand=demand, data=self.sent(serializer))
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
        services.demand_close(
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
        response = services.interest_express(
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
        response = services.supplier_invite(
            actor=request.user, demand=demand, **serializer.validated_data
        )
        return ResponseViewSet.detail_response(request, response.pk)


@extend_schema(tags=["alliance demands"])
class ResponseViewSet(AllianceViewSet):
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
        services.response_shortlist(actor=request.user, response=self.visible(pk))
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
        services.response_decline(
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
        services.response_answer(actor=request.user, response=response, **serializer.validated_data)
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
        collaboration = services.collaboration_agree(
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
        meeting = services.meeting_propose(
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
class MeetingViewSet(AllianceViewSet):
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
        services.meeting_answer(
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
        response = meeting.response
        # The same event as the demand page's file (same UID), so calendars keep one copy.
        text = calendar.meeting_ics(
            uid=f"alliance-meeting-{meeting.pk}@{request.get_host()}",
            starts_at=meeting.starts_at,
            duration_minutes=meeting.duration_minutes,
            summary=gettext("Meeting: %(title)s") % {"title": response.demand.title},
            location=meeting.location,
            description=gettext("%(owner)s and %(supplier)s, about the demand “%(title)s”.")
            % {
                "owner": response.demand.owner.name_zh,
                "supplier": response.supplier.name_zh,
                "title": response.demand.title,
            }
            + "\n"
            + request.build_absolute_uri(reverse("alliance:demand", args=[response.demand_id])),
            stamp=meeting.created_at,
        )
        return HttpResponse(
            text,
            content_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="meeting-{meeting.pk}.ics"'},
        )


@extend_schema(tags=["alliance collaborations"])
class CollaborationViewSet(AllianceViewSet):
    """Collaborations born of demands: parties, milestones, documents, deliveries."""

    serializer_class = CollaborationSerializer
    filterset_class = CollaborationFilter

    def get_queryset(self):
        return selectors.collaborations_visible_to(self.request.user)

    def visible(self, pk: int) -> Collaboration:
        return selectors.collaboration_for(self.request.user, pk)

    def detail_response(self, pk: int) -> Response:
        return Response(CollaborationDetailSerializer(self.visible(pk)).data)

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
        milestone = services.milestone_add(
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
        milestone = services.milestone_complete(
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
        services.collaboration_close(
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
        party = services.collaboration_add_party(
            actor=request.user, collaboration=collaboration, **serializer.validated_data
        )
        return Response(PartySerializer(party).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["alliance standards"])
class StandardViewSet(AllianceViewSet):
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
        standard = services.standard_register(actor=request.user, data=serializer.validated_data)
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
        participation = services.participation_declare(
            actor=request.user, standard=standard, **serializer.validated_data
        )
        return Response(ParticipationSerializer(participation).data, status=status.HTTP_201_CREATED)
