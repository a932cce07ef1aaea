"""A firm's purchase records on the portal: upload a file, follow its import, read a line's
history. Members of the buying firm only; everybody else gets 404. Thin views: parse input,
call one service or selector, render."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from directory.access import enterprise_for_member
from directory.models import (
    Enterprise,
    PurchaseImport,
    PurchaseImportReview,
    PurchaseImportStatus,
    PurchaseLine,
    SupplyCategory,
)
from directory.purchases import column_mappings, review, selectors, services
from directory.purchases import files as purchase_files
from directory.purchases.rows import HEADER_ALIASES, PURCHASE_COLUMNS, REQUIRED_COLUMNS
from directory.templatetags.directory_tags import local_name
from ssb_portal import tabular
from ssb_portal.exports import csv_content, spreadsheet_download
from ssb_portal.forms import add_service_errors

IMPORTS_PER_PAGE = 10
LINES_PER_PAGE = 25
# A page lists this many problems; all of them are in the CSV download.
ERRORS_SHOWN = 500
COLUMN_HELP = {
    "invoice_code": gettext_lazy(
        "Legacy VAT invoices: the code of 10 or 12 digits. None on a fully digital invoice."
    ),
    "invoice_no": gettext_lazy(
        "Invoice number, kept as text (leading zeros stay): 8 digits with a code, 20 on a "
        "fully digital invoice."
    ),
    "line_no": gettext_lazy(
        "Line on the invoice: 1, 2, 3 … Without this column, lines are numbered in file "
        "order within each invoice."
    ),
    "invoice_date": gettext_lazy("2026-03-31, 2026/3/31, 2026年3月31日 or a date cell in Excel."),
    "supplier_uscc": gettext_lazy("The supplier's unified social credit code."),
    "supplier_name": gettext_lazy("Needed when the supplier is not in the directory."),
    "category": gettext_lazy(
        "The supply category's slug, Chinese or English name. Without it, the category of "
        "the supplier's directory product named on the line, or matched by its name."
    ),
    "product": gettext_lazy("Optional: the product's number in the directory."),
    "quantity": gettext_lazy("Optional, at most 3 decimals."),
    "unit": gettext_lazy("Optional, e.g. kg, t, m2, units."),
    "amount": gettext_lazy("CNY excluding VAT, at most 2 decimals; negative for a credit note."),
    "amount_incl_vat": gettext_lazy(
        "Optional: CNY including VAT. Never counted as such: without an amount, the amount "
        "is this total less the VAT."
    ),
    "vat_amount": gettext_lazy("Optional: the VAT in CNY; with both totals, they must add up."),
    "original_invoice_code": gettext_lazy(
        "A credit note's original invoice: its code, if it has one (对应蓝字发票代码)."
    ),
    "original_invoice_no": gettext_lazy(
        "Required on a credit note (negative amount): the number of the invoice of the same "
        "supplier it corrects, recorded before or in the same file (对应蓝字发票号码). A "
        "credit note reduces its invoice at most to zero. Empty on an invoice's own lines."
    ),
    "description": gettext_lazy("Optional, up to 255 characters."),
    "specification": gettext_lazy(
        "Optional: the model or specification, added to the description."
    ),
}


class PurchaseUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Purchase file (CSV or XLSX)"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    column_mapping = forms.TypedChoiceField(
        label=gettext_lazy("Column mapping"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy("Your saved layout to read the file with."),
    )

    def __init__(self, *args, buyer: Enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        mappings = [(m.pk, m.name) for m in column_mappings.column_mappings_of(buyer)]
        self.fields["column_mapping"].choices = [
            ("", gettext_lazy("The best fitting one, if any")),
            *mappings,
        ]
        if not mappings:
            del self.fields["column_mapping"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        message = purchase_files.too_large_message(upload.size)
        if message:
            raise ValidationError(message)
        return upload


def _render_purchases(
    request: HttpRequest, buyer: Enterprise, form: PurchaseUploadForm, status: int = 200
) -> HttpResponse:
    imports = Paginator(selectors.purchase_imports_of(buyer), IMPORTS_PER_PAGE).get_page(
        request.GET.get("imports_page")
    )
    lines = Paginator(
        selectors.purchase_lines_of_buyer(request.user, buyer), LINES_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "enterprise": buyer,
        "form": form,
        "columns": tabular.column_help(
            columns=PURCHASE_COLUMNS,
            required=REQUIRED_COLUMNS,
            aliases=HEADER_ALIASES,
            texts=COLUMN_HELP,
        ),
        "imports": imports,
        "lines": lines,
        "line_page_range": lines.paginator.get_elided_page_range(lines.number),
    }
    return render(request, "directory/purchases/list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def purchases(request: HttpRequest, uscc: str) -> HttpResponse:
    """The firm's imports and purchase lines, and the upload form."""
    buyer = enterprise_for_member(user=request.user, uscc=uscc)
    if request.method == "GET":
        return _render_purchases(request, buyer, PurchaseUploadForm(buyer=buyer))
    form = PurchaseUploadForm(request.POST, request.FILES, buyer=buyer)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            purchase_import, ignored = services.purchase_import_submit(
                actor=request.user,
                buyer=buyer,
                content=upload.read(),
                filename=upload.name,
                column_mapping_id=form.cleaned_data.get("column_mapping"),
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            if ignored:
                messages.warning(
                    request,
                    _("These columns are not purchase columns and were ignored: %(columns)s")
                    % {"columns": ", ".join(ignored)},
                )
            return redirect("purchases:import", uscc=buyer.uscc, import_id=purchase_import.pk)
    return _render_purchases(request, buyer, form, status=400)


def _import_of(request: HttpRequest, uscc: str, import_id: int) -> PurchaseImport:
    buyer = enterprise_for_member(user=request.user, uscc=uscc)
    return get_object_or_404(selectors.purchase_imports_of(buyer), pk=import_id)


@login_required
@require_GET
def import_result(request: HttpRequest, uscc: str, import_id: int) -> HttpResponse:
    """One import: its progress while it runs, then its summary or every problem found."""
    purchase_import = _import_of(request, uscc, import_id)
    finished = purchase_import.status in (
        PurchaseImportStatus.SUCCEEDED,
        PurchaseImportStatus.FAILED,
        PurchaseImportStatus.HELD,
    )
    awaiting = purchase_import.review_status == PurchaseImportReview.AWAITING
    total = purchase_import.rows_total
    context = {
        "enterprise": purchase_import.buyer,
        "purchase_import": purchase_import,
        "finished": finished,
        "percent": round(100 * purchase_import.rows_done / total) if total else 0,
        "saving": purchase_import.status == PurchaseImportStatus.RUNNING
        and total
        and purchase_import.rows_done >= total,
        "errors": purchase_import.errors[:ERRORS_SHOWN],
        "errors_hidden": max(0, len(purchase_import.errors) - ERRORS_SHOWN),
        "file_row": purchase_files.FILE_ROW,
        # Awaiting review: the firm's figures without it (what counts) and with it.
        "review": (
            review.awaiting_with_and_without(purchase_import.buyer, [purchase_import])[0]
            if awaiting
            else None
        ),
        "decision": (
            review.last_decision(purchase_import)
            if purchase_import.review_status != PurchaseImportReview.NOT_NEEDED
            else None
        ),
    }
    return render(request, "directory/purchases/import.html", context)


@login_required
@require_GET
def import_errors_csv(request: HttpRequest, uscc: str, import_id: int) -> HttpResponse:
    """Every problem of a refused import, to fix the file with."""
    purchase_import = _import_of(request, uscc, import_id)
    if not purchase_import.errors:
        raise Http404
    content = csv_content(
        ["row", "column", "message"],
        [
            [error["row"] or "", error["column"], error["message"]]
            for error in purchase_import.errors
        ],
    )
    return spreadsheet_download(
        content,
        fmt="csv",
        filename=f"purchase-import-{purchase_import.pk}-errors",
    )


@dataclass
class RevisionView:
    changed_at: Any
    changed_by: str
    purchase_import: PurchaseImport | None
    changes: list[tuple[str, str, str]]  # field label, value before, value after


def _display_values(values: dict[str, Any], categories: dict[int, str]) -> dict[str, str]:
    shown = {}
    for name in services.PURCHASE_COMPARED_FIELDS:
        value = values.get(name)
        if value is None or value == "":
            shown[name] = "—"
        elif name == "category_id":
            shown[name] = categories.get(int(value), str(value))
        elif name == "product_id":
            shown[name] = f"#{value}"
        else:
            shown[name] = str(value)
    return shown


def _history(line: PurchaseLine) -> list[RevisionView]:
    """Each correction as the fields it changed, newest first."""
    revisions = list(line.revisions.select_related("changed_by", "purchase_import"))
    category_ids = {line.category_id} | {
        revision.previous_values.get("category_id") for revision in revisions
    }
    categories = {
        category.pk: local_name(category)
        for category in SupplyCategory.objects.filter(pk__in=category_ids - {None})
    }
    labels = {field.attname: capfirst(field.verbose_name) for field in PurchaseLine._meta.fields}
    after = _display_values(
        {name: getattr(line, name) for name in services.PURCHASE_COMPARED_FIELDS}, categories
    )
    history = []
    for revision in revisions:
        before = _display_values(revision.previous_values, categories)
        history.append(
            RevisionView(
                changed_at=revision.changed_at,
                changed_by=(
                    revision.changed_by.get_username() if revision.changed_by else _("command line")
                ),
                purchase_import=revision.purchase_import,
                changes=[
                    (labels[name], before[name], after[name])
                    for name in services.PURCHASE_COMPARED_FIELDS
                    if before[name] != after[name]
                ],
            )
        )
        after = before
    return history


@login_required
@require_GET
def line_history(request: HttpRequest, uscc: str, line_id: int) -> HttpResponse:
    """A purchase line as it is now, and every correction it went through."""
    buyer = enterprise_for_member(user=request.user, uscc=uscc)
    line = get_object_or_404(selectors.purchase_lines_of_buyer(request.user, buyer), pk=line_id)
    context = {
        "enterprise": buyer,
        "line": line,
        "history": _history(line),
    }
    return render(request, "directory/purchases/line.html", context)


@require_GET
def purchase_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The empty purchase file to fill in: the columns and one example line."""
    content = (
        purchase_files.purchase_template_csv()
        if fmt == "csv"
        else purchase_files.purchase_template_xlsx()
    )
    return spreadsheet_download(content, fmt=fmt, filename="purchase-template")
