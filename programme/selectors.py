"""The programme dashboard (issue 8): every target of the seed beside its figures, by year.

One function builds the whole dashboard as plain dataclasses from the other apps' selectors:
the LCR against its trajectory, the directory, the alliance's collaborations, the
demonstration projects, support money against budgets, the R&D fund's KPIs and the talent
programme. The public version names no firm; the officials' version adds tables that do
(top anchors by LCR, the largest awards, each demonstration and R&D project). Aggregates are
computed in SQL; the number of queries is fixed whatever the volume of data.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alliance import scenario_targets
from alliance import selectors as alliance_selectors
from alliance.models import CollaborationModel, DemonstrationScenario
from directory import selectors as directory_selectors
from ssb_portal import formulas
from ssb_portal.roles import is_official
from subsidies import selectors as subsidies_selectors
from subsidies.models import ProgrammeKind
from talent import exports as talent_exports
from talent import selectors as talent_selectors

#: Firms named in each of the officials' "top" tables.
TOP_FIRMS = 10

#: How a figure is written: a percentage, an amount of CNY, a count, a decimal head count.
PERCENT = "percent"
MONEY = "money"
COUNT = "count"
DECIMAL = "decimal"

#: How an indicator is drawn: bars against target marks, or a line against a trajectory.
BARS = "bars"
LINE = "line"

Number = Decimal | int


@dataclass(frozen=True)
class YearFigure:
    """One year of an indicator: its value, the target of that year and whether it is met.

    `met` is None where there is nothing to judge: no value, no target, or a reference (a
    budget) that is a ceiling rather than a goal.
    """

    year: int
    value: Number | None
    target: Number | None = None
    met: bool | None = None


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    unit: str
    kind: str
    #: The seed's target in words ("more than 500 a year"), or why there is none.
    target_text: str
    series: tuple[YearFigure, ...]
    chart: str = BARS

    @property
    def current(self) -> YearFigure | None:
        """The latest year that has a value."""
        with_value = [figure for figure in self.series if figure.value is not None]
        return with_value[-1] if with_value else None

    @property
    def has_data(self) -> bool:
        return self.current is not None


@dataclass(frozen=True)
class DetailRow:
    """One line of a detail table: a programme, a scenario's target, or (officials) a firm."""

    name: str
    year: int
    value: Number | None
    target: Number | None = None
    met: bool | None = None
    note: str = ""


@dataclass(frozen=True)
class DetailTable:
    key: str
    title: str
    unit: str
    kind: str
    value_label: str
    target_label: str
    rows: tuple[DetailRow, ...]
    #: Whether the rows name firms (such tables are for officials only).
    names_firms: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    aim: str
    empty_text: str
    indicators: tuple[Indicator, ...]
    tables: tuple[DetailTable, ...] = ()
    #: What the figures do not show by themselves ("nothing awarded yet").
    notes: tuple[str, ...] = ()

    @property
    def has_data(self) -> bool:
        return any(indicator.has_data for indicator in self.indicators)


@dataclass(frozen=True)
class Dashboard:
    sections: tuple[Section, ...]
    for_officials: bool
    built_on: datetime.date


# --- helpers ----------------------------------------------------------------------------------


def _met(value: Number | None, target: Number | None, *, strictly: bool = False) -> bool | None:
    """Whether the value reaches the target (passes it, if `strictly`); None if either is
    missing."""
    if value is None or target is None:
        return None
    return value > target if strictly else value >= target


def _name(name_zh: str, name_en: str) -> str:
    """The Chinese name in a Chinese page, the English one (if any) otherwise."""
    if (get_language() or "").startswith("zh") or not name_en:
        return name_zh
    return name_en


def _years_to_now(years: Iterable[int]) -> range:
    """From the first year given to the later of the last one and this year."""
    years = list(years)
    return range(min(years), max(*years, timezone.localdate().year) + 1)


def _running_totals(counts: dict[int, int], years: range) -> list[tuple[int, int]]:
    """Each year with the count up to its end: what was in place then."""
    total, totals = 0, []
    for year in years:
        total += counts.get(year, 0)
        totals.append((year, total))
    return totals


def _money(value) -> Decimal:
    # SQLite sums decimals as floats; figures are shown to the fen.
    return formulas.quantize_cny(Decimal(value or 0))


# --- the local content ratio ------------------------------------------------------------------


