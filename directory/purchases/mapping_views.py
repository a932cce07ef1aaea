"""A buyer's own mappings on its purchase pages: sorting the item names of its uncategorised
lines into our categories (once: later imports use them), and its saved column mappings.
Members of the buyer change them; officials may look; everybody else gets 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from directory.access import is_member_of
from directory.forms import category_choices
from directory.models import Enterprise, PurchaseColumnMapping, PurchaseItemCategory
from directory.purchases import column_mappings, item_categories
from directory.purchases import files as purchase_files
from directory.purchases.rows import PURCHASE_COLUMNS
from directory.purchases.selectors import buyer_visible_to
from ssb_portal.forms import add_service_errors
from ssb_portal.pages import page_of

ITEMS_PER_PAGE = 25


class ItemCategoryForm(forms.Form):
    item_name = forms.CharField(label=gettext_lazy("Item name"), max_length=255, required=False)
    # Checked by the service, which names what is wrong.
    category = forms.CharField(label=gettext_lazy("Category"), required=False)


def _buyer(request: HttpRequest, uscc: str) -> tuple[Enterprise, bool]:
    """The buyer and whether the user may change its mappings (a member); 404 for others."""
    buyer = buyer_visible_to(user=request.user, uscc=uscc)
    return buyer, is_member_of(request.user, buyer.pk)


def _saved_message(outcome: item_categories.ItemCategoryOutcome) -> str:
    text = _("“%(name)s” is sorted into %(category)s.") % {
        "name": outcome.mapping.item_name,
        "category": outcome.mapping.category,
    }
    if outcome.categorised:
        text += " " + ngettext(
            "%(count)d line categorised.", "%(count)d lines categorised.", outcome.categorised
        ) % {"count": outcome.categorised}
    if outcome.pending:
        text += " " + ngettext(
            "%(count)d line is claimed in a support application: its category is kept "
            "pending for the reviewer.",
            "%(count)d lines are claimed in a support application: their category is kept "
            "pending for the reviewer.",
            outcome.pending,
        ) % {"count": outcome.pending}
    return text


@login_required
@require_http_methods(["GET", "POST"])
def item_category_list(request: HttpRequest, uscc: str) -> HttpResponse:
    """The item names of the buyer's uncategorised lines, each with a category to pick, and
    its saved mappings (change one by saving its name again, or delete it)."""
    buyer, can_change = _buyer(request, uscc)
    form = ItemCategoryForm()
    status = 200
    if request.method == "POST":
        if not can_change:
            raise Http404
        if "delete" in request.POST:
            try:
                mapping = item_categories.item_category_delete(
                    actor=request.user, buyer=buyer, mapping_id=int(request.POST["delete"])
                )
            except (ValueError, PurchaseItemCategory.DoesNotExist):
                raise Http404 from None
            messages.success(
                request, _("“%(name)s” is no longer sorted.") % {"name": mapping.item_name}
            )
            return redirect("purchases:item_categories", uscc=buyer.uscc)
        form = ItemCategoryForm(request.POST)
        if form.is_valid():
            try:
                outcome = item_categories.item_category_save(
                    actor=request.user,
                    buyer=buyer,
                    item_name=form.cleaned_data["item_name"],
                    category_id=form.cleaned_data["category"],
                )
            except ValidationError as error:
                add_service_errors(error, form)
            else:
                messages.success(request, _saved_message(outcome))
                return redirect("purchases:item_categories", uscc=buyer.uscc)
        status = 400
    items = page_of(request, item_categories.uncategorised_items(buyer), ITEMS_PER_PAGE)
    saved = page_of(
        request, item_categories.item_categories_of(buyer), ITEMS_PER_PAGE, param="saved_page"
    )
    context = {
        "enterprise": buyer,
        "can_change": can_change,
        "form": form,
        "items": items,
        "saved": saved,
        "category_choices": category_choices(
            value=lambda category: category.pk, include_parents=True
        ),
    }
    return render(request, "directory/purchases/item_categories.html", context, status=status)


# --- a buyer's saved column mappings -------------------------------------------------------


class SampleForm(forms.Form):
    sample = forms.FileField(
        label=gettext_lazy("A sample file of your layout (CSV or XLSX)"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _posted_columns(request: HttpRequest) -> list[tuple[str, str]]:
    """The (their header, our column) pairs of a sent mapping form, in file order."""
    headers = request.POST.getlist("header")
    columns = request.POST.getlist("column")
    return [
        (header, columns[index] if index < len(columns) else "")
        for index, header in enumerate(headers)
    ]


def _render_column_mappings(
    request: HttpRequest,
    buyer: Enterprise,
    can_change: bool,
    *,
    sample_form: SampleForm | None = None,
    pairs: list[tuple[str, str]] | None = None,
    name: str = "",
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "enterprise": buyer,
        "can_change": can_change,
        "sample_form": sample_form or SampleForm(),
        "pairs": pairs,
        "name": name,
        "errors": errors or {},
        "our_columns": PURCHASE_COLUMNS,
        "mappings": page_of(request, column_mappings.column_mappings_of(buyer), ITEMS_PER_PAGE),
    }
    return render(request, "directory/purchases/column_mappings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def column_mapping_list(request: HttpRequest, uscc: str) -> HttpResponse:
    """The buyer's saved column mappings; upload a sample, pick our column for each of its
    headers (or ignore it), save; later uploads that fit use it."""
    buyer, can_change = _buyer(request, uscc)
    if request.method == "GET":
        return _render_column_mappings(request, buyer, can_change)
    if not can_change:
        raise Http404
    if "delete" in request.POST:
        try:
            column_mappings.column_mapping_delete(
                actor=request.user, buyer=buyer, mapping_id=int(request.POST["delete"])
            )
        except (ValueError, PurchaseColumnMapping.DoesNotExist):
            raise Http404 from None
        messages.success(request, _("The column mapping is deleted."))
        return redirect("purchases:column_mappings", uscc=buyer.uscc)
    if "save" in request.POST:
        pairs = _posted_columns(request)
        name = request.POST.get("name", "")
        try:
            mapping = column_mappings.column_mapping_save(
                actor=request.user, buyer=buyer, name=name, columns=dict(pairs)
            )
        except ValidationError as error:
            return _render_column_mappings(
                request,
                buyer,
                can_change,
                pairs=pairs,
                name=name,
                errors=error.message_dict,
                status=400,
            )
        messages.success(
            request,
            _("The column mapping “%(name)s” is saved: uploads whose headers fit it use it.")
            % {"name": mapping.name},
        )
        return redirect("purchases:column_mappings", uscc=buyer.uscc)
    sample_form = SampleForm(request.POST, request.FILES)
    if sample_form.is_valid():
        try:
            headers = purchase_files.file_headers(sample_form.cleaned_data["sample"].read())
        except purchase_files.PurchaseFileError as error:
            sample_form.add_error("sample", [problem.message for problem in error.errors])
        else:
            pairs = [(header, column_mappings.standard_column(header)) for header in headers]
            return _render_column_mappings(request, buyer, can_change, pairs=pairs)
    return _render_column_mappings(request, buyer, can_change, sample_form=sample_form, status=400)
