"""The dashboard's money sections: support programmes' awards against their budgets, and the
R&D fund's projects against their KPIs."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from programme.selectors.figures import (
    COUNT,
    MONEY,
    TOP_FIRMS,
    DetailRow,
    DetailTable,
    Indicator,
    Section,
    YearFigure,
    localized_name,
    target_met,
    to_cny,
)
from subsidies.models import ProgrammeKind
from subsidies.selectors.milestones import rd_kpi_table
from subsidies.selectors.money import programmes_with_money
from subsidies.selectors.public import awards_public

# --- support money and the R&D fund -----------------------------------------------------------


def subsidies_section(*, names_firms: bool) -> Section:
    """Support money against the programmes' budgets; for officials, the largest awards."""
    programmes = list(
        programmes_with_money().filter(budget_cny__isnull=False).order_by("year", "kind", "pk")
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
                committed[programme.year] += to_cny(programme.committed_cny)
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
                        name=localized_name(programme.name_zh, programme.name_en),
                        year=programme.year,
                        value=to_cny(programme.committed_cny),
                        target=programme.budget_cny,
                        note=(
                            _("%(amount)s CNY recovered")
                            % {"amount": f"{to_cny(programme.repaid_cny):,.2f}"}
                            if programme.repaid_cny
                            else ""
                        ),
                    )
                    for programme in programmes
                ),
            )
        )
    if names_firms and programmes:
        awards = awards_public().order_by("-awarded_amount_cny", "-pk")[:TOP_FIRMS]
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
                        name=localized_name(award.applicant.name_zh, award.applicant.name_en),
                        year=award.programme.year,
                        value=to_cny(award.awarded_amount_cny - award.recovered_cny),
                        note=localized_name(award.programme.name_zh, award.programme.name_en),
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
            if programmes and not any(to_cny(p.held_cny) for p in programmes)
            else ()
        ),
    )


def rd_section(*, names_firms: bool) -> Section:
    """The R&D fund's projects and their KPIs; for officials, each funded project."""
    table = rd_kpi_table()
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
                        target_met(met_proposal[year], committed[year]),
                    )
                    for year in years
                ),
            ),
            Indicator(
                key="kpis-seed",
                name=_("KPIs meeting the programme target"),
                unit=_("KPIs"),
                kind=COUNT,
                target_text=_(
                    "every KPI for which the programme sets a target (conductivity above "
                    "10⁻² S/cm, ASR below 10 Ω·cm², cost halved, …)"
                ),
                series=tuple(
                    YearFigure(
                        year,
                        met_seed[year],
                        with_seed[year],
                        target_met(met_seed[year], with_seed[year]),
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
                        name=localized_name(project.applicant.name_zh, project.applicant.name_en),
                        year=project.programme.year,
                        value=sum(1 for item in statuses if item.meets_target),
                        target=len(statuses),
                        met=target_met(
                            sum(1 for item in statuses if item.meets_target), len(statuses)
                        ),
                        note=localized_name(project.programme.name_zh, project.programme.name_en),
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
            "proposal's own target and the programme's material targets. A KPI counts as met "
            "on its latest value; one not yet reported counts as not met."
        ),
        empty_text=_("No R&D project has been funded yet."),
        indicators=indicators,
        tables=tables,
    )
