"""The dashboard's first two sections: the local content ratio against its trajectory, and the
directory (listed enterprises, products, certifications)."""

from typing import Any

from django.utils.translation import gettext as _

from directory import selectors as directory_selectors
from directory.lcr.cache import lcr_cached
from directory.lcr.selectors import (
    OFFICIAL,
    lcr_by_buyer_and_year,
    lcr_by_year,
    lcr_default_year,
)
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
    """The LCR by year against its trajectory; for officials, the anchors ranked by LCR.
    Cached per language until the figures change."""
    return lcr_cached(
        "programme-section", lambda: _lcr_section(names_firms=names_firms), firms=names_firms
    )


def _lcr_section(*, names_firms: bool) -> Section:
    series = lcr_by_year()
    figures = tuple(_lcr_year(row) for row in series)
    tables: tuple[DetailTable, ...] = ()
    if names_firms and any(row["has_purchases"] for row in series):
        year = lcr_default_year(series)
        firms = lcr_by_buyer_and_year(year=year)
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
        notes=_lcr_notes(series),
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


def _lcr_year(row: dict[str, Any]) -> YearFigure:
    """A published year's official (frozen) figure; else the live, provisional one."""
    value = row["official_lcr_percent"] if row["status"] == OFFICIAL else row["lcr_percent"]
    target = row["published"]["target_percent"] if row["published"] else row["target_percent"]
    return YearFigure(year=row["year"], value=value, target=target, met=target_met(value, target))


def _lcr_notes(series: list[dict[str, Any]]) -> tuple[str, ...]:
    """Which years are official and which provisional, with the confirmed share of the latter."""
    official = [str(row["year"]) for row in series if row["status"] == OFFICIAL]
    notes = []
    if official:
        notes.append(
            _("Published years show the official figure, frozen when published: %(years)s.")
            % {"years": ", ".join(official)}
        )
    for row in series:
        if row["status"] != OFFICIAL and row["has_purchases"]:
            share = row["confirmed_share_percent"]
            notes.append(
                _(
                    "%(year)d is provisional until officials publish it; its suppliers have "
                    "confirmed %(share)s %% of its local value."
                )
                % {"year": row["year"], "share": "—" if share is None else share}
            )
    return tuple(notes)


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
