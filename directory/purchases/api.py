"""The purchase-records API: a firm's ERP pushes its purchase lines; members and officials
read them. Thin views: parse, call one service or selector, render."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from directory.access import enterprise_for_member
from directory.api import UsccField
from directory.models import PurchaseImportSource, PurchaseLine
from directory.purchases import selectors, services
from directory.purchases.filters import PurchaseLineFilter
from directory.purchases.rows import PURCHASE_COLUMNS, REQUIRED_COLUMNS
from directory.validators import normalise_uscc
from ssb_portal.api import RowErrorsSerializer
from ssb_portal.tabular import RowError

MAX_LINES_PER_CALL = 10_000

LINE_FIELDS_HELP = _(
    "Each line is an object with the fields invoice_code (legacy VAT invoices: 10 or 12 "
    "digits, with an 8-digit invoice_no; none for a fully digital invoice, whose invoice_no "
    "has 20 digits), invoice_no, line_no, invoice_date (YYYY-MM-DD, YYYY/M/D or YYYY年M月D日), "
    "supplier_uscc, supplier_name, category (a category's slug, Chinese or English name; "
    "without it, the category of the supplier's directory product), product (a product "
    "number from the directory, of this supplier), quantity, unit, amount (CNY excluding "
    "VAT, at most 2 decimals, negative for a credit note), amount_incl_vat and vat_amount "
    "(optional; without an amount, the amount is their difference), original_invoice_code "
    "and original_invoice_no (a credit note's original invoice, of the same supplier, "
    "recorded before or sent in the same call; a credit note reduces it at most to zero; "
    "none on an invoice's own lines), description and specification. Required: "
    "invoice_no, line_no (unless no line has one: then lines are numbered in order within "
    "each invoice), invoice_date, amount or amount_incl_vat with vat_amount; "
    "original_invoice_no on a negative line; supplier_name unless supplier_uscc names a "
    'directory enterprise. Send amounts as decimal strings ("1234.50").'
)

LINE_SCHEMA = {
    "type": "object",
    "properties": {
        "invoice_code": {"type": "string", "pattern": "^([0-9]{10}|[0-9]{12})$"},
        "invoice_no": {"type": "string", "maxLength": 64, "example": "00012345"},
        "line_no": {"type": "integer", "minimum": 1, "example": 1},
        "invoice_date": {"type": "string", "format": "date", "example": "2026-03-31"},
        "supplier_uscc": {"type": "string", "example": "91330100MA2H3K4L50"},
        "supplier_name": {"type": "string", "maxLength": 160},
        "category": {"type": "string", "example": "sulfide-electrolyte"},
        "product": {"type": "integer", "nullable": True},
        "quantity": {"type": "string", "format": "decimal", "nullable": True},
        "unit": {"type": "string", "maxLength": 16},
        "amount": {"type": "string", "format": "decimal", "example": "187500.00"},
        "amount_incl_vat": {"type": "string", "format": "decimal", "nullable": True},
        "vat_amount": {"type": "string", "format": "decimal", "nullable": True},
        "original_invoice_code": {"type": "string", "pattern": "^([0-9]{10}|[0-9]{12})$"},
        "original_invoice_no": {"type": "string", "maxLength": 64},
        "description": {"type": "string", "maxLength": 255},
        "specification": {"type": "string"},
    },
    "required": list(REQUIRED_COLUMNS),
    "additionalProperties": False,
}


@extend_schema_field({"type": "array", "items": LINE_SCHEMA, "maxItems": MAX_LINES_PER_CALL})
class PurchaseLinesField(serializers.ListField):
    """Lines as sent; their fields are checked by the service, which reports every problem."""

    child = serializers.JSONField()


class PurchaseLinesInSerializer(serializers.Serializer):
    """The body of a push: the buying firm and its lines."""

    buyer = UsccField(help_text=_("Your enterprise's unified social credit code."))
    lines = PurchaseLinesField(
        allow_empty=False,
        max_length=MAX_LINES_PER_CALL,
        help_text=LINE_FIELDS_HELP,
        error_messages={
            "max_length": _("At most {max_length} lines per call: send the rest in further calls."),
            "empty": _("Send at least one line."),
        },
    )


class ReviewEffectSerializer(serializers.Serializer):
    """An import's effect on one year of the buyer, measured when it was held for review."""

    year = serializers.IntegerField()
    total_before = serializers.CharField(help_text=_("CNY excl. VAT, without the import."))
    total_after = serializers.CharField(help_text=_("CNY excl. VAT, with the import."))
    local_before = serializers.CharField()
    local_after = serializers.CharField()
    lcr_before = serializers.CharField(allow_null=True, help_text=_("Percent; null if none."))
    lcr_after = serializers.CharField(allow_null=True)
    crossed = serializers.ListField(
        child=serializers.ChoiceField(choices=["share", "points"]),
        help_text=_("The thresholds crossed: share of the year's value, LCR points."),
    )


