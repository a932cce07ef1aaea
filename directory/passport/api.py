"""The battery passport's API: a product's current passport and its BatteryPass export for
everybody who may see the product; the history, new versions, the current version and the
evidence files for its own organisation (404 for everybody else). Thin views."""

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from directory.api import NOT_FOUND_OR_NOT_YOURS, USCC_PARAMETER, DirectoryViewSet
from directory.models import (
    BatteryCategory,
    PassportDocument,
    PassportDocumentKind,
    PassportLevel,
    PassportVersion,
)
from directory.passport import selectors
from directory.passport.export import passport_export
from directory.passport.services import (
    passport_document_upload,
    passport_set_current,
    passport_version_create,
)
from directory.passport.units import QUANTITY_UNITS, UnitError, kept_value
from directory.validators import normalise_uscc
from ssb_portal.api import INVALID, RefuseUnknownFields


class PassportDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PassportDocument
        fields = ["id", "kind", "original_name", "content_type", "size_bytes", "sha256"]
        read_only_fields = fields


class PassportVersionSerializer(serializers.ModelSerializer):
    """A version's figures, each in the unit its name states."""

    documents = PassportDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = PassportVersion
        fields = [
            "number",
            "level",
            "battery_category",
            "chemistry_short_name",
            "chemistry_clear_name",
            "hazardous_substances",
            "critical_raw_materials",
            *QUANTITY_UNITS,
            "documents",
            "note",
            "created_at",
        ]
        read_only_fields = fields


def _unit_message(error: UnitError) -> str:
    units = ", ".join(error.units)
    if error.code == UnitError.MISSING_UNIT:
        return _("State the unit: one of %(units)s.") % {"units": units}
    if error.code == UnitError.UNKNOWN_UNIT:
        return _("“%(unit)s” is not a unit of this field; use one of %(units)s.") % {
            "unit": error.unit,
            "units": units,
        }
    if error.code == UnitError.NOT_A_NUMBER:
        return _("The value must be a finite number.")
    return _('Give {"value": number, "unit": one of %(units)s}.') % {"units": units}


