"""A demonstration project judged against the seed's table of scenario targets (pure).

grid-side storage: cycle life > 15,000 and round-trip efficiency > 95 %;
low-altitude drones: specific energy > 400 Wh/kg and operation from −20 °C to 60 °C;
humanoid robots: volumetric energy density > 1,000 Wh/L and peak discharge > 5C.

The functions take the scenario and the field reports (any objects with the FieldReport
attributes, oldest first) and return plain values; they never touch the database. The latest
report that states a value gives it; the cycle life is projected from every report's capacity
retention with the capacity-fade fit; the operating range is the widest one reported.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ssb_portal import formulas

MET = "met"
NOT_MET = "not_met"
UNKNOWN = "unknown"
NOT_ENOUGH_REPORTS = "not_enough_reports"

STATUS_LABELS = {
    MET: _("Met"),
    NOT_MET: _("Not met"),
    UNKNOWN: _("Not yet known"),
    NOT_ENOUGH_REPORTS: _("Not enough reports"),
}

GRID_STORAGE = "grid_storage"
DRONES = "drones"
HUMANOID_ROBOTS = "humanoid_robots"


@dataclass(frozen=True)
class TargetResult:
    """One target of the scenario, the value the reports give and whether it is met."""

    key: str
    label: str
    target: str
    value: float | None
    unit: str
    status: str
    #: The lowest and highest temperature reported, for the operating range.
    low: float | None = None
    high: float | None = None
    #: Points behind a projection (the fade fit), else None.
    points: int | None = None
    r_squared: float | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def met(self) -> bool:
        return self.status == MET


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _latest(reports: Sequence[Any], attribute: str) -> float | None:
    for report in reversed(reports):
        value = _number(getattr(report, attribute, None))
        if value is not None:
            return value
    return None


def _above(
    key: str, label, reports: Sequence[Any], attribute: str, threshold: float, unit: str, target
) -> TargetResult:
    value = _latest(reports, attribute)
    status = UNKNOWN if value is None else MET if value > threshold else NOT_MET
    return TargetResult(
        key=key, label=str(label), target=str(target), value=value, unit=unit, status=status
    )


def projected_cycle_life(reports: Sequence[Any]) -> formulas.FadeFit | None:
    """The fade fit of the reported retention against cycles; None with < 3 cycle counts."""
    points = [
        (int(report.cycles_done), _number(report.capacity_retention_percent))
        for report in reports
        if _number(getattr(report, "capacity_retention_percent", None))
    ]
    points = [(cycles, retention) for cycles, retention in points if retention and retention > 0]
    if len({cycles for cycles, _retention in points}) < formulas.FIT_MIN_POINTS:
        return None
    return formulas.capacity_fade_fit(
        [cycles for cycles, _retention in points],
        [retention / 100 for _cycles, retention in points],
    )


def _cycle_life(reports: Sequence[Any]) -> TargetResult:
    threshold = formulas.GRID_CYCLE_LIFE_TARGET_CYCLES
    common = {
        "key": "cycle_life",
        "label": str(_("Cycle life (projected)")),
        "target": str(_("more than %(cycles)s cycles") % {"cycles": f"{threshold:,}"}),
        "unit": str(_("cycles")),
    }
    fit = projected_cycle_life(reports)
    if fit is None:
        return TargetResult(value=None, status=NOT_ENOUGH_REPORTS, **common)
    cycles = fit.cycles_to_end_of_life
    # No measurable fade: the projection is unbounded, the target is met.
    status = MET if cycles is None or cycles > threshold else NOT_MET
    return TargetResult(
        value=cycles, status=status, points=fit.points, r_squared=fit.r_squared, **common
    )


def _operating_range(reports: Sequence[Any]) -> TargetResult:
    low_target = formulas.DRONE_OPERATING_TEMPERATURE_MIN_C
    high_target = formulas.DRONE_OPERATING_TEMPERATURE_MAX_C
    lows = [_number(r.lowest_temperature_c) for r in reports]
    highs = [_number(r.highest_temperature_c) for r in reports]
    lows = [value for value in lows if value is not None]
    highs = [value for value in highs if value is not None]
    low = min(lows) if lows else None
    high = max(highs) if highs else None
    if (low is not None and low > low_target) or (high is not None and high < high_target):
        # What was reported already falls short; more reports may still widen it.
        status = NOT_MET if low is not None and high is not None else UNKNOWN
    else:
        status = MET if low is not None and high is not None else UNKNOWN
    return TargetResult(
        key="operating_range",
        label=str(_("Operating temperature range")),
        target=str(_("from %(low)s °C to %(high)s °C") % {"low": low_target, "high": high_target}),
        value=None,
        unit="°C",
        status=status,
        low=low,
        high=high,
    )


def judge(scenario: str, reports: Sequence[Any]) -> list[TargetResult]:
    """Each target of the scenario with its value and met / not met / not yet known.

    :param scenario: one of DemonstrationScenario's values.
    :param reports: the project's field reports, oldest first.
    :raises ValueError: for an unknown scenario.
    """
    reports = list(reports)
    if scenario == GRID_STORAGE:
        return [
            _cycle_life(reports),
            _above(
                "round_trip_efficiency",
                _("Round-trip efficiency"),
                reports,
                "round_trip_efficiency_percent",
                formulas.GRID_ROUND_TRIP_EFFICIENCY_TARGET_PERCENT,
                "%",
                _("more than %(value)s %%")
                % {"value": formulas.GRID_ROUND_TRIP_EFFICIENCY_TARGET_PERCENT},
            ),
        ]
    if scenario == DRONES:
        return [
            _above(
                "specific_energy",
                _("Specific energy"),
                reports,
                "specific_energy_wh_per_kg",
                formulas.DRONE_SPECIFIC_ENERGY_TARGET_WH_PER_KG,
                "Wh/kg",
                _("more than %(value)s Wh/kg")
                % {"value": formulas.DRONE_SPECIFIC_ENERGY_TARGET_WH_PER_KG},
            ),
            _operating_range(reports),
        ]
    if scenario == HUMANOID_ROBOTS:
        return [
            _above(
                "volumetric_energy",
                _("Volumetric energy density"),
                reports,
                "volumetric_energy_wh_per_l",
                formulas.ROBOT_VOLUMETRIC_ENERGY_TARGET_WH_PER_L,
                "Wh/L",
                _("more than %(value)s Wh/L")
                % {"value": f"{formulas.ROBOT_VOLUMETRIC_ENERGY_TARGET_WH_PER_L:,}"},
            ),
            _above(
                "peak_discharge",
                _("Peak discharge rate"),
                reports,
                "peak_discharge_c_rate",
                formulas.ROBOT_PEAK_DISCHARGE_TARGET_C_RATE,
                "C",
                _("more than %(value)sC") % {"value": formulas.ROBOT_PEAK_DISCHARGE_TARGET_C_RATE},
            ),
        ]
    raise ValueError(f"unknown scenario {scenario!r}")
