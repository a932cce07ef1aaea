"""The talent API's overseas experts and their packages, seen by officials and the host
enterprise's members only."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from directory.api import EnterpriseCodeField
from ssb_portal.api import FORBIDDEN, INVALID, NOT_FOUND, RefuseUnknownFields, sent
from ssb_portal.viewsets import SignedInViewSet
from talent import selectors, services
from talent.filters import ExpertFilter
from talent.models import ExpertStatus, OverseasExpert

MAX_BENEFITS = 50


# --- input ---------------------------------------------------------------------------------


class BenefitSerializer(RefuseUnknownFields, serializers.Serializer):
    label = serializers.CharField(max_length=120)
    amount_cny = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, help_text=_("CNY a year.")
    )


class ExpertWriteSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ExpertStatus.choices, required=False)
    benefits = BenefitSerializer(
        many=True,
        required=False,
        max_length=MAX_BENEFITS,
        help_text=_(
            "Other benefits of the package; they replace the ones recorded. Left out, the "
            "recorded ones stay."
        ),
    )

    class Meta:
        model = OverseasExpert
        fields = (*services.EXPERT_FIELDS, "benefits")


class ExpertCreateSerializer(ExpertWriteSerializer):
    host = EnterpriseCodeField(
        help_text=_("The unified social credit code of the host enterprise.")
    )

    class Meta(ExpertWriteSerializer.Meta):
        fields = ("host", *services.EXPERT_FIELDS, "benefits")


# --- output --------------------------------------------------------------------------------


class ExpertSerializer(serializers.ModelSerializer):
    host = serializers.CharField(source="host.uscc", read_only=True)
    host_name_zh = serializers.CharField(source="host.name_zh", read_only=True)
    status = serializers.ChoiceField(choices=ExpertStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    benefits = BenefitSerializer(many=True, read_only=True)
    total_package_cny = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        read_only=True,
        help_text=_("C_total = base salary + housing benefit + other benefits; computed."),
    )

    class Meta:
        model = OverseasExpert
        fields = (
            "id",
            "host",
            "host_name_zh",
            "name",
            "country",
            "field",
            "years_experience",
            "status",
            "status_label",
            "signed_on",
            "base_salary_cny",
            "housing_benefit_cny",
            "benefits",
            "total_package_cny",
            "school_priority",
            "relocation_support",
            "created_at",
        )
        read_only_fields = fields


# --- views ---------------------------------------------------------------------------------


@extend_schema(tags=["talent experts"])
class ExpertViewSet(SignedInViewSet):
    """Overseas experts with 5+ years in battery R&D and their packages; seen by officials and
    the host enterprise's members only."""

    serializer_class = ExpertSerializer
    filterset_class = ExpertFilter

    def get_queryset(self):
        return selectors.experts_visible_to(self.request.user)

    @extend_schema(
        summary=_("Experts you may see"),
        description=_("Your enterprises' experts; officials see every expert."),
        responses={200: ExpertSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        return self.paged(ExpertSerializer)

    @extend_schema(
        summary=_("Record an expert"),
        description=_(
            "By the host enterprise's members or officials. The total package is computed: "
            "base salary + housing benefit + the other benefits."
        ),
        request=ExpertCreateSerializer,
        responses={201: ExpertSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        serializer = ExpertCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expert = services.expert_save(
            actor=request.user,
            host=serializer.validated_data["host"],
            data=sent(serializer, "host", "benefits"),
            benefits=serializer.validated_data.get("benefits", ()),
        )
        return self.detail_response(expert.pk, status.HTTP_201_CREATED)

    @extend_schema(summary=_("One expert"), responses={200: ExpertSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, pk: int) -> Response:
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Change an expert's record"),
        description=_("Status, package and the rest; the total package is computed again."),
        request=ExpertWriteSerializer,
        responses={200: ExpertSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        expert = self.visible(pk)
        serializer = ExpertWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "benefits" in serializer.validated_data:
            benefits = serializer.validated_data["benefits"]
        else:
            benefits = [
                {"label": benefit.label, "amount_cny": benefit.amount_cny}
                for benefit in expert.benefits.all()
            ]
        services.expert_save(
            actor=request.user,
            host=expert.host,
            data=sent(serializer, "benefits"),
            benefits=benefits,
            expert=expert,
        )
        return self.detail_response(pk)
