"""The talent programme's public pages: its overview, and the dashboard (aggregates only, no
person named) with its charts and its CSV/XLSX export."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from directory import charts
from directory.access import enterprises_of_member
from ssb_portal import formulas
from ssb_portal.charts import Bar, horizontal_bars
from ssb_portal.exports import spreadsheet_download
from talent import exports, selectors
from talent.views.common import year_asked

#: Bars of a chart; the tables below the charts list every row.
CHART_BARS = 15


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
    return horizontal_bars(
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
    return horizontal_bars(
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
            list(enterprises_of_member(user).order_by("name_zh", "pk"))
            if user.is_authenticated
            else []
        ),
    }
    return render(request, "talent/home.html", context)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The year's figures against the seed's targets, by university and by enterprise."""
    year, errors = year_asked(request, timezone.localdate().year)
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
    year, errors = year_asked(request, timezone.localdate().year)
    if errors:
        return dashboard(request)
    figures = selectors.talent_dashboard(year)
    content = exports.dashboard_csv(figures) if fmt == "csv" else exports.dashboard_xlsx(figures)
    return spreadsheet_download(content, fmt=fmt, filename=f"ssb-talent-{year}")
