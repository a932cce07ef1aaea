"""The directory search: one FilterSet shared by the search page, the API and the export;
and the filters other FilterSets share (a strict boolean, a year)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from directory import selectors
from directory.evidence.selectors import SPEC_EVIDENCE_KIND, evidence_backing
from directory.models import (
    Certification,
    CertificationScheme,
    District,
    Enterprise,
    EnterpriseKind,
    ListingStatus,
    Product,
    SupplyCategory,
)
from directory.passport.thresholds import PASSPORT_THRESHOLD_LABELS, PASSPORT_THRESHOLDS
from directory.search import text as text_search

# Filter name -> (product field, lookup): an enterprise matches when ONE of its verified
# products meets every threshold given.
SPEC_THRESHOLDS = {
    "ionic_conductivity_min": ("ionic_conductivity", "gte"),
    "asr_max": ("asr", "lte"),
    "specific_capacity_min": ("specific_capacity", "gte"),
    "decay_rate_max": ("decay_rate", "lte"),
    "coulombic_efficiency_min": ("coulombic_efficiency", "gte"),
    "weight_reduction_min": ("weight_reduction", "gte"),
}


class StrictBooleanField(forms.Field):
    """true/false, 1/0, yes/no; anything else is an error rather than silently ignored."""

    TRUE = {"true", "1", "yes", "on"}
    FALSE = {"false", "0", "no", "off"}
    default_error_messages = {"invalid": _("Use true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class SpecThresholdFilter(django_filters.NumberFilter):
    """Parsed and validated like a number; applied together with the others in filter_queryset."""

    def get_max_validator(self):
        # A percentage's own bound (max_value) says it all: django-filter's catch-all 1e50
        # bound would add a second error for the same value.
        return None if "max_value" in self.extra else super().get_max_validator()

    def filter(self, qs, value):
        return qs


@extend_schema_field(OpenApiTypes.BOOL)
class EvidenceBackedFilter(StrictBooleanFilter):
    """Parsed like a boolean; applied together with the thresholds in filter_queryset."""

    def filter(self, qs, value):
        return qs


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        help_text=_("Words in the enterprise's or its products' names."),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Supply category"),
        queryset=SupplyCategory.objects.all(),
        to_field_name="slug",
        method="filter_category",
        help_text=_("A category's slug; a parent category includes its children."),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=District.objects.all(),
        to_field_name="code",
        field_name="district",
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EnterpriseKind.choices)
    is_local = StrictBooleanFilter(label=_("Local supplier"), field_name="district__is_local")
    recommended = StrictBooleanFilter(label=_("Recommended"), field_name="recommended")
    certification = django_filters.ChoiceFilter(
        label=_("Valid certification"),
        choices=CertificationScheme.choices,
        method="filter_certification",
    )
    ionic_conductivity_min = SpecThresholdFilter(
        label=_("Ionic conductivity at least (S/cm)"), min_value=0
    )
    asr_max = SpecThresholdFilter(label=_("Area-specific resistance at most (Ω·cm²)"), min_value=0)
    specific_capacity_min = SpecThresholdFilter(
        label=_("Specific capacity at least (mAh/g)"), min_value=0
    )
    decay_rate_max = SpecThresholdFilter(
        label=_("Capacity decay at most (% per cycle)"), min_value=0, max_value=100
    )
    coulombic_efficiency_min = SpecThresholdFilter(
        label=_("Coulombic efficiency at least (%)"), min_value=0, max_value=100
    )
    weight_reduction_min = SpecThresholdFilter(
        label=_("Weight reduction vs. Cu foil at least (%)"), min_value=0, max_value=100
    )
    carbon_footprint_max = SpecThresholdFilter(
        label=PASSPORT_THRESHOLD_LABELS["carbon_footprint_max"], min_value=0
    )
    recycled_cobalt_min = SpecThresholdFilter(
        label=PASSPORT_THRESHOLD_LABELS["recycled_cobalt_min"], min_value=0, max_value=100
    )
    recycled_lithium_min = SpecThresholdFilter(
        label=PASSPORT_THRESHOLD_LABELS["recycled_lithium_min"], min_value=0, max_value=100
    )
    recycled_nickel_min = SpecThresholdFilter(
        label=PASSPORT_THRESHOLD_LABELS["recycled_nickel_min"], min_value=0, max_value=100
    )
    recycled_lead_min = SpecThresholdFilter(
        label=PASSPORT_THRESHOLD_LABELS["recycled_lead_min"], min_value=0, max_value=100
    )
    evidence_backed = EvidenceBackedFilter(
        label=_("Evidence-backed specs only"),
        help_text=_(
            "Ionic conductivity and capacity decay thresholds must be met by a spec backed by "
            "measured data an official accepted; without a threshold, the enterprise must list "
            "such a product."
        ),
    )
    ordering = django_filters.OrderingFilter(
        fields=(("name_zh", "name"), ("name_en", "name_en"), ("verified_at", "verified_at")),
        # Spelled out: the generated labels ("Name en (descending)") have no zh-hans translation.
        choices=[
            ("name", _("Chinese name")),
            ("-name", _("Chinese name, descending")),
            ("name_en", _("English name")),
            ("-name_en", _("English name, descending")),
            ("verified_at", _("Verified, oldest first")),
            ("-verified_at", _("Verified, newest first")),
        ],
        label=_("Order by"),
    )

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return text_search.matching(queryset, value)

    def filter_category(self, queryset: QuerySet, name: str, value: SupplyCategory) -> QuerySet:
        # The ids first (one small query): a join to the category table with "or its parent"
        # made the database scan every enterprise-category link.
        category_ids = [value.pk, *value.children.values_list("pk", flat=True)]
        through = Enterprise.categories.through
        in_category = through.objects.filter(
            supplycategory_id__in=category_ids, enterprise=OuterRef("pk")
        )
        return queryset.filter(Exists(in_category))

    def filter_certification(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # A semi-join on an uncorrelated subquery: the index (scheme, valid_until, enterprise)
        # yields the holders once. A correlated EXISTS made SQLite range-scan that index for
        # every enterprise (N x M: 258 s at 100,000 enterprises); PostgreSQL hashes either.
        holders = Certification.objects.filter(
            scheme=value, valid_until__gte=timezone.localdate()
        ).values("enterprise_id")
        return queryset.filter(pk__in=holders)

    def products_meeting(self) -> QuerySet[Product] | None:
        """The verified products that meet every product threshold asked (the specs, the
        current passport version's figures, evidence), or None when none is asked."""
        # The battery passport's figures are read from each product's current version.
        thresholds = {
            f"{field}__{lookup}": self.form.cleaned_data[name]
            for name, (field, lookup) in (SPEC_THRESHOLDS | PASSPORT_THRESHOLDS).items()
            if self.form.cleaned_data.get(name) is not None
        }
        evidence_only = self.form.cleaned_data.get("evidence_backed") is True
        if not (thresholds or evidence_only):
            return None
        meeting_all = Product.objects.filter(status=ListingStatus.VERIFIED, **thresholds)
        if evidence_only:
            meeting_all = meeting_all.filter(self._evidence_condition())
        return meeting_all

    def results(self) -> QuerySet[Enterprise]:
        """The enterprises found with what a listing shows (selectors.with_public_details),
        each listing only its products that meet the thresholds asked."""
        return selectors.with_public_details(self.qs, products=self.products_meeting())

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        meeting_all = self.products_meeting()
        if meeting_all is not None:
            # A semi-join on an uncorrelated subquery, like the certification filter: the
            # partial spec indexes yield the products meeting the thresholds once, instead of
            # a probe of each enterprise's products.
            queryset = queryset.filter(pk__in=meeting_all.values("enterprise_id"))
        if not self.form.cleaned_data.get("ordering"):
            # A text search ranks its finds by relevance first (directory/search/text.py).
            relevance = ["text_rank"] if "text_rank" in queryset.query.annotations else []
            queryset = queryset.order_by(*relevance, "name_zh", "pk")
        return queryset

    def _evidence_condition(self) -> Q:
        """Each threshold asked on a spec that data can back is met by a backed spec; with no
        such threshold, the product has at least one backed spec."""
        asked = [
            field
            for name, (field, _lookup) in SPEC_THRESHOLDS.items()
            if self.form.cleaned_data.get(name) is not None and field in SPEC_EVIDENCE_KIND
        ]
        if asked:
            condition = Q()
            for field in asked:
                condition &= Q(evidence_backing(field))
            return condition
        backed = [Q(evidence_backing(field)) for field in SPEC_EVIDENCE_KIND]
        condition = backed[0]
        for other in backed[1:]:
            condition |= other
        return condition
