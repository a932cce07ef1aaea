"""The applicant's pages: start an application, list them, and read or change one (its
claim, purchase lines and R&D plan).
"""

import re
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from directory.access import enterprises_of_member
from ssb_portal.audit_chain.heads import submission_receipt
from ssb_portal.forms import add_service_errors
from ssb_portal.pages import page_of, posted
from ssb_portal.roles import is_official
from subsidies.forms import (
    ApplyForm,
    LineFilterForm,
    LinesForm,
    MessageForm,
    claim_form_class,
    kpi_formset_class,
    milestone_formset_class,
)
from subsidies.models import Application, DocumentKind, Programme, ProgrammeKind
from subsidies.models import ApplicationStatus as S
from subsidies.selectors.access import (
    application_detail,
    application_for_member,
    applications_of_member,
    is_applicant_member,
)
from subsidies.selectors.eligibility import (
    application_eligibility,
    claimable_lines,
    computed_amount,
)
from subsidies.services.drafting import (
    CLAIM_FIELDS,
    application_create,
    application_set_lines,
    application_set_plan,
    application_update,
)
from subsidies.views.common import (
    PAGE_SIZE,
    appealable_rejection,
    application_url,
    can_move,
    dress_programme,
    money_text,
    not_editable,
)
from subsidies.views.milestones import milestone_context


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a draft for one of the user's enterprises (the choice is skipped when only one)."""
    programme = dress_programme(get_object_or_404(Programme, pk=pk))
    enterprises = enterprises_of_member(request.user).order_by("name_zh", "pk")
    context: dict[str, Any] = {"programme": programme, "enterprises": list(enterprises)}
    if not context["enterprises"]:
        return render(request, "subsidies/apply.html", context)
    closed = timezone.localdate() > programme.closes_on
    form = ApplyForm(posted(request), enterprises=enterprises)
    if request.method == "POST" and not closed and form.is_valid():
        try:
            application = application_create(
                actor=request.user, programme=programme, applicant=form.cleaned_data["enterprise"]
            )
        except ValidationError as error:
            add_service_errors(error, form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Application #%(pk)s is started as a draft. Complete the claim and the "
                    "documents, then submit it."
                )
                % {"pk": application.pk},
            )
            return redirect(application_url(application))
    existing = list(
        applications_of_member(request.user)
        .filter(programme=programme)
        .order_by("-created_at", "-pk")
    )
    context.update(form=form, closed=closed, existing=existing)
    return render(request, "subsidies/apply.html", context)


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    """The applications of all the user's enterprises, newest first, filterable by state."""
    queryset = applications_of_member(request.user).order_by("-created_at", "-pk")
    status = request.GET.get("status", "")
    if status in S.values:
        queryset = queryset.filter(status=status)
    else:
        status = ""
    page = page_of(request, queryset, PAGE_SIZE)
    return render(
        request,
        "subsidies/applications.html",
        {"page": page, "status": status, "statuses": S.choices},
    )


def _claim_rows(application: Application) -> list[tuple[str, str]]:
    """The claim's fields as (label, value shown), in the order of the programme kind."""
    rows = []
    for name in ("summary", *CLAIM_FIELDS[application.kind]):
        field = Application._meta.get_field(name)
        value = getattr(application, name)
        if isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        elif value in (None, ""):
            shown = ""
        elif field.choices:
            shown = str(getattr(application, f"get_{name}_display")())
        elif isinstance(value, Decimal):
            shown = number_format(value, decimal_pos=field.decimal_places, force_grouping=True)
        else:
            shown = str(value)
        rows.append((str(field.verbose_name), shown))
    return rows


