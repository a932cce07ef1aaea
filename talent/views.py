"""The talent programme's server-rendered pages.

Public: the programme's overview and its dashboard (aggregates only, no person named) with
CSV/XLSX export. A university's staff: its workspace (programmes, training bases, students,
internships, graduate reports). An enterprise's members: the internships it hosts, the
graduates reported as its hires, its overseas experts. A student: scholarships.

Every page parses input, calls one selector or service and renders the result. Universities,
enterprises and the records under them are found through the member-scoped selectors, so what
a user may not see answers 404; a service's PermissionDenied (a user who sees a thing but may
not do this to it) answers 403.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from directory import charts
from directory import selectors as directory_selectors
from directory.models import Enterprise
from ssb_portal import formulas
from talent import exports, graduate_rows, selectors, services
from talent.forms import (
    HOST_OUTCOMES,
    UNIVERSITY_OUTCOMES,
    BenefitFormSet,
    ExpertForm,
    GraduateUploadForm,
    InternshipMoveForm,
    InternshipOfferForm,
    LinkAccountForm,
    ScholarshipApplyForm,
    StudentForm,
    StudyProgrammeForm,
    TrainingBaseForm,
    YearForm,
    add_service_errors,
    benefit_rows,
    initial_of,
)
from talent.models import (
    Destination,
    Internship,
    InternshipStatus,
    OverseasExpert,
    ScholarshipStatus,
    Student,
)
from talent.services import EXPERT_FIELDS, STUDENT_FIELDS

PAGE_SIZE = 20
#: Problems of a refused graduate report shown on the page.
ERRORS_SHOWN = 500
#: Bars of a chart; the tables below the charts list every row.
CHART_BARS = 15
EXPORT_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMN_HELP = {
    "student_number": gettext_lazy("The student number at your university."),
    "degree": gettext_lazy(
        "vocational, bachelor, master or doctorate (or 专科, 本科, 硕士, 博士)."
    ),
    "field": gettext_lazy("The field of study, e.g. Materials science."),
    "destination": gettext_lazy("local_ssb, city_other, outside or unknown."),
    "employer_uscc": gettext_lazy(
        "For local_ssb only: the employer's USCC; a verified enterprise in a local district."
    ),
}


# --- helpers ----------------------------------------------------------------------------------


def _posted(request: HttpRequest):
    """The POST data when the form was sent (even empty, so that it is validated), else None."""
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, queryset, param: str = "page", size: int = PAGE_SIZE):
    """A page of the queryset, with the links to the others (several lists share a page)."""
    page = Paginator(queryset, size).get_page(request.GET.get(param))

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}"

    page.links = [
        (number, None if number in (page.number, page.paginator.ELLIPSIS) else url(number))
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    page.previous_url = url(page.previous_page_number()) if page.has_previous() else ""
    page.next_url = url(page.next_page_number()) if page.has_next() else ""
    return page


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _status(form) -> int:
    return 400 if form is not None and form.is_bound and form.errors else 200


def _university(request: HttpRequest, uscc: str) -> Enterprise:
    """A university or institute whose staff the user is; 404 for everybody else."""
    return get_object_or_404(
        selectors.universities_of(request.user).select_related("district"), uscc=uscc
    )


def _enterprise(request: HttpRequest, uscc: str) -> Enterprise:
    return directory_selectors.enterprise_for_member(user=request.user, uscc=uscc)


def _university_url(uscc: str, anchor: str = "") -> str:
    url = reverse("talent:university", args=[uscc])
    return f"{url}#{anchor}" if anchor else url


def _enterprise_url(uscc: str, anchor: str = "") -> str:
    url = reverse("talent:enterprise", args=[uscc])
    return f"{url}#{anchor}" if anchor else url


def _year(request: HttpRequest, default: int) -> tuple[int, list[str]]:
    """The ?year= asked for, or the default, and what is wrong with it, if anything."""
    form = YearForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["year"] or default, []
    return default, [f"{form.fields['year'].label}: {message}" for message in form.errors["year"]]


# --- charts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int | None
    text: str


BAR_ROW = 26
BAR_LABEL_WIDTH = 230
BAR_RIGHT = 70
BAR_LABEL_UNITS = 34


def _short(label: str) -> str:
    """A label cut to fit left of the bars; Chinese characters are about twice as wide."""
    units = 0
    for index, char in enumerate(label):
        units += 2 if ord(char) > 0x2E80 else 1
        if units > BAR_LABEL_UNITS:
            return label[:index] + "…"
    return label


def _bar_chart(
    bars: list[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    maximum: float,
    value_label: str,
    target: Decimal | None = None,
    behind_label: str = "",
    target_label: str = "",
) -> SafeString:
    """Horizontal bars, one per organisation, drawn on the server as inline SVG (offline, no
    script). Bars below the target are red and every bar carries its value as text, so colour
    is never the only carrier of meaning; the page's table holds the same numbers."""
    width = charts.WIDTH
    plot_x = BAR_LABEL_WIDTH
    plot_w = width - BAR_LABEL_WIDTH - BAR_RIGHT
    top = 10
    plot_h = BAR_ROW * len(bars)
    height = top + plot_h + 44
    scale = plot_w / maximum if maximum > 0 else 0
    parts, values = [], []
    any_behind = False
    for index, bar in enumerate(bars):
        y = top + index * BAR_ROW
        parts.append(
            f'<text x="{plot_x - 8}" y="{y + BAR_ROW / 2 + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="{charts.INK}">{escape(_short(bar.label))}</text>'
        )
        bar_w = 0.0
        if bar.value is not None:
            behind = target is not None and bar.value < target
            any_behind = any_behind or behind
            bar_w = min(float(bar.value), maximum) * scale
            parts.append(
                f'<rect x="{plot_x}" y="{y + 5}" width="{bar_w:.1f}" height="{BAR_ROW - 10}" '
                f'fill="{charts.BAR_BEHIND if behind else charts.BAR}"/>'
            )
        # Drawn last, with a white halo: readable where it crosses the target line.
        values.append(
            f'<text x="{plot_x + bar_w + 6:.1f}" y="{y + BAR_ROW / 2 + 4:.1f}" font-size="11" '
            f'fill="{charts.INK}" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
            f"{escape(bar.text)}</text>"
        )
    parts.append(
        f'<line x1="{plot_x}" x2="{plot_x}" y1="{top}" y2="{top + plot_h}" '
        f'stroke="{charts.GRID}" stroke-width="1"/>'
    )
    legend = [(f'<rect width="12" height="12" fill="{charts.BAR}"/>', value_label)]
    if any_behind:
        legend.append((f'<rect width="12" height="12" fill="{charts.BAR_BEHIND}"/>', behind_label))
    if target is not None and maximum > 0:
        x = plot_x + float(target) * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{top + plot_h + 4}" '
            f'stroke="{charts.TARGET}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        legend.append(
            (
                f'<line x1="0" x2="14" y1="6" y2="6" stroke="{charts.TARGET}" stroke-width="2" '
                f'stroke-dasharray="4 3"/>',
                target_label,
            )
        )
    parts.extend(values)
    x = plot_x
    for symbol, label in legend:
        parts.append(
            f'<g transform="translate({x},{height - 22})">{symbol}<text x="20" y="11" '
            f'font-size="12" fill="{charts.INK}">{escape(label)}</text></g>'
        )
        x += 40 + 8 * sum(2 if ord(char) > 0x2E80 else 1 for char in label)
    head = format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-labelledby="{}-title {}-desc" '
        'preserveAspectRatio="xMidYMid meet" font-family="system-ui, sans-serif">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
    )
    # Every part above is built from numbers and escaped labels only.
    return mark_safe(head + "".join(parts) + "</svg>")


