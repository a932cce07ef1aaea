"""The support programmes' server-rendered pages.

Public: the programmes, the awards granted (disclosure) and the public notices with their
objections. Applicants: their applications, each with its eligibility, claim, documents,
history and conversation. Every page parses input, calls one selector or service and renders
the result; applications are found through the member-scoped selectors, so another
organisation's application answers 404. Officials may open application pages (read-only
apart from the conversation); they decide in the admin.
"""

import csv
import io
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from directory import selectors as directory_selectors
from directory.templatetags.directory_tags import local_name
from ssb_portal.private_files import document_response
from ssb_portal.roles import is_official
from subsidies import selectors, services
from subsidies.forms import (
    AppealForm,
    ApplyForm,
    AwardFilterForm,
    DocumentForm,
    LineFilterForm,
    LinesForm,
    MessageForm,
    ObjectionForm,
    WithdrawForm,
    add_service_errors,
    claim_form_class,
    kpi_formset_class,
    milestone_formset_class,
)
from subsidies.models import (
    AWARDED_STATUSES,
    Application,
    ApplicationStatus,
    DatasetKind,
    DocumentKind,
    KpiValueSource,
    Programme,
    ProgrammeKind,
    TemperatureUnit,
)
from subsidies.workflow import APPLICANT, allowed_role

S = ApplicationStatus

PAGE_SIZE = 20
LINES_PAGE_SIZE = 50
#: The public awards page also lists this many largest recipients, net of recoveries.
TOP_RECIPIENTS = 10
AWARDS_PAGE_SIZE = 50


# --- helpers ----------------------------------------------------------------------------------


def _posted(request: HttpRequest):
    """The POST data when the form was sent (even empty, so that it is validated), else None."""
    return request.POST if request.method == "POST" else None


