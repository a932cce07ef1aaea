"""A university's graduate reports: the year's figures, the file upload (all or nothing) and
the empty report to fill in."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from directory.models import Enterprise
from ssb_portal import tabular
from ssb_portal.exports import spreadsheet_download
from ssb_portal.forms import add_service_errors
from ssb_portal.pages import page_of, posted
from talent import exports, graduate_rows, selectors, services
from talent.forms import (
    GraduateUploadForm,
)
from talent.views.common import staff_university, year_asked

#: Problems of a refused graduate report shown on the page.
ERRORS_SHOWN = 500


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


def graduate_reports(university: Enterprise) -> list[dict[str, Any]]:
    """The university's graduate reports, each with its retention as a percent."""
    reports = selectors.graduate_reports_of(university)
    for report in reports:
        report["p_retain_percent"] = exports.percent(report["p_retain"])
    return reports


def _graduates_of(request: HttpRequest, university: Enterprise, year: int) -> QuerySet:
    return selectors.graduates_visible_to(request.user).filter(university=university, year=year)


@login_required
@require_http_methods(["GET", "POST"])
def graduates_upload(request: HttpRequest, uscc: str) -> HttpResponse:
    """A year's graduate report: upload a file (all or nothing) and the graduates reported."""
    university = staff_university(request, uscc)
    reports = graduate_reports(university)
    default_year = reports[0]["year"] if reports else timezone.localdate().year
    year, year_errors = year_asked(request, default_year)
    form = GraduateUploadForm(posted(request), request.FILES or None, initial={"year": year})
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
        "columns": tabular.column_help(
            columns=graduate_rows.GRADUATE_COLUMNS,
            required=graduate_rows.REQUIRED_COLUMNS,
            aliases=graduate_rows.CHINESE_HEADERS,
            texts=COLUMN_HELP,
        ),
        "graduates": page_of(request, _graduates_of(request, university, year)),
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
    return spreadsheet_download(content, fmt=fmt, filename="graduate-report-template")
