"""Demonstration projects and the calculators in the API (/api/v1/, namespace "alliance-api").

GET /demonstrations/ is public; a member of the operating organisation records a project
(POST /demonstrations/) and files its field reports (POST /demonstrations/{id}/reports/);
anybody else gets 403. The calculators (POST /calculators/lcos/ and
/calculators/drone-flight-time/) are public and compute nothing they have not validated:
bad input answers 400 with the message under the field's name. LCOS values are CNY/kWh as
decimal strings with four places.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.demonstrations import selectors, services, targets
from alliance.demonstrations.calculators import drone_flight, lcos_comparison
from alliance.demonstrations.forms import (
    MAX_ENTRY,
    check_discount_rate,
    check_lcos_system,
    parse_amounts,
)
from alliance.demonstrations.models import (
    DemonstrationProject,
    DemonstrationScenario,
    DemonstrationStatus,
    FieldReport,
)
from alliance.demonstrations.services import DEMONSTRATION_FIELDS, FIELD_REPORT_FIELDS
from directory.api import EnterpriseCodeField
from ssb_portal.api import FORBIDDEN, INVALID, NOT_FOUND, RefuseUnknownFields
from ssb_portal.formulas import DRONE_SPECIFIC_ENERGY_TARGET_WH_PER_KG

# Inline enums (wrapped in allOf so that they stay inline): the name "status" is taken by
# other choice sets among the schema's components.


@extend_schema_field(
    {
        "allOf": [{"type": "string", "enum": list(DemonstrationStatus.values)}],
        "description": "planned, operating, completed or suspended",
    }
)
class DemonstrationStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=DemonstrationStatus.choices, **kwargs)


@extend_schema_field(
    {
        "allOf": [{"type": "string", "enum": list(targets.STATUS_LABELS)}],
        "description": "met, not_met, unknown (not yet known) or not_enough_reports",
    }
)
class TargetStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=list(targets.STATUS_LABELS), **kwargs)


@extend_schema_field(
    {"type": "array", "items": {"type": "string", "format": "decimal"}, "minItems": 1}
)
class AmountsSerializerField(serializers.Field):
    """A list of non-negative decimal numbers (strings or numbers), one per year."""

    def to_internal_value(self, data: Any) -> list:
        if not isinstance(data, list):
            raise serializers.ValidationError(gettext("Give a list with one value per year."))
        if any(isinstance(entry, bool | dict | list) for entry in data):
            raise serializers.ValidationError(gettext("Each value must be a number."))
        try:
            return parse_amounts([str(entry) for entry in data])
        except DjangoValidationError as error:
            raise serializers.ValidationError(list(error.messages)) from error

    def to_representation(self, value: Any) -> list:
        return [str(entry) for entry in value]


# --- demonstrations: output ---------------------------------------------------------------------


class EnterpriseBriefSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


class TargetSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    status = TargetStatusField()
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    points = serializers.IntegerField(allow_null=True)
    r_squared = serializers.FloatField(allow_null=True)


class FieldReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = FieldReport
        fields = ("id", *FIELD_REPORT_FIELDS, "filed_at")


class DemonstrationSerializer(serializers.ModelSerializer):
    operator = EnterpriseBriefSerializer()
    suppliers = EnterpriseBriefSerializer(many=True)
    status = DemonstrationStatusField()
    scenario_label = serializers.CharField(source="get_scenario_display")
    status_label = serializers.CharField(source="get_status_display")
    targets = serializers.SerializerMethodField()
    reports = FieldReportSerializer(many=True)

    class Meta:
        model = DemonstrationProject
        fields = (
            "id",
            *DEMONSTRATION_FIELDS,
            "scenario_label",
            "status_label",
            "operator",
            "suppliers",
            "targets",
            "reports",
        )

    def get_targets(self, project: DemonstrationProject) -> list[dict[str, Any]]:
        results = targets.judge(project.scenario, project.reports.all())
        return TargetSerializer(results, many=True).data


# --- demonstrations: input ----------------------------------------------------------------------


class DemonstrationInSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    operator = EnterpriseCodeField()
    suppliers = serializers.ListField(child=EnterpriseCodeField(), required=False, max_length=50)
    status = DemonstrationStatusField(required=False)

    class Meta:
        model = DemonstrationProject
        fields = ("operator", "suppliers", *DEMONSTRATION_FIELDS)


class FieldReportInSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = FieldReport
        fields = FIELD_REPORT_FIELDS

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low = attrs.get("lowest_temperature_c")
        high = attrs.get("highest_temperature_c")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"highest_temperature_c": gettext("The highest temperature is below the lowest.")}
            )
        return attrs


class DemonstrationViewSet(viewsets.GenericViewSet):
    """Demonstration projects: the public showcase with each scenario's targets."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = DemonstrationSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        queryset = selectors.demonstrations_public()
        scenario = self.request.query_params.get("scenario")
        if scenario:
            if scenario not in DemonstrationScenario.values:
                raise serializers.ValidationError(
                    {"scenario": [gettext("Choose one of the scenarios.")]}
                )
            queryset = queryset.filter(scenario=scenario)
        return queryset

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        project = selectors.demonstration_public(pk)
        return Response(DemonstrationSerializer(project).data, status=code)

    @extend_schema(
        summary=_("Demonstration projects"),
        description=_("Every project with its field reports and its status against targets."),
        responses={200: DemonstrationSerializer(many=True), 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DemonstrationSerializer(page, many=True).data)

    @extend_schema(
        summary=_("One demonstration project"),
        responses={200: DemonstrationSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        return self._detail(pk)

    @extend_schema(
        summary=_("Record a demonstration project"),
        description=_("By a member of the operating organisation; the project is public."),
        request=DemonstrationInSerializer,
        responses={201: DemonstrationSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        serializer = DemonstrationInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project = services.demonstration_create(
            actor=request.user,
            operator=data.pop("operator"),
            suppliers=data.pop("suppliers", []),
            data=data,
        )
        return self._detail(project.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("File a field report"),
        description=_("By a member of the project's operator."),
        request=FieldReportInSerializer,
        responses={201: DemonstrationSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def reports(self, request: Request, pk: int) -> Response:
        project = get_object_or_404(DemonstrationProject.objects.all(), pk=pk)
        serializer = FieldReportInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.field_report_file(
            actor=request.user, project=project, data=serializer.validated_data
        )
        return self._detail(project.pk, status.HTTP_201_CREATED)


# --- calculators --------------------------------------------------------------------------------


class LcosSystemSerializer(RefuseUnknownFields, serializers.Serializer):
    capital_cost_cny = serializers.DecimalField(
        max_digits=20, decimal_places=2, min_value=0, max_value=MAX_ENTRY
    )
    om_costs_cny = AmountsSerializerField()
    replacement_costs_cny = AmountsSerializerField()
    energy_discharged_kwh = AmountsSerializerField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = check_lcos_system(attrs)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class LcosInSerializer(RefuseUnknownFields, serializers.Serializer):
    discount_rate = serializers.DecimalField(max_digits=8, decimal_places=6, max_value=10)
    solid_state = LcosSystemSerializer()
    incumbent = LcosSystemSerializer()

    def validate_discount_rate(self, value):
        try:
            check_discount_rate(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(list(error.messages)) from error
        return value


class LcosOutSerializer(serializers.Serializer):
    solid_state_cny_per_kwh = serializers.DecimalField(max_digits=24, decimal_places=4)
    incumbent_cny_per_kwh = serializers.DecimalField(max_digits=24, decimal_places=4)
    difference_cny_per_kwh = serializers.DecimalField(max_digits=24, decimal_places=4)
    difference_percent = serializers.DecimalField(max_digits=24, decimal_places=2, allow_null=True)
    solid_state_years = serializers.IntegerField()
    incumbent_years = serializers.IntegerField()
    unit = serializers.SerializerMethodField()

    def get_unit(self, result) -> str:
        return "CNY/kWh"


class DroneInSerializer(RefuseUnknownFields, serializers.Serializer):
    system_efficiency = serializers.DecimalField(max_digits=6, decimal_places=4)
    pack_energy_wh = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    average_power_w = serializers.DecimalField(max_digits=12, decimal_places=2)
    pack_mass_kg = serializers.DecimalField(
        max_digits=10, decimal_places=3, required=False, allow_null=True
    )

    def validate_system_efficiency(self, value):
        if not 0 < value <= 1:
            raise serializers.ValidationError(
                gettext("The efficiency is a fraction above 0 and at most 1.")
            )
        return value

    def validate_average_power_w(self, value):
        if value <= 0:
            raise serializers.ValidationError(gettext("The average power must be above 0 W."))
        return value

    def validate_pack_mass_kg(self, value):
        if value is not None and value <= 0:
            raise serializers.ValidationError(gettext("The pack mass must be above 0 kg."))
        return value


class DroneOutSerializer(serializers.Serializer):
    flight_time_h = serializers.FloatField()
    flight_time_min = serializers.FloatField()
    specific_energy_wh_per_kg = serializers.DecimalField(
        max_digits=20, decimal_places=2, allow_null=True
    )
    target_wh_per_kg = serializers.IntegerField()
    meets_specific_energy_target = serializers.BooleanField(allow_null=True)


class CalculatorView(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]


class LcosCalculatorView(CalculatorView):
    @extend_schema(
        tags=["alliance"],
        summary=_("Levelised cost of storage"),
        description=_(
            "LCOS (CNY/kWh) of a solid-state system and of an incumbent system, and the "
            "difference (solid-state minus incumbent). Lists hold one value per year; the "
            "lifetime is their length."
        ),
        request=LcosInSerializer,
        responses={200: LcosOutSerializer, 400: INVALID},
    )
    def post(self, request: Request) -> Response:
        serializer = LcosInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = lcos_comparison(**serializer.validated_data)
        return Response(LcosOutSerializer(result).data)


class DroneCalculatorView(CalculatorView):
    @extend_schema(
        tags=["alliance"],
        summary=_("Drone flight time"),
        description=_(
            "T ≈ η·E/P in hours and minutes; with the pack mass, the specific energy (Wh/kg) "
            "and whether it is above %(target)s Wh/kg."
        )
        % {"target": DRONE_SPECIFIC_ENERGY_TARGET_WH_PER_KG},
        request=DroneInSerializer,
        responses={200: DroneOutSerializer, 400: INVALID},
    )
    def post(self, request: Request) -> Response:
        serializer = DroneInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = drone_flight(**serializer.validated_data)
        return Response(DroneOutSerializer(result).data)
