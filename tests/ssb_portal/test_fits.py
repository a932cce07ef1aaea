"""The fits of measured data recover the parameters that generated the data."""

import math
import random

import pytest

from ssb_portal import formulas

BOLTZMANN = formulas.BOLTZMANN_EV_PER_K


def _noisy(value: float, rng: random.Random, relative: float = 0.01) -> float:
    return value * (1 + rng.gauss(0, relative))


def test_arrhenius_fit_recovers_activation_energy_and_sigma_at_25c():
    rng = random.Random(7)
    prefactor, activation = 25.0, 0.25  # S/cm, eV: σ(25 °C) ≈ 1.5e-3 S/cm
    temperatures = [formulas.celsius_to_kelvin(t) for t in (-20, 0, 25, 40, 60, 80)]
    sigmas = [
        _noisy(prefactor * math.exp(-activation / (BOLTZMANN * t)), rng) for t in temperatures
    ]
    fit = formulas.arrhenius_fit(temperatures, sigmas)
    assert fit.activation_energy_ev == pytest.approx(activation, rel=0.03)
    assert fit.conductivity_25c_s_per_cm == pytest.approx(
        prefactor * math.exp(-activation / (BOLTZMANN * 298.15)), rel=0.02
    )
    assert fit.r_squared > 0.99 and fit.points == 6


def test_arrhenius_fit_refuses_non_positive_conductivity_naming_the_point():
    with pytest.raises(ValueError, match=r"conductivities_s_per_cm\[1\] must be positive"):
        formulas.arrhenius_fit([273.15, 298.15, 323.15], [1e-3, 0.0, 2e-3])


def test_arrhenius_fit_needs_three_temperatures():
    with pytest.raises(ValueError, match="at least 3 different temperatures"):
        formulas.arrhenius_fit([298.15, 298.15, 323.15], [1e-3, 1.1e-3, 2e-3])


def test_capacity_fade_fit_recovers_q0_and_decay():
    rng = random.Random(11)
    q0, decay = 310.0, 0.0004  # mAh/g, 0.04 % per cycle
    cycles = list(range(0, 1001, 50))
    capacities = [_noisy(q0 * (1 - decay) ** n, rng, 0.002) for n in cycles]
    fit = formulas.capacity_fade_fit(cycles, capacities)
    assert fit.initial_capacity == pytest.approx(q0, rel=0.01)
    assert fit.decay_percent_per_cycle == pytest.approx(0.04, abs=0.004)
    assert fit.cycles_to_end_of_life == pytest.approx(math.log(0.8) / math.log(1 - decay), rel=0.1)


def test_no_fade_has_no_end_of_life():
    fit = formulas.capacity_fade_fit([0, 10, 20], [1.0, 1.0, 1.0])
    assert fit.decay_per_cycle == pytest.approx(0)
    assert fit.cycles_to_end_of_life is None


@pytest.mark.parametrize(
    ("cycles", "capacities", "message"),
    [
        ([0, 1, 2], [300, -1, 290], r"capacities\[1\] must be positive"),
        ([0, -1, 2], [300, 299, 290], r"cycles\[1\] must not be negative"),
        ([0, 0, 1], [300, 299, 290], "at least 3 different cycle numbers"),
    ],
)
def test_capacity_fade_fit_refuses_bad_data(cycles, capacities, message):
    with pytest.raises(ValueError, match=message):
        formulas.capacity_fade_fit(cycles, capacities)


def test_mean_coulombic_efficiency():
    assert formulas.mean_coulombic_efficiency_percent([100, 100], [99.6, 99.8]) == pytest.approx(
        99.7
    )
    with pytest.raises(ValueError, match=r"charge_capacities\[0\] must be positive"):
        formulas.mean_coulombic_efficiency_percent([0], [1])
