"""The talent dashboard as a spreadsheet (CSV or XLSX), built with pandas.

The dashboard holds aggregates only: figures of the city, of universities and of
enterprises; no person is named. XLSX has one sheet per table; CSV, which holds one table,
has every figure in long form (table, organisation, indicator, value, target).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from django.utils.translation import gettext as _

from ssb_portal.exports import Sheet, frame_csv, xlsx_content
from ssb_portal.formulas import quantize_cny

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Indicator:
    """One headline figure of the year against the seed's target (None: no target)."""

    key: str
    label: str
    value: Decimal | int | None
    target: str
    met: bool | None = None


def percent(rate: Decimal | None) -> Decimal | None:
    """A fraction (0.6123) as a percentage with two decimals (61.23)."""
    return None if rate is None else (rate * HUNDRED).quantize(CENT)


def head_count(value: Decimal | float) -> Decimal:
    """I_talent, an expected head count, to two decimals."""
    return Decimal(value).quantize(CENT)


def indicators(dashboard: dict[str, Any]) -> list[Indicator]:
    """The year's headline figures in order, with the seed's targets."""
    first_year = dashboard["year"] - dashboard["experts_years"] + 1
    return [
        Indicator(
            "influx",
            _("Graduates entering the field (I_talent = N_grad × p_retain)"),
            head_count(dashboard["influx"]),
            f"> {dashboard['graduates_target']}",
            dashboard["meets_graduates"],
        ),
        Indicator("graduates", _("Relevant graduates (N_grad)"), dashboard["graduates"], ""),
        Indicator(
            "retained", _("Retained by local solid-state battery enterprises"),
            dashboard["retained"], "",
        ),
        Indicator(
            "p_retain",
            _("Local retention rate p_retain (%)"),
            percent(dashboard["p_retain"]),
            f"> {percent(dashboard['retention_target']):.0f}",
            dashboard["meets_retention"],
        ),
        Indicator(
            "experts",
            _("Overseas experts recruited %(first)s–%(last)s")
            % {"first": first_year, "last": dashboard["year"]},
            dashboard["experts"],
            f"{dashboard['experts_target_min']}–{dashboard['experts_target_max']}",
            dashboard["meets_experts"],
        ),
        Indicator(
            "scholarship_recipients",
            _("Scholarship recipients (n)"),
            dashboard["scholarship_recipients"],
            f"{dashboard['scholarships_target']}+",
            dashboard["meets_scholarships"],
        ),
        Indicator(
            "scholarship_money",
            _("Scholarship money F = n × A (CNY)"),
            quantize_cny(dashboard["scholarship_money_cny"]),
            "",
        ),
        Indicator(
            "internships_completed", _("Internships completed"),
            dashboard["internships_completed"], "",
        ),
        Indicator(
            "internships_hired", _("Hired from internships"), dashboard["internships_hired"], ""
        ),
        Indicator(
            "internship_conversion",
            _("Internship-to-hire conversion (%)"),
            percent(dashboard["internship_conversion"]),
            "",
        ),
    ]  # fmt: skip


def university_rows(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "graduates": row["graduates"],
            "retained": row["retained"],
            "p_retain": percent(row["p_retain"]),
            "influx": head_count(row["influx"]),
        }
        for row in dashboard["by_university"]
    ]


def enterprise_rows(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "name_zh": row["enterprise"].name_zh,
            "name_en": row["enterprise"].name_en,
            "graduates_hired": row["graduates_hired"],
            "internships_completed": row["internships_completed"],
            "hired_from_internships": row["hired_from_internships"],
            "conversion": percent(row["conversion"]),
        }
        for row in dashboard["by_enterprise"]
    ]


def _yes_no(met: bool | None) -> str:
    return "" if met is None else (_("yes") if met else _("no"))


def dashboard_frames(dashboard: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The summary, the universities and the enterprises, one frame each (headers in the
    active language); empty tables keep their header row."""
    summary = pd.DataFrame(
        [
            [indicator.label, indicator.value, indicator.target, _yes_no(indicator.met)]
            for indicator in indicators(dashboard)
        ],
        columns=[_("Indicator"), _("Value"), _("Target"), _("Target met")],
    )
    university_headers = {
        "name_zh": _("University (Chinese)"),
        "name_en": _("University (English)"),
        "graduates": _("Graduates (N_grad)"),
        "retained": _("Retained"),
        "p_retain": _("p_retain (%)"),
        "influx": _("I_talent"),
    }
    enterprise_headers = {
        "name_zh": _("Enterprise (Chinese)"),
        "name_en": _("Enterprise (English)"),
        "graduates_hired": _("Graduates hired"),
        "internships_completed": _("Internships completed"),
        "hired_from_internships": _("Hired from internships"),
        "conversion": _("Conversion (%)"),
    }
    universities = pd.DataFrame(
        [list(row.values()) for row in university_rows(dashboard)],
        columns=list(university_headers.values()),
    )
    enterprises = pd.DataFrame(
        [list(row.values()) for row in enterprise_rows(dashboard)],
        columns=list(enterprise_headers.values()),
    )
    return {"summary": summary, "universities": universities, "enterprises": enterprises}


def dashboard_long_frame(dashboard: dict[str, Any]) -> pd.DataFrame:
    """Every figure of the dashboard as one row: (year, table, organisation, indicator, value,
    target)."""
    year = dashboard["year"]
    rows: list[list[Any]] = [
        [year, _("City"), "", "", indicator.label, indicator.value, indicator.target]
        for indicator in indicators(dashboard)
    ]
    for row in university_rows(dashboard):
        for label, key in (
            (_("Graduates (N_grad)"), "graduates"),
            (_("Retained"), "retained"),
            (_("p_retain (%)"), "p_retain"),
            (_("I_talent"), "influx"),
        ):
            rows.append(
                [year, _("University"), row["name_zh"], row["name_en"], label, row[key], ""]
            )
    for row in enterprise_rows(dashboard):
        for label, key in (
            (_("Graduates hired"), "graduates_hired"),
            (_("Internships completed"), "internships_completed"),
            (_("Hired from internships"), "hired_from_internships"),
            (_("Conversion (%)"), "conversion"),
        ):
            rows.append(
                [year, _("Enterprise"), row["name_zh"], row["name_en"], label, row[key], ""]
            )
    return pd.DataFrame(
        rows,
        columns=[
            _("Year"),
            _("Table"),
            _("Organisation (Chinese)"),
            _("Organisation (English)"),
            _("Indicator"),
            _("Value"),
            _("Target"),
        ],
    )


def dashboard_csv(dashboard: dict[str, Any]) -> bytes:
    return frame_csv(dashboard_long_frame(dashboard))


def dashboard_xlsx(dashboard: dict[str, Any]) -> bytes:
    """One sheet per table, Decimals as spreadsheet numbers (blank where there is no
    figure), columns fitted to their text."""
    return xlsx_content(
        *(
            Sheet.from_frame(name, frame, widths="fit")
            for name, frame in dashboard_frames(dashboard).items()
        )
    )
