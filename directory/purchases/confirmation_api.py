"""The suppliers' confirmation API: the purchase lines naming an enterprise, for its members,
and their decision on one line or a whole invoice. Thin views: parse, call one service or
selector, render."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from directory.access import enterprise_for_member
from directory.api import UsccField
from directory.models import ConfirmationStatus, PurchaseLine
from directory.purchases.confirmation_selectors import lines_naming_supplier
from directory.purchases.confirmations import purchase_invoice_decide, purchase_line_decide
from directory.purchases.filters import SupplierLineFilter
from ssb_portal.api import FORBIDDEN, INVALID, NOT_FOUND, RefuseUnknownFields
from ssb_portal.viewsets import SignedInViewSet


class SupplierLineSerializer(serializers.ModelSerializer):
    buyer = serializers.CharField(source="buyer.uscc", read_only=True)
    buyer_name = serializers.CharField(source="buyer.name_zh", read_only=True)
    category = serializers.CharField(source="category.slug", read_only=True, allow_null=True)
    status = serializers.ChoiceField(
        source="confirmation_status",
        choices=ConfirmationStatus.choices,
        read_only=True,
        help_text=_("Unconfirmed, confirmed or disputed, for the line as it is now."),
    )
    reason = serializers.SerializerMethodField(help_text=_("Why the line is disputed."))

    class Meta:
        model = PurchaseLine
        fields = (
            "id",
            "buyer",
            "buyer_name",
            "invoice_code",
            "invoice_no",
            "line_no",
            "invoice_date",
            "category",
            "quantity",
            "unit",
            "amount",
            "description",
            "status",
            "reason",
        )
        read_only_fields = fields

    def get_reason(self, line: PurchaseLine) -> str:
        if line.confirmation_status != ConfirmationStatus.DISPUTED:
            return ""
        return line.confirmation.reason


class DecisionSerializer(RefuseUnknownFields, serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ConfirmationStatus.choices,
        help_text=_("“confirmed” or “disputed”; a line is never set back to unconfirmed."),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Required to dispute: what is wrong with the line."),
    )


class InvoiceDecisionSerializer(DecisionSerializer):
    buyer = UsccField(help_text=_("The buying enterprise's code."))
    invoice_code = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("10 or 12 digits on a legacy VAT invoice; none on a fully digital one."),
    )
    invoice_no = serializers.CharField(max_length=64)


@extend_schema(tags=["purchases"])
class SupplierLineViewSet(SignedInViewSet):
    """The lines in which buyers name the enterprise as their supplier, and its word on them."""

    # For the schema: the lines are those of the enterprise named in the URL.
    queryset = PurchaseLine.objects.none()
    serializer_class = SupplierLineSerializer
    filterset_class = SupplierLineFilter

    def get_queryset(self) -> QuerySet[PurchaseLine]:
        supplier = enterprise_for_member(user=self.request.user, uscc=self.kwargs["uscc"])
        return lines_naming_supplier(supplier)

    @extend_schema(
        summary=_("Purchase lines naming your enterprise"),
        description=_(
            "For members of the supplier: the lines buyers recorded with your enterprise as "
            "supplier, newest invoices first, with your word on each. Another enterprise's "
            "code answers 404."
        ),
        responses={200: SupplierLineSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
    )
    def list(self, request: Request, uscc: str) -> Response:
        return self.paged(SupplierLineSerializer)

    @extend_schema(
        summary=_("Confirm or dispute a line"),
        request=DecisionSerializer,
        responses={200: SupplierLineSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def decide(self, request: Request, uscc: str, pk: int) -> Response:
        line = self.visible(pk)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        purchase_line_decide(
            actor=request.user,
            supplier=enterprise_for_member(user=request.user, uscc=uscc),
            line_id=line.pk,
            status=body.validated_data["status"],
            reason=body.validated_data.get("reason", ""),
        )
        return self.detail_response(pk)

    @extend_schema(
        summary=_("Confirm or dispute every line of an invoice"),
        request=InvoiceDecisionSerializer,
        responses={
            200: OpenApiResponse(description=_('How many lines changed: {"changed": 3}.')),
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def decide_invoice(self, request: Request, uscc: str) -> Response:
        body = InvoiceDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        get_object_or_404(
            self.get_queryset().filter(
                buyer__uscc=data["buyer"],
                invoice_code=data["invoice_code"],
                invoice_no=data["invoice_no"],
            )[:1]
        )
        changed = purchase_invoice_decide(
            actor=request.user,
            supplier=enterprise_for_member(user=request.user, uscc=uscc),
            buyer_uscc=data["buyer"],
            invoice_code=data["invoice_code"],
            invoice_no=data["invoice_no"],
            status=data["status"],
            reason=data.get("reason", ""),
        )
        return Response({"changed": changed}, status=status.HTTP_200_OK)