def _retention_by_year_chart() -> SafeString:
    target = exports.percent(formulas.RETENTION_TARGET)
    return charts.ratio_chart(
        [
            charts.YearPoint(
                year=row["year"], value=exports.percent(row["p_retain"]), target=target
            )
            for row in selectors.retention_by_year()
        ],
        chart_id="talent-retention-years",
        title=_("Local retention rate p_retain by graduation year, against the target"),
        description=_(
            "Bars: the share of each year's relevant graduates who joined a local solid-state "
            "battery enterprise, in percent; dashed line: the target of more than 60 %. The "
            "figures of the chosen year are in the tables below."
        ),
        legend=charts.Legend(
            value=_("Local retention rate"),
            value_behind=_("Below the target"),
            target=_("Target"),
            published="",
        ),
    )


def _university_chart(rows: list[dict[str, Any]], year: int) -> SafeString:
    shown = sorted(rows, key=lambda row: (-(row["p_retain"] or 0), row["name_zh"]))[:CHART_BARS]
    return _bar_chart(
        [
            Bar(
                label=row["name"],
                value=row["p_retain"],
                text=f"{row['p_retain']:.2f} %" if row["p_retain"] is not None else "—",
            )
            for row in shown
        ],
        chart_id="talent-universities",
        title=_("Local retention rate by university, %(year)s") % {"year": year},
        description=_(
            "One bar per university: the share of its relevant graduates of the year who joined "
            "a local solid-state battery enterprise, in percent; dashed line: the 60 % target."
        ),
        maximum=100,
        value_label=_("Local retention rate"),
        target=exports.percent(formulas.RETENTION_TARGET),
        behind_label=_("Below the target"),
        target_label=_("Target"),
    )