class PurchaseImportErrorsSerializer(RowErrorsSerializer):
    """The lines' problems (each `row` is the line's position in `lines`, from 1)."""

    import_id = serializers.IntegerField(
        required=False, help_text=_("The refused import, kept for the record (nothing saved).")
    )


class PurchaseLineSerializer(serializers.ModelSerializer):
    buyer = serializers.CharField(source="buyer.uscc", read_only=True)
    supplier_uscc = serializers.CharField(source="supplier_id", read_only=True, allow_null=True)
    category = serializers.CharField(
        source="category.slug",
        read_only=True,
        allow_null=True,
        help_text=_("The category's slug; null while the line is uncategorised."),
    )
    product = serializers.IntegerField(source="product_id", read_only=True, allow_null=True)

    class Meta:
        model = PurchaseLine
        fields = (
            "id",
            "buyer",
            "invoice_code",
            "invoice_no",
            "line_no",
            "invoice_date",
            "supplier_uscc",
            "supplier_name",
            "category",
            "product",
            "quantity",
            "unit",
            "amount",
            "original_invoice_code",
            "original_invoice_no",
            "description",
            "updated_at",
        )
        read_only_fields = fields


def _shape_errors(lines: list[Any]) -> list[dict]:
    """Lines that are not objects, or name fields that do not exist, numbered from 1."""
    errors: list[dict] = []
    known = set(PURCHASE_COLUMNS)
    for row, line in enumerate(lines, start=1):
        if not isinstance(line, dict):
            errors.append(RowError(row, "", str(_("Each line must be an object."))).as_dict())
            continue
        errors.extend(
            RowError(row, str(name), str(_("Unknown field."))).as_dict()
            for name in line
            if name not in known
        )
    return errors


