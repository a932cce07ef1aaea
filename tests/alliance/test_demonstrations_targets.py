"""Judging a demonstration project against the seed's scenario targets (pure, no database)."""

import random
from dataclasses import dataclass
from decimal import Decimal

import pytest

from alliance.demonstrations.targets import (
    MET,
    NOT_ENOUGH_REPORTS,
    NOT_MET,
    UNKNOWN,
    judge,
    projected_cycle_life,
)


@dataclass
class Report:
    cycles_done: int = 0
    capacity_retention_percent: Decimal | None = None
    round_trip_efficiency_percent: Decimal | None = None
    specific_energy_wh_per_kg: Decimal | None = None
    volumetric_energy_wh_per_l: Decimal | None = None
    peak_discharge_c_rate: Decimal | None = None
    lowest_temperature_c: Decimal | None = None
    highest_temperature_c: Decimal | None = None


def by_key(results):
    return {result.key: result for result in results}


def fade_reports(decay_per_cycle: float, *, noise: float, seed: int = 7) -> list[Report]:
    """Retention generated from Q(n) = (1 − D)ⁿ with multiplicative noise, as a BMS reports it."""
    rng = random.Random(seed)
    reports = []
    for cycles in range(0, 3001, 250):
        retention = 100 * (1 - decay_per_cycle) ** cycles * (1 + rng.gauss(0, noise))
        reports.append(
            Report(cycles_done=cycles, capacity_retention_percent=Decimal(f"{retention:.2f}"))
        )
    return reports


def test_grid_cycle_life_is_projected_from_noisy_retention():
    # D = 1e-5 per cycle: 80 % is reached after ln 0.8 / ln(1 − 1e-5) ≈ 22,314 cycles.
    reports = fade_reports(1e-5, noise=0.0005)

    cycle_life = by_key(judge("grid_storage", reports))["cycle_life"]

    assert cycle_life.status == MET
    assert cycle_life.value == pytest.approx(22314, rel=0.05)
    assert cycle_life.points == len(reports)
    assert cycle_life.r_squared > 0.9


def test_grid_cycle_life_below_the_target_is_not_met():
    # D = 3e-5: ≈ 7,438 cycles to 80 %.
    cycle_life = by_key(judge("grid_storage", fade_reports(3e-5, noise=0.0005)))["cycle_life"]

    assert cycle_life.status == NOT_MET
    assert cycle_life.value == pytest.approx(7438, rel=0.05)


def test_cycle_life_needs_three_different_cycle_counts():
    reports = [
        Report(cycles_done=0, capacity_retention_percent=Decimal("100")),
        Report(cycles_done=500, capacity_retention_percent=Decimal("99.5")),
        Report(cycles_done=500, capacity_retention_percent=Decimal("99.4")),
        Report(cycles_done=900),  # no retention measured
    ]

    assert projected_cycle_life(reports) is None
    cycle_life = by_key(judge("grid_storage", reports))["cycle_life"]
    assert cycle_life.status == NOT_ENOUGH_REPORTS
    assert cycle_life.value is None


def test_no_measurable_fade_meets_the_cycle_life():
    reports = [
        Report(cycles_done=n, capacity_retention_percent=Decimal("100")) for n in (0, 10, 20)
    ]

    cycle_life = by_key(judge("grid_storage", reports))["cycle_life"]

    assert cycle_life.status == MET
    assert cycle_life.value is None


@pytest.mark.parametrize(
    ("efficiency", "status"),
    [(None, UNKNOWN), (Decimal("95"), NOT_MET), (Decimal("95.01"), MET), (Decimal("90"), NOT_MET)],
)
def test_round_trip_efficiency_must_be_above_95_percent(efficiency, status):
    result = by_key(judge("grid_storage", [Report(round_trip_efficiency_percent=efficiency)]))

    assert result["round_trip_efficiency"].status == status


def test_the_latest_report_stating_a_value_gives_it():
    reports = [
        Report(cycles_done=10, round_trip_efficiency_percent=Decimal("96")),
        Report(cycles_done=20, round_trip_efficiency_percent=Decimal("94")),
        Report(cycles_done=30),
    ]

    result = by_key(judge("grid_storage", reports))["round_trip_efficiency"]

    assert result.value == 94
    assert result.status == NOT_MET


@pytest.mark.parametrize(
    ("value", "status"), [(Decimal("400"), NOT_MET), (Decimal("420.5"), MET), (None, UNKNOWN)]
)
def test_drone_specific_energy_must_be_above_400(value, status):
    result = by_key(judge("drones", [Report(specific_energy_wh_per_kg=value)]))

    assert result["specific_energy"].status == status


@pytest.mark.parametrize(
    ("lows", "highs", "status"),
    [
        (["-20"], ["60"], MET),
        (["-5", "-25"], ["40", "61"], MET),  # the widest range over the reports
        (["-10"], ["60"], NOT_MET),
        (["-20"], ["55"], NOT_MET),
        (["-25"], [None], UNKNOWN),
        ([None], [None], UNKNOWN),
        (["-10"], [None], UNKNOWN),
    ],
)
def test_drones_must_operate_from_minus_20_to_60_degrees(lows, highs, status):
    reports = [
        Report(
            lowest_temperature_c=Decimal(low) if low else None,
            highest_temperature_c=Decimal(high) if high else None,
        )
        for low, high in zip(lows, highs, strict=True)
    ]

    result = by_key(judge("drones", reports))["operating_range"]

    assert result.status == status


def test_robots_need_energy_density_above_1000_and_peak_discharge_above_5c():
    reports = [
        Report(volumetric_energy_wh_per_l=Decimal("1050"), peak_discharge_c_rate=Decimal("5"))
    ]

    result = by_key(judge("humanoid_robots", reports))

    assert result["volumetric_energy"].status == MET
    assert result["peak_discharge"].status == NOT_MET
    assert [r.key for r in judge("humanoid_robots", [])] == ["volumetric_energy", "peak_discharge"]
    assert {r.status for r in judge("humanoid_robots", [])} == {UNKNOWN}


def test_an_unknown_scenario_is_refused():
    with pytest.raises(ValueError, match="scenario"):
        judge("submarines", [])