def _lcr_section(*, names_firms: bool) -> Section:
    series = directory_selectors.lcr_by_year()
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
        year = directory_selectors.lcr_default_year(series)
        firms = directory_selectors.lcr_by_buyer_and_year(
            directory_selectors.purchase_lines_of_year(year)
        )
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
                        name=_name(row["buyer_name_zh"], row["buyer_name_en"]),
                        year=year,
                        value=row["lcr_percent"],
                        target=row["target_percent"],
                        met=_met(row["lcr_percent"], row["target_percent"]),
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


def _directory_section() -> Section:
    rows = {row["year"]: row for row in directory_selectors.listed_enterprises_by_year()}
    indicators: tuple[Indicator, ...] = ()
    if rows:
        years = _years_to_now(rows)

        def cumulative(key: str, name: str) -> Indicator:
            totals = _running_totals({y: row[key] for y, row in rows.items()}, years)
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


# --- the alliance: collaborations and demonstrations ------------------------------------------


def _alliance_section() -> Section:
    rows = alliance_selectors.collaborations_by_model_and_year()
    indicators: list[Indicator] = []
    if rows:
        years = _years_to_now(row["year"] for row in rows)
        by_model: dict[str, dict[int, int]] = defaultdict(dict)
        for row in rows:
            by_model[row["model"]][row["year"]] = row["collaborations"]
        every = defaultdict(int)
        for row in rows:
            every[row["year"]] += row["collaborations"]
        groups = [("all", _("All collaborations"), every)] + [
            (model.value, str(model.label), by_model.get(model.value, {}))
            for model in CollaborationModel
        ]
        for key, name, counts in groups:
            totals = _running_totals(counts, years)
            indicators.append(
                Indicator(
                    key=key,
                    name=name,
                    unit=_("collaborations"),
                    kind=COUNT,
                    target_text=_("no number set by the programme"),
                    series=tuple(YearFigure(year, total) for year, total in totals),
                )
            )
    return Section(
        key="alliance",
        title=_("Alliance collaborations"),
        aim=_(
            "Anchor firms and SMEs work together in three models: technology licensing & joint "
            "development, long-term supply and standard co-creation. Collaborations begun by "
            "the end of each year, terminated ones left out."
        ),
        empty_text=_("No collaboration has begun in the alliance yet."),
        indicators=tuple(indicators),
    )


def _demonstrations_section(*, names_firms: bool) -> Section:
    projects = list(alliance_selectors.demonstrations_public())
    judged = [
        (project, scenario_targets.judge(project.scenario, project.reports.all()))
        for project in projects
    ]
    this_year = timezone.localdate().year
    indicators: list[Indicator] = []
    target_rows: list[DetailRow] = []
    for scenario in DemonstrationScenario if projects else ():
        of_scenario = [(p, targets) for p, targets in judged if p.scenario == scenario.value]
        started: dict[int, int] = defaultdict(int)
        for project, _targets in of_scenario:
            started[project.start_date.year] += 1
        # A scenario still without a project is behind its target from the first project on.
        years = _years_to_now(started or {project.start_date.year for project in projects})
        totals = _running_totals(started, years)
        indicators.append(
            Indicator(
                key=scenario.value,
                name=_("Projects: %(scenario)s") % {"scenario": scenario.label},
                unit=_("projects"),
                kind=COUNT,
                target_text=_("at least one flagship project"),
                series=tuple(YearFigure(year, total, 1, _met(total, 1)) for year, total in totals),
            )
        )
        if not of_scenario:
            continue
        meeting_all = sum(1 for _p, targets in of_scenario if all(t.met for t in targets))
        indicators.append(
            Indicator(
                key=f"{scenario.value}-met",
                name=_("Projects meeting every target: %(scenario)s")
                % {"scenario": scenario.label},
                unit=_("projects"),
                kind=COUNT,
                target_text=_("every project, as its latest field reports show"),
                series=(
                    YearFigure(
                        this_year, meeting_all, len(of_scenario), meeting_all >= len(of_scenario)
                    ),
                ),
            )
        )
        for index, first in enumerate(of_scenario[0][1]):
            results = [targets[index] for _p, targets in of_scenario]
            unknown = sum(
                1
                for result in results
                if result.status in (scenario_targets.UNKNOWN, scenario_targets.NOT_ENOUGH_REPORTS)
            )
            met = sum(1 for result in results if result.met)
            target_rows.append(
                DetailRow(
                    name=f"{scenario.label}: {first.label} ({first.target})",
                    year=this_year,
                    value=met,
                    target=len(results),
                    met=met >= len(results),
                    note=(_("%(count)s not yet known") % {"count": unknown} if unknown else ""),
                )
            )
    tables = [
        DetailTable(
            key="demonstration-targets",
            title=_("Projects meeting each target of their scenario"),
            unit=_("projects"),
            kind=COUNT,
            value_label=_("Projects meeting it"),
            target_label=_("Projects"),
            rows=tuple(target_rows),
        )
    ]
    if names_firms and projects:
        tables.append(
            DetailTable(
                key="demonstration-projects",
                title=_("Each project and its operator"),
                unit=_("targets"),
                kind=COUNT,
                value_label=_("Targets met"),
                target_label=_("Targets"),
                rows=tuple(
                    DetailRow(
                        name=f"{project.name} — "
                        f"{_name(project.operator.name_zh, project.operator.name_en)}",
                        year=project.start_date.year,
                        value=sum(1 for target in targets if target.met),
                        target=len(targets),
                        met=all(target.met for target in targets),
                        note=str(project.get_scenario_display()),
                    )
                    for project, targets in judged
                ),
                names_firms=True,
            )
        )
    return Section(
        key="demonstrations",
        title=_("Demonstration projects"),
        aim=_(
            "Three flagship scenarios, each judged against the seed's targets: grid-side storage "
            "(cycle life above 15,000, round-trip efficiency above 95 %), low-altitude drones "
            "(above 400 Wh/kg, −20 °C to 60 °C) and humanoid robots (above 1,000 Wh/L, peak "
            "discharge above 5C)."
        ),
        empty_text=_("No demonstration project is recorded yet."),
        indicators=tuple(indicators),
        tables=tuple(tables) if projects else (),
    )