@extend_schema(tags=["purchases"])
class PurchaseLineViewSet(viewsets.GenericViewSet):
    """A firm's purchase lines, the data of the Local Content Ratio."""

    # Token first, so that a request without credentials is told to bring a token (401).
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    serializer_class = PurchaseLineSerializer
    filterset_class = PurchaseLineFilter

    def get_queryset(self) -> QuerySet[PurchaseLine]:
        return selectors.purchase_lines_visible_to(self.request.user).select_related(
            "buyer", "category"
        )

    @extend_schema(
        summary=_("Purchase lines"),
        description=_(
            "The lines you may see, newest invoices first: your own firm's, or every firm's "
            "for officials. Naming a buyer you may not see answers 404."
        ),
        responses={
            200: PurchaseLineSerializer(many=True),
            400: OpenApiResponse(description=_("A filter value is invalid.")),
            404: OpenApiResponse(description=_("No such buyer, or not yours to see.")),
        },
    )
    def list(self, request: Request) -> Response:
        if request.query_params.get("buyer"):
            selectors.buyer_visible_to(
                user=request.user, uscc=normalise_uscc(request.query_params["buyer"])
            )
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary=_("Record purchase lines"),
        description=_(
            "For ERP systems (token authentication). Send your firm's code and up to 10,000 "
            "lines. All or nothing: if any line is wrong nothing is saved and every problem is "
            "listed (row = the line's position from 1, column, message). The key of a line is "
            "(seller, invoice_code, invoice_no, line_no), the seller being supplier_uscc, else "
            "supplier_name: a line sent again unchanged changes nothing, with other values it "
            "is a correction, and its earlier values are kept in its history. Fields other "
            "than the seventeen columns are refused. A negative line is a credit note: it "
            "names its original invoice (same supplier), which it reduces at most to zero; "
            "no year's total may fall below zero. An import that adds more than a set share "
            "of a year's value or moves its LCR by more than a set number of points is kept "
            "awaiting an official's review (`awaiting_review`) and counts only once accepted."
        ),
        request=PurchaseLinesInSerializer,
        responses={
            201: inline_serializer(
                "PurchaseImportResult",
                {
                    "import_id": serializers.IntegerField(),
                    "created": serializers.IntegerField(),
                    "updated": serializers.IntegerField(),
                    "unchanged": serializers.IntegerField(),
                    "pending": serializers.IntegerField(),
                    "summary": serializers.CharField(),
                    "awaiting_review": serializers.BooleanField(
                        help_text=_(
                            "True when the import changes a year of the firm's figures more "
                            "than one import may at once: nothing of it counts until an "
                            "official accepts it (the counts say what it will do then)."
                        )
                    ),
                    "review_effect": ReviewEffectSerializer(
                        many=True,
                        help_text=_("Per year the import touches, when it awaits review."),
                    ),
                },
            ),
            400: PurchaseImportErrorsSerializer,
            404: OpenApiResponse(description=_("No such enterprise, or you are not a member.")),
        },
        examples=[
            OpenApiExample(
                "A line and a credit note of its invoice",
                request_only=True,
                value={
                    "buyer": "91330100MA2H3K4L50",
                    "lines": [
                        {
                            "invoice_code": "3300261130",
                            "invoice_no": "00012345",
                            "line_no": 1,
                            "invoice_date": "2026-03-31",
                            "supplier_uscc": "91330100MA2H3K4L50",
                            "category": "sulfide-electrolyte",
                            "quantity": "250.000",
                            "unit": "kg",
                            "amount": "187500.00",
                        },
                        {
                            "invoice_code": "3300261130",
                            "invoice_no": "00012388",
                            "line_no": 1,
                            "invoice_date": "2026-04-02",
                            "supplier_uscc": "91330100MA2H3K4L50",
                            "category": "sulfide-electrolyte",
                            "amount": "-1200.00",
                            "original_invoice_code": "3300261130",
                            "original_invoice_no": "00012345",
                            "description": "credit note",
                        },
                    ],
                },
            )
        ],
    )
    def create(self, request: Request) -> Response:
        serializer = PurchaseLinesInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        buyer = enterprise_for_member(user=request.user, uscc=serializer.validated_data["buyer"])
        lines = serializer.validated_data["lines"]
        shape_errors = _shape_errors(lines)
        if shape_errors:
            return Response({"errors": shape_errors}, status=status.HTTP_400_BAD_REQUEST)
        purchase_import, outcome = services.purchase_lines_import(
            actor=request.user,
            buyer=buyer,
            raw_rows=lines,
            source=PurchaseImportSource.API,
        )
        if not outcome.ok:
            return Response(
                {"import_id": purchase_import.pk, "errors": outcome.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                "import_id": purchase_import.pk,
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "pending": outcome.pending,
                "summary": outcome.summary(),
                "awaiting_review": outcome.held,
                "review_effect": outcome.effect,
            },
            status=status.HTTP_201_CREATED,
        )