class QuantityField(serializers.JSONField):
    """{"value": number, "unit": text}: kept in the field's own unit."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, allow_null=True, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        try:
            return kept_value(self.field_name, data)
        except UnitError as error:
            raise serializers.ValidationError(_unit_message(error)) from error


class SubstanceSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    cas_number = serializers.RegexField(
        r"^[0-9]{2,7}-[0-9]{2}-[0-9]$", required=False, allow_blank=True
    )
    concentration_percent = serializers.DecimalField(
        max_digits=7, decimal_places=4, min_value=0, max_value=100
    )


def _quantity_help(name: str) -> str:
    return format_lazy(gettext_lazy("Units: {units}"), units=", ".join(QUANTITY_UNITS[name]))


class PassportVersionWriteSerializer(RefuseUnknownFields, serializers.Serializer):
    """A new version; physical figures as {"value": number, "unit": text}."""

    level = serializers.ChoiceField(choices=PassportLevel.choices)
    battery_category = serializers.ChoiceField(choices=BatteryCategory.choices)
    chemistry_short_name = serializers.CharField(max_length=40)
    chemistry_clear_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    hazardous_substances = SubstanceSerializer(many=True, required=False)
    critical_raw_materials = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False
    )
    documents = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text=gettext_lazy(
            "Ids of this passport's evidence files; left out, the previous version's are kept."
        ),
    )
    note = serializers.CharField(required=False, allow_blank=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name in QUANTITY_UNITS:
            fields[name] = QuantityField(help_text=_quantity_help(name))
        return fields


class SetCurrentSerializer(RefuseUnknownFields, serializers.Serializer):
    number = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()


class PassportDocumentWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PassportDocumentKind.choices)
    file = serializers.FileField()


@extend_schema(tags=["products"], parameters=[USCC_PARAMETER])
class PassportViewSet(DirectoryViewSet):
    """A product's battery passport (EU Battery Regulation Annex XIII)."""

    queryset = PassportVersion.objects.none()
    serializer_class = PassportVersionSerializer
    pagination_class = None
    filter_backends = []
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _visible_current(self, uscc: str, pk: int) -> PassportVersion:
        """Members see their product's passport before it is listed; others once it is."""
        uscc = normalise_uscc(uscc)
        if self.request.user.is_authenticated:
            own = selectors.own_product(user=self.request.user, uscc=uscc, product_id=pk)
            if own is not None:
                return selectors.current_version_or_404(own)
        return selectors.public_current_version(uscc=uscc, product_id=pk)

    def _own(self, uscc: str, pk: int):
        return selectors.member_product(
            user=self.request.user, uscc=normalise_uscc(uscc), product_id=pk
        )

    @extend_schema(
        summary=gettext_lazy("A product's current battery passport"),
        responses={200: PassportVersionSerializer, 404: NOT_FOUND_OR_NOT_YOURS},
    )
    def retrieve(self, request: Request, uscc: str, pk: int) -> Response:
        return Response(PassportVersionSerializer(self._visible_current(uscc, pk)).data)

    @extend_schema(
        summary=gettext_lazy("A product's battery passport as BatteryPass JSON"),
        description=gettext_lazy(
            "Shaped like the BatteryPass data model (DIN DKE SPEC 99100); the JSON Schema is "
            "directory/passport/battery_passport.schema.json."
        ),
        responses={200: dict, 404: NOT_FOUND_OR_NOT_YOURS},
    )
    def export(self, request: Request, uscc: str, pk: int) -> Response:
        return Response(passport_export(self._visible_current(uscc, pk)))

    @extend_schema(
        summary=gettext_lazy("Every version of a product's battery passport"),
        description=gettext_lazy("Members only; newest first."),
        responses={200: PassportVersionSerializer(many=True), 404: NOT_FOUND_OR_NOT_YOURS},
    )
    def list(self, request: Request, uscc: str, pk: int) -> Response:
        versions = selectors.versions_of(self._own(uscc, pk))
        return Response(PassportVersionSerializer(versions, many=True).data)

    @extend_schema(
        summary=gettext_lazy("Add a battery-passport version"),
        description=gettext_lazy(
            "Members only. The new version becomes current; older versions are kept unchanged."
        ),
        request=PassportVersionWriteSerializer,
        responses={201: PassportVersionSerializer, 400: INVALID, 404: NOT_FOUND_OR_NOT_YOURS},
    )
    def create(self, request: Request, uscc: str, pk: int) -> Response:
        product = self._own(uscc, pk)
        serializer = PassportVersionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        document_ids = data.pop("documents", None)
        note = data.pop("note", "")
        if "hazardous_substances" in data:
            data["hazardous_substances"] = [dict(item) for item in data["hazardous_substances"]]
        version = passport_version_create(
            actor=request.user, product=product, data=data, document_ids=document_ids, note=note
        )
        return Response(PassportVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Make an earlier battery-passport version current"),
        description=gettext_lazy("Members only, with a reason (audited)."),
        request=SetCurrentSerializer,
        responses={200: PassportVersionSerializer, 400: INVALID, 404: NOT_FOUND_OR_NOT_YOURS},
    )
    def set_current(self, request: Request, uscc: str, pk: int) -> Response:
        product = self._own(uscc, pk)
        serializer = SetCurrentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        passport_set_current(actor=request.user, product=product, **serializer.validated_data)
        return Response(PassportVersionSerializer(selectors.current_version_or_404(product)).data)

    @extend_schema(
        summary=gettext_lazy("Attach an evidence file to a battery passport"),
        description=gettext_lazy(
            "Members only, as multipart/form-data: a PDF, JPEG or PNG. A later version lists it "
            "by id."
        ),
        request={"multipart/form-data": PassportDocumentWriteSerializer},
        responses={201: PassportDocumentSerializer, 400: INVALID, 404: NOT_FOUND_OR_NOT_YOURS},
    )
    def upload(self, request: Request, uscc: str, pk: int) -> Response:
        product = self._own(uscc, pk)
        serializer = PassportDocumentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = passport_document_upload(
            actor=request.user,
            product=product,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
        )
        return Response(PassportDocumentSerializer(document).data, status=status.HTTP_201_CREATED)
