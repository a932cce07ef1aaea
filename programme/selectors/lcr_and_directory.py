"""The dashboard's first two sections: the local content ratio against its trajectory, and the
directory (listed enterprises, products, certifications)."""

from django.utils.translation import gettext as _

from directory import selectors as directory_selectors
from directory.lcr.selectors import lcr_by_buyer_and_year, lcr_by_year, lcr_default_year
from directory.purchases.selectors import purchase_lines_of_year
from programme.selectors.figures import (
    COUNT,
    LINE,
    PERCENT,
    TOP_FIRMS,
    DetailRow,
    DetailTable,
    Indicator,
    Section,
    YearFigure,
    localized_name,
    running_totals,
    target_met,
    years_to_now,
)

# --- the local content ratio ------------------------------------------------------------------


def lcr_section(*, names_firms: bool) -> Section:
    """The LCR by year against its trajectory; for officials, the anchors ranked by LCR."""
    series = lcr_by_year()
    figures = tuple(
        YearFigure(
            year=row["year"],
            value=row["lcr_percent"],
            target=row["target_percent"],
            met=(
                None
                if row["lcr_percent"] is None or row["target_percent"] is None
                else not row["behind_target"]
            ),
        )
        for row in series
    )
    tables: tuple[DetailTable, ...] = ()
    if names_firms and any(row["has_purchases"] for row in series):
        year = lcr_default_year(series)
        firms = lcr_by_buyer_and_year(purchase_lines_of_year(year))
        ranked = sorted(
            (row for row in firms if row["lcr_percent"] is not None),
            key=lambda row: (-row["lcr_percent"], row["buyer_name_zh"]),
        )[:TOP_FIRMS]
        tables = (
            DetailTable(
                key="top-anchors",
                title=_("Firms with the highest local content ratio in %(year)s") % {"year": year},
                unit="%",
                kind=PERCENT,
                value_label=_("LCR (%)"),
                target_label=_("Target (%)"),
                rows=tuple(
                    DetailRow(
                        name=localized_name(row["buyer_name_zh"], row["buyer_name_en"]),
                        year=year,
                        value=row["lcr_percent"],
                        target=row["target_percent"],
                        met=target_met(row["lcr_percent"], row["target_percent"]),
                        note=row["buyer_uscc"],
                    )
                    for row in ranked
                ),
                names_firms=True,
            ),
        )
    return Section(
        key="lcr",
        title=_("Local content ratio"),
        aim=_(
            "Raise the share of components bought from local suppliers from below 40 % to "
            "above 70 % within five years, along the trajectory officials set."
        ),
        empty_text=_(
            "No purchases recorded yet: the ratio appears once the city's firms send their "
            "purchase lines."
        ),
        indicators=(
            Indicator(
                key="lcr",
                name=_("Local content ratio (LCR)"),
                unit="%",
                kind=PERCENT,
                target_text=_("the year's point on the trajectory to above 70 %"),
                series=figures,
                chart=LINE,
            ),
        ),
        tables=tables,
    )


# --- the directory ----------------------------------------------------------------------------


def directory_section() -> Section:
    """The enterprises listed in the directory, year by year."""
    rows = {row["year"]: row for row in directory_selectors.listed_enterprises_by_year()}
    indicators: tuple[Indicator, ...] = ()
    if rows:
        years = years_to_now(rows)

        def cumulative(key: str, name: str) -> Indicator:
            totals = running_totals({y: row[key] for y, row in rows.items()}, years)
            return Indicator(
                key=key,
                name=name,
                unit=_("enterprises"),
                kind=COUNT,
                target_text=_("no number set by the programme"),
                series=tuple(YearFigure(year, total) for year, total in totals),
            )

        indicators = (
            cumulative("verified", _("Verified enterprises in the directory")),
            cumulative("local", _("Of which registered in the city")),
            cumulative("recommended", _("Enterprises in the recommendation directory")),
        )
    return Section(
        key="directory",
        title=_("Procurement recommendation directory"),
        aim=_(
            "List the city's suppliers of key materials and components so that anchor firms "
            "buy locally. Figures at the end of each year, of the enterprises listed today."
        ),
        empty_text=_("No enterprise is listed in the directory yet."),
        indicators=indicators,
    )
