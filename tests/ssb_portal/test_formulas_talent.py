"""Tests of the talent formulas (ssb_portal.formulas.talent) against values worked out by hand:
talent influx, retention, expert compensation, scholarship fund.

Pure Python: no Django, no database. Expected values are literals, never recomputed with the
formula under test.
"""

from decimal import Decimal

import pytest

from ssb_portal.formulas import (
    expert_total_compensation_cny,
    retention_rate,
    scholarship_fund_cny,
    talent_influx,
)

D = Decimal


# --------------------------------------------------------------------------------------------
# 5. Talent
# --------------------------------------------------------------------------------------------


def test_talent_influx_with_decimal_rate_is_exact():
    # 500 graduates × 0.60 = 300 people a year
    influx = talent_influx(graduates=500, retention_rate=D("0.60"))
    assert isinstance(influx, Decimal)
    assert influx == D("300")


def test_talent_influx_with_float_rate():
    # 250 × 0.45 = 112.5: an expected head count may be fractional.
    assert talent_influx(250, 0.45) == pytest.approx(112.5)


@pytest.mark.parametrize("rate", [D("-0.01"), D("1.01"), -0.01, 1.01])
def test_talent_influx_refuses_rate_outside_zero_one(rate):
    with pytest.raises(ValueError, match="retention_rate must be between 0 and 1"):
        talent_influx(500, rate)


def test_talent_influx_refuses_negative_graduates():
    with pytest.raises(ValueError, match="graduates must not be negative"):
        talent_influx(-1, D("0.5"))


@pytest.mark.parametrize(
    ("retained", "graduates", "expected"),
    [
        # 300 / 500 = 0.6000
        (300, 500, D("0.6000")),
        # 1 / 3 = 0.33333... → 0.3333
        (1, 3, D("0.3333")),
        # 2 / 3 = 0.66666... → 0.6667
        (2, 3, D("0.6667")),
        # 1 / 16 = 0.0625 exactly
        (1, 16, D("0.0625")),
        # 1 / 32 = 0.03125 → half-up 0.0313 (half-even would give 0.0312)
        (1, 32, D("0.0313")),
        (0, 10, D("0.0000")),
    ],
)
def test_retention_rate(retained, graduates, expected):
    assert retention_rate(retained, graduates) == expected


def test_retention_rate_is_undefined_without_graduates():
    assert retention_rate(0, 0) is None


def test_retention_rate_refuses_more_retained_than_graduates():
    with pytest.raises(ValueError, match=r"retained \(6\) must not exceed graduates \(5\)"):
        retention_rate(6, 5)


def test_retention_rate_refuses_bool():
    # bool is an int subclass; True as a head count is a bug upstream.
    with pytest.raises(TypeError, match="retained must be an int"):
        retention_rate(True, 5)


def test_expert_total_compensation():
    # 800,000.00 + 120,000.00 + 30,000.00 + 12,345.675 = 962,345.675 → 962,345.68
    total = expert_total_compensation_cny(
        base_salary_cny=D("800000.00"),
        housing_benefit_cny=D("120000.00"),
        other_benefits_cny=[D("30000.00"), D("12345.675")],
    )
    assert total == D("962345.68")


def test_expert_total_compensation_without_other_benefits():
    # 600,000 + 0 = 600,000.00; a generator works as well as a list.
    assert expert_total_compensation_cny(D("600000"), D("0")) == D("600000.00")
    assert expert_total_compensation_cny(D("1"), D("2"), (D(x) for x in ("3", "4"))) == D("10.00")


@pytest.mark.parametrize(
    ("recipients", "award", "expected"),
    [
        # 50 × 20,000.00 = 1,000,000.00
        (50, D("20000.00"), D("1000000.00")),
        # Multiply first, round once: 3 × 3,333.335 = 10,000.005 → 10,000.01
        (3, D("3333.335"), D("10000.01")),
        (0, D("20000.00"), D("0.00")),
    ],
)
def test_scholarship_fund(recipients, award, expected):
    assert scholarship_fund_cny(recipients, award) == expected


def test_scholarship_fund_refuses_bad_recipients():
    with pytest.raises(ValueError, match="recipients must not be negative"):
        scholarship_fund_cny(-1, D("100"))
    with pytest.raises(TypeError, match="recipients must be an int"):
        scholarship_fund_cny(2.0, D("100"))
