"""Disbursement batches: the awards paid together, their spreadsheet for the bank, and the
payment that makes every award of a batch disbursed."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import DecisionsAdmin, RowAction, admin_actions, cny, done_each
from ssb_portal.exports import spreadsheet_download
from subsidies import exports
from subsidies.admin.forms import PaymentReferenceForm
from subsidies.admin.notices import NoticeApplicationInline
from subsidies.models import DisbursementBatch
from subsidies.selectors.workbench import disbursement_batch_awards
from subsidies.services.disbursements import disbursement_batch_mark_paid


class BatchApplicationInline(NoticeApplicationInline):
    fk_name = "disbursement_batch"
    verbose_name_plural = _("awards in the batch")
    fields = ("applicant", "programme", "status", "awarded_amount_cny")
    readonly_fields = fields


def _paid(actor, batch: DisbursementBatch, data: dict) -> str:
    disbursement_batch_mark_paid(
        actor=actor, batch=batch, payment_reference=data["payment_reference"]
    )
    return gettext("paid; its awards are disbursed.")


MARK_PAID = RowAction(
    name="mark_paid", label=_("Mark paid"), form=PaymentReferenceForm, call=_paid, done=done_each
)


@admin.register(DisbursementBatch)
class DisbursementBatchAdmin(DecisionsAdmin):
    list_display = (
        "reference",
        "created_at",
        "created_by",
        "award_count",
        "total",
        "paid_at",
        "payment_reference",
        "export_link",
    )
    list_filter = (("paid_at", admin.EmptyFieldListFilter),)
    list_select_related = ("created_by",)
    search_fields = ("reference", "payment_reference")
    fields = (
        "reference",
        "created_by",
        "created_at",
        "total_cny",
        "paid_at",
        "paid_by",
        "payment_reference",
        "export_link",
    )
    readonly_fields = fields
    inlines = (BatchApplicationInline,)
    actions = ("export_xlsx", *admin_actions(MARK_PAID))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(award_count=Count("applications"))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/export/",
                self.admin_site.admin_view(self.export_view),
                name="subsidies_disbursementbatch_export",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("awards"), ordering="award_count")
    def award_count(self, batch: DisbursementBatch) -> int:
        return batch.award_count

    @admin.display(description=_("total (CNY)"), ordering="total_cny")
    def total(self, batch: DisbursementBatch) -> str:
        return cny(batch.total_cny)

    @admin.display(description=_("spreadsheet"))
    def export_link(self, batch: DisbursementBatch) -> str:
        url = reverse("admin:subsidies_disbursementbatch_export", args=[batch.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("XLSX"))

    @staticmethod
    def _xlsx_response(batch_ids: list[int], filename: str) -> HttpResponse:
        content = exports.disbursement_xlsx(disbursement_batch_awards(batch_ids))
        return spreadsheet_download(content, fmt="xlsx", filename=filename)

    def export_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        batch = self.get_object(request, unquote(object_id))
        if batch is None:
            raise Http404
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        return self._xlsx_response([batch.pk], f"disbursement-{batch.reference}")

    @admin.action(description=_("Export as XLSX"), permissions=("view",))
    def export_xlsx(self, request, queryset):
        batch_ids = list(queryset.values_list("pk", flat=True))
        return self._xlsx_response(batch_ids, f"disbursement-{timezone.localdate():%Y%m%d}")
