"""Tests of the R&D fund formulas (ssb_portal.formulas.rd_fund) against values worked out by
hand: electrolyte target cost, Arrhenius conductivity, capacity decay, national matching.

Pure Python: no Django, no database. Expected values are literals, never recomputed with the
formula under test.
"""

from decimal import Decimal

import pytest

from ssb_portal.formulas import (
    BOLTZMANN_EV_PER_K,
    DECAY_RATE_TARGET_PERCENT_PER_CYCLE,
    arrhenius_conductivity_s_per_cm,
    capacity_after_cycles_mah_g,
    celsius_to_kelvin,
    decay_percent_to_fraction,
    electrolyte_target_cost_cny_per_kg,
    national_project_matching_cny,
)

D = Decimal


# --------------------------------------------------------------------------------------------
# 1. R&D fund
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "kwargs", "expected"),
    [
        # 0.5 × 200.00 = 100.00
        (D("200.00"), {}, D("100.00")),
        # 0.5 × 123.45 = 61.725 → half-up 61.73
        (D("123.45"), {}, D("61.73")),
        # A 60 % cut keeps 0.4: 0.4 × 250.00 = 100.00
        (D("250.00"), {"reduction": D("0.6")}, D("100.00")),
        # No reduction leaves the cost unchanged.
        (D("80.00"), {"reduction": D("0")}, D("80.00")),
    ],
)
def test_electrolyte_target_cost(current, kwargs, expected):
    assert electrolyte_target_cost_cny_per_kg(current, **kwargs) == expected


@pytest.mark.parametrize("reduction", [D("-0.1"), D("1.01")])
def test_electrolyte_target_cost_refuses_reduction_outside_zero_one(reduction):
    with pytest.raises(ValueError, match="reduction must be between 0 and 1"):
        electrolyte_target_cost_cny_per_kg(D("100.00"), reduction=reduction)


def test_electrolyte_target_cost_refuses_float_reduction():
    with pytest.raises(TypeError, match="reduction must be a Decimal"):
        electrolyte_target_cost_cny_per_kg(D("100.00"), reduction=0.5)


def test_boltzmann_constant_in_ev_per_k():
    # CODATA (exact SI values): k = 1.380649e-23 J/K and 1 eV = 1.602176634e-19 J,
    # so k = 8.617333262...e-5 eV/K.
    boltzmann_j_per_k = 1.380649e-23
    joule_per_ev = 1.602176634e-19
    assert boltzmann_j_per_k / joule_per_ev == pytest.approx(BOLTZMANN_EV_PER_K, rel=1e-9)


@pytest.mark.parametrize(
    ("celsius", "kelvin"),
    [(25, 298.15), (0, 273.15), (-20, 253.15), (-273.15, 0.0)],
)
def test_celsius_to_kelvin(celsius, kelvin):
    assert celsius_to_kelvin(celsius) == pytest.approx(kelvin)


def test_celsius_to_kelvin_refuses_below_absolute_zero():
    with pytest.raises(ValueError, match="absolute zero"):
        celsius_to_kelvin(-273.16)


def test_arrhenius_conductivity_worked_example():
    # k·T = 8.617333262e-5 eV/K × 298.15 K = 0.0256925791 eV
    # Ea / kT = 0.3 / 0.0256925791 = 11.67652335
    # exp(-11.67652335) = 8.490833832e-6
    # σ = 100 S/cm × 8.490833832e-6 = 8.490833832e-4 S/cm
    sigma = arrhenius_conductivity_s_per_cm(
        pre_exponential_s_per_cm=100, activation_energy_ev=0.3, temperature_k=298.15
    )
    assert sigma == pytest.approx(8.490833832e-4, rel=1e-6)


def test_arrhenius_conductivity_second_example():
    # k·T = 8.617333262e-5 × 400 = 0.03446933305 eV; Ea / kT = 0.5 / 0.03446933305 = 14.50564765
    # σ = 10 × exp(-14.50564765) = 10 × 5.015073106e-7 = 5.015073106e-6 S/cm
    assert arrhenius_conductivity_s_per_cm(10, 0.5, 400) == pytest.approx(5.015073106e-6, rel=1e-6)


def test_arrhenius_without_activation_energy_is_the_prefactor():
    # exp(0) = 1: with no barrier every temperature gives σ = A.
    assert arrhenius_conductivity_s_per_cm(0.02, 0, 250) == pytest.approx(0.02)


def test_arrhenius_lower_activation_energy_raises_conductivity():
    # The seed's R&D lever: reducing Ea must increase σ at a fixed temperature.
    high = arrhenius_conductivity_s_per_cm(100, 0.30, 298.15)
    low = arrhenius_conductivity_s_per_cm(100, 0.25, 298.15)
    assert low > high


