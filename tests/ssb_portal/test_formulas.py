"""Tests of the programme formulas against values worked out by hand.

The module under test is pure Python, so these tests need neither Django nor a database.
Expected values are literals with the arithmetic beside them, never recomputed with the
formula under test, so a wrong formula cannot agree with itself.
"""

from decimal import Decimal, getcontext, localcontext

import pytest

from ssb_portal.formulas import (
    ANODE_CE_TARGET_CYCLES,
    ANODE_CE_TARGET_PERCENT,
    BOLTZMANN_EV_PER_K,
    CATHODE_CAPACITY_TARGET_MAH_G,
    COLLECTOR_WEIGHT_REDUCTION_TARGET_PERCENT,
    DECAY_RATE_TARGET_PERCENT_PER_CYCLE,
    DRONE_OPERATING_TEMPERATURE_MAX_C,
    DRONE_OPERATING_TEMPERATURE_MIN_C,
    DRONE_SPECIFIC_ENERGY_TARGET_WH_PER_KG,
    ENERGY_QUOTA_UPLIFT,
    EXPERTS_TARGET_MAX,
    EXPERTS_TARGET_MIN,
    EXPERTS_TARGET_YEARS,
    GRADUATES_TARGET_PER_YEAR,
    GRID_CYCLE_LIFE_TARGET_CYCLES,
    GRID_ROUND_TRIP_EFFICIENCY_TARGET_PERCENT,
    LCR_BASELINE_PERCENT,
    LCR_TARGET_PERCENT,
    LCR_TARGET_YEARS,
    LOCAL_PROCUREMENT_SUBSIDY_RATE,
    NATIONAL_PROJECT_MATCHING_RATE,
    OXIDE_ASR_TARGET_OHM_CM2,
    RETENTION_TARGET,
    ROBOT_PEAK_DISCHARGE_TARGET_C_RATE,
    ROBOT_VOLUMETRIC_ENERGY_TARGET_WH_PER_L,
    SCHOLARSHIPS_TARGET_PER_YEAR,
    STANDARD_REWARD_LEAD_CNY,
    STANDARD_REWARD_PARTICIPATE_CNY,
    SULFIDE_CONDUCTIVITY_TARGET_S_PER_CM,
    arrhenius_conductivity_s_per_cm,
    capacity_after_cycles_mah_g,
    celsius_to_kelvin,
    decay_percent_to_fraction,
    drone_flight_time_h,
    drone_flight_time_min,
    electrolyte_target_cost_cny_per_kg,
    energy_quota_granted_tce,
    expert_total_compensation_cny,
    lcr_trajectory_target_percent,
    levelized_cost_of_storage_cny_per_kwh,
    local_content_ratio_percent,
    local_procurement_subsidy_cny,
    national_project_matching_cny,
    quantize_cny,
    retention_rate,
    scholarship_fund_cny,
    standards_reward_cny,
    talent_influx,
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


# --------------------------------------------------------------------------------------------
# Programme targets: a typo in a constant would silently move every report's goalpost.
# --------------------------------------------------------------------------------------------


SEED_TARGETS = {
    "sulfide conductivity > 1e-2 S/cm": (SULFIDE_CONDUCTIVITY_TARGET_S_PER_CM, 1e-2),
    "oxide ASR < 10 ohm cm2": (OXIDE_ASR_TARGET_OHM_CM2, 10),
    "cathode capacity > 300 mAh/g": (CATHODE_CAPACITY_TARGET_MAH_G, 300),
    "decay < 0.05 %/cycle": (DECAY_RATE_TARGET_PERCENT_PER_CYCLE, D("0.05")),
    "anode CE > 99.5 %": (ANODE_CE_TARGET_PERCENT, D("99.5")),
    "anode CE over 500 cycles": (ANODE_CE_TARGET_CYCLES, 500),
    "collector weight -40 %": (COLLECTOR_WEIGHT_REDUCTION_TARGET_PERCENT, 40),
    "matching 15 %": (NATIONAL_PROJECT_MATCHING_RATE, D("0.15")),
    "LCR baseline 40 %": (LCR_BASELINE_PERCENT, 40),
    "LCR target 70 %": (LCR_TARGET_PERCENT, 70),
    "LCR within 5 years": (LCR_TARGET_YEARS, 5),
    "grid cycle life > 15,000": (GRID_CYCLE_LIFE_TARGET_CYCLES, 15_000),
    "grid round trip > 95 %": (GRID_ROUND_TRIP_EFFICIENCY_TARGET_PERCENT, 95),
    "drone specific energy > 400 Wh/kg": (DRONE_SPECIFIC_ENERGY_TARGET_WH_PER_KG, 400),
    "drone from -20 C": (DRONE_OPERATING_TEMPERATURE_MIN_C, -20),
    "drone to 60 C": (DRONE_OPERATING_TEMPERATURE_MAX_C, 60),
    "robot > 1000 Wh/L": (ROBOT_VOLUMETRIC_ENERGY_TARGET_WH_PER_L, 1000),
    "robot peak > 5C": (ROBOT_PEAK_DISCHARGE_TARGET_C_RATE, 5),
    "energy quota x 1.10": (ENERGY_QUOTA_UPLIFT, D("1.10")),
    "procurement subsidy 5 %": (LOCAL_PROCUREMENT_SUBSIDY_RATE, D("0.05")),
    "R_lead 1,000,000 CNY": (STANDARD_REWARD_LEAD_CNY, D("1000000.00")),
    "R_part 500,000 CNY": (STANDARD_REWARD_PARTICIPATE_CNY, D("500000.00")),
    "retention > 60 %": (RETENTION_TARGET, D("0.60")),
    "graduates > 500 a year": (GRADUATES_TARGET_PER_YEAR, 500),
    "experts at least 20": (EXPERTS_TARGET_MIN, 20),
    "experts at most 30": (EXPERTS_TARGET_MAX, 30),
    "experts within 3 years": (EXPERTS_TARGET_YEARS, 3),
    "scholarships 50+ a year": (SCHOLARSHIPS_TARGET_PER_YEAR, 50),
}


@pytest.mark.parametrize(("constant", "seed_value"), SEED_TARGETS.values(), ids=SEED_TARGETS.keys())
def test_programme_target_matches_the_seed(constant, seed_value):
    assert constant == seed_value


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
