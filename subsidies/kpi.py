"""Judging an R&D project's KPIs: pure, no database.

For each KPI a proposal commits to, the status shows the baseline, the proposal's own target,
the latest value reported at a milestone (a value fitted from a dataset is preferred over a
typed one: the newest fitted value if there is any, else the newest reported one), and whether
that value meets the proposal's target and the seed's target for the KPI.

The proposal's target is met when the value reaches it (inclusive). The seed's targets are
strict ("> 1e-2 S/cm", "< 10 Ω·cm²"), except the electrolyte cost, which must fall by at least
ELECTROLYTE_COST_REDUCTION_TARGET against the project's own baseline.
"""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ssb_portal import formulas
from subsidies.models import Kpi

FITTED = "fitted"
REPORTED = "reported"

#: Which way each KPI improves.
HIGHER_IS_BETTER: dict[str, bool] = {
    Kpi.IONIC_CONDUCTIVITY: True,
    Kpi.ASR: False,
    Kpi.SPECIFIC_CAPACITY: True,
    Kpi.DECAY_RATE: False,
    Kpi.COULOMBIC_EFFICIENCY: True,
    Kpi.WEIGHT_REDUCTION: True,
    Kpi.COST: False,
}

#: The seed's absolute targets (strict); the cost target is relative to the baseline.
SEED_TARGETS: dict[str, float] = {
    Kpi.IONIC_CONDUCTIVITY: float(formulas.SULFIDE_CONDUCTIVITY_TARGET_S_PER_CM),
    Kpi.ASR: float(formulas.OXIDE_ASR_TARGET_OHM_CM2),
    Kpi.SPECIFIC_CAPACITY: float(formulas.CATHODE_CAPACITY_TARGET_MAH_G),
    Kpi.DECAY_RATE: float(formulas.DECAY_RATE_TARGET_PERCENT_PER_CYCLE),
    Kpi.COULOMBIC_EFFICIENCY: float(formulas.ANODE_CE_TARGET_PERCENT),
    Kpi.WEIGHT_REDUCTION: float(formulas.COLLECTOR_WEIGHT_REDUCTION_TARGET_PERCENT),
}

#: KPIs measured in percent: a value must lie in 0–100.
PERCENT_KPIS = (Kpi.COULOMBIC_EFFICIENCY, Kpi.WEIGHT_REDUCTION, Kpi.DECAY_RATE)


@dataclass(frozen=True)
class KpiValue:
    """One value reported for a KPI at a milestone."""

    value: float
    source: str  # FITTED or REPORTED
    reported_on: datetime.date
    order: int = 0  # breaks ties between reports of one day (the later report wins)


@dataclass(frozen=True)
class KpiStatus:
    kpi: str
    label: str
    higher_is_better: bool
    baseline: float
    target: float
    seed_target: float | None
    value: float | None
    source: str | None
    reported_on: datetime.date | None
    meets_target: bool | None  # None while nothing is reported
    meets_seed: bool | None  # None while nothing is reported or the seed sets no target

    @property
    def seed_comparison(self) -> str:
        """ "> 0.01", "< 10" or "≤ 25" as the seed states the target."""
        if self.seed_target is None:
            return ""
        if self.kpi == Kpi.COST:
            return f"≤ {self.seed_target:g}"
        return f"{'>' if self.higher_is_better else '<'} {self.seed_target:g}"


def seed_target(kpi: str, baseline: float) -> float | None:
    """The seed's target for the KPI; the cost target is the baseline less the reduction."""
    if kpi == Kpi.COST:
        return baseline * (1 - float(formulas.ELECTROLYTE_COST_REDUCTION_TARGET))
    return SEED_TARGETS.get(kpi)


def meets(value: float, target: float, *, higher_is_better: bool, strict: bool) -> bool:
    if higher_is_better:
        return value > target if strict else value >= target
    return value < target if strict else value <= target


def latest_value(values: Iterable[KpiValue]) -> KpiValue | None:
    """The newest fitted value if any, else the newest reported one."""
    values = list(values)
    fitted = [v for v in values if v.source == FITTED]
    pool = fitted or values
    if not pool:
        return None
    return max(pool, key=lambda v: (v.reported_on, v.order))


def kpi_status(
    *, kpi: str, baseline: float, target: float, values: Iterable[KpiValue]
) -> KpiStatus:
    higher = HIGHER_IS_BETTER.get(kpi, True)
    seed = seed_target(kpi, baseline)
    latest = latest_value(values)
    meets_target = meets_seed = None
    if latest is not None:
        meets_target = meets(latest.value, target, higher_is_better=higher, strict=False)
        if seed is not None:
            meets_seed = meets(latest.value, seed, higher_is_better=higher, strict=kpi != Kpi.COST)
    return KpiStatus(
        kpi=kpi,
        label=str(Kpi(kpi).label) if kpi in Kpi.values else kpi,
        higher_is_better=higher,
        baseline=baseline,
        target=target,
        seed_target=seed,
        value=latest.value if latest else None,
        source=latest.source if latest else None,
        reported_on=latest.reported_on if latest else None,
        meets_target=meets_target,
        meets_seed=meets_seed,
    )


def value_problem(kpi: str, value: object) -> str | None:
    """Why the value cannot be a measurement of the KPI, or None when it can."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _("Enter a number.")
    if not math.isfinite(value):
        return _("Enter a finite number.")
    if kpi in PERCENT_KPIS:
        if not 0 <= value <= 100:
            return _("Enter a percentage between 0 and 100.")
    elif value <= 0:
        return _("Enter a value above zero.")
    return None


#: Which KPI each result of a dataset fit (ssb_portal.measurements.fit_series) measures.
FIT_KPIS: dict[str, str] = {
    Kpi.IONIC_CONDUCTIVITY: "conductivity_25c_s_per_cm",
    Kpi.SPECIFIC_CAPACITY: "initial_capacity",
    Kpi.DECAY_RATE: "decay_percent_per_cycle",
    Kpi.COULOMBIC_EFFICIENCY: "coulombic_efficiency_percent",
}


def fitted_kpi_values(fit: dict) -> dict[str, float]:
    """The KPI values a dataset's fit gives (those it does not give are left out)."""
    return {
        kpi: float(fit[key])
        for kpi, key in FIT_KPIS.items()
        if isinstance(fit.get(key), int | float) and not isinstance(fit.get(key), bool)
    }
