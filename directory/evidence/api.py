"""The measured datasets' API: a product's datasets, read by everybody (accepted fits) or by
its members (all of theirs), and attached by its members. Thin views."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from directory import selectors
from directory.api import NOT_FOUND_OR_NOT_YOURS, USCC_PARAMETER, DirectoryViewSet
from directory.evidence.selectors import datasets_of_product
from directory.evidence.services import dataset_upload
from directory.models import (
    DatasetKind,
    DatasetStatus,
    MeasurementDataset,
    Product,
    TemperatureUnit,
)
from directory.validators import normalise_uscc
from ssb_portal.api import INVALID, RefuseUnknownFields


@extend_schema_field(
    {
        "type": "string",
        "description": "`conductivity` (σ against temperature) or `capacity` (capacity "
        "against cycle number).",
    }
)
class DatasetKindField(serializers.ChoiceField):
    # Described rather than an enum: the schema's enum names for "kind" (the enterprise's)
    # and for this choice set (subsidies' dataset_kind) are taken.

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=DatasetKind.choices, **kwargs)


class DatasetSerializer(serializers.ModelSerializer):
    """A measurement dataset's fit; members also see its review and the flag."""

    kind = DatasetKindField(read_only=True)

    fit = serializers.JSONField(
        read_only=True,
        help_text=_(
            "Conductivity: activation_energy_ev (eV), pre_exponential_s_per_cm, "
            "conductivity_25c_s_per_cm (S/cm), r_squared, points. Capacity: initial_capacity, "
            "decay_percent_per_cycle (%/cycle), cycles_to_80_percent, "
            "coulombic_efficiency_percent (null without charge data), r_squared, points."
        ),
    )
    evidence_backed = serializers.SerializerMethodField(
        help_text=_("Accepted by an official and agreeing with the typed spec.")
    )

    class Meta:
        model = MeasurementDataset
        fields = (
            "id",
            "kind",
            "temperature_unit",
            "lab",
            "method",
            "measured_on",
            "fit",
            "status",
            "evidence_backed",
        )
        read_only_fields = fields

    def get_evidence_backed(self, dataset: MeasurementDataset) -> bool:
        return dataset.status == DatasetStatus.ACCEPTED and not dataset.contradicts_spec


class DatasetMemberSerializer(DatasetSerializer):
    data_url = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()

    class Meta(DatasetSerializer.Meta):
        fields = (
            *DatasetSerializer.Meta.fields,
            "contradicts_spec",
            "contradiction_note",
            "decided_at",
            "decision_reason",
            "uploaded_at",
            "data_url",
            "report_url",
        )
        read_only_fields = fields

    def get_data_url(self, dataset: MeasurementDataset) -> str:
        return reverse("directory:dataset_download", args=[dataset.pk, "data"])

    def get_report_url(self, dataset: MeasurementDataset) -> str:
        return reverse("directory:dataset_download", args=[dataset.pk, "report"])


class DatasetWriteSerializer(RefuseUnknownFields, serializers.Serializer):
    kind = DatasetKindField()
    temperature_unit = serializers.ChoiceField(
        choices=TemperatureUnit.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("C or K: the unit of the temperature column (conductivity data)."),
    )
    lab = serializers.CharField(max_length=160)
    method = serializers.CharField(max_length=255)
    measured_on = serializers.DateField()
    data_file = serializers.FileField(help_text=_("CSV or XLSX with a header row."))
    report = serializers.FileField(help_text=_("The test report, a PDF."))


@extend_schema(tags=["products"], parameters=[USCC_PARAMETER])
class DatasetViewSet(DirectoryViewSet):
    """A product's measurement datasets: the public sees accepted fits, members all of theirs."""

    queryset = MeasurementDataset.objects.none()
    serializer_class = DatasetSerializer
    pagination_class = None
    filter_backends = []
    parser_classes = [MultiPartParser, FormParser]

    def _own_product(self, uscc: str, pk: int) -> Product | None:
        if not self.request.user.is_authenticated:
            return None
        return (
            Product.objects.filter(
                enterprise__memberships__user=self.request.user,
                enterprise__uscc=normalise_uscc(uscc),
                pk=pk,
            )
            .select_related("enterprise")
            .first()
        )

    @extend_schema(
        summary=_("A product's measurement datasets"),
        responses={200: DatasetMemberSerializer(many=True)},
    )
    def list(self, request: Request, uscc: str, pk: int) -> Response:
        own = self._own_product(uscc, pk)
        if own is not None:
            datasets = datasets_of_product(own, public=False)
            return Response(DatasetMemberSerializer(datasets, many=True).data)
        product = selectors.product_public(uscc=normalise_uscc(uscc), product_id=pk)
        datasets = datasets_of_product(product, public=True)
        return Response(DatasetSerializer(datasets, many=True).data)

    @extend_schema(
        summary=_("Attach measurement data to a product"),
        description=_(
            "Members only, as multipart/form-data. The file is read and fitted at once; rows "
            "that cannot be used are listed under data_file."
        ),
        request={"multipart/form-data": DatasetWriteSerializer},
        responses={201: DatasetMemberSerializer, 400: INVALID, 404: NOT_FOUND_OR_NOT_YOURS},
    )
    def create(self, request: Request, uscc: str, pk: int) -> Response:
        product = selectors.product_for_member(
            user=request.user, uscc=normalise_uscc(uscc), product_id=pk
        )
        serializer = DatasetWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dataset = dataset_upload(actor=request.user, product=product, **serializer.validated_data)
        return Response(DatasetMemberSerializer(dataset).data, status=status.HTTP_201_CREATED)
