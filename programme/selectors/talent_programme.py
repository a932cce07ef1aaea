"""The dashboard's talent section: graduates and their retention, overseas experts and
scholarships against the seed's talent targets."""

from django.utils.translation import gettext as _

from programme.selectors.figures import (
    COUNT,
    DECIMAL,
    MONEY,
    PERCENT,
    Indicator,
    Section,
    YearFigure,
)
from ssb_portal import formulas
from talent import exports as talent_exports
from talent import selectors as talent_selectors

# --- talent -----------------------------------------------------------------------------------


def talent_section() -> Section:
    """The talent programme's figures (graduates, retention, experts, scholarships) by year."""
    rows = talent_selectors.talent_by_year()

    def series(value_of, target, met_key: str | None) -> tuple[YearFigure, ...]:
        figures = []
        for row in rows:
            value = value_of(row)
            met = row[met_key] if met_key and value is not None else None
            figures.append(
                YearFigure(row["year"], value, target if value is not None else None, met)
            )
        return tuple(figures)

    indicators: tuple[Indicator, ...] = ()
    if rows:
        indicators = (
            Indicator(
                key="influx",
                name=_("Graduates entering the field (I_talent = N_grad × p_retain)"),
                unit=_("graduates"),
                kind=DECIMAL,
                target_text=_("more than %(count)s a year")
                % {"count": formulas.GRADUATES_TARGET_PER_YEAR},
                series=series(
                    lambda row: talent_exports.head_count(row["influx"])
                    if row["graduates"]
                    else None,
                    formulas.GRADUATES_TARGET_PER_YEAR,
                    "meets_graduates",
                ),
            ),
            Indicator(
                key="graduates",
                name=_("Relevant graduates (N_grad)"),
                unit=_("graduates"),
                kind=COUNT,
                target_text=_("no number set by the programme"),
                series=series(lambda row: row["graduates"] or None, None, None),
            ),
            Indicator(
                key="p_retain",
                name=_("Local retention rate p_retain"),
                unit="%",
                kind=PERCENT,
                target_text=_("more than %(percent)s %%")
                % {"percent": f"{talent_exports.percent(formulas.RETENTION_TARGET):.0f}"},
                series=series(
                    lambda row: talent_exports.percent(row["p_retain"]),
                    talent_exports.percent(formulas.RETENTION_TARGET),
                    "meets_retention",
                ),
            ),
            Indicator(
                key="experts",
                name=_("Overseas experts recruited in the last three years"),
                unit=_("experts"),
                kind=COUNT,
                target_text=_("%(low)s–%(high)s in three years")
                % {"low": formulas.EXPERTS_TARGET_MIN, "high": formulas.EXPERTS_TARGET_MAX},
                series=series(
                    lambda row: row["experts"], formulas.EXPERTS_TARGET_MIN, "meets_experts"
                ),
            ),
            Indicator(
                key="scholarships",
                name=_("Scholarship recipients"),
                unit=_("recipients"),
                kind=COUNT,
                target_text=_("%(count)s or more a year")
                % {"count": formulas.SCHOLARSHIPS_TARGET_PER_YEAR},
                series=series(
                    lambda row: row["scholarship_recipients"]
                    if row["has_scholarship_fund"]
                    else None,
                    formulas.SCHOLARSHIPS_TARGET_PER_YEAR,
                    "meets_scholarships",
                ),
            ),
            Indicator(
                key="scholarship-money",
                name=_("Scholarship money awarded (F = n × A)"),
                unit=_("CNY"),
                kind=MONEY,
                target_text=_("no amount set by the programme"),
                series=series(
                    lambda row: row["scholarship_money_cny"]
                    if row["has_scholarship_fund"]
                    else None,
                    None,
                    None,
                ),
            ),
        )
    return Section(
        key="talent",
        title=_("Talent"),
        aim=_(
            "More than 500 graduates entering the field a year, local retention above 60 %, "
            "20–30 overseas experts in three years and 50 or more scholarship recipients a year."
        ),
        empty_text=_("No graduates, overseas experts or scholarship funds are recorded yet."),
        indicators=indicators,
    )
