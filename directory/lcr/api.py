"""The Local Content Ratio over the API: GET /api/v1/lcr/.

Without `buyer` it answers the city-wide figure, which is public and names no firm. With
`buyer` it answers one firm's figure, for the firm's members and officials only; everybody
else, logged in or not, gets 404, so the answer never tells whether a firm buys at all.
"""

from decimal import ROUND_HALF_UP

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from directory.api import UsccField
from directory.lcr import selectors
from directory.validators import validate_uscc


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=18, decimal_places=2, rounding=ROUND_HALF_UP, read_only=True, **kwargs
    )


def _percent(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        rounding=ROUND_HALF_UP,
        allow_null=True,
        read_only=True,
        **kwargs,
    )


LOCAL_VALUE_HELP = _("Value of locally sourced components, CNY excl. VAT, as a decimal string.")
TOTAL_VALUE_HELP = _("Total value of components, CNY excl. VAT, as a decimal string.")
CONFIRMED_VALUE_HELP = _(
    "Of the local value, CNY excl. VAT: what the suppliers confirmed on the lines as they are."
)
UNCONFIRMED_VALUE_HELP = _(
    "Of the local value, CNY excl. VAT: what no supplier has confirmed or disputed yet (or "
    "was decided on values the line no longer has)."
)
DISPUTED_VALUE_HELP = _("Of the local value, CNY excl. VAT: what the suppliers disputed.")
LCR_HELP = _(
    "Local content ratio in percent, rounded half-up to 2 places; null when the total is zero "
    "or less."
)


class LcrQuerySerializer(serializers.Serializer):
    buyer = UsccField(
        required=False,
        validators=[validate_uscc],
        help_text=_("The buying firm's unified social credit code; leave out for the city."),
    )
    year = serializers.IntegerField(
        required=False,
        min_value=selectors.LCR_FIRST_YEAR,
        max_value=selectors.LCR_LAST_YEAR,
        help_text=_("Invoice year; the current year when left out."),
    )
    group_by = serializers.ChoiceField(
        choices=selectors.LCR_GROUPINGS,
        required=False,
        help_text=_(
            "Split the figure by supply category, quarter, supplier or basis of the local "
            "shares (declared, verified composition, safe-harbour table, no share). City-wide "
            "figures by supplier are for officials only."
        ),
    )


class LcrGroupSerializer(serializers.Serializer):
    key = serializers.CharField(
        read_only=True,
        help_text=_(
            "Category slug, quarter (2026-Q1), supplier USCC (else its name), or the basis of "
            "the shares: declared, verified, safe_harbour or none (no share: a local "
            "supplier's line counts whole)."
        ),
    )
    # Each grouping has fields of its own: they are optional (not read-only, which the schema
    # would make required), present only for their grouping.
    name_zh = serializers.CharField(required=False, help_text=_("Categories."))
    name_en = serializers.CharField(required=False, help_text=_("Categories."))
    supplier_uscc = serializers.CharField(
        required=False, allow_null=True, help_text=_("Suppliers.")
    )
    supplier_name = serializers.CharField(required=False, help_text=_("Suppliers."))
    local_value = _money(help_text=LOCAL_VALUE_HELP)
    total_value = _money(help_text=TOTAL_VALUE_HELP)
    lcr_percent = _percent(help_text=LCR_HELP)
    confirmed_value = _money(help_text=CONFIRMED_VALUE_HELP)
    unconfirmed_value = _money(help_text=UNCONFIRMED_VALUE_HELP)
    disputed_value = _money(help_text=DISPUTED_VALUE_HELP)


class LcrPublishedSerializer(serializers.Serializer):
    published_at = serializers.DateTimeField(read_only=True)
    local_value = _money(help_text=LOCAL_VALUE_HELP)
    total_value = _money(help_text=TOTAL_VALUE_HELP)
    lcr_percent = _percent(help_text=LCR_HELP)
    target_percent = _percent(help_text=_("The year's target when it was published."))


class LcrFigureSerializer(serializers.Serializer):
    buyer = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("The firm's USCC; null for the city.")
    )
    year = serializers.IntegerField(read_only=True)
    local_value = _money(help_text=LOCAL_VALUE_HELP)
    total_value = _money(help_text=TOTAL_VALUE_HELP)
    lcr_percent = _percent(help_text=LCR_HELP)
    confirmed_value = _money(help_text=CONFIRMED_VALUE_HELP)
    unconfirmed_value = _money(help_text=UNCONFIRMED_VALUE_HELP)
    disputed_value = _money(help_text=DISPUTED_VALUE_HELP)
    target_percent = _percent(
        help_text=_("The year's target on the programme's trajectory; null before its baseline.")
    )
    groups = LcrGroupSerializer(many=True, read_only=True)
    status = serializers.ChoiceField(
        choices=[selectors.OFFICIAL, selectors.PROVISIONAL],
        read_only=True,
        help_text=_(
            "“official” when officials published (froze) the year: its official figure is "
            "`official_lcr_percent`; “provisional” otherwise: the live figure may still change "
            "(imports awaiting review do not count in it)."
        ),
    )
    official_lcr_percent = _percent(
        help_text=_(
            "The frozen LCR of a published year (as `published.lcr_percent`); null otherwise."
        )
    )
    confirmed_share_percent = _percent(
        help_text=_(
            "The share of the local value its suppliers confirmed, in percent, rounded half-up "
            "to 2 places; null without local value."
        )
    )
    published = LcrPublishedSerializer(
        read_only=True,
        allow_null=True,
        help_text=_(
            "The figures officials froze when they published the year (null while it is not "
            "published); they never change, so the difference to the live figure shows."
        ),
    )


class LcrView(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["local content ratio"],
        summary=_("The Local Content Ratio of a firm or of the city"),
        description=_(
            "LCR = value of locally sourced components / total value of components × 100 %, "
            "from the purchase lines invoiced in the year. A line counts as local when its "
            "supplier is a verified enterprise registered in the municipality, at the "
            "product's verified local-content share where one is set. Without `buyer`: the "
            "city-wide figure (public). With `buyer`: the firm's figure, for its members and "
            "officials only (404 for everybody else). An invalid parameter answers 400 with "
            "the error under its name."
        ),
        parameters=[LcrQuerySerializer],
        responses={
            200: LcrFigureSerializer,
            400: OpenApiResponse(
                description=_("A parameter is invalid; the error is listed under its name.")
            ),
            404: OpenApiResponse(
                description=_("No such firm, or you are neither its member nor an official.")
            ),
        },
    )
    def get(self, request: Request) -> Response:
        query = LcrQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        year = params.get("year") or timezone.localdate().year
        group_by = params.get("group_by")
        if "buyer" in params:
            figures = selectors.lcr_for_buyer(
                user=request.user, uscc=params["buyer"], year=year, group_by=group_by
            )
        else:
            figures = selectors.lcr_for_city(user=request.user, year=year, group_by=group_by)
        return Response(LcrFigureSerializer(figures).data)