@pytest.mark.parametrize("temperature_k", [0, -1, -298.15])
def test_arrhenius_refuses_non_positive_temperature(temperature_k):
    with pytest.raises(ValueError, match="temperature_k must be an absolute temperature above 0 K"):
        arrhenius_conductivity_s_per_cm(100, 0.3, temperature_k)


def test_arrhenius_refuses_negative_activation_energy():
    with pytest.raises(ValueError, match="activation_energy_ev must not be negative"):
        arrhenius_conductivity_s_per_cm(100, -0.1, 298.15)


def test_arrhenius_refuses_negative_prefactor():
    with pytest.raises(ValueError, match="pre_exponential_s_per_cm must not be negative"):
        arrhenius_conductivity_s_per_cm(-1, 0.3, 298.15)


def test_arrhenius_refuses_non_numbers():
    with pytest.raises(TypeError, match="temperature_k must be a number"):
        arrhenius_conductivity_s_per_cm(100, 0.3, "298.15")
    with pytest.raises(ValueError, match="must be finite"):
        arrhenius_conductivity_s_per_cm(100, 0.3, float("inf"))


def test_decay_percent_to_fraction():
    # The seed's 0.05 %/cycle target is 0.05 / 100 = 0.0005 per cycle.
    assert decay_percent_to_fraction(0.05) == pytest.approx(0.0005)
    assert decay_percent_to_fraction(DECAY_RATE_TARGET_PERCENT_PER_CYCLE) == pytest.approx(0.0005)


@pytest.mark.parametrize("percent", [-0.01, 100, 150])
def test_decay_percent_to_fraction_refuses_out_of_range(percent):
    with pytest.raises(ValueError, match="decay_percent_per_cycle"):
        decay_percent_to_fraction(percent)


def test_capacity_after_cycles_worked_example():
    # ln(0.9995) × 500 = -0.000500125 × 500 = -0.2500625208
    # 0.9995^500 = exp(-0.2500625208) = 0.7787520933
    # Q(500) = 300 mAh/g × 0.7787520933 = 233.6256280 mAh/g
    q = capacity_after_cycles_mah_g(initial_capacity=300, decay_rate_per_cycle=0.0005, cycles=500)
    assert q == pytest.approx(233.6256280, rel=1e-9)


@pytest.mark.parametrize(
    ("q0", "d", "n", "expected"),
    [
        # No cycles, no loss.
        (300, 0.0005, 0, 300),
        # No decay, no loss.
        (300, 0, 1000, 300),
        # 200 × 0.9^2 = 200 × 0.81 = 162
        (200, 0.1, 2, 162),
    ],
)
def test_capacity_after_cycles_simple_cases(q0, d, n, expected):
    assert capacity_after_cycles_mah_g(q0, d, n) == pytest.approx(expected)


@pytest.mark.parametrize("decay", [-0.001, 1, 5])
def test_capacity_after_cycles_refuses_decay_outside_fraction_range(decay):
    # 5 is the typical mistake of passing a percent: it must not silently give nonsense.
    with pytest.raises(ValueError, match="decay_rate_per_cycle is a fraction per cycle"):
        capacity_after_cycles_mah_g(300, decay, 10)


def test_capacity_after_cycles_refuses_bad_cycles_and_capacity():
    with pytest.raises(ValueError, match="cycles must not be negative"):
        capacity_after_cycles_mah_g(300, 0.0005, -1)
    with pytest.raises(TypeError, match="cycles must be an int"):
        capacity_after_cycles_mah_g(300, 0.0005, 2.5)
    with pytest.raises(ValueError, match="initial_capacity must not be negative"):
        capacity_after_cycles_mah_g(-1, 0.0005, 10)


@pytest.mark.parametrize(
    ("investment", "expected"),
    [
        # 0.15 × 12,345,678.91 = 1,851,851.8365 → 1,851,851.84
        (D("12345678.91"), D("1851851.84")),
        # 0.15 × 100,000,000.00 = 15,000,000.00
        (D("100000000.00"), D("15000000.00")),
        # 0.15 × 0.03 = 0.0045 → 0.00 (below half a fen)
        (D("0.03"), D("0.00")),
        # 0.15 × 0.70 = 0.105 → half-up 0.11 (half-even would give 0.10)
        (D("0.70"), D("0.11")),
    ],
)
def test_national_project_matching(investment, expected):
    assert national_project_matching_cny(investment) == expected


def test_national_project_matching_rate_override_and_validation():
    # 0.20 × 1,000.00 = 200.00
    assert national_project_matching_cny(D("1000.00"), rate=D("0.20")) == D("200.00")
    with pytest.raises(ValueError, match="rate must be between 0 and 1"):
        national_project_matching_cny(D("1000.00"), rate=D("1.5"))
