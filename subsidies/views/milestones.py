"""R&D fund milestone reports and KPI status (issue 6): report a milestone, download
its files, and the officials' table of every funded project's KPIs (also as CSV).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ssb_portal.audit_chain.heads import receipt_text
from ssb_portal.exports import csv_content, spreadsheet_download
from ssb_portal.forms import add_service_errors
from ssb_portal.pages import posted
from ssb_portal.private_files import document_response
from ssb_portal.roles import is_official
from ssb_portal.stored_files import open_stored_file
from subsidies.forms import MilestoneReportForm
from subsidies.models import (
    AWARDED_STATUSES,
    Application,
    KpiValueSource,
    ProgrammeKind,
)
from subsidies.selectors.access import application_for_member
from subsidies.selectors.milestones import (
    application_kpi_status,
    milestone_report_for,
    milestones_with_reports,
    rd_kpi_table,
)
from subsidies.services.milestones import milestone_report_file
from subsidies.views.common import application_url


def _awarded_rd(application: Application) -> bool:
    return application.kind == ProgrammeKind.RD_FUND and application.status in AWARDED_STATUSES


def milestone_context(application: Application, is_member: bool) -> dict[str, Any]:
    """The application page's "Milestone reports" section (awarded R&D projects only)."""
    if not _awarded_rd(application):
        return {"milestone_section": False}
    return {
        "milestone_section": True,
        "can_report": is_member,
        "kpi_status": application_kpi_status(application),
        "reported_milestones": milestones_with_reports(application),
    }


@login_required
@require_http_methods(["GET", "POST"])
def milestone_report(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    """An awarded R&D project's members report one milestone."""
    application = application_for_member(request.user, pk)
    milestone = get_object_or_404(application.milestones.all(), pk=milestone_id)
    if not _awarded_rd(application):
        messages.error(request, _("Milestones are reported once the application is approved."))
        return redirect(application_url(application))
    targets = list(application.kpi_targets.all())
    form = MilestoneReportForm(
        posted(request), request.FILES if request.method == "POST" else None, targets=targets
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = milestone_report_file(
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
                request,
                _("The report on “%(title)s” is filed.") % {"title": milestone.title}
                + " "
                + receipt_text(report.receipt),
            )
            return redirect(application_url(application, "milestone-reports"))
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
    report = milestone_report_for(request.user, pk, report_id)
    if part == "evidence":
        return document_response(report)
    if part != "dataset" or not report.dataset:
        raise Http404
    handle = open_stored_file(report.dataset)
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
    return render(request, "subsidies/rd_kpis.html", {"rows": rd_kpi_table()})


def rd_kpis_csv(request: HttpRequest) -> HttpResponse:
    _require_official_or_404(request)
    header = [
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
        _("Programme target"),
        _("Programme target met"),
    ]
    rows = [
        [
            project.pk,
            project.programme.name_zh,
            project.programme.year,
            project.applicant.name_zh,
            project.get_status_display(),
            item.label,
            item.baseline,
            item.target,
            item.value,
            KpiValueSource(item.source).label if item.source else "",
            item.reported_on or "",
            _met(item.meets_target),
            item.seed_comparison,
            _met(item.meets_seed),
        ]
        for project, statuses in rd_kpi_table()
        for item in statuses
    ]
    return spreadsheet_download(
        csv_content(header, rows, float_format="g"),
        fmt="csv",
        filename=f"ssb-rd-kpis-{timezone.localdate():%Y-%m-%d}",
    )
