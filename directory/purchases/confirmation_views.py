"""A supplier's pages: the purchase lines naming it, filtered and paged, with a form to
confirm or dispute each line or a whole invoice. Members of the supplier only; everybody else
gets 404. Thin views: parse input, call one service or selector, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from directory.access import enterprise_for_member
from directory.models import ConfirmationStatus, Enterprise, ListingStatus
from directory.purchases.confirmation_selectors import lines_naming_supplier
from directory.purchases.confirmations import purchase_invoice_decide, purchase_line_decide
from directory.purchases.filters import SupplierLineFilter
from ssb_portal.pages import error_messages, page_of

LINES_PER_PAGE = 25


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (ConfirmationStatus.CONFIRMED, gettext_lazy("Confirm")),
            (ConfirmationStatus.DISPUTED, gettext_lazy("Dispute")),
        ],
    )
    reason = forms.CharField(label=gettext_lazy("What is wrong"), required=False, max_length=2000)
    # The list's query (?buyer=…&page=…) to go back to.
    back = forms.CharField(required=False, max_length=500)


class InvoiceDecisionForm(DecisionForm):
    buyer = forms.CharField(label=gettext_lazy("Buyer"), max_length=18)
    # Empty for a fully digital invoice.
    invoice_code = forms.CharField(
        label=gettext_lazy("Invoice code"), required=False, max_length=12
    )
    invoice_no = forms.CharField(label=gettext_lazy("Invoice number"), max_length=64)


@login_required
@require_GET
def confirmations(request: HttpRequest, uscc: str) -> HttpResponse:
    """The lines naming the enterprise, newest invoices first, by buyer, year and status."""
    supplier = enterprise_for_member(user=request.user, uscc=uscc)
    lines = SupplierLineFilter(request.GET, queryset=lines_naming_supplier(supplier))
    valid = lines.is_valid()
    context = {
        "enterprise": supplier,
        "verified": supplier.status == ListingStatus.VERIFIED,
        "filter_form": lines.form,
        "lines": page_of(request, lines.qs if valid else lines.queryset.none(), LINES_PER_PAGE),
        "back": request.GET.urlencode(),
    }
    return render(
        request, "directory/purchases/confirmations.html", context, status=200 if valid else 400
    )


def _back_to_list(supplier: Enterprise, form: forms.Form) -> HttpResponse:
    url = reverse("purchases:confirmations", args=[supplier.uscc])
    back = form.cleaned_data.get("back", "") if form.is_valid() else ""
    # Only a query string is taken: the page stays the list's.
    return redirect(f"{url}?{back}" if back else url)


def _decided(request: HttpRequest, form: forms.Form, decide) -> None:
    if not form.is_valid():
        messages.error(request, _("Choose to confirm or to dispute."))
        return
    try:
        changed = decide(form.cleaned_data)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request,
            ngettext("Recorded for %(count)s line.", "Recorded for %(count)s lines.", changed)
            % {"count": changed},
        )


@login_required
@require_POST
def line_decide(request: HttpRequest, uscc: str, line_id: int) -> HttpResponse:
    """Confirm or dispute one line naming the enterprise."""
    supplier = enterprise_for_member(user=request.user, uscc=uscc)
    line = get_object_or_404(lines_naming_supplier(supplier), pk=line_id)
    form = DecisionForm(request.POST)

    def decide(data: dict) -> int:
        purchase_line_decide(
            actor=request.user,
            supplier=supplier,
            line_id=line.pk,
            status=data["status"],
            reason=data["reason"],
        )
        return 1

    _decided(request, form, decide)
    return _back_to_list(supplier, form)


@login_required
@require_POST
def invoice_decide(request: HttpRequest, uscc: str) -> HttpResponse:
    """Confirm or dispute every line of one invoice of a buyer naming the enterprise."""
    supplier = enterprise_for_member(user=request.user, uscc=uscc)
    form = InvoiceDecisionForm(request.POST)
    if form.is_valid() and not (
        lines_naming_supplier(supplier)
        .filter(
            buyer__uscc=form.cleaned_data["buyer"],
            invoice_code=form.cleaned_data["invoice_code"],
            invoice_no=form.cleaned_data["invoice_no"],
        )
        .exists()
    ):
        raise Http404
    _decided(
        request,
        form,
        lambda data: purchase_invoice_decide(
            actor=request.user,
            supplier=supplier,
            buyer_uscc=data["buyer"],
            invoice_code=data["invoice_code"],
            invoice_no=data["invoice_no"],
            status=data["status"],
            reason=data["reason"],
        ),
    )
    return _back_to_list(supplier, form)
