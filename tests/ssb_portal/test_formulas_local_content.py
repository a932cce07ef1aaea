"""Tests of the local content formulas (ssb_portal.formulas.local_content) against values worked
out by hand: the local content ratio and the LCR trajectory towards the target.

Pure Python: no Django, no database. Expected values are literals, never recomputed with the
formula under test.
"""

from decimal import Decimal

import pytest

from ssb_portal.formulas import lcr_trajectory_target_percent, local_content_ratio_percent

D = Decimal


# --------------------------------------------------------------------------------------------
# 2. Local content ratio
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "total", "expected"),
    [
        # 280 / 400 × 100 = 70.00 %
        (D("280.00"), D("400.00"), D("70.00")),
        # 1 / 3 × 100 = 33.333... → 33.33
        (D("1.00"), D("3.00"), D("33.33")),
        # 2 / 3 × 100 = 66.666... → 66.67
        (D("2.00"), D("3.00"), D("66.67")),
        # 1 / 800 × 100 = 0.125 → half-up 0.13 (half-even would give 0.12)
        (D("1.00"), D("800.00"), D("0.13")),
        (D("0.00"), D("500.00"), D("0.00")),
        (D("500.00"), D("500.00"), D("100.00")),
        # Net credit notes on local goods: -10 / 200 × 100 = -5.00 %
        (D("-10.00"), D("200.00"), D("-5.00")),
    ],
)
def test_local_content_ratio(local, total, expected):
    assert local_content_ratio_percent(local, total) == expected


def test_local_content_ratio_is_undefined_without_purchases():
    # "No purchases" must not read as "0 % local".
    assert local_content_ratio_percent(D("0.00"), D("0.00")) is None
    assert local_content_ratio_percent(D("-5.00"), D("0.00")) is None


def test_local_content_ratio_refuses_local_above_total():
    with pytest.raises(ValueError, match="must not exceed total_value_cny"):
        local_content_ratio_percent(D("400.01"), D("400.00"))


def test_local_content_ratio_refuses_negative_total():
    with pytest.raises(ValueError, match="total_value_cny must not be negative"):
        local_content_ratio_percent(D("-20.00"), D("-10.00"))


def test_local_content_ratio_refuses_float():
    with pytest.raises(TypeError, match="local_value_cny must be a Decimal"):
        local_content_ratio_percent(1.0, D("3.00"))


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # 40 + (70 − 40) × year / 5 = 40 + 6 × year
        (0, D("40")),
        (1, D("46")),
        (3, D("58")),
        (5, D("70")),
        # After the five years the target stays at 70 %.
        (8, D("70")),
    ],
)
def test_lcr_trajectory(year, expected):
    assert lcr_trajectory_target_percent(year) == expected


def test_lcr_trajectory_refuses_negative_and_non_int_years():
    with pytest.raises(ValueError, match="year_index must not be negative"):
        lcr_trajectory_target_percent(-1)
    with pytest.raises(TypeError, match="year_index must be an int"):
        lcr_trajectory_target_percent(1.5)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # A measured baseline of 36.50 % rising to 70 % over 5 years: 6.70 points a year.
        (0, Decimal("36.50")),
        (1, Decimal("43.20")),
        (5, Decimal("70.00")),
        (8, Decimal("70.00")),
    ],
)
def test_lcr_trajectory_from_a_measured_baseline(year, expected):
    assert (
        lcr_trajectory_target_percent(
            year, baseline_percent=Decimal("36.50"), goal_percent=Decimal("70"), goal_years=5
        )
        == expected
    )


def test_lcr_trajectory_rounds_a_third_of_a_point_half_up():
    # 40 + (70 − 40) × 1 / 9 = 43.3333… → 43.33
    assert lcr_trajectory_target_percent(1, goal_years=9) == Decimal("43.33")


def test_lcr_trajectory_needs_at_least_one_year():
    with pytest.raises(ValueError, match="goal_years"):
        lcr_trajectory_target_percent(1, goal_years=0)
