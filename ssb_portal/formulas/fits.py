"""Fits of measured data: Arrhenius conductivity, capacity fade, mean coulombic efficiency."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ssb_portal.formulas.inputs import require_real
from ssb_portal.formulas.rd_fund import BOLTZMANN_EV_PER_K, ZERO_CELSIUS_K

#: A fit needs at least this many distinct points.
FIT_MIN_POINTS = 3
#: End of life, as the share of the initial capacity left (80 %).
END_OF_LIFE_RETENTION = 0.8
ROOM_TEMPERATURE_K = 25.0 + ZERO_CELSIUS_K


def _line_fit(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float]:
    """Least squares of y = slope·x + intercept; returns (slope, intercept, R²)."""
    count = len(xs)
    mean_x = sum(xs) / count
    mean_y = sum(ys) / count
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    total = sum((y - mean_y) ** 2 for y in ys)
    residual = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(xs, ys, strict=True))
    r_squared = 1.0 if total == 0 else 1 - residual / total
    return slope, intercept, r_squared


def _require_points(xs: Sequence[float], ys: Sequence[float], names: tuple[str, str]) -> None:
    if len(xs) != len(ys):
        raise ValueError(f"{names[0]} and {names[1]} must have the same length")
    if len(set(xs)) < FIT_MIN_POINTS:
        raise ValueError(
            f"a fit needs at least {FIT_MIN_POINTS} different {names[0]}, got {len(set(xs))}"
        )


@dataclass(frozen=True)
class ArrheniusFit:
    """σ = A·exp(−E_a/kT) fitted to measurements."""

    activation_energy_ev: float
    pre_exponential_s_per_cm: float
    conductivity_25c_s_per_cm: float
    r_squared: float
    points: int


def arrhenius_fit(
    temperatures_k: Sequence[float], conductivities_s_per_cm: Sequence[float]
) -> ArrheniusFit:
    """Fit the Arrhenius law by least squares of ln σ against 1/T.

    :param temperatures_k: T of each measurement, kelvin (> 0).
    :param conductivities_s_per_cm: σ at each temperature, S/cm (> 0: ln σ is taken).
    :returns: E_a (eV), A (S/cm), σ at 25 °C (S/cm), R² of the linear fit, the point count.
    :raises ValueError: naming the first non-positive value, or when fewer than 3 different
        temperatures are given.
    """
    temperatures = [require_real(t, f"temperatures_k[{i}]") for i, t in enumerate(temperatures_k)]
    conductivities = [
        require_real(s, f"conductivities_s_per_cm[{i}]")
        for i, s in enumerate(conductivities_s_per_cm)
    ]
    for index, (temperature, sigma) in enumerate(zip(temperatures, conductivities, strict=False)):
        if temperature <= 0:
            raise ValueError(f"temperatures_k[{index}] must be above 0 K, got {temperature}")
        if sigma <= 0:
            raise ValueError(
                f"conductivities_s_per_cm[{index}] must be positive to take its logarithm, "
                f"got {sigma}"
            )
    _require_points(temperatures, conductivities, ("temperatures", "conductivities"))
    slope, intercept, r_squared = _line_fit(
        [1 / t for t in temperatures], [math.log(s) for s in conductivities]
    )
    activation = -slope * BOLTZMANN_EV_PER_K
    prefactor = math.exp(intercept)
    return ArrheniusFit(
        activation_energy_ev=activation,
        pre_exponential_s_per_cm=prefactor,
        conductivity_25c_s_per_cm=prefactor * math.exp(slope / ROOM_TEMPERATURE_K),
        r_squared=r_squared,
        points=len(temperatures),
    )


@dataclass(frozen=True)
class FadeFit:
    """Q(n) = Q₀·(1 − D)ⁿ fitted to capacities by cycle."""

    initial_capacity: float
    decay_per_cycle: float
    r_squared: float
    points: int

    @property
    def decay_percent_per_cycle(self) -> float:
        return self.decay_per_cycle * 100

    @property
    def cycles_to_end_of_life(self) -> float | None:
        """Cycles until END_OF_LIFE_RETENTION of Q₀ is left; None when there is no fade."""
        if self.decay_per_cycle <= 0:
            return None
        return math.log(END_OF_LIFE_RETENTION) / math.log(1 - self.decay_per_cycle)


def capacity_fade_fit(cycles: Sequence[int], capacities: Sequence[float]) -> FadeFit:
    """Fit Q(n) = Q₀(1 − D)ⁿ by least squares of ln Q against n.

    :param cycles: cycle numbers n (≥ 0).
    :param capacities: the capacity at each cycle, in any unit (> 0); Q₀ comes out in it.
        Retention fractions (1.0, 0.98, …) give Q₀ ≈ 1.
    :returns: Q₀, D as a fraction per cycle (see ``decay_percent_per_cycle``), R², count.
    :raises ValueError: naming the first negative cycle or non-positive capacity, or when fewer
        than 3 different cycle numbers are given.
    """
    numbers = [require_real(n, f"cycles[{i}]") for i, n in enumerate(cycles)]
    values = [require_real(q, f"capacities[{i}]") for i, q in enumerate(capacities)]
    for index, (number, value) in enumerate(zip(numbers, values, strict=False)):
        if number < 0:
            raise ValueError(f"cycles[{index}] must not be negative, got {number}")
        if value <= 0:
            raise ValueError(
                f"capacities[{index}] must be positive to take its logarithm, got {value}"
            )
    _require_points(numbers, values, ("cycle numbers", "capacities"))
    slope, intercept, r_squared = _line_fit(numbers, [math.log(q) for q in values])
    return FadeFit(
        initial_capacity=math.exp(intercept),
        decay_per_cycle=1 - math.exp(slope),
        r_squared=r_squared,
        points=len(numbers),
    )


def mean_coulombic_efficiency_percent(
    charge_capacities: Sequence[float], discharge_capacities: Sequence[float]
) -> float:
    """Mean coulombic efficiency, CE = discharge / charge × 100, over the cycles given, in %.

    :raises ValueError: for unequal or empty sequences or a non-positive charge capacity.
    """
    if not charge_capacities or len(charge_capacities) != len(discharge_capacities):
        raise ValueError("charge and discharge capacities must be non-empty and of equal length")
    ratios = []
    for index, (charge, discharge) in enumerate(
        zip(charge_capacities, discharge_capacities, strict=True)
    ):
        if require_real(charge, f"charge_capacities[{index}]") <= 0:
            raise ValueError(f"charge_capacities[{index}] must be positive, got {charge}")
        ratios.append(require_real(discharge, f"discharge_capacities[{index}]") / charge)
    return sum(ratios) / len(ratios) * 100
