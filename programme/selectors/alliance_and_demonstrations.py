"""The dashboard's alliance sections: collaborations between members, and the demonstration
projects against the seed's scenario targets."""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from alliance import selectors as alliance_selectors
from alliance.demonstrations import targets as scenario_targets
from alliance.demonstrations.selectors import demonstrations_public
from alliance.models import CollaborationModel, DemonstrationScenario
from programme.selectors.figures import (
    COUNT,
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

# --- the alliance: collaborations and demonstrations ------------------------------------------


def alliance_section() -> Section:
    """The alliance's collaborations begun, by model, year by year."""
    rows = alliance_selectors.collaborations_by_model_and_year()
    indicators: list[Indicator] = []
    if rows:
        years = years_to_now(row["year"] for row in rows)
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
            totals = running_totals(counts, years)
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


def demonstrations_section(*, names_firms: bool) -> Section:
    """The demonstration projects meeting their scenarios' targets; for officials, each
    project and its operator."""
    projects = list(demonstrations_public())
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
        years = years_to_now(started or {project.start_date.year for project in projects})
        totals = running_totals(started, years)
        indicators.append(
            Indicator(
                key=scenario.value,
                name=_("Projects: %(scenario)s") % {"scenario": scenario.label},
                unit=_("projects"),
                kind=COUNT,
                target_text=_("at least one flagship project"),
                series=tuple(
                    YearFigure(year, total, 1, target_met(total, 1)) for year, total in totals
                ),
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
                        f"{localized_name(project.operator.name_zh, project.operator.name_en)}",
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
            "Three flagship scenarios, each judged against the programme targets: grid-side "
            "storage (cycle life above 15,000, round-trip efficiency above 95 %), low-altitude "
            "drones (above 400 Wh/kg, −20 °C to 60 °C) and humanoid robots (above 1,000 Wh/L, peak "
            "discharge above 5C)."
        ),
        empty_text=_("No demonstration project is recorded yet."),
        indicators=tuple(indicators),
        tables=tuple(tables) if projects else (),
    )