# --- support money and the R&D fund -----------------------------------------------------------


def _subsidies_section(*, names_firms: bool) -> Section:
    programmes = list(
        subsidies_selectors.programmes_with_money()
        .filter(budget_cny__isnull=False)
        .order_by("year", "kind", "pk")
    )
    indicators: list[Indicator] = []
    if programmes:
        groups = [("all", _("All programmes"), programmes)] + [
            (kind.value, str(kind.label), [p for p in programmes if p.kind == kind.value])
            for kind in ProgrammeKind
        ]
        for key, name, members in groups:
            if not members:
                continue
            committed: dict[int, Decimal] = defaultdict(Decimal)
            budget: dict[int, Decimal] = defaultdict(Decimal)
            for programme in members:
                committed[programme.year] += _money(programme.committed_cny)
                budget[programme.year] += programme.budget_cny
            indicators.append(
                Indicator(
                    key=key,
                    name=name,
                    unit=_("CNY"),
                    kind=MONEY,
                    target_text=_("awards held, net of recoveries, against the budget"),
                    series=tuple(
                        YearFigure(year, committed[year], budget[year]) for year in sorted(budget)
                    ),
                )
            )
    tables = []
    if programmes:
        tables.append(
            DetailTable(
                key="programmes",
                title=_("By programme"),
                unit=_("CNY"),
                kind=MONEY,
                value_label=_("Awarded, net (CNY)"),
                target_label=_("Budget (CNY)"),
                rows=tuple(
                    DetailRow(
                        name=_name(programme.name_zh, programme.name_en),
                        year=programme.year,
                        value=_money(programme.committed_cny),
                        target=programme.budget_cny,
                        note=(
                            _("%(amount)s CNY recovered")
                            % {"amount": f"{_money(programme.repaid_cny):,.2f}"}
                            if programme.repaid_cny
                            else ""
                        ),
                    )
                    for programme in programmes
                ),
            )
        )
    if names_firms and programmes:
        awards = subsidies_selectors.awards_public().order_by("-awarded_amount_cny", "-pk")[
            :TOP_FIRMS
        ]
        tables.append(
            DetailTable(
                key="top-awards",
                title=_("Largest awards"),
                unit=_("CNY"),
                kind=MONEY,
                value_label=_("Awarded, net (CNY)"),
                target_label="",
                rows=tuple(
                    DetailRow(
                        name=_name(award.applicant.name_zh, award.applicant.name_en),
                        year=award.programme.year,
                        value=_money(award.awarded_amount_cny - award.recovered_cny),
                        note=_name(award.programme.name_zh, award.programme.name_en),
                    )
                    for award in awards
                ),
                names_firms=True,
            )
        )
    return Section(
        key="subsidies",
        title=_("Support money against budgets"),
        aim=_(
            "What each support programme has awarded (approved up to paid, less what recoveries "
            "brought back) against its budget, by the programme's year."
        ),
        empty_text=_("No support programme with a budget has been set up yet."),
        indicators=tuple(indicators),
        tables=tuple(tables),
        notes=(
            (_("No money has been awarded yet; the budgets are shown."),)
            if programmes and not any(_money(p.held_cny) for p in programmes)
            else ()
        ),
    )