def render_application(
    request: HttpRequest,
    pk: int,
    *,
    message_form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    application = application_detail(request.user, pk)
    official = is_official(request.user)
    is_member = is_applicant_member(request.user, application)
    transitions = list(application.transitions.all())
    appeals = list(application.appeals.all())
    documents = list(application.documents.all())
    eligibility = application_eligibility(application) if application.is_editable else None
    returned = [t for t in transitions if t.to_status == S.RETURNED]
    rejected = [t for t in transitions if t.to_status == S.REJECTED]
    attached = {document.kind for document in documents}
    required_documents = [
        (DocumentKind(kind).label, kind in attached)
        for kind in application.programme.required_documents
        if kind in DocumentKind.values
    ]
    claimed = list(application.claimed_lines.all())
    context = {
        "application": application,
        "programme": dress_programme(application.programme),
        "is_member": is_member,
        "official": official,
        "can_edit": is_member and application.is_editable,
        "can_submit": is_member and can_move(application, S.SUBMITTED),
        "can_withdraw": is_member and can_move(application, S.WITHDRAWN),
        "can_appeal": is_member
        and appealable_rejection(application, transitions, appeals) is not None,
        "can_message": is_member or official,
        "eligibility": eligibility,
        "return_note": returned[-1].note if returned else "",
        "rejection_note": rejected[-1].note if rejected else "",
        "claim_rows": _claim_rows(application),
        "claimed": claimed,
        "claimed_total": sum((c.amount_cny for c in claimed), Decimal(0)),
        "kpis": list(application.kpi_targets.all()),
        "milestones": list(application.milestones.all()),
        "documents": documents,
        "required_documents": required_documents,
        "transitions": transitions,
        "thread": list(application.messages.all()),
        "appeals": appeals,
        "objections": list(application.objections.all()),
        "message_form": message_form or MessageForm(official=official),
        **milestone_context(application, is_member),
        "receipt": submission_receipt(application) if is_member or official else None,
    }
    return render(request, "subsidies/application.html", context, status=status)


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """The application's page: state, amount, eligibility, claim, documents, history, thread."""
    return render_application(request, pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary and the claim fields of the programme kind; never the amount."""
    application = application_for_member(request.user, pk)
    if not application.is_editable:
        return not_editable(request, application)
    form = claim_form_class(application.kind)(posted(request), instance=application)
    if request.method == "POST" and form.is_valid():
        try:
            application_update(
                actor=request.user, application=application, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("The application is saved."))
            return redirect(application_url(application, "claim"))
    return render(
        request,
        "subsidies/edit.html",
        {
            "application": application,
            "programme": dress_programme(application.programme),
            "form": form,
        },
    )


LINES_PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def lines(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick the purchase lines to claim, page by page: saving a page changes only its lines."""
    application = application_for_member(request.user, pk)
    if not application.programme.claims_lines:
        raise Http404
    if not application.is_editable:
        return not_editable(request, application)
    claimed_ids = set(application.claimed_lines.values_list("purchase_line_id", flat=True))
    claimable = claimable_lines(application)
    filter_form = LineFilterForm(request.GET)
    if filter_form.is_valid():
        query = filter_form.cleaned_data["q"].strip()
        if query:
            claimable = claimable.filter(
                Q(invoice_no__icontains=query)
                | Q(supplier_name__icontains=query)
                | Q(supplier__name_zh__icontains=query)
                | Q(supplier__name_en__icontains=query)
                | Q(supplier__uscc__icontains=query)
            )
        if filter_form.cleaned_data["claimed"] == "yes":
            claimable = claimable.filter(pk__in=claimed_ids)
        elif filter_form.cleaned_data["claimed"] == "no":
            claimable = claimable.exclude(pk__in=claimed_ids)
    checked = claimed_ids
    errors: list[str] = []
    if request.method == "POST":
        form = LinesForm(request.POST)
        if form.is_valid():
            ticked = set(form.cleaned_data["lines"])
            wanted = (claimed_ids - set(form.cleaned_data["shown"])) | ticked
            try:
                kept = application_set_lines(
                    actor=request.user, application=application, line_ids=wanted
                )
            except ValidationError as error:
                errors = error.messages
                checked = ticked
            else:
                messages.success(
                    request,
                    _("%(count)s purchase lines claimed, %(total)s CNY in all.")
                    % {
                        "count": len(kept),
                        "total": money_text(sum((c.amount_cny for c in kept), Decimal(0))),
                    },
                )
                if request.POST.get("then") == "application":
                    return redirect(application_url(application, "lines"))
                return redirect(request.get_full_path())
        else:
            errors = [message for messages_ in form.errors.values() for message in messages_]
    page = page_of(request, claimable, LINES_PAGE_SIZE)
    amount, _quota = computed_amount(application)
    claimed = list(application.claimed_lines.all())
    return render(
        request,
        "subsidies/lines.html",
        {
            "application": application,
            "programme": dress_programme(application.programme),
            "page": page,
            "filter_form": filter_form,
            "filtered": any(request.GET.get(name) for name in ("q", "claimed")),
            "checked": checked,
            "errors": errors,
            "claimed_count": len(claimed),
            "claimed_total": sum((c.amount_cny for c in claimed), Decimal(0)),
            "amount": amount,
        },
    )


_PLAN_ERROR = re.compile(r"(kpis|milestones)\[(\d+)\]")


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """An R&D proposal's KPIs (baseline → target) and milestones."""
    application = application_for_member(request.user, pk)
    if application.kind != ProgrammeKind.RD_FUND:
        raise Http404
    if not application.is_editable:
        return not_editable(request, application)
    data = request.POST if request.method == "POST" else None
    kpis = kpi_formset_class()(
        data,
        prefix="kpis",
        initial=[
            {"kpi": t.kpi, "baseline_value": t.baseline_value, "target_value": t.target_value}
            for t in application.kpi_targets.all()
        ],
    )
    milestones = milestone_formset_class()(
        data,
        prefix="milestones",
        initial=[
            {"title": m.title, "due_on": m.due_on, "deliverable": m.deliverable}
            for m in application.milestones.all()
        ],
    )
    errors: list[str] = []
    if data is not None and kpis.is_valid() and milestones.is_valid():
        kpi_rows, milestone_rows = kpis.rows(), milestones.rows()
        try:
            application_set_plan(
                actor=request.user,
                application=application,
                kpis=[values for _index, values in kpi_rows],
                milestones=[values for _index, values in milestone_rows],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                errors = error.messages
            else:
                formsets = {"kpis": (kpis, kpi_rows), "milestones": (milestones, milestone_rows)}
                for key, found in error.message_dict.items():
                    match = _PLAN_ERROR.fullmatch(key)
                    if match:
                        formset, rows = formsets[match.group(1)]
                        formset.forms[rows[int(match.group(2))][0]].add_error(None, found)
                    else:
                        errors.extend(found)
        else:
            messages.success(request, _("The KPIs and milestones are saved."))
            return redirect(application_url(application, "plan"))
    return render(
        request,
        "subsidies/plan.html",
        {
            "application": application,
            "programme": application.programme,
            "kpis": kpis,
            "milestones": milestones,
            "errors": errors,
        },
    )