def _enterprise_chart(rows: list[dict[str, Any]], year: int) -> SafeString:
    shown = rows[:CHART_BARS]
    return _bar_chart(
        [
            Bar(
                label=row["name"],
                value=row["graduates_hired"],
                text=str(row["graduates_hired"]),
            )
            for row in shown
        ],
        chart_id="talent-enterprises",
        title=_("Graduates hired by enterprise, %(year)s") % {"year": year},
        description=_(
            "One bar per local enterprise: the relevant graduates of the year it hired, as the "
            "universities reported them."
        ),
        maximum=max([row["graduates_hired"] for row in shown] + [1]),
        value_label=_("Graduates hired"),
    )


def _organisation_name(row: dict[str, Any]) -> str:
    """The Chinese name in a Chinese page, the English one (if any) otherwise."""
    if (get_language() or "").startswith("zh") or not row["name_en"]:
        return row["name_zh"]
    return row["name_en"]


# --- public pages -----------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The programme: its targets, and the user's ways in (their universities, enterprises,
    scholarships)."""
    user = request.user
    context = {
        "targets": {
            "graduates": formulas.GRADUATES_TARGET_PER_YEAR,
            "retention": exports.percent(formulas.RETENTION_TARGET),
            "experts_min": formulas.EXPERTS_TARGET_MIN,
            "experts_max": formulas.EXPERTS_TARGET_MAX,
            "experts_years": formulas.EXPERTS_TARGET_YEARS,
            "scholarships": formulas.SCHOLARSHIPS_TARGET_PER_YEAR,
            "expert_years": formulas.EXPERT_MIN_EXPERIENCE_YEARS,
        },
        "funds_open": list(selectors.funds_open()),
        "universities": list(selectors.universities_of(user)) if user.is_authenticated else [],
        "enterprises": (
            list(directory_selectors.enterprises_of_member(user).order_by("name_zh", "pk"))
            if user.is_authenticated
            else []
        ),
    }
    return render(request, "talent/home.html", context)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The year's figures against the seed's targets, by university and by enterprise."""
    year, errors = _year(request, timezone.localdate().year)
    figures = selectors.talent_dashboard(year)
    universities = exports.university_rows(figures)
    enterprises = exports.enterprise_rows(figures)
    for row in universities + enterprises:
        row["name"] = _organisation_name(row)
    context = {
        "year": year,
        "years": selectors.talent_years(),
        "errors": errors,
        "figures": figures,
        "indicators": exports.indicators(figures),
        "universities": universities,
        "enterprises": enterprises,
        "years_chart": _retention_by_year_chart(),
        "universities_chart": _university_chart(universities, year) if universities else "",
        "enterprises_chart": _enterprise_chart(enterprises, year) if enterprises else "",
        "first_expert_year": year - figures["experts_years"] + 1,
        "p_retain_percent": exports.percent(figures["p_retain"]),
        "retention_target_percent": exports.percent(figures["retention_target"]),
        "conversion_percent": exports.percent(figures["internship_conversion"]),
    }
    return render(request, "talent/dashboard.html", context, status=400 if errors else 200)


