"""The programme dashboard's pages and CSV files.

The public page and its CSV show aggregates only and name no firm. The officials' page and
CSV add the tables that name firms; for anybody but an official they answer 404, as the
other official pages do.
"""

import pandas as pd
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from programme.selectors.dashboard import (
    programme_dashboard_for_officials,
    programme_dashboard_public,
)
from programme.selectors.figures import Dashboard
from ssb_portal.exports import frame_csv, spreadsheet_download
from ssb_portal.roles import is_official


def _officials_dashboard(request: HttpRequest) -> Dashboard:
    try:
        return programme_dashboard_for_officials(user=request.user)
    except PermissionDenied as error:
        raise Http404 from error


def _page(request: HttpRequest, dashboard: Dashboard) -> HttpResponse:
    context = {"dashboard": dashboard, "viewer_is_official": is_official(request.user)}
    return render(request, "programme/dashboard.html", context)


@require_GET
def dashboard_public(request: HttpRequest) -> HttpResponse:
    """Every target of the programme against its figures by year; names no firm."""
    return _page(request, programme_dashboard_public())


@login_required
@require_GET
def dashboard_officials(request: HttpRequest) -> HttpResponse:
    """The same, with the firms behind the figures; 404 for anybody but an official."""
    return _page(request, _officials_dashboard(request))


def _csv(dashboard: Dashboard, *, filename: str) -> HttpResponse:
    """One row per indicator and year (and per line of the detail tables shown)."""
    rows = []
    for section in dashboard.sections:
        for indicator in section.indicators:
            for figure in indicator.series:
                if figure.value is None and figure.target is None:
                    continue
                rows.append(
                    [
                        section.title,
                        indicator.name,
                        figure.year,
                        figure.value,
                        figure.target,
                        indicator.unit,
                        figure.met,
                    ]
                )
        for table in section.tables:
            for row in table.rows:
                rows.append(
                    [
                        section.title,
                        f"{table.title}: {row.name}",
                        row.year,
                        row.value,
                        row.target,
                        table.unit,
                        row.met,
                    ]
                )
    headers = [
        _("Section"), _("Indicator"), _("Year"), _("Value"), _("Target"), _("Unit"), _("Met"),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=headers)
    return spreadsheet_download(
        frame_csv(frame), fmt="csv", filename=f"{filename}-{timezone.localdate():%Y-%m-%d}"
    )


@require_GET
def dashboard_public_csv(request: HttpRequest) -> HttpResponse:
    return _csv(programme_dashboard_public(), filename="ssb-programme")


@login_required
@require_GET
def dashboard_officials_csv(request: HttpRequest) -> HttpResponse:
    return _csv(_officials_dashboard(request), filename="ssb-programme-officials")
