"""The supplier's pages of a product's bills of materials: the bills with their state, history
and computed share; declaring one (its lines, or the origins of a safe-harbour table's
classes); changing one still waiting; correcting a returned one as a new declaration.
Products are found through the member-scoped selector: another firm's answer 404."""

from collections.abc import Callable, Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from directory.composition.forms import (
    BillForm,
    BomLineFormSet,
    harbour_formset,
    line_initial,
    put_refusal,
    stated_lines,
)
from directory.composition.lines import LineInput
from directory.composition.selectors import bills_of_product, harbour_classes
from directory.composition.services import (
    bills_page_path,
    bom_amend,
    bom_declare,
    require_waiting,
)
from directory.models import BillOfMaterials, BomStatus, CostUnit, Product
from directory.selectors import product_for_member
from ssb_portal.pages import error_messages, posted

#: Blank lines a new bill starts with ("Add a line" adds more).
BLANK_LINES = 4

#: What saves a bill from the page: (cost unit, lines, safe-harbour mode) -> the bill.
Save = Callable[[str, Sequence[LineInput], bool], BillOfMaterials]


@login_required
def bom_list(request: HttpRequest, uscc: str, product_id: int) -> HttpResponse:
    product = product_for_member(user=request.user, uscc=uscc, product_id=product_id)
    return render(
        request,
        "directory/bom_list.html",
        {
            "enterprise": product.enterprise,
            "product": product,
            "bills": bills_of_product(product),
            "has_safe_harbour": bool(harbour_classes(product)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bom_declare_page(request: HttpRequest, uscc: str, product_id: int) -> HttpResponse:
    """A new bill; `?corrects=<id>` starts from a returned bill's lines and corrects it,
    `?mode=safe-harbour` states the origins of the category's classes."""
    product = product_for_member(user=request.user, uscc=uscc, product_id=product_id)
    corrects = None
    if "corrects" in request.GET:
        try:
            corrects = get_object_or_404(
                bills_of_product(product),
                pk=int(request.GET["corrects"]),
                status=BomStatus.RETURNED,
            )
        except ValueError:
            raise Http404 from None
    harbour = request.GET.get("mode") == "safe-harbour"
    if corrects is not None:
        harbour = corrects.safe_harbour_id is not None
    return _bill_page(
        request,
        product,
        source=corrects,
        harbour=harbour,
        save=lambda unit, lines, harbour: bom_declare(
            actor=request.user,
            product=product,
            lines=lines,
            cost_unit=unit,
            use_safe_harbour=harbour,
            corrects=corrects,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def bom_edit(request: HttpRequest, uscc: str, product_id: int, bom_id: int) -> HttpResponse:
    """Change a bill still waiting for verification (a verified or returned one stays as it
    was: the page says so and goes back to the list)."""
    product = product_for_member(user=request.user, uscc=uscc, product_id=product_id)
    bom = get_object_or_404(bills_of_product(product), pk=bom_id)
    try:
        require_waiting(bom)
    except ValidationError as refusal:
        error_messages(request, refusal)
        return redirect(bills_page_path(product))
    return _bill_page(
        request,
        product,
        source=bom,
        harbour=bom.safe_harbour_id is not None,
        save=lambda unit, lines, harbour: bom_amend(
            actor=request.user, bom=bom, lines=lines, cost_unit=unit, use_safe_harbour=harbour
        ),
    )


def _bill_page(
    request: HttpRequest,
    product: Product,
    *,
    source: BillOfMaterials | None,
    harbour: bool,
    save: Save,
) -> HttpResponse:
    """The form of a bill (new, changed or corrected); sent valid, `save` calls the service,
    whose refusal goes onto the lines and fields at fault and nothing is saved."""
    data = posted(request)
    table = harbour_classes(product)
    classes = table if harbour else []
    harbour = bool(classes)
    bill_form = BillForm(data, initial={"cost_unit": source.cost_unit if source else None})
    if harbour:
        stated = source.lines.all() if source else []
        origins = {line.component_class_id: line.origin for line in stated}
        formset = harbour_formset(data, classes, origins)
    else:
        if data is not None and "add_line" in data:
            data = data.copy()
            data["lines-TOTAL_FORMS"] = str(int(data.get("lines-TOTAL_FORMS") or 0) + 1)
        initial = line_initial(source) if source else [{}] * BLANK_LINES
        formset = BomLineFormSet(data, prefix="lines", initial=initial)
    sent = data is not None and "add_line" not in data
    if sent and bill_form.is_valid() and formset.is_valid():
        filled, lines = stated_lines(formset)
        unit = bill_form.cleaned_data["cost_unit"] or CostUnit.PERCENT
        try:
            save(unit, lines, harbour)
        except ValidationError as refusal:
            put_refusal(refusal, bill_form, filled)
        else:
            messages.success(
                request,
                _(
                    "The bill of materials of %(name)s was sent to the officials for "
                    "verification. You are told by e-mail when they have decided."
                )
                % {"name": product.name},
            )
            return redirect(bills_page_path(product))
    refused = sent and (bill_form.errors or formset.total_error_count())
    return render(
        request,
        "directory/bom_form.html",
        {
            "enterprise": product.enterprise,
            "product": product,
            "bill_form": bill_form,
            "formset": formset,
            "harbour": harbour,
            "source": source,
            "return_reason": _return_reason(source),
            "has_safe_harbour": bool(table),
        },
        status=400 if refused else 200,
    )


def _return_reason(bom: BillOfMaterials | None) -> str:
    """Why the officials returned the bill being corrected (its history is prefetched)."""
    if bom is None or bom.status != BomStatus.RETURNED:
        return ""
    returns = [c for c in bom.status_changes.all() if c.to_status == BomStatus.RETURNED]
    return returns[-1].reason if returns else ""
