"""Pages of the Local Content Ratio: a firm's own, the public city page, the officials' dashboard.

A firm's page is for its members and officials; the dashboard and its exports for officials.
Everybody else gets 404, as if the page did not exist.
"""

from typing import Any

import pandas as pd
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import charts
from directory.lcr import selectors
from directory.purchases import review
from ssb_portal.exports import frame_csv, frame_xlsx, spreadsheet_download
from ssb_portal.pages import page_of
from ssb_portal.roles import is_official


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        required=False,
        min_value=selectors.LCR_FIRST_YEAR,
        max_value=selectors.LCR_LAST_YEAR,
    )


#: Rows of a firm's supplier table per page.
SUPPLIERS_PER_PAGE = 25


def _chosen_year(request: HttpRequest) -> tuple[int | None, list[str]]:
    """The ?year= asked for (None: the page's default) and what is wrong with it, if anything."""
    form = YearForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["year"], []
    return None, [f"{form.fields['year'].label}: {message}" for message in form.errors["year"]]


def _chart(series: list[dict[str, Any]], *, chart_id: str, title: str) -> str:
    return charts.ratio_chart(
        [
            charts.YearPoint(
                year=row["year"],
                value=row["lcr_percent"],
                target=row["target_percent"],
                published=row["published"]["lcr_percent"] if row["published"] else None,
            )
            for row in series
        ],
        chart_id=chart_id,
        title=title,
        description=_(
            "Bars: the local content ratio of each year in percent; dashed line: the year's "
            "target on the programme's trajectory; green marks: the figure as published. The "
            "numbers are in the table below the chart."
        ),
        legend=charts.Legend(
            value=_("Local content ratio"),
            value_behind=_("Below the target"),
            target=_("Target"),
            published=_("Published figure"),
        ),
    )


def _upload_url(uscc: str) -> str:
    try:
        return reverse("purchases:upload", args=[uscc])
    except NoReverseMatch:
        # The upload pages live in another module; their path is fixed even before they exist.
        return reverse("directory:my_enterprise", args=[uscc]) + "purchases/"


@login_required
def buyer_lcr(request: HttpRequest, uscc: str) -> HttpResponse:
    """A firm's LCR by year against the trajectory, by category and supplier, and local leads."""
    year, errors = _chosen_year(request)
    overview = selectors.lcr_buyer_overview(user=request.user, uscc=uscc, year=year)
    context = {
        **overview,
        # A firm may buy from thousands of suppliers: the table shows them a page at a time.
        "by_supplier": page_of(
            request, overview["by_supplier"], size=SUPPLIERS_PER_PAGE, param="suppliers"
        ),
        "chart": _chart(
            overview["series"],
            chart_id="lcr-buyer",
            title=_("Local content ratio of %(name)s by year, against the target")
            % {"name": overview["buyer"].name_zh},
        ),
        "upload_url": _upload_url(overview["buyer"].uscc),
        # Imports awaiting an official: the firm's figures with and without each.
        "awaiting_review": review.awaiting_with_and_without(overview["buyer"]),
        "errors": errors,
    }
    return render(request, "directory/lcr/buyer.html", context, status=400 if errors else 200)


def city_lcr(request: HttpRequest) -> HttpResponse:
    """The public city-wide LCR by year against the trajectory; it names no firm."""
    year, errors = _chosen_year(request)
    overview = selectors.lcr_city_overview(year=year)
    context = {
        **overview,
        "chart": _chart(
            overview["series"],
            chart_id="lcr-city",
            title=_("The city's local content ratio by year, against the target"),
        ),
        "errors": errors,
    }
    return render(request, "directory/lcr/city.html", context, status=400 if errors else 200)


@login_required
def city_dashboard(request: HttpRequest) -> HttpResponse:
    """The officials' dashboard; 404 for everybody else."""
    year, errors = _chosen_year(request)
    try:
        dashboard = selectors.lcr_city_dashboard(user=request.user, year=year)
    except PermissionDenied as error:
        raise Http404 from error
    context = {
        **dashboard,
        "chart": _chart(
            dashboard["series"],
            chart_id="lcr-dashboard",
            title=_("The city's local content ratio by year, against the target"),
        ),
        "errors": errors,
    }
    return render(request, "directory/lcr/dashboard.html", context, status=400 if errors else 200)


def _firm_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    headers = [
        _("Year"), _("USCC"), _("Name (Chinese)"), _("Name (English)"),
        _("Local value (CNY)"), _("Total value (CNY)"), _("LCR (%)"), _("Target (%)"),
        _("Below the target"), _("Local value confirmed (CNY)"),
        _("Local value unconfirmed (CNY)"), _("Local value disputed (CNY)"),
    ]  # fmt: skip
    keys = [
        "year", "buyer_uscc", "buyer_name_zh", "buyer_name_en", "local_value", "total_value",
        "lcr_percent", "target_percent", "behind_target", "confirmed_value",
        "unconfirmed_value", "disputed_value",
    ]  # fmt: skip
    return pd.DataFrame([[row[key] for key in keys] for row in rows], columns=headers)


@login_required
def city_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every firm's LCR in every year, as CSV or XLSX, for officials."""
    if not is_official(request.user):
        raise Http404
    frame = _firm_table(selectors.lcr_by_buyer_and_year())
    if fmt == "csv":
        content = frame_csv(frame)
    else:
        # Spreadsheet cells hold binary numbers; two decimals are kept by the cell format.
        money = {column: "#,##0.00" for column in (4, 5, 6, 7, 9, 10, 11)}
        content = frame_xlsx(frame, sheet_name="lcr", number_formats=money)
    return spreadsheet_download(
        content, fmt=fmt, filename=f"ssb-lcr-by-firm-{timezone.localdate():%Y-%m-%d}"
    )
