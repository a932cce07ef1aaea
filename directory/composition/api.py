"""The bills of materials' API: members declare their products' bills and read them;
officials read all, verify (with the verifier's report, multipart) and return. Thin views:
the services decide."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from directory.composition.lines import LineInput
from directory.composition.selectors import bills_visible_to, products_declarable_by
from directory.composition.services import bom_declare, bom_return, bom_verify
from directory.models import BillOfMaterials, BomLine, BomLineKind, CostUnit, Origin
from ssb_portal.api import FORBIDDEN, INVALID, NOT_FOUND


class BomLineSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=BomLineKind.choices, default=BomLineKind.MATERIAL)
    origin = serializers.ChoiceField(choices=Origin.choices, required=False, allow_blank=True)
    component = serializers.IntegerField(
        source="component_id",
        required=False,
        allow_null=True,
        help_text=_("A directory product's id."),
    )
    component_class = serializers.IntegerField(
        source="component_class_id",
        required=False,
        allow_null=True,
        help_text=_("A class of the category's safe-harbour table."),
    )

    class Meta:
        model = BomLine
        fields = (
            "kind",
            "description",
            "origin",
            "cost",
            "local_share",
            "component",
            "component_class",
        )
        extra_kwargs = {"description": {"allow_blank": True}}


class BillOfMaterialsSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id")
    cost_unit = serializers.ChoiceField(choices=CostUnit.choices, default=CostUnit.PERCENT)
    use_safe_harbour = serializers.BooleanField(write_only=True, default=False)
    lines = BomLineSerializer(many=True)

    class Meta:
        model = BillOfMaterials
        fields = (
            "id",
            "product",
            "cost_unit",
            "use_safe_harbour",
            "safe_harbour",
            "status",
            "computed_share",
            "valid_from",
            "valid_until",
            "declared_at",
            "lines",
        )
        read_only_fields = (
            "id",
            "safe_harbour",
            "status",
            "computed_share",
            "valid_from",
            "valid_until",
            "declared_at",
        )


class VerifySerializer(serializers.Serializer):
    valid_until = serializers.DateField()
    evidence = serializers.FileField(help_text=_("The verifier's report, a PDF."))
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


@extend_schema(tags=["bills of materials"])
class BillOfMaterialsViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A product's bills of materials: declared by its firm, verified by officials."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    serializer_class = BillOfMaterialsSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return bills_visible_to(self.request.user).order_by("-declared_at", "-pk")

    @extend_schema(responses={201: BillOfMaterialsSerializer, 400: INVALID, 404: NOT_FOUND})
    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Another firm's product, or none: 404, as if it did not exist.
        product = get_object_or_404(products_declarable_by(request.user), pk=data["product_id"])
        bom = bom_declare(
            actor=request.user,
            product=product,
            cost_unit=data["cost_unit"],
            use_safe_harbour=data["use_safe_harbour"],
            lines=[
                LineInput(
                    description=line.get("description", ""),
                    kind=line["kind"],
                    origin=line.get("origin", ""),
                    cost=line.get("cost"),
                    local_share=line.get("local_share"),
                    component=line.get("component_id"),
                    component_class=line.get("component_class_id"),
                )
                for line in data["lines"]
            ],
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=bom.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=VerifySerializer,
        responses={200: BillOfMaterialsSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        bom = self.get_object()
        form = VerifySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        bom_verify(actor=request.user, bom=bom, **form.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=bom.pk)).data)

    @extend_schema(
        request=ReturnSerializer,
        responses={200: BillOfMaterialsSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        bom = self.get_object()
        form = ReturnSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        bom_return(actor=request.user, bom=bom, reason=form.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=bom.pk)).data)


assert BillOfMaterials  # the model the serializer describes