def _rd_section(*, names_firms: bool) -> Section:
    table = subsidies_selectors.rd_kpi_table()
    projects: dict[int, int] = defaultdict(int)
    committed: dict[int, int] = defaultdict(int)
    met_proposal: dict[int, int] = defaultdict(int)
    with_seed: dict[int, int] = defaultdict(int)
    met_seed: dict[int, int] = defaultdict(int)
    for project, statuses in table:
        year = project.programme.year
        projects[year] += 1
        committed[year] += len(statuses)
        met_proposal[year] += sum(1 for item in statuses if item.meets_target)
        with_seed[year] += sum(1 for item in statuses if item.seed_target is not None)
        met_seed[year] += sum(1 for item in statuses if item.meets_seed)
    years = sorted(projects)
    indicators: tuple[Indicator, ...] = ()
    if years:
        indicators = (
            Indicator(
                key="projects",
                name=_("Funded R&D projects"),
                unit=_("projects"),
                kind=COUNT,
                target_text=_("no number set by the programme"),
                series=tuple(YearFigure(year, projects[year]) for year in years),
            ),
            Indicator(
                key="kpis-proposal",
                name=_("KPIs meeting the proposal's target"),
                unit=_("KPIs"),
                kind=COUNT,
                target_text=_("every KPI the funded proposals committed to"),
                series=tuple(
                    YearFigure(
                        year,
                        met_proposal[year],
                        committed[year],
                        _met(met_proposal[year], committed[year]),
                    )
                    for year in years
                ),
            ),
            Indicator(
                key="kpis-seed",
                name=_("KPIs meeting the seed's target"),
                unit=_("KPIs"),
                kind=COUNT,
                target_text=_(
                    "every KPI for which the seed sets a target (conductivity above 10⁻² S/cm, "
                    "ASR below 10 Ω·cm², cost halved, …)"
                ),
                series=tuple(
                    YearFigure(
                        year, met_seed[year], with_seed[year], _met(met_seed[year], with_seed[year])
                    )
                    for year in years
                    if with_seed[year]
                ),
            ),
        )
    tables: tuple[DetailTable, ...] = ()
    if names_firms and table:
        tables = (
            DetailTable(
                key="rd-projects",
                title=_("Each funded project"),
                unit=_("KPIs"),
                kind=COUNT,
                value_label=_("KPIs meeting the proposal's target"),
                target_label=_("KPIs"),
                rows=tuple(
                    DetailRow(
                        name=_name(project.applicant.name_zh, project.applicant.name_en),
                        year=project.programme.year,
                        value=sum(1 for item in statuses if item.meets_target),
                        target=len(statuses),
                        met=_met(sum(1 for item in statuses if item.meets_target), len(statuses)),
                        note=_name(project.programme.name_zh, project.programme.name_en),
                    )
                    for project, statuses in table
                ),
                names_firms=True,
            ),
        )
    return Section(
        key="rd",
        title=_("R&D fund KPIs"),
        aim=_(
            "Funded projects report their KPIs at milestones; each is judged against the "
            "proposal's own target and the seed's material targets. A KPI counts as met on its "
            "latest value; one not yet reported counts as not met."
        ),
        empty_text=_("No R&D project has been funded yet."),
        indicators=indicators,
        tables=tables,
    )


# --- talent -----------------------------------------------------------------------------------


def _talent_section() -> Section:
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


# --- the dashboard ----------------------------------------------------------------------------


def _dashboard(*, names_firms: bool) -> Dashboard:
    return Dashboard(
        sections=(
            _lcr_section(names_firms=names_firms),
            _directory_section(),
            _alliance_section(),
            _demonstrations_section(names_firms=names_firms),
            _subsidies_section(names_firms=names_firms),
            _rd_section(names_firms=names_firms),
            _talent_section(),
        ),
        for_officials=names_firms,
        built_on=timezone.localdate(),
    )


def programme_dashboard_public() -> Dashboard:
    """Every target against its figures, in aggregates only: no firm is named."""
    return _dashboard(names_firms=False)


def programme_dashboard_for_officials(*, user: AbstractBaseUser | AnonymousUser) -> Dashboard:
    """The dashboard with the tables that name firms; PermissionDenied for non-officials."""
    if not is_official(user):
        raise PermissionDenied
    return _dashboard(names_firms=True)
