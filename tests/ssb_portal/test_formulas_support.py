"""Tests of the tiered policy support formulas (ssb_portal.formulas.support) against values worked
out by hand: energy quota, local procurement subsidy, standards rewards.

Pure Python: no Django, no database. Expected values are literals, never recomputed with the
formula under test.
"""

from decimal import Decimal

import pytest

from ssb_portal.formulas import (
    energy_quota_granted_tce,
    local_procurement_subsidy_cny,
    standards_reward_cny,
)

D = Decimal


# --------------------------------------------------------------------------------------------
# 4. Tiered policy support
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("standard", "expected"),
    [
        # The formula grants MORE quota despite the seed's "10 % reduction" wording.
        # 10,000 × 1.10 = 11,000.000 tce
        (D("10000"), D("11000.000")),
        # 12,345.678 × 1.10 = 13,580.2458 → 13,580.246
        (D("12345.678"), D("13580.246")),
        # 0.015 × 1.10 = 0.0165 → half-up 0.017 (half-even would give 0.016)
        (D("0.015"), D("0.017")),
        (D("0"), D("0.000")),
    ],
)
def test_energy_quota_granted(standard, expected):
    result = energy_quota_granted_tce(standard)
    assert result == expected
    assert result.as_tuple().exponent == -3


def test_energy_quota_refuses_negative_and_float():
    with pytest.raises(ValueError, match="standard_quota_tce must not be negative"):
        energy_quota_granted_tce(D("-1"))
    with pytest.raises(TypeError, match="standard_quota_tce must be a Decimal"):
        energy_quota_granted_tce(1000.0)


@pytest.mark.parametrize(
    ("purchases", "expected"),
    [
        # 0.05 × 1,234,567.89 = 61,728.3945 → 61,728.39
        (D("1234567.89"), D("61728.39")),
        # 0.05 × 0.10 = 0.005 → half-up 0.01 (half-even would give 0.00)
        (D("0.10"), D("0.01")),
        # 0.05 × 0.09 = 0.0045 → 0.00
        (D("0.09"), D("0.00")),
        # 0.05 × 2,000,000.00 = 100,000.00
        (D("2000000.00"), D("100000.00")),
    ],
)
def test_local_procurement_subsidy(purchases, expected):
    assert local_procurement_subsidy_cny(purchases) == expected


def test_local_procurement_subsidy_rate_override():
    # 0.08 × 1,000.00 = 80.00
    assert local_procurement_subsidy_cny(D("1000.00"), rate=D("0.08")) == D("80.00")
    with pytest.raises(ValueError, match="rate must be between 0 and 1"):
        local_procurement_subsidy_cny(D("1000.00"), rate=D("-0.01"))


@pytest.mark.parametrize(
    ("role", "expected"),
    [("lead", D("1000000.00")), ("participate", D("500000.00"))],
)
def test_standards_reward_defaults(role, expected):
    assert standards_reward_cny(role) == expected


def test_standards_reward_overrides():
    assert standards_reward_cny("lead", lead_amount_cny=D("1200000")) == D("1200000.00")
    assert standards_reward_cny("participate", participate_amount_cny=D("600000.005")) == D(
        "600000.01"
    )


@pytest.mark.parametrize("role", ["chair", "", "Lead", "part"])
def test_standards_reward_refuses_unknown_roles(role):
    with pytest.raises(ValueError, match="role must be one of lead, participate"):
        standards_reward_cny(role)


def test_standards_reward_refuses_non_string_role():
    with pytest.raises(TypeError, match="role must be a str"):
        standards_reward_cny(None)
