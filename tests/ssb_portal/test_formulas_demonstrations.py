"""Tests of the demonstration formulas (ssb_portal.formulas.demonstrations) against values worked
out by hand: levelised cost of storage and drone flight time.

Pure Python: no Django, no database. Expected values are literals, never recomputed with the
formula under test.
"""

from decimal import Decimal

import pytest

from ssb_portal.formulas import (
    drone_flight_time_h,
    drone_flight_time_min,
    levelized_cost_of_storage_cny_per_kwh,
)

D = Decimal


# --------------------------------------------------------------------------------------------
# 3. Demonstration scenarios
# --------------------------------------------------------------------------------------------


def test_lcos_two_year_worked_example():
    # Capital 1,000; O&M 100 each year; a 200 replacement in year 2; 1,000 kWh a year; r = 10 %.
    # Multiplying numerator and denominator by 1.1² = 1.21 clears the discount factors:
    #   costs  = 1,000 × 1.21 + 100 × 1.1 + 100 + 200 = 1,210 + 110 + 300 = 1,620
    #   energy = 1,000 × 1.1 + 1,000 = 2,100
    # LCOS = 1,620 / 2,100 = 0.771428... → 0.7714 CNY/kWh
    lcos = levelized_cost_of_storage_cny_per_kwh(
        capital_cost_cny=D("1000"),
        om_costs_cny=[D("100"), D("100")],
        replacement_costs_cny=[D("0"), D("200")],
        energy_discharged_kwh=[1000.0, 1000.0],
        discount_rate=D("0.10"),
    )
    assert lcos == D("0.7714")
    assert lcos.as_tuple().exponent == -4


def test_lcos_without_discounting_is_total_cost_over_total_energy():
    # r = 0: (1,000 + 100 + 100 + 0 + 200) / (1,000 + 1,000) = 1,400 / 2,000 = 0.7
    lcos = levelized_cost_of_storage_cny_per_kwh(
        D("1000"), [D("100"), D("100")], [D("0"), D("200")], [1000, 1000], D("0")
    )
    assert lcos == D("0.7000")


def test_lcos_accepts_decimal_energy():
    # One year at r = 0: (300 + 50) / 700 = 0.5
    assert levelized_cost_of_storage_cny_per_kwh(
        D("300"), [D("50")], [D("0")], [D("700")], D("0")
    ) == D("0.5000")


def test_lcos_refuses_unequal_lengths():
    with pytest.raises(ValueError, match="must have the same length N"):
        levelized_cost_of_storage_cny_per_kwh(
            D("1000"), [D("100"), D("100")], [D("0")], [1000, 1000], D("0.05")
        )


def test_lcos_refuses_empty_lifetime():
    with pytest.raises(ValueError, match="at least one year"):
        levelized_cost_of_storage_cny_per_kwh(D("1000"), [], [], [], D("0.05"))


@pytest.mark.parametrize("rate", [D("-1"), D("-1.5")])
def test_lcos_refuses_discount_rate_at_or_below_minus_one(rate):
    with pytest.raises(ValueError, match="discount_rate must be greater than -1"):
        levelized_cost_of_storage_cny_per_kwh(D("1000"), [D("1")], [D("0")], [100], rate)


def test_lcos_refuses_float_discount_rate():
    with pytest.raises(TypeError, match="discount_rate must be a Decimal"):
        levelized_cost_of_storage_cny_per_kwh(D("1000"), [D("1")], [D("0")], [100], 0.08)


def test_lcos_refuses_zero_or_negative_energy():
    with pytest.raises(ValueError, match="discounted energy discharged must be positive"):
        levelized_cost_of_storage_cny_per_kwh(
            D("1000"), [D("1"), D("1")], [D("0"), D("0")], [0, 0], D("0.05")
        )
    with pytest.raises(ValueError, match=r"energy_discharged_kwh\[1\] must not be negative"):
        levelized_cost_of_storage_cny_per_kwh(
            D("1000"), [D("1"), D("1")], [D("0"), D("0")], [10, -1], D("0.05")
        )


def test_drone_flight_time_worked_example():
    # 0.9 × 500 Wh / 300 W = 450 / 300 = 1.5 h = 90 min
    kwargs = {"system_efficiency": 0.9, "battery_energy_wh": 500, "average_power_w": 300}
    assert drone_flight_time_h(**kwargs) == pytest.approx(1.5)
    assert drone_flight_time_min(**kwargs) == pytest.approx(90)


@pytest.mark.parametrize(
    ("efficiency", "energy", "power", "message"),
    [
        (0, 500, 300, "system_efficiency must be a fraction above 0 and at most 1"),
        (1.2, 500, 300, "system_efficiency must be a fraction above 0 and at most 1"),
        (0.9, -1, 300, "battery_energy_wh must not be negative"),
        (0.9, 500, 0, "average_power_w must be positive"),
        (0.9, 500, -300, "average_power_w must be positive"),
    ],
)
def test_drone_flight_time_refuses_bad_inputs(efficiency, energy, power, message):
    with pytest.raises(ValueError, match=message):
        drone_flight_time_h(efficiency, energy, power)