@require_GET
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    year, errors = _year(request, timezone.localdate().year)
    if errors:
        return dashboard(request)
    figures = selectors.talent_dashboard(year)
    content = exports.dashboard_csv(figures) if fmt == "csv" else exports.dashboard_xlsx(figures)
    response = HttpResponse(content, content_type=EXPORT_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="ssb-talent-{year}.{fmt}"'
    return response


# --- the university's workspace ---------------------------------------------------------------


def _reports(university: Enterprise) -> list[dict[str, Any]]:
    reports = selectors.graduate_reports_of(university)
    for report in reports:
        report["p_retain_percent"] = exports.percent(report["p_retain"])
    return reports


@dataclass
class InternshipRow:
    internship: Internship
    can_confirm: bool
    can_complete: bool
    can_cancel: bool
    outcomes: list[tuple[str, str]]


def _internship_rows(internships, side: str) -> list[InternshipRow]:
    outcomes = UNIVERSITY_OUTCOMES if side == "university" else HOST_OUTCOMES
    choices = [(outcome.value, outcome.label) for outcome in outcomes]
    rows = []
    for internship in internships:
        moves = services.INTERNSHIP_TRANSITIONS.get(internship.status, {})
        rows.append(
            InternshipRow(
                internship=internship,
                can_confirm=side == "host" and InternshipStatus.ONGOING in moves,
                can_complete=InternshipStatus.COMPLETED in moves,
                can_cancel=InternshipStatus.CANCELLED in moves,
                outcomes=choices,
            )
        )
    return rows


@login_required
@require_GET
def university(request: HttpRequest, uscc: str) -> HttpResponse:
    """A university's workspace: programmes, training bases, students, internships, reports."""
    university = _university(request, uscc)
    query = request.GET.get("q", "").strip()
    students = selectors.students_with_internships(university).order_by("student_number")
    if query:
        students = students.filter(Q(student_number__icontains=query) | Q(name__icontains=query))
    students_page = _page(request, students)
    internships_page = _page(
        request,
        selectors.internships_visible_to(request.user).filter(student__university=university),
        param="internships_page",
    )
    context = {
        "university": university,
        "programmes": list(university.study_programmes.all()),
        "bases": list(university.training_bases.select_related("enterprise")),
        "query": query,
        "students": students_page,
        "internships": internships_page,
        "internship_rows": _internship_rows(internships_page.object_list, "university"),
        "reports": _reports(university),
    }
    return render(request, "talent/university.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def programme_add(request: HttpRequest, uscc: str) -> HttpResponse:
    university = _university(request, uscc)
    form = StudyProgrammeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.study_programme_add(
                actor=request.user, university=university, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": programme})
            return redirect(_university_url(uscc, "programmes"))
    return render(
        request,
        "talent/form.html",
        {
            "university": university,
            "form": form,
            "title": _("Add a study programme"),
            "submit": _("Add the programme"),
            "cancel_url": _university_url(uscc, "programmes"),
        },
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_base_add(request: HttpRequest, uscc: str) -> HttpResponse:
    university = _university(request, uscc)
    form = TrainingBaseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            base = services.training_base_create(
                actor=request.user,
                university=university,
                enterprise=form.cleaned_data["enterprise"],
                data=data,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("The training base %(name)s is open.") % {"name": base})
            return redirect(_university_url(uscc, "bases"))
    return render(
        request,
        "talent/form.html",
        {
            "university": university,
            "form": form,
            "title": _("Open a training base"),
            "submit": _("Open the training base"),
            "cancel_url": _university_url(uscc, "bases"),
        },
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def student_add(request: HttpRequest, uscc: str) -> HttpResponse:
    university = _university(request, uscc)
    form = StudentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            student = services.student_add(
                actor=request.user, university=university, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("%(name)s is recorded.") % {"name": student})
            return redirect(_university_url(uscc, "students"))
    return render(
        request,
        "talent/form.html",
        {
            "university": university,
            "form": form,
            "title": _("Add a student"),
            "submit": _("Add the student"),
            "cancel_url": _university_url(uscc, "students"),
        },
        status=_status(form),
    )


def _student_of(request: HttpRequest, university: Enterprise, pk: int) -> Student:
    return get_object_or_404(
        selectors.students_visible_to(request.user)
        .filter(university=university)
        .select_related("user"),
        pk=pk,
    )


def _render_student(request, university, student, form, link_form) -> HttpResponse:
    return render(
        request,
        "talent/student.html",
        {"university": university, "student": student, "form": form, "link_form": link_form},
        status=400 if form.errors or link_form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def student_edit(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    university = _university(request, uscc)
    student = _student_of(request, university, pk)
    form = StudentForm(_posted(request), initial=initial_of(student, STUDENT_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            services.student_update(actor=request.user, student=student, data=form.service_data())
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": student})
            return redirect(_university_url(uscc, "students"))
    return _render_student(
        request, university, student, form, LinkAccountForm(initial={"email": student.email})
    )


@login_required
@require_http_methods(["GET", "POST"])
def student_link(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    """Link the student's own login (found by its email), so they can apply for scholarships."""
    university = _university(request, uscc)
    student = _student_of(request, university, pk)
    if request.method == "GET":
        return redirect("talent:student_edit", uscc=uscc, pk=pk)
    link_form = LinkAccountForm(request.POST)
    if link_form.is_valid():
        try:
            services.student_link_account(
                actor=request.user, student=student, email=link_form.cleaned_data["email"]
            )
        except ValidationError as error:
            add_service_errors(error, link_form)
        else:
            messages.success(
                request,
                _("%(name)s's login is linked: they can apply for scholarships now.")
                % {"name": student},
            )
            return redirect("talent:student_edit", uscc=uscc, pk=pk)
    form = StudentForm(initial=initial_of(student, STUDENT_FIELDS))
    return _render_student(request, university, student, form, link_form)


@login_required
@require_http_methods(["GET", "POST"])
def internship_offer(request: HttpRequest, uscc: str) -> HttpResponse:
    university = _university(request, uscc)
    initial = {"student": request.GET.get("student", "")}
    form = InternshipOfferForm(
        _posted(request),
        initial=initial,
        students=selectors.students_visible_to(request.user).filter(university=university),
        bases=university.training_bases.all(),
    )
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.internship_offer(
                actor=request.user,
                student=cleaned["student"],
                host=cleaned["host"],
                starts_on=cleaned["starts_on"],
                ends_on=cleaned["ends_on"],
                training_base=cleaned["training_base"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("The internship is offered; %(host)s confirms it on its page.")
                % {"host": cleaned["host"].name_zh},
            )
            return redirect(_university_url(uscc, "internships"))
    return render(
        request,
        "talent/form.html",
        {
            "university": university,
            "form": form,
            "title": _("Offer an internship"),
            "submit": _("Offer the internship"),
            "cancel_url": _university_url(uscc, "internships"),
        },
        status=_status(form),
    )


MOVE_DONE = {
    InternshipStatus.ONGOING: gettext_lazy("The internship is confirmed."),
    InternshipStatus.COMPLETED: gettext_lazy("The internship is completed."),
    InternshipStatus.CANCELLED: gettext_lazy("The internship is cancelled."),
}


def _move(request: HttpRequest, internship: Internship, back: str) -> HttpResponse:
    form = InternshipMoveForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
        return redirect(back)
    to_status = form.cleaned_data["to_status"]
    try:
        services.internship_move(
            actor=request.user,
            internship=internship,
            to_status=to_status,
            outcome=form.cleaned_data["outcome"],
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, MOVE_DONE[InternshipStatus(to_status)])
    return redirect(back)


@login_required
@require_POST
def university_internship_move(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    university = _university(request, uscc)
    internship = get_object_or_404(
        selectors.internships_visible_to(request.user).filter(student__university=university),
        pk=pk,
    )
    return _move(request, internship, _university_url(uscc, "internships"))


# --- graduate reports -------------------------------------------------------------------------


@dataclass
class ColumnHelp:
    name: str
    required: bool
    aliases: list[str]
    help: str


def _column_help() -> list[ColumnHelp]:
    return [
        ColumnHelp(
            name=column,
            required=column in graduate_rows.REQUIRED_COLUMNS,
            aliases=[a for a, name in graduate_rows.CHINESE_HEADERS.items() if name == column],
            help=COLUMN_HELP[column],
        )
        for column in graduate_rows.GRADUATE_COLUMNS
    ]


def _graduates_of(request: HttpRequest, university: Enterprise, year: int) -> QuerySet:
    return selectors.graduates_visible_to(request.user).filter(university=university, year=year)


@login_required
@require_http_methods(["GET", "POST"])
def graduates_upload(request: HttpRequest, uscc: str) -> HttpResponse:
    """A year's graduate report: upload a file (all or nothing) and the graduates reported."""
    university = _university(request, uscc)
    reports = _reports(university)
    default_year = reports[0]["year"] if reports else timezone.localdate().year
    year, year_errors = _year(request, default_year)
    form = GraduateUploadForm(_posted(request), request.FILES or None, initial={"year": year})
    errors: list = []
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            raw = graduate_rows.read_graduate_file(form.cleaned_data["file"].read())
        except graduate_rows.GraduateFileError as error:
            errors = error.errors
        else:
            employers = selectors.local_employers(graduate_rows.employer_codes(raw))
            rows, errors = graduate_rows.clean_rows(raw, employers=employers)
            if not errors:
                try:
                    created, updated = services.graduates_import(
                        actor=request.user, university=university, year=year, rows=rows
                    )
                except ValidationError as error:
                    add_service_errors(error, form)
                else:
                    messages.success(
                        request,
                        _(
                            "Graduates of %(year)s: %(created)s new, %(updated)s updated, "
                            "%(unchanged)s unchanged."
                        )
                        % {
                            "year": year,
                            "created": created,
                            "updated": updated,
                            "unchanged": len(rows) - created - updated,
                        },
                    )
                    return redirect(
                        reverse("talent:graduates_upload", args=[uscc]) + f"?year={year}"
                    )
    context = {
        "university": university,
        "form": form,
        "year": year,
        "year_errors": year_errors,
        "years": sorted({row["year"] for row in reports} | {year}, reverse=True),
        "report": next((row for row in reports if row["year"] == year), None),
        "errors": errors[:ERRORS_SHOWN],
        "errors_count": len(errors),
        "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
        "file_row": graduate_rows.FILE_ROW,
        "columns": _column_help(),
        "graduates": _page(request, _graduates_of(request, university, year)),
    }
    failed = bool(errors or form.errors or year_errors)
    return render(request, "talent/graduates.html", context, status=400 if failed else 200)


@require_GET
def graduates_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The empty graduate report to fill in: the columns and two example rows."""
    if fmt == "csv":
        content = graduate_rows.graduate_template_csv()
    else:
        content = graduate_rows.graduate_template_xlsx()
    response = HttpResponse(content, content_type=EXPORT_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="graduate-report-template.{fmt}"'
    return response


# --- the enterprise's side --------------------------------------------------------------------


@login_required
@require_GET
def enterprise(request: HttpRequest, uscc: str) -> HttpResponse:
    """An enterprise's talent page: the internships it hosts, the graduates reported as its
    hires, its overseas experts."""
    enterprise = _enterprise(request, uscc)
    internships_page = _page(
        request,
        selectors.internships_visible_to(request.user).filter(host=enterprise),
        param="internships_page",
    )
    hires = _page(
        request,
        selectors.graduates_visible_to(request.user).filter(
            employer=enterprise, destination=Destination.LOCAL_SSB
        ),
        param="hires_page",
    )
    context = {
        "enterprise": enterprise,
        "internships": internships_page,
        "internship_rows": _internship_rows(internships_page.object_list, "host"),
        "hires": hires,
        "experts": list(selectors.experts_visible_to(request.user).filter(host=enterprise)),
        "expert_min_years": formulas.EXPERT_MIN_EXPERIENCE_YEARS,
    }
    return render(request, "talent/enterprise.html", context)


@login_required
@require_POST
def enterprise_internship_move(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, uscc)
    internship = get_object_or_404(
        selectors.internships_visible_to(request.user).filter(host=enterprise), pk=pk
    )
    return _move(request, internship, _enterprise_url(uscc, "internships"))


@login_required
@require_POST
def graduate_confirm(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    """The employer confirms it hired a graduate its university reported."""
    enterprise = _enterprise(request, uscc)
    graduate = get_object_or_404(
        selectors.graduates_visible_to(request.user).filter(employer=enterprise), pk=pk
    )
    try:
        services.graduate_confirm_hire(actor=request.user, graduate=graduate)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            _("The hire of graduate %(number)s is confirmed.")
            % {"number": graduate.student_number},
        )
    return redirect(_enterprise_url(uscc, "hires"))


def _expert_form(request: HttpRequest, enterprise: Enterprise, expert: OverseasExpert | None):
    initial = initial_of(expert, EXPERT_FIELDS) if expert else {}
    benefits = (
        [{"label": b.label, "amount_cny": b.amount_cny} for b in expert.benefits.all()]
        if expert
        else []
    )
    form = ExpertForm(_posted(request), initial=initial)
    # Posted rows are compared with nothing: a row left as it was is still a benefit.
    formset = (
        BenefitFormSet(request.POST, prefix="benefits")
        if request.method == "POST"
        else BenefitFormSet(initial=benefits, prefix="benefits")
    )
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        rows, positions = benefit_rows(formset)
        try:
            saved = services.expert_save(
                actor=request.user,
                host=enterprise,
                data=form.service_data(),
                benefits=rows,
                expert=expert,
            )
        except ValidationError as error:
            for key, messages_ in error.message_dict.items():
                if key.startswith("benefits["):
                    index = int(key[len("benefits[") : -1])
                    formset.forms[positions[index]].add_error(None, messages_)
                else:
                    add_service_errors(ValidationError({key: messages_}), form)
        else:
            messages.success(
                request,
                _("%(name)s is saved; the total package is %(total)s CNY a year.")
                % {"name": saved.name, "total": f"{saved.total_package_cny:,.2f}"},
            )
            return redirect(_enterprise_url(enterprise.uscc, "experts"))
    failed = bool(form.errors or any(f.errors for f in formset.forms) or formset.non_form_errors())
    return render(
        request,
        "talent/expert_form.html",
        {
            "enterprise": enterprise,
            "expert": expert,
            "form": form,
            "formset": formset,
            "expert_min_years": formulas.EXPERT_MIN_EXPERIENCE_YEARS,
        },
        status=400 if failed else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_add(request: HttpRequest, uscc: str) -> HttpResponse:
    return _expert_form(request, _enterprise(request, uscc), None)


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, uscc)
    expert = get_object_or_404(
        selectors.experts_visible_to(request.user).filter(host=enterprise), pk=pk
    )
    return _expert_form(request, enterprise, expert)


# --- the student's side -----------------------------------------------------------------------


def _own_student(request: HttpRequest) -> Student | None:
    return (
        selectors.students_visible_to(request.user)
        .filter(user=request.user)
        .select_related("university")
        .first()
    )


def _own_applications(request: HttpRequest) -> QuerySet:
    return selectors.scholarship_applications_visible_to(request.user).filter(
        student__user=request.user
    )


@login_required
@require_GET
def scholarships(request: HttpRequest) -> HttpResponse:
    """The open funds and the student's own applications; an explanation for anybody else."""
    student = _own_student(request)
    if student is None:
        return render(request, "talent/scholarships_no_student.html", {})
    applications = list(_own_applications(request))
    applied = {application.fund_id for application in applications}
    context = {
        "student": student,
        "funds": [(fund, fund.pk in applied) for fund in selectors.funds_open()],
        "applications": applications,
        "submitted": ScholarshipStatus.SUBMITTED,
    }
    return render(request, "talent/scholarships.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scholarship_apply(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = get_object_or_404(selectors.funds_open(), pk=fund_id)
    student = _own_student(request)
    if student is None:
        return redirect("talent:scholarships")
    form = ScholarshipApplyForm(
        _posted(request),
        initial={"degree": student.degree, "field": student.field},
        awards=_own_applications(request).filter(status=ScholarshipStatus.AWARDED),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.scholarship_apply(actor=request.user, fund=fund, data=form.service_data())
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("Your application to the %(year)s scholarships is submitted.")
                % {"year": fund.year},
            )
            return redirect("talent:scholarships")
    return render(
        request,
        "talent/scholarship_apply.html",
        {
            "fund": fund,
            "student": student,
            "form": form,
            "fund_total": formulas.scholarship_fund_cny(fund.awards, fund.award_cny),
        },
        status=_status(form),
    )


@login_required
@require_POST
def scholarship_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(_own_applications(request), pk=pk)
    try:
        services.scholarship_withdraw(actor=request.user, application=application)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("talent:scholarships")
