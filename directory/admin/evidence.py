"""Technical evidence: officials accept or reject the measured data behind a product's spec."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from directory.admin.listings import ListingAdmin, listing_action
from directory.admin.waiting import DATASET_WAITS
from directory.evidence.services import dataset_accept, dataset_reject
from directory.models import MeasurementDataset
from directory.workflow import DATASET_WORKFLOW, OFFICIAL
from ssb_portal.admin_kit import EMPTY, admin_actions

ACCEPT = listing_action(
    "accept",
    _("Accept the data"),
    lambda actor, dataset, reason: dataset_accept(actor=actor, dataset=dataset, reason=reason),
    ngettext_lazy("%(count)d dataset accepted.", "%(count)d datasets accepted.", "count"),
    reason_required=False,
)
REJECT = listing_action(
    "reject",
    _("Reject with reason"),
    lambda actor, dataset, reason: dataset_reject(actor=actor, dataset=dataset, reason=reason),
    ngettext_lazy("%(count)d dataset rejected.", "%(count)d datasets rejected.", "count"),
    reason_required=True,
)


@admin.register(MeasurementDataset)
class MeasurementDatasetAdmin(ListingAdmin):
    """Officials accept or reject the data behind a product's spec; the page is read-only."""

    list_display = (
        "product",
        "enterprise",
        "kind",
        "fitted",
        "contradicts_spec",
        "status",
        "measured_on",
        "uploaded_at",
    )
    list_filter = ("status", "kind", "contradicts_spec")
    waits = DATASET_WAITS
    list_select_related = ("product__enterprise",)
    search_fields = ("product__name", "product__enterprise__name_zh", "product__enterprise__uscc")
    search_help_text = _("Search by product name, enterprise name or its credit code.")
    fields = (
        "product",
        "kind",
        "temperature_unit",
        "lab",
        "method",
        "measured_on",
        "files",
        "fit_table",
        "contradicts_spec",
        "contradiction_note",
        "status",
        "uploaded_by",
        "uploaded_at",
        "decided_by",
        "decided_at",
        "decision_reason",
    )
    readonly_fields = fields
    actions = admin_actions(ACCEPT, REJECT)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product__enterprise")

    # Whoever reviews product listings (officials hold change_product) reviews the data
    # behind them; the services check the official role again. Model permissions of their
    # own are not needed, and Django caches the user's permissions for the request.
    @staticmethod
    def _official(request: HttpRequest) -> bool:
        return request.user.has_perm("directory.change_product")

    def has_view_permission(self, request, obj=None):
        return self._official(request)

    def has_module_permission(self, request):
        return self._official(request)

    def has_change_permission(self, request, obj=None):
        # The page of one dataset is read-only; without an object: may the user run actions?
        return obj is None and self._official(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def applicable_actions(self, dataset: MeasurementDataset) -> list[str]:
        return sorted(
            {"accepted": "accept", "rejected": "reject"}[target]
            for target in DATASET_WORKFLOW.next_statuses(dataset.status, role=OFFICIAL)
        )

    @admin.display(description=_("enterprise"), ordering="product__enterprise__name_zh")
    def enterprise(self, dataset: MeasurementDataset) -> str:
        return str(dataset.product.enterprise)

    @admin.display(description=_("fitted value"))
    def fitted(self, dataset: MeasurementDataset) -> str:
        value = dataset.fitted_value
        if value is None:
            return EMPTY
        unit = "S/cm" if dataset.kind == "conductivity" else "%/cycle"
        return f"{value:.4g} {unit}"

    @admin.display(description=_("files"))
    def files(self, dataset: MeasurementDataset) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("directory:dataset_download", args=[dataset.pk, "data"]),
            dataset.original_name,
            reverse("directory:dataset_download", args=[dataset.pk, "report"]),
            dataset.report_name,
        )

    @admin.display(description=_("fit results"))
    def fit_table(self, dataset: MeasurementDataset) -> str:
        units = dataset.fit.get("units", {})
        rows = [
            (key, f"{value:.6g}" if isinstance(value, float) else value, units.get(key, ""))
            for key, value in dataset.fit.items()
            if key not in ("units", "kind") and value is not None
        ]
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><th>{}</th><td>{} {}</td></tr>", rows),
        )
