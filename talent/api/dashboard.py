"""The talent API's public dashboard: a year's figures against the programme targets, by
university and by enterprise; nobody is named."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from directory.models import Enterprise
from ssb_portal.api import INVALID
from ssb_portal.viewsets import SignedInViewSet
from talent import selectors
from talent.filters import YEAR_MAX, YEAR_MIN
from talent.models import Graduate


class RetentionFiguresSerializer(serializers.Serializer):
    graduates = serializers.IntegerField(help_text=_("N_grad, the relevant graduates."))
    retained = serializers.IntegerField(
        help_text=_("Graduates who joined a local solid-state battery enterprise.")
    )
    p_retain = serializers.DecimalField(
        max_digits=None,
        decimal_places=4,
        allow_null=True,
        help_text=_("retained / N_grad, a fraction; null without graduates."),
    )
    influx = serializers.DecimalField(
        max_digits=None, decimal_places=2, help_text=_("I_talent = N_grad × p_retain.")
    )
    meets_retention = serializers.BooleanField()


class UniversityFiguresSerializer(RetentionFiguresSerializer):
    university = serializers.CharField(
        source="uscc", help_text=_("The university's unified social credit code.")
    )
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


class EnterpriseFiguresSerializer(serializers.Serializer):
    enterprise = serializers.CharField(
        source="uscc", help_text=_("The enterprise's unified social credit code.")
    )
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    graduates_hired = serializers.IntegerField()
    internships_completed = serializers.IntegerField()
    hired_from_internships = serializers.IntegerField()
    conversion = serializers.DecimalField(
        max_digits=None,
        decimal_places=4,
        allow_null=True,
        help_text=_("Hires from internships / internships completed; null without any."),
    )


# One object, though the view is a viewset's `list`: the schema must not make it an array.
@extend_schema_serializer(many=False)
class DashboardSerializer(RetentionFiguresSerializer):
    """The year's figures against the programme targets; nobody is named."""

    year = serializers.IntegerField()
    graduates_target = serializers.IntegerField()
    meets_graduates = serializers.BooleanField()
    retention_target = serializers.DecimalField(max_digits=None, decimal_places=2)
    experts = serializers.IntegerField(
        help_text=_("Overseas experts recruited (contract signed) in the last experts_years.")
    )
    experts_years = serializers.IntegerField()
    experts_target_min = serializers.IntegerField()
    experts_target_max = serializers.IntegerField()
    meets_experts = serializers.BooleanField()
    scholarship_recipients = serializers.IntegerField()
    scholarship_money_cny = serializers.DecimalField(max_digits=None, decimal_places=2)
    scholarships_target = serializers.IntegerField()
    meets_scholarships = serializers.BooleanField()
    internships_completed = serializers.IntegerField()
    internships_hired = serializers.IntegerField()
    internship_conversion = serializers.DecimalField(
        max_digits=None, decimal_places=4, allow_null=True
    )
    by_university = UniversityFiguresSerializer(many=True)
    by_enterprise = EnterpriseFiguresSerializer(many=True)


class DashboardQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        required=False,
        help_text=_("This year if left out."),
    )


# --- views ---------------------------------------------------------------------------------


@extend_schema(tags=["talent"])
class DashboardViewSet(SignedInViewSet):
    """The talent programme's public figures."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = DashboardSerializer
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        return Graduate.objects.none()

    @extend_schema(
        summary=_("The talent dashboard"),
        description=_(
            "A year's figures against the programme targets: graduates entering the field and "
            "the local retention rate p_retain (with I_talent = N_grad × p_retain), overseas "
            "experts recruited over the last three years, scholarship recipients and money, "
            "the internship-to-hire conversion; by university and by enterprise. Public: "
            "figures only, nobody is named."
        ),
        parameters=[DashboardQuerySerializer],
        responses={200: DashboardSerializer, 400: INVALID},
    )
    def list(self, request: Request) -> Response:
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        figures = selectors.talent_dashboard(year)
        # The figures name organisations by id; the API names them by credit code (one query).
        ids = {row["university_id"] for row in figures["by_university"]}
        ids |= {row["enterprise"].pk for row in figures["by_enterprise"]}
        codes = dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "uscc"))
        figures["by_university"] = [
            {**row, "uscc": codes.get(row["university_id"], "")} for row in figures["by_university"]
        ]
        figures["by_enterprise"] = [
            {
                **row,
                "uscc": codes.get(row["enterprise"].pk, ""),
                "name_zh": row["enterprise"].name_zh,
                "name_en": row["enterprise"].name_en,
            }
            for row in figures["by_enterprise"]
        ]
        return Response(DashboardSerializer(figures).data)
