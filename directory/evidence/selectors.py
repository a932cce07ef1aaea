"""Reads of measured datasets: the evidence that backs a product's typed specs, and who may
download a dataset's files."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from directory.models import DatasetKind, DatasetStatus, MeasurementDataset, Product
from ssb_portal.roles import is_official

# --- technical evidence: measurement datasets ----------------------------------------------

#: Product spec -> the kind of dataset whose accepted fit can back it.
SPEC_EVIDENCE_KIND = {
    "ionic_conductivity": DatasetKind.CONDUCTIVITY,
    "decay_rate": DatasetKind.CAPACITY,
}


def evidence_backing(spec_field: str, product_ref: str = "pk") -> Exists:
    """True for a product whose typed `spec_field` is backed by an accepted fit of its kind
    that does not contradict it; use in filter()/annotate() on products (or, with
    `product_ref`, on anything with an OuterRef to a product)."""
    return Exists(
        MeasurementDataset.objects.filter(
            product=OuterRef(product_ref),
            kind=SPEC_EVIDENCE_KIND[spec_field],
            status=DatasetStatus.ACCEPTED,
            contradicts_spec=False,
        )
    )


def with_evidence(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Products annotated `<spec>_evidence_backed` (bool) for each spec that can be backed."""
    return queryset.annotate(
        **{f"{spec}_evidence_backed": evidence_backing(spec) for spec in SPEC_EVIDENCE_KIND}
    )


def attach_evidence(products: list[Product], *, accepted_only: bool = True) -> None:
    """Give each product `datasets` (newest first) and `evidence` (spec -> the newest accepted
    dataset backing it), in one query whatever the number of products."""
    datasets = MeasurementDataset.objects.filter(product__in=products).order_by(
        "-uploaded_at", "-pk"
    )
    if accepted_only:
        datasets = datasets.filter(status=DatasetStatus.ACCEPTED)
    by_product: dict[int, list[MeasurementDataset]] = {product.pk: [] for product in products}
    for dataset in datasets:
        by_product[dataset.product_id].append(dataset)
    for product in products:
        product.datasets_shown = by_product[product.pk]
        product.evidence = {}
        for dataset in product.datasets_shown:
            if (
                dataset.status == DatasetStatus.ACCEPTED
                and not dataset.contradicts_spec
                and dataset.spec_field not in product.evidence
            ):
                product.evidence[dataset.spec_field] = dataset


def datasets_of_product(product: Product, *, public: bool) -> QuerySet[MeasurementDataset]:
    """A product's datasets: all of them for its members, the accepted ones for the public."""
    datasets = product.datasets.select_related("uploaded_by", "decided_by").order_by(
        "-uploaded_at", "-pk"
    )
    if public:
        datasets = datasets.filter(status=DatasetStatus.ACCEPTED)
    return datasets


def dataset_for_viewer(*, user: AbstractBaseUser, dataset_id: int) -> MeasurementDataset:
    """A dataset whose files the user may download: a member of its enterprise or an
    official; 404 for everybody else."""
    datasets = MeasurementDataset.objects.select_related("product__enterprise")
    if not is_official(user):
        if not user.is_authenticated:
            raise Http404
        datasets = datasets.filter(product__enterprise__memberships__user=user)
    return get_object_or_404(datasets, pk=dataset_id)
