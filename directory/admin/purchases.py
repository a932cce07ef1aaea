"""Purchase records: every delivery of purchase lines and its outcome, and the lines
themselves with their corrections; all read-only."""

from typing import Any

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from directory.admin import import_reviews
from directory.admin.listings import display_value
from directory.models import (
    PurchaseImport,
    PurchaseImportReview,
    PurchaseLine,
    PurchaseLineRevision,
)
from ssb_portal.admin_kit import (
    EMPTY,
    DecisionsAdmin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    admin_actions,
    table,
)

PURCHASE_ERRORS_SHOWN = 200
LINE_FIELDS = PurchaseLine._meta.fields


@admin.register(PurchaseImport)
class PurchaseImportAdmin(DecisionsAdmin):
    """Every delivery of purchase lines (upload, API, command line) and its outcome; those
    awaiting review first (oldest first), accepted or rejected through the actions."""

    list_display = (
        "created_at",
        "buyer",
        "source",
        "status",
        "review_status",
        "effect",
        "rows_total",
        "created_count",
        "updated_count",
        "unchanged_count",
        "pending_count",
        "error_count",
        "submitted_by",
    )
    list_filter = ("review_status", "status", "source")
    actions = admin_actions(import_reviews.ACCEPT, import_reviews.REJECT)
    inlines = (import_reviews.PurchaseImportReviewChangeInline,)
    list_select_related = ("buyer", "submitted_by")
    search_fields = ("buyer__name_zh", "buyer__name_en", "buyer__uscc", "filename")
    search_help_text = _("Search by buyer name or credit code, or by file name.")
    date_hierarchy = "created_at"
    fields = (
        "buyer",
        "submitted_by",
        "source",
        "filename",
        "column_mapping",
        "status",
        "review_status",
        "effect_table",
        "created_at",
        "finished_at",
        "rows_total",
        "rows_done",
        "created_count",
        "updated_count",
        "unchanged_count",
        "pending_count",
        "errors_table",
    )
    readonly_fields = fields

    def get_ordering(self, request):
        return import_reviews.review_ordering()

    def applicable_actions(self, obj: PurchaseImport) -> list[str]:
        if obj.review_status == PurchaseImportReview.AWAITING:
            return [import_reviews.ACCEPT.name, import_reviews.REJECT.name]
        return []

    @admin.display(description=_("effect (LCR before → with it)"))
    def effect(self, purchase_import: PurchaseImport) -> str:
        return import_reviews.effect_summary(purchase_import) or EMPTY

    @admin.display(description=_("effect measured"))
    def effect_table(self, purchase_import: PurchaseImport) -> str:
        return import_reviews.effect_table(purchase_import)

    @admin.display(description=_("problems"))
    def error_count(self, purchase_import: PurchaseImport) -> int:
        return len(purchase_import.errors)

    @admin.display(description=_("problems"))
    def errors_table(self, purchase_import: PurchaseImport) -> str:
        if not purchase_import.errors:
            return EMPTY
        shown = purchase_import.errors[:PURCHASE_ERRORS_SHOWN]
        shown_table = table(
            [gettext("Row"), gettext("Column"), gettext("Problem")],
            [
                (error["row"] or EMPTY, error["column"] or EMPTY, error["message"])
                for error in shown
            ],
        )
        hidden = len(purchase_import.errors) - len(shown)
        if hidden <= 0:
            return shown_table
        return format_html(
            "{}<p>{}</p>",
            shown_table,
            ngettext("… and %(count)d more.", "… and %(count)d more.", hidden) % {"count": hidden},
        )


class PurchaseLineRevisionInline(ReadOnlyInline):
    model = PurchaseLineRevision
    fields = ("changed_at", "changed_by", "purchase_import", "previous")
    readonly_fields = fields
    verbose_name_plural = _("earlier values (corrections)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by", "purchase_import")

    @admin.display(description=_("previous values"))
    def previous(self, revision: PurchaseLineRevision) -> str:
        labels = {field.attname: capfirst(field.verbose_name) for field in LINE_FIELDS}
        return format_html_join(
            "",
            "<div>{}: {}</div>",
            (
                (labels.get(name, name), _purchase_value(name, value))
                for name, value in revision.previous_values.items()
            ),
        )


def _purchase_value(attname: str, value: Any) -> str:
    """A kept value of a purchase line; categories and products by name (the supplier is kept
    by its code, which is no primary key)."""
    if attname in ("category_id", "product_id"):
        return display_value(PurchaseLine, attname.removesuffix("_id"), value)
    return EMPTY if value is None or value == "" else str(value)


@admin.register(PurchaseLine)
class PurchaseLineAdmin(ReadOnlyAdmin):
    """Firms' purchase lines, as their imports recorded them; corrections are kept inline."""

    list_display = (
        "invoice_code",
        "invoice_no",
        "line_no",
        "buyer",
        "invoice_date",
        "supplier_name",
        "supplier_code",
        "category_shown",
        "amount",
    )
    list_filter = (("category", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("buyer", "category")
    search_fields = (
        "invoice_code",
        "invoice_no",
        "buyer__name_zh",
        "buyer__uscc",
        "supplier_name",
    )
    search_help_text = _("Search by invoice code or number, buyer name or code, or supplier name.")
    date_hierarchy = "invoice_date"
    # Millions of lines: counting them all for every page costs more than it tells.
    show_full_result_count = False
    fields = (
        "buyer",
        "invoice_code",
        "invoice_no",
        "line_no",
        "invoice_date",
        "supplier_name",
        "supplier_code",
        "category",
        "product",
        "quantity",
        "unit",
        "amount",
        "description",
        "last_import",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = (PurchaseLineRevisionInline,)

    @admin.display(description=_("supply category"), ordering="category")
    def category_shown(self, line: PurchaseLine) -> str:
        return str(line.category) if line.category_id else gettext("Uncategorised")

    @admin.display(description=_("supplier code"), ordering="supplier")
    def supplier_code(self, line: PurchaseLine) -> str:
        return line.supplier_id or EMPTY
