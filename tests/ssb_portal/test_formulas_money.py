"""Tests of the money plumbing of ssb_portal.formulas (money, inputs): the one rounding rule and
the type and sign checks every money function shares.

The module under test is pure Python, so these tests need neither Django nor a database.
Expected values are literals with the arithmetic beside them, never recomputed with the
formula under test, so a wrong formula cannot agree with itself.
"""

from decimal import Decimal, getcontext, localcontext

import pytest

from ssb_portal.formulas import (
    electrolyte_target_cost_cny_per_kg,
    expert_total_compensation_cny,
    levelized_cost_of_storage_cny_per_kwh,
    local_content_ratio_percent,
    local_procurement_subsidy_cny,
    national_project_matching_cny,
    quantize_cny,
    scholarship_fund_cny,
    standards_reward_cny,
)

D = Decimal


# --------------------------------------------------------------------------------------------
# quantize_cny: the one rounding rule for money
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        # Half a fen goes up; Decimal's default (half-even) would give 2.34.
        (D("2.345"), D("2.35")),
        (D("2.3449"), D("2.34")),
        (D("0.005"), D("0.01")),
        # Half-up is away from zero, so refunds round symmetrically with charges.
        (D("-2.345"), D("-2.35")),
        (D("7"), D("7.00")),
    ],
)
def test_quantize_cny_rounds_half_up_to_the_fen(amount, expected):
    result = quantize_cny(amount)
    assert result == expected
    # Two decimal places exactly, so "7" is stored and shown as "7.00".
    assert result.as_tuple().exponent == -2


def test_quantize_cny_ignores_the_callers_decimal_context():
    # A caller with a coarse context must not change money results.
    with localcontext() as ctx:
        ctx.prec = 3
        assert quantize_cny(D("1234567.891")) == D("1234567.89")
    assert getcontext().prec == 28


def test_quantize_cny_refuses_float():
    with pytest.raises(TypeError, match="not float"):
        quantize_cny(2.345)


@pytest.mark.parametrize("amount", [D("NaN"), D("Infinity"), D("-Infinity")])
def test_quantize_cny_refuses_non_finite(amount):
    with pytest.raises(ValueError, match="finite"):
        quantize_cny(amount)


# --------------------------------------------------------------------------------------------
# Type and sign checks shared by every money function
# --------------------------------------------------------------------------------------------

MONEY_CALLS = {
    "electrolyte_target_cost": lambda v: electrolyte_target_cost_cny_per_kg(v),
    "matching": lambda v: national_project_matching_cny(v),
    "subsidy": lambda v: local_procurement_subsidy_cny(v),
    "standards_lead": lambda v: standards_reward_cny("lead", lead_amount_cny=v),
    "expert_salary": lambda v: expert_total_compensation_cny(v, D("0")),
    "expert_other": lambda v: expert_total_compensation_cny(D("0"), D("0"), [v]),
    "scholarship": lambda v: scholarship_fund_cny(1, v),
    "lcr_total": lambda v: local_content_ratio_percent(D("0"), v),
    "lcos_capital": lambda v: levelized_cost_of_storage_cny_per_kwh(
        v, [D("0")], [D("0")], [1.0], D("0")
    ),
    "lcos_om": lambda v: levelized_cost_of_storage_cny_per_kwh(
        D("0"), [v], [D("0")], [1.0], D("0")
    ),
}


@pytest.mark.parametrize("call", MONEY_CALLS.values(), ids=MONEY_CALLS.keys())
def test_money_functions_refuse_float(call):
    # 0.1 as a float is 0.1000000000000000055...: not a fen amount.
    with pytest.raises(TypeError, match="must be a Decimal, not float"):
        call(0.1)


@pytest.mark.parametrize("call", MONEY_CALLS.values(), ids=MONEY_CALLS.keys())
def test_money_functions_refuse_int_and_str(call):
    for value in (10, "10.00"):
        with pytest.raises(TypeError, match="must be a Decimal"):
            call(value)


@pytest.mark.parametrize("call", MONEY_CALLS.values(), ids=MONEY_CALLS.keys())
def test_money_functions_refuse_negative_amounts(call):
    with pytest.raises(ValueError, match="must not be negative"):
        call(D("-0.01"))