def _money(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return number_format(value, decimal_pos=2, force_grouping=True)


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


def programme_rule(programme: Programme) -> str:
    """The programme's rule in words, with its parameters: how the award is computed."""
    kind = programme.kind
    rate = programme.rate_percent
    if kind == ProgrammeKind.LOCAL_PROCUREMENT and rate is not None:
        return _(
            "%(rate)s %% of the claimed local purchases: your invoice lines from verified local "
            "suppliers in the eligible categories, invoiced in %(year)s."
        ) % {"rate": _percent(rate), "year": programme.year}
    if kind == ProgrammeKind.DEMONSTRATION_PROCUREMENT and rate is not None:
        return _(
            "%(rate)s %% of the value of local solid-state battery packs bought for a registered "
            "demonstration scenario, invoiced in %(year)s."
        ) % {"rate": _percent(rate), "year": programme.year}
    if kind == ProgrammeKind.STANDARDS_REWARD:
        return _(
            "%(lead)s CNY for leading and %(participate)s CNY for participating in an "
            "international standard; one reward per enterprise and standard."
        ) % {
            "lead": _money(programme.lead_reward_cny),
            "participate": _money(programme.participate_reward_cny),
        }
    if kind == ProgrammeKind.NATIONAL_MATCHING and rate is not None:
        return _("%(rate)s %% of the total investment of the national major project.") % {
            "rate": _percent(rate)
        }
    if kind == ProgrammeKind.RD_FUND:
        if programme.max_award_cny is not None:
            return _(
                "The amount officials approve for the proposal, at most %(cap)s CNY per proposal."
            ) % {"cap": _money(programme.max_award_cny)}
        return _("The amount officials approve for the proposal.")
    if kind == ProgrammeKind.ENERGY_QUOTA:
        return _(
            "The annual energy quota is raised to 1.10 × the standard quota (tce per year); "
            "no money is paid."
        )
    if kind == ProgrammeKind.LAND_PRIORITY:
        return _("Officials rank the round's requests for industrial land; no money is paid.")
    return _("Set by the programme's rule.")


def _document_labels(kinds: list[str]) -> list[str]:
    return [DocumentKind(kind).label for kind in kinds if kind in DocumentKind.values]


def _dress(programme: Programme) -> Programme:
    """Attach what the programme pages show in words."""
    programme.rule_text = programme_rule(programme)
    programme.required_document_labels = _document_labels(programme.required_documents)
    return programme


def _page(request: HttpRequest, queryset, size: int, param: str = "page"):
    page = Paginator(queryset, size).get_page(request.GET.get(param))
    page.elided_range = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return page


def _application_url(application: Application, anchor: str = "") -> str:
    url = reverse("subsidies:application", args=[application.pk])
    return f"{url}#{anchor}" if anchor else url


def _not_editable(request: HttpRequest, application: Application) -> HttpResponse:
    messages.error(
        request,
        _("Only a draft or a returned application can be changed; this one is “%(status)s”.")
        % {"status": application.get_status_display()},
    )
    return redirect(_application_url(application))


def _can_move(application: Application, to_status: str) -> bool:
    return allowed_role(application.status, to_status) == APPLICANT


def _appealable_rejection(application: Application, transitions: list, appeals: list):
    """The official's rejection the applicant may still appeal, or None (once per rejection)."""
    if application.status != S.REJECTED:
        return None
    rejections = [
        t for t in transitions if t.to_status == S.REJECTED and t.from_status != S.APPEALED
    ]
    rejection = rejections[-1] if rejections else None
    if rejection is None or any(appeal.rejection_id == rejection.pk for appeal in appeals):
        return None
    return rejection


# --- public pages -----------------------------------------------------------------------------


def programmes(request: HttpRequest) -> HttpResponse:
    """Every programme: open now first, then upcoming, then closed."""
    listed = [_dress(programme) for programme in selectors.programmes_listed()]
    return render(
        request,
        "subsidies/programmes.html",
        {
            "open_now": [p for p in listed if p.phase == 0],
            "upcoming": [p for p in listed if p.phase == 1],
            "closed": [p for p in listed if p.phase == 2],
        },
    )


def programme(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _dress(get_object_or_404(selectors.programmes_listed(), pk=pk))
    enterprises = list(directory_selectors.enterprises_of_member(request.user))
    mine = (
        list(
            selectors.applications_of_member(request.user)
            .filter(programme=programme)
            .order_by("-created_at", "-pk")
        )
        if enterprises
        else []
    )
    return render(
        request,
        "subsidies/programme.html",
        {
            "programme": programme,
            "enterprises": enterprises,
            "my_applications": mine,
            "closed": timezone.localdate() > programme.closes_on,
            "categories": list(programme.eligible_categories.all()),
        },
    )


def _award_filter(request: HttpRequest) -> tuple[AwardFilterForm, QuerySet | None]:
    form = AwardFilterForm(request.GET)
    if not form.is_valid():
        return form, None
    awards = selectors.awards_public()
    if form.cleaned_data.get("programme"):
        awards = awards.filter(programme=form.cleaned_data["programme"])
    if form.cleaned_data.get("year"):
        awards = awards.filter(programme__year=form.cleaned_data["year"])
    return form, awards


def awards(request: HttpRequest) -> HttpResponse:
    """Public disclosure of the awards of public money: programme, recipient, amount, date."""
    form, queryset = _award_filter(request)
    if queryset is None:
        return render(request, "subsidies/awards.html", {"form": form, "page": None}, status=400)
    page = _page(request, queryset, AWARDS_PAGE_SIZE)
    recipients = list(selectors.support_by_enterprise()[:TOP_RECIPIENTS])
    return render(
        request, "subsidies/awards.html", {"form": form, "page": page, "recipients": recipients}
    )


def awards_csv(request: HttpRequest) -> HttpResponse:
    """The same awards as the page, filtered alike, as CSV (UTF-8 with BOM for spreadsheets)."""
    form, queryset = _award_filter(request)
    if queryset is None:
        return render(request, "subsidies/awards.html", {"form": form, "page": None}, status=400)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Programme"),
            _("Year"),
            _("Recipient"),
            _("USCC"),
            _("Amount (CNY)"),
            _("Approved on"),
            _("Status"),
            _("Recovered (CNY)"),
        ]
    )
    for award in queryset.iterator(chunk_size=2000):
        writer.writerow(
            [
                award.programme.name_zh,
                award.programme.year,
                award.applicant.name_zh,
                award.applicant.uscc,
                f"{award.awarded_amount_cny:.2f}",
                f"{timezone.localtime(award.decided_at):%Y-%m-%d}" if award.decided_at else "",
                award.get_status_display(),
                f"{award.recovered_cny:.2f}",
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"ssb-awards-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def notices(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.notices_listed(), PAGE_SIZE)
    return render(request, "subsidies/notices.html", {"page": page, "now": timezone.now()})


@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """A public notice: its awards and the objections lodged, with their outcomes.

    While the notice runs, a logged-in user may object to one award, signed with a name and
    an organisation; the objections and their outcomes stay public after the period.
    """
    notice = selectors.notice_public(pk)
    is_open = notice.is_open_at(timezone.now())
    awards = list(notice.applications.all())
    objections = list(notice.objections.all())
    # An upheld objection takes its award out of the notice; the objection still names it.
    known = {award.pk: award for award in awards}
    missing = {objection.application_id for objection in objections} - known.keys()
    if missing:
        known.update(Application.objects.select_related("applicant").in_bulk(missing))
    for objection in objections:
        objection.award = known[objection.application_id]
    for award in awards:
        award.objection_list = [o for o in objections if o.application_id == award.pk]
    objectable = [award for award in awards if award.status == S.IN_NOTICE]
    form = None
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.is_authenticated and is_open and objectable:
        enterprise = directory_selectors.enterprises_of_member(request.user).order_by("pk").first()
        initial = {
            "author_name": request.user.get_full_name() or request.user.get_username(),
            "organisation": enterprise.name_zh if enterprise else "",
            "application": request.GET.get("award", "")
            or (objectable[0].pk if len(objectable) == 1 else ""),
        }
        form = ObjectionForm(_posted(request), awards=objectable, initial=initial)
        if request.method == "POST" and form.is_valid():
            application = known[form.cleaned_data["application"]]
            try:
                services.objection_lodge(
                    actor=request.user,
                    application=application,
                    author_name=form.cleaned_data["author_name"],
                    organisation=form.cleaned_data["organisation"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(error, form)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Your objection is recorded and published. The award cannot be paid "
                        "until an official resolves it."
                    ),
                )
                return redirect(reverse("subsidies:notice", args=[notice.pk]) + "#objections")
    elif request.method == "POST":
        messages.error(request, _("Objections to this notice are closed."))
        return redirect("subsidies:notice", pk=notice.pk)
    return render(
        request,
        "subsidies/notice.html",
        {
            "notice": notice,
            "is_open": is_open,
            "awards": awards,
            "objections": objections,
            "form": form,
            "total": sum((a.awarded_amount_cny or Decimal(0) for a in awards), Decimal(0)),
        },
    )


# --- starting an application ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a draft for one of the user's enterprises (the choice is skipped when only one)."""
    programme = _dress(get_object_or_404(Programme, pk=pk))
    enterprises = directory_selectors.enterprises_of_member(request.user).order_by("name_zh", "pk")
    context: dict[str, Any] = {"programme": programme, "enterprises": list(enterprises)}
    if not context["enterprises"]:
        return render(request, "subsidies/apply.html", context)
    closed = timezone.localdate() > programme.closes_on
    form = ApplyForm(_posted(request), enterprises=enterprises)
    if request.method == "POST" and not closed and form.is_valid():
        try:
            application = services.application_create(
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
            return redirect(_application_url(application))
    existing = list(
        selectors.applications_of_member(request.user)
        .filter(programme=programme)
        .order_by("-created_at", "-pk")
    )
    context.update(form=form, closed=closed, existing=existing)
    return render(request, "subsidies/apply.html", context)


# --- the applicant's applications -------------------------------------------------------------


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    """The applications of all the user's enterprises, newest first, filterable by state."""
    queryset = selectors.applications_of_member(request.user).order_by("-created_at", "-pk")
    status = request.GET.get("status", "")
    if status in S.values:
        queryset = queryset.filter(status=status)
    else:
        status = ""
    page = _page(request, queryset, PAGE_SIZE)
    return render(
        request,
        "subsidies/applications.html",
        {"page": page, "status": status, "statuses": S.choices},
    )


def _claim_rows(application: Application) -> list[tuple[str, str]]:
    """The claim's fields as (label, value shown), in the order of the programme kind."""
    rows = []
    for name in ("summary", *services.CLAIM_FIELDS[application.kind]):
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


def _render_application(
    request: HttpRequest,
    pk: int,
    *,
    message_form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    application = selectors.application_detail(request.user, pk)
    official = is_official(request.user)
    is_member = selectors.is_applicant_member(request.user, application)
    transitions = list(application.transitions.all())
    appeals = list(application.appeals.all())
    documents = list(application.documents.all())
    eligibility = (
        selectors.application_eligibility(application) if application.is_editable else None
    )
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
        "programme": _dress(application.programme),
        "is_member": is_member,
        "official": official,
        "can_edit": is_member and application.is_editable,
        "can_submit": is_member and _can_move(application, S.SUBMITTED),
        "can_withdraw": is_member and _can_move(application, S.WITHDRAWN),
        "can_appeal": is_member
        and _appealable_rejection(application, transitions, appeals) is not None,
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
        **_milestone_context(application, is_member),
    }
    return render(request, "subsidies/application.html", context, status=status)


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """The application's page: state, amount, eligibility, claim, documents, history, thread."""
    return _render_application(request, pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary and the claim fields of the programme kind; never the amount."""
    application = selectors.application_for_member(request.user, pk)
    if not application.is_editable:
        return _not_editable(request, application)
    form = claim_form_class(application.kind)(_posted(request), instance=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(
                actor=request.user, application=application, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("The application is saved."))
            return redirect(_application_url(application, "claim"))
    return render(
        request,
        "subsidies/edit.html",
        {"application": application, "programme": _dress(application.programme), "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def lines(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick the purchase lines to claim, page by page: saving a page changes only its lines."""
    application = selectors.application_for_member(request.user, pk)
    if not application.programme.claims_lines:
        raise Http404
    if not application.is_editable:
        return _not_editable(request, application)
    claimed_ids = set(application.claimed_lines.values_list("purchase_line_id", flat=True))
    claimable = selectors.claimable_lines(application)
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
                kept = services.application_set_lines(
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
                        "total": _money(sum((c.amount_cny for c in kept), Decimal(0))),
                    },
                )
                if request.POST.get("then") == "application":
                    return redirect(_application_url(application, "lines"))
                return redirect(request.get_full_path())
        else:
            errors = [message for messages_ in form.errors.values() for message in messages_]
    page = _page(request, claimable, LINES_PAGE_SIZE)
    amount, _quota = selectors.computed_amount(application)
    claimed = list(application.claimed_lines.all())
    return render(
        request,
        "subsidies/lines.html",
        {
            "application": application,
            "programme": _dress(application.programme),
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
    application = selectors.application_for_member(request.user, pk)
    if application.kind != ProgrammeKind.RD_FUND:
        raise Http404
    if not application.is_editable:
        return _not_editable(request, application)
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
            services.application_set_plan(
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
            return redirect(_application_url(application, "plan"))
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


# --- documents --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_member(request.user, pk)
    if not application.is_editable:
        return _not_editable(request, application)
    form = DocumentForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        programme=application.programme,
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_add(
                actor=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("“%(name)s” is attached as %(kind)s.")
                % {"name": document.original_name, "kind": document.get_kind_display()},
            )
            return redirect(_application_url(application, "documents"))
    attached = set(application.documents.values_list("kind", flat=True))
    return render(
        request,
        "subsidies/document_form.html",
        {
            "application": application,
            "form": form,
            "required_documents": [
                (DocumentKind(kind).label, kind in attached)
                for kind in application.programme.required_documents
                if kind in DocumentKind.values
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    application = selectors.application_for_member(request.user, pk)
    document = get_object_or_404(application.documents.all(), pk=document_id)
    if not application.is_editable:
        return _not_editable(request, application)
    if request.method == "POST":
        try:
            services.document_delete(actor=request.user, document=document)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("“%(name)s” is removed.") % {"name": document.original_name}
            )
        return redirect(_application_url(application, "documents"))
    return render(
        request,
        "subsidies/confirm.html",
        {
            "application": application,
            "title": _("Remove a document"),
            "question": _("Remove “%(name)s” (%(kind)s) from application #%(pk)s?")
            % {
                "name": document.original_name,
                "kind": document.get_kind_display(),
                "pk": application.pk,
            },
            "action": _("Remove the document"),
            "danger": True,
        },
    )


def document(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """Stream a private document to the applicant's members and officials; 404 for anyone
    else (anonymous visitors included: the page does not reveal that the file exists)."""
    application = selectors.application_for(request.user, pk)
    document = get_object_or_404(application.documents.all(), pk=document_id)
    return document_response(document)


# --- the applicant's moves --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the submission; an ineligible application shows what is missing and stays."""
    application = selectors.application_for_member(request.user, pk)
    if not _can_move(application, S.SUBMITTED):
        messages.error(
            request,
            _("Application #%(pk)s is “%(status)s”: it cannot be submitted now.")
            % {"pk": application.pk, "status": application.get_status_display()},
        )
        return redirect(_application_url(application))
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.application_submit(actor=request.user, application=application)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _(
                    "Application #%(pk)s is submitted. The officials review it; you get an email "
                    "at every decision."
                )
                % {"pk": application.pk},
            )
            return redirect(_application_url(application))
    eligibility = selectors.application_eligibility(application)
    return render(
        request,
        "subsidies/submit.html",
        {
            "application": application,
            "programme": _dress(application.programme),
            "eligibility": eligibility,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_member(request.user, pk)
    if not _can_move(application, S.WITHDRAWN):
        messages.error(
            request,
            _("Application #%(pk)s is “%(status)s”: it can no longer be withdrawn.")
            % {"pk": application.pk, "status": application.get_status_display()},
        )
        return redirect(_application_url(application))
    form = WithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                actor=request.user, application=application, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request, _("Application #%(pk)s is withdrawn.") % {"pk": application.pk}
            )
            return redirect(_application_url(application))
    return render(
        request,
        "subsidies/confirm.html",
        {
            "application": application,
            "title": _("Withdraw the application"),
            "question": _(
                "Withdraw application #%(pk)s to %(programme)s? A withdrawn application cannot "
                "be taken up again, and its claims are released."
            )
            % {"pk": application.pk, "programme": local_name(application.programme)},
            "action": _("Withdraw the application"),
            "danger": True,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """Appeal a rejection once, with grounds; another official decides."""
    application = selectors.application_for_member(request.user, pk)
    transitions = list(application.transitions.order_by("created_at", "pk"))
    rejection = _appealable_rejection(application, transitions, list(application.appeals.all()))
    if rejection is None:
        messages.error(
            request,
            _("Application #%(pk)s cannot be appealed: only a rejection can, once.")
            % {"pk": application.pk},
        )
        return redirect(_application_url(application))
    form = AppealForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_file(
                actor=request.user, application=application, grounds=form.cleaned_data["grounds"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "note" in error.error_dict:
                form.add_error("grounds", error.error_dict.pop("note"))
            if not hasattr(error, "error_dict") or error.error_dict:
                add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("Your appeal is filed. An official other than the one who rejected decides it."),
            )
            return redirect(_application_url(application, "appeals"))
    return render(
        request,
        "subsidies/appeal.html",
        {
            "application": application,
            "form": form,
            "rejection": rejection,
        },
    )


@login_required
@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    """Post to the application's thread (officials may mark an internal note)."""
    application = selectors.application_for(request.user, pk)
    official = is_official(request.user)
    form = MessageForm(request.POST, official=official)
    if form.is_valid():
        try:
            services.message_post(
                actor=request.user,
                application=application,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data.get("internal", False),
            )
        except ValidationError as error:
            add_service_errors(error, form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(_application_url(application, "messages"))
    return _render_application(request, pk, message_form=form, status=400)


# --- R&D fund milestone reports and KPI status (issue 6) --------------------------------------


class MilestoneReportForm(forms.Form):
    """A milestone report: summary, evidence PDF, optional dataset and, per KPI of the
    proposal, the value reached (left blank when not measured at this milestone)."""

    reported_on = forms.DateField(
        label=gettext_lazy("Reported on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(
        label=gettext_lazy("What the milestone achieved"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    evidence = forms.FileField(
        label=gettext_lazy("Evidence (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    dataset = forms.FileField(
        label=gettext_lazy("Measurement dataset (CSV or XLSX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dataset_kind = forms.ChoiceField(
        label=gettext_lazy("The dataset measures"),
        choices=[("", "—"), *DatasetKind.choices],
        required=False,
    )
    temperature_unit = forms.ChoiceField(
        label=gettext_lazy("Temperatures in"),
        choices=[("", "—"), *TemperatureUnit.choices],
        required=False,
        help_text=gettext_lazy("For a conductivity dataset."),
    )

    def __init__(self, *args, targets: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi_rows = []
        for target in targets:
            self.fields[target.kpi] = forms.FloatField(
                label=target.get_kpi_display(),
                required=False,
                help_text=gettext_lazy("Target %(target)s, baseline %(baseline)s")
                % {"target": f"{target.target_value:g}", "baseline": f"{target.baseline_value:g}"},
            )
            self.fields[f"{target.kpi}_source"] = forms.ChoiceField(
                label=gettext_lazy("How it was obtained"),
                choices=KpiValueSource.choices,
                initial=KpiValueSource.REPORTED,
            )
            self.kpi_rows.append((self[target.kpi], self[f"{target.kpi}_source"]))

    def kpi_values(self) -> list[dict]:
        return [
            {
                "kpi": value.name,
                "value": self.cleaned_data[value.name],
                "source": self.cleaned_data[source.name],
            }
            for value, source in self.kpi_rows
            if self.cleaned_data.get(value.name) is not None
        ]


def _awarded_rd(application: Application) -> bool:
    return application.kind == ProgrammeKind.RD_FUND and application.status in AWARDED_STATUSES


def _milestone_context(application: Application, is_member: bool) -> dict[str, Any]:
    """The application page's "Milestone reports" section (awarded R&D projects only)."""
    if not _awarded_rd(application):
        return {"milestone_section": False}
    return {
        "milestone_section": True,
        "can_report": is_member,
        "kpi_status": selectors.application_kpi_status(application),
        "reported_milestones": selectors.milestones_with_reports(application),
    }


@login_required
@require_http_methods(["GET", "POST"])
def milestone_report(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    """An awarded R&D project's members report one milestone."""
    application = selectors.application_for_member(request.user, pk)
    milestone = get_object_or_404(application.milestones.all(), pk=milestone_id)
    if not _awarded_rd(application):
        messages.error(request, _("Milestones are reported once the application is approved."))
        return redirect(_application_url(application))
    targets = list(application.kpi_targets.all())
    form = MilestoneReportForm(
        _posted(request), request.FILES if request.method == "POST" else None, targets=targets
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_report_file(
                actor=request.user,
                application=application,
                milestone=milestone,
                reported_on=form.cleaned_data["reported_on"],
                summary=form.cleaned_data["summary"],
                evidence=form.cleaned_data["evidence"],
                dataset=form.cleaned_data["dataset"],
                dataset_kind=form.cleaned_data["dataset_kind"],
                temperature_unit=form.cleaned_data["temperature_unit"],
                values=form.kpi_values(),
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request, _("The report on “%(title)s” is filed.") % {"title": milestone.title}
            )
            return redirect(_application_url(application, "milestone-reports"))
    return render(
        request,
        "subsidies/milestone_report_form.html",
        {"application": application, "milestone": milestone, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def milestone_report_download(
    request: HttpRequest, pk: int, report_id: int, part: str
) -> HttpResponse:
    """A report's evidence PDF or dataset, for the project's members and officials (404 for
    everybody else)."""
    report = selectors.milestone_report_for(request.user, pk, report_id)
    if part == "evidence":
        return document_response(report)
    if part != "dataset" or not report.dataset:
        raise Http404
    try:
        handle = report.dataset.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=report.dataset_name,
        content_type=report.dataset_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _require_official_or_404(request: HttpRequest) -> None:
    if not is_official(request.user):
        raise Http404


def _met(value: bool | None) -> str:
    if value is None:
        return "—"
    return _("met") if value else _("not met")


def rd_kpis(request: HttpRequest) -> HttpResponse:
    """Officials: every funded R&D project's KPIs against its targets and the seed's."""
    _require_official_or_404(request)
    return render(request, "subsidies/rd_kpis.html", {"rows": selectors.rd_kpi_table()})


def rd_kpis_csv(request: HttpRequest) -> HttpResponse:
    _require_official_or_404(request)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Application"),
            _("Programme"),
            _("Year"),
            _("Recipient"),
            _("Status"),
            _("KPI"),
            _("Baseline"),
            _("Target"),
            _("Latest value"),
            _("Source"),
            _("Reported on"),
            _("Target met"),
            _("Seed target"),
            _("Seed target met"),
        ]
    )
    for project, statuses in selectors.rd_kpi_table():
        for item in statuses:
            writer.writerow(
                [
                    project.pk,
                    project.programme.name_zh,
                    project.programme.year,
                    project.applicant.name_zh,
                    project.get_status_display(),
                    item.label,
                    f"{item.baseline:g}",
                    f"{item.target:g}",
                    "" if item.value is None else f"{item.value:g}",
                    KpiValueSource(item.source).label if item.source else "",
                    f"{item.reported_on:%Y-%m-%d}" if item.reported_on else "",
                    _met(item.meets_target),
                    item.seed_comparison,
                    _met(item.meets_seed),
                ]
            )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"ssb-rd-kpis-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
