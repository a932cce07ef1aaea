"""Pure formulas and programme targets of the solid-state battery (SSB) programme.

Every formula of the programme text (the "seed") lives here as a small, documented function,
so that views, reports and imports compute them one way only. The module imports nothing but
the standard library and performs no I/O, so it can be used and tested without Django.

Conventions
-----------
* Money is :class:`~decimal.Decimal` in CNY. Money inputs must be ``Decimal``: a ``float`` (or
  any other type) raises :class:`TypeError`, because binary floats cannot hold fen exactly.
  Every money result is rounded once, at the end, to the fen (0.01 CNY) half-up by
  :func:`quantize_cny`. Negative money raises :class:`ValueError` unless a docstring says
  otherwise.
* Rates and fractions that multiply money (subsidy rate, matching rate, discount rate, cost
  reduction) must be ``Decimal`` too, for the same reason.
* Physical quantities (conductivity, energy, power, time, temperature) are ``float``; ``int``
  and ``Decimal`` inputs are accepted and converted.
* Decimal arithmetic runs in a private context (50 significant digits, half-up) so results do
  not depend on whatever decimal context the caller has set.
* Units are part of names (``_cny``, ``_s_per_cm``, ``_wh`` ...) and of the docstrings, which
  also name the seed's symbol.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

# --------------------------------------------------------------------------------------------
# Decimal plumbing
# --------------------------------------------------------------------------------------------

#: Private arithmetic context: wide enough that no intermediate result is rounded before the
#: single explicit rounding step of each function.
_DECIMAL_CONTEXT = Context(prec=50, rounding=ROUND_HALF_UP)

#: One fen, the smallest CNY unit; money is rounded to it.
FEN = Decimal("0.01")

#: Quantum of a levelised cost of storage in CNY/kWh (a unit cost, not an amount paid).
LCOS_QUANTUM_CNY_PER_KWH = Decimal("0.0001")

#: Quantum of a percentage (local content ratio, LCR): two decimals of a percent.
PERCENT_QUANTUM = Decimal("0.01")

#: Quantum of a fraction between 0 and 1 (retention rate): 0.01 percentage points.
FRACTION_QUANTUM = Decimal("0.0001")

#: Quantum of an energy quota in tonnes of coal equivalent (tce): one kilogram.
TCE_QUANTUM = Decimal("0.001")


def _type_name(value: object) -> str:
    return type(value).__name__


def _require_decimal(value: object, name: str) -> Decimal:
    """Return ``value`` if it is a finite Decimal; raise TypeError/ValueError otherwise."""
    if isinstance(value, float):
        raise TypeError(
            f"{name} must be a Decimal, not float: binary floats cannot represent fen exactly; "
            f"pass Decimal('{value!r}') built from a string instead"
        )
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, got {_type_name(value)}")
    if not value.is_finite():
        raise ValueError(f"{name} must be a finite Decimal, got {value}")
    return value


def _require_money(value: object, name: str, *, allow_negative: bool = False) -> Decimal:
    """Validate a money input (Decimal CNY), refusing negatives unless ``allow_negative``."""
    amount = _require_decimal(value, name)
    if not allow_negative and amount < 0:
        raise ValueError(f"{name} must not be negative, got {amount} CNY")
    return amount


def _require_count(value: object, name: str) -> int:
    """Validate a non-negative whole count (people, cycles, years)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {_type_name(value)}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return value


def _require_real(value: object, name: str) -> float:
    """Validate a physical quantity (int, float or Decimal) and return it as a finite float."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"{name} must be a number (float, int or Decimal), got {_type_name(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value}")
    return number


def _require_fraction(
    value: Decimal, name: str, *, low: Decimal = Decimal(0), high: Decimal = Decimal(1)
) -> Decimal:
    """Validate a Decimal rate within the closed interval [low, high]."""
    rate = _require_decimal(value, name)
    if not low <= rate <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {rate}")
    return rate


def quantize_cny(amount: Decimal) -> Decimal:
    """Round a CNY amount to the fen (0.01 CNY), half-up.

    This is the single rounding helper for money in this module: every function returning CNY
    computes its exact Decimal result and passes it through here once. Half-up means a half fen
    rounds away from zero (``0.005 -> 0.01``, ``-0.005 -> -0.01``), as on a Chinese invoice,
    not to the even neighbour as :class:`~decimal.Decimal` does by default. Negative amounts are
    allowed here: the helper only rounds, callers decide what is valid.

    :param amount: amount in CNY, a finite ``Decimal``.
    :returns: the amount in CNY with exactly two decimal places.
    :raises TypeError: if ``amount`` is not a ``Decimal`` (a ``float`` in particular).
    :raises ValueError: if ``amount`` is NaN or infinite.
    """
    value = _require_decimal(amount, "amount")
    with localcontext(_DECIMAL_CONTEXT):
        return value.quantize(FEN, rounding=ROUND_HALF_UP)


def _quantize(value: Decimal, quantum: Decimal) -> Decimal:
    """Round a non-money Decimal half-up to ``quantum`` inside the private context."""
    with localcontext(_DECIMAL_CONTEXT):
        return value.quantize(quantum, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------
# Programme targets (seed tables and text)
# --------------------------------------------------------------------------------------------

# 1. R&D fund: material targets (first table). Targets marked ">" or "<" in the seed are strict.

#: Cost reduction targeted for sulfide and oxide solid electrolytes: "over 50 %" (a fraction).
ELECTROLYTE_COST_REDUCTION_TARGET = Decimal("0.5")
#: Sulfide electrolyte ionic conductivity target sigma_ionic, S/cm (strictly above).
SULFIDE_CONDUCTIVITY_TARGET_S_PER_CM = 1e-2
#: Temperature at which the sulfide conductivity target applies, degrees Celsius.
SULFIDE_CONDUCTIVITY_TARGET_TEMPERATURE_C = 25.0
#: Oxide electrolyte area-specific resistance target, ohm·cm² (strictly below).
OXIDE_ASR_TARGET_OHM_CM2 = 10
#: Li-rich Mn-based cathode specific capacity target, mAh/g (strictly above).
CATHODE_CAPACITY_TARGET_MAH_G = 300
#: Capacity decay rate target D, percent per cycle (strictly below); 0.0005 as a fraction.
DECAY_RATE_TARGET_PERCENT_PER_CYCLE = Decimal("0.05")
#: Lithium metal anode coulombic efficiency target, percent (strictly above) ...
ANODE_CE_TARGET_PERCENT = Decimal("99.5")
#: ... sustained over this many cycles.
ANODE_CE_TARGET_CYCLES = 500
#: Composite current collector weight reduction target vs. conventional Cu foil, percent.
COLLECTOR_WEIGHT_REDUCTION_TARGET_PERCENT = 40
#: Matching funds for enterprises undertaking national major projects: 15 % of investment.
NATIONAL_PROJECT_MATCHING_RATE = Decimal("0.15")

# 2. Local procurement: local content ratio (LCR).

#: Present local procurement rate, "below 40 %", percent.
LCR_BASELINE_PERCENT = 40
#: Target local content ratio, "over 70 %", percent.
LCR_TARGET_PERCENT = 70
#: Years allowed to go from the baseline to the target LCR.
LCR_TARGET_YEARS = 5

# 3. Demonstration scenarios (third table). All are strict "greater than" targets except the
# operating temperature window, which is a closed range.

#: Grid storage: cycle life target, cycles.
GRID_CYCLE_LIFE_TARGET_CYCLES = 15_000
#: Grid storage: round-trip efficiency target, percent.
GRID_ROUND_TRIP_EFFICIENCY_TARGET_PERCENT = 95
#: Low-altitude drones: specific energy target, Wh/kg.
DRONE_SPECIFIC_ENERGY_TARGET_WH_PER_KG = 400
#: Low-altitude drones: lowest operating temperature, degrees Celsius.
DRONE_OPERATING_TEMPERATURE_MIN_C = -20
#: Low-altitude drones: highest operating temperature, degrees Celsius.
DRONE_OPERATING_TEMPERATURE_MAX_C = 60
#: Humanoid robots: volumetric energy density target, Wh/L.
ROBOT_VOLUMETRIC_ENERGY_TARGET_WH_PER_L = 1000
#: Humanoid robots: peak discharge rate target, C (multiples of capacity per hour).
ROBOT_PEAK_DISCHARGE_TARGET_C_RATE = 5

# 4. Tiered policy support.

#: Multiplier applied to the standard energy quota: E_granted = E_standard × 1.10.
ENERGY_QUOTA_UPLIFT = Decimal("1.10")
#: Subsidy rate on local procurement of local solid-state batteries: S = 0.05 × V_total.
LOCAL_PROCUREMENT_SUBSIDY_RATE = Decimal("0.05")
#: R_lead: reward for leading an international standard, CNY.
STANDARD_REWARD_LEAD_CNY = Decimal("1000000.00")
#: R_part: reward for participating in an international standard, CNY.
STANDARD_REWARD_PARTICIPATE_CNY = Decimal("500000.00")
#: Role accepted by :func:`standards_reward_cny` for leading a standard.
STANDARD_ROLE_LEAD = "lead"
#: Role accepted by :func:`standards_reward_cny` for participating in a standard.
STANDARD_ROLE_PARTICIPATE = "participate"
#: All roles accepted by :func:`standards_reward_cny`.
STANDARD_ROLES = (STANDARD_ROLE_LEAD, STANDARD_ROLE_PARTICIPATE)

# 5. Talent (fifth table).

#: Target share p_retain of relevant graduates retained by local industry: "over 60 %".
RETENTION_TARGET = Decimal("0.60")
#: Skilled graduates entering the solid-state battery field each year: "> 500".
GRADUATES_TARGET_PER_YEAR = 500
#: Top-tier international specialists to attract: 20 to 30 ...
EXPERTS_TARGET_MIN = 20
EXPERTS_TARGET_MAX = 30
#: ... within this many years.
EXPERTS_TARGET_YEARS = 3
#: Minimum battery R&D experience of the overseas experts targeted, years ("5+").
EXPERT_MIN_EXPERIENCE_YEARS = 5
#: Scholarship recipients supported each year: "50+".
SCHOLARSHIPS_TARGET_PER_YEAR = 50


# --------------------------------------------------------------------------------------------
# 1. R&D fund: electrolyte cost, ionic conductivity, capacity retention, matching funds
# --------------------------------------------------------------------------------------------


def electrolyte_target_cost_cny_per_kg(
    current_cost_cny_per_kg: Decimal,
    reduction: Decimal = ELECTROLYTE_COST_REDUCTION_TARGET,
) -> Decimal:
    """Target electrolyte cost after R&D, C_target = (1 − reduction) × C_current, in CNY/kg.

    With the seed's default reduction of 50 % this is its formula C_target = 0.5 × C_current.
    The seed aims to cut costs by *over* 50 %, so the result is a ceiling to get below.

    :param current_cost_cny_per_kg: C_current, present cost of the electrolyte, CNY per kg.
    :param reduction: cost reduction as a Decimal fraction in [0, 1]; 0.5 means 50 %.
    :returns: C_target in CNY per kg, rounded to the fen half-up.
    """
    current = _require_money(current_cost_cny_per_kg, "current_cost_cny_per_kg")
    rate = _require_fraction(reduction, "reduction")
    with localcontext(_DECIMAL_CONTEXT):
        target = current * (1 - rate)
    return quantize_cny(target)


#: Boltzmann constant k in eV/K (CODATA 2018 exact value, to the digits given).
BOLTZMANN_EV_PER_K = 8.617333262e-5

#: Offset between the Celsius and Kelvin scales, K.
ZERO_CELSIUS_K = 273.15


def celsius_to_kelvin(temperature_c: float) -> float:
    """Convert a temperature from degrees Celsius to kelvin (T = t + 273.15).

    :param temperature_c: temperature in °C; must not be below absolute zero (−273.15 °C).
    :returns: temperature in K.
    """
    celsius = _require_real(temperature_c, "temperature_c")
    if celsius < -ZERO_CELSIUS_K:
        raise ValueError(
            f"temperature_c must not be below absolute zero (-273.15 °C), got {celsius} °C"
        )
    return celsius + ZERO_CELSIUS_K


def arrhenius_conductivity_s_per_cm(
    pre_exponential_s_per_cm: float,
    activation_energy_ev: float,
    temperature_k: float,
) -> float:
    """Ionic conductivity from the Arrhenius law, σ_ionic = A · exp(−E_a / (k·T)), in S/cm.

    :param pre_exponential_s_per_cm: A, pre-exponential factor in S/cm (≥ 0).
    :param activation_energy_ev: E_a, activation energy for ion conduction in eV (≥ 0).
    :param temperature_k: T, absolute temperature in kelvin (> 0); see :func:`celsius_to_kelvin`.
    :returns: σ_ionic in S/cm. k is :data:`BOLTZMANN_EV_PER_K`.
    :raises ValueError: for a non-positive temperature or a negative A or E_a.
    """
    prefactor = _require_real(pre_exponential_s_per_cm, "pre_exponential_s_per_cm")
    energy = _require_real(activation_energy_ev, "activation_energy_ev")
    temperature = _require_real(temperature_k, "temperature_k")
    if temperature <= 0:
        raise ValueError(
            f"temperature_k must be an absolute temperature above 0 K, got {temperature} K "
            "(convert degrees Celsius with celsius_to_kelvin)"
        )
    if energy < 0:
        raise ValueError(f"activation_energy_ev must not be negative, got {energy} eV")
    if prefactor < 0:
        raise ValueError(f"pre_exponential_s_per_cm must not be negative, got {prefactor} S/cm")
    return prefactor * math.exp(-energy / (BOLTZMANN_EV_PER_K * temperature))


def decay_percent_to_fraction(decay_percent_per_cycle: float) -> float:
    """Convert a decay rate from percent per cycle to the fraction D used by Q(n).

    The seed states its target as "D < 0.05 % per cycle", i.e. D < 0.0005 as a fraction.

    :param decay_percent_per_cycle: decay rate in percent per cycle, in [0, 100).
    :returns: D as a fraction per cycle.
    """
    percent = _require_real(decay_percent_per_cycle, "decay_percent_per_cycle")
    if not 0 <= percent < 100:
        raise ValueError(
            f"decay_percent_per_cycle must be at least 0 and below 100 %, got {percent}"
        )
    return percent / 100


def capacity_after_cycles_mah_g(
    initial_capacity: float,
    decay_rate_per_cycle: float,
    cycles: int,
) -> float:
    """Capacity retained after n cycles, Q(n) = Q_0 × (1 − D)^n, in mAh/g.

    :param initial_capacity: Q_0, initial specific capacity in mAh/g (≥ 0).
    :param decay_rate_per_cycle: D, decay per cycle as a FRACTION in [0, 1), not a percent:
        the seed's 0.05 %/cycle target is 0.0005 (see :func:`decay_percent_to_fraction`).
    :param cycles: n, number of cycles, a whole number ≥ 0.
    :returns: Q(n) in mAh/g (same unit as ``initial_capacity``).
    """
    capacity = _require_real(initial_capacity, "initial_capacity")
    decay = _require_real(decay_rate_per_cycle, "decay_rate_per_cycle")
    count = _require_count(cycles, "cycles")
    if capacity < 0:
        raise ValueError(f"initial_capacity must not be negative, got {capacity} mAh/g")
    if not 0 <= decay < 1:
        raise ValueError(
            "decay_rate_per_cycle is a fraction per cycle and must be at least 0 and below 1 "
            f"(0.05 % per cycle is 0.0005), got {decay}"
        )
    return capacity * (1 - decay) ** count


def national_project_matching_cny(
    total_investment_cny: Decimal,
    rate: Decimal = NATIONAL_PROJECT_MATCHING_RATE,
) -> Decimal:
    """Matching funds for a national major project: 15 % of its total investment, in CNY.

    :param total_investment_cny: total project investment in CNY (≥ 0).
    :param rate: matching rate as a Decimal fraction in [0, 1]; the seed's is 0.15.
    :returns: matching funds in CNY, rounded to the fen half-up.
    """
    investment = _require_money(total_investment_cny, "total_investment_cny")
    matching_rate = _require_fraction(rate, "rate")
    with localcontext(_DECIMAL_CONTEXT):
        amount = investment * matching_rate
    return quantize_cny(amount)


# --------------------------------------------------------------------------------------------
# 2. Local procurement: local content ratio (LCR)
# --------------------------------------------------------------------------------------------


def local_content_ratio_percent(
    local_value_cny: Decimal,
    total_value_cny: Decimal,
) -> Decimal | None:
    """Local content ratio, LCR = local value / total value × 100 %, in percent.

    The result is rounded to two decimals (0.01 %) half-up.

    * A total of zero makes the ratio undefined: ``None`` is returned (not 0 %), so that "no
      purchases" is never mistaken for "no local purchases".
    * A negative total is refused, and so is a local value above the total.
    * The local value may be negative: credit notes for local components can outweigh local
      invoices in a period, which yields a negative LCR for that period.

    :param local_value_cny: value of locally sourced components in CNY.
    :param total_value_cny: total value of components in CNY (≥ 0).
    :returns: LCR in percent, or ``None`` when the total is zero.
    :raises ValueError: if the total is negative or the local value exceeds it.
    """
    local = _require_money(local_value_cny, "local_value_cny", allow_negative=True)
    total = _require_money(total_value_cny, "total_value_cny")
    if local > total:
        raise ValueError(
            f"local_value_cny ({local} CNY) must not exceed total_value_cny ({total} CNY)"
        )
    if total == 0:
        return None
    with localcontext(_DECIMAL_CONTEXT):
        ratio = local * 100 / total
    return _quantize(ratio, PERCENT_QUANTUM)


def lcr_trajectory_target_percent(
    year_index: int,
    baseline_percent: Decimal = Decimal(LCR_BASELINE_PERCENT),
    goal_percent: Decimal = Decimal(LCR_TARGET_PERCENT),
    goal_years: int = LCR_TARGET_YEARS,
) -> Decimal:
    """LCR target for a programme year on a straight line from the baseline to the goal.

    The seed asks to raise the LCR "from below 40 % to over 70 % within five years"; the
    programme reads this as a straight line from the baseline LCR in year 0 to the goal in
    year `goal_years` (by default 40 % → 70 % over five years, 6 percentage points a year),
    staying at the goal afterwards. Officials may set another measured baseline.

    :param year_index: years since the baseline year, a whole number ≥ 0.
    :param baseline_percent: LCR in the baseline year, percent (Decimal).
    :param goal_percent: LCR to reach after `goal_years`, percent (Decimal).
    :param goal_years: years to reach the goal, ≥ 1.
    :returns: the target LCR in percent, rounded half-up to 0.01.
    """
    year = _require_count(year_index, "year_index")
    years = _require_count(goal_years, "goal_years")
    if years < 1:
        raise ValueError(f"goal_years must be at least 1, got {goal_years}")
    baseline = _require_decimal(baseline_percent, "baseline_percent")
    goal = _require_decimal(goal_percent, "goal_percent")
    step = min(year, years)
    with localcontext(_DECIMAL_CONTEXT):
        return _quantize(baseline + (goal - baseline) * step / years, PERCENT_QUANTUM)


# --------------------------------------------------------------------------------------------
# 3. Demonstration scenarios: levelised cost of storage, drone flight time
# --------------------------------------------------------------------------------------------


def _energy_to_decimal(value: object, name: str) -> Decimal:
    """Convert an energy amount (kWh) to Decimal; floats go through their shortest repr."""
    number = _require_real(value, name)
    if number < 0:
        raise ValueError(f"{name} must not be negative, got {number} kWh")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(number))


def levelized_cost_of_storage_cny_per_kwh(
    capital_cost_cny: Decimal,
    om_costs_cny: Sequence[Decimal],
    replacement_costs_cny: Sequence[Decimal],
    energy_discharged_kwh: Sequence[float],
    discount_rate: Decimal,
) -> Decimal:
    """Levelised cost of storage (LCOS) in CNY/kWh, as in the seed::

        LCOS = (Capital + Σ_t O&M_t / (1+r)^t + Σ_t Replacement_t / (1+r)^t)
               / Σ_t E_discharged,t / (1+r)^t,      t = 1 .. N

    The capital cost is incurred at t = 0 and is not discounted. The three sequences are
    indexed by year: element 0 is year t = 1, and all three must have the same length N ≥ 1.

    LCOS is a unit cost, not an amount paid, so it is rounded half-up to 0.0001 CNY/kWh
    (:data:`LCOS_QUANTUM_CNY_PER_KWH`) rather than to the fen.

    :param capital_cost_cny: total capital cost in CNY (≥ 0).
    :param om_costs_cny: O&M_t, operation and maintenance cost of each year, Decimal CNY (≥ 0).
    :param replacement_costs_cny: Replacement_t, replacement cost of each year, Decimal CNY
        (≥ 0; use ``Decimal("0")`` for years without replacement).
    :param energy_discharged_kwh: E_discharged,t, energy discharged in each year, kWh (≥ 0).
    :param discount_rate: r, yearly discount rate as a Decimal fraction (0.08 for 8 %), > −1.
    :returns: LCOS in CNY per kWh.
    :raises ValueError: for unequal or empty sequences, r ≤ −1, negative inputs, or a
        discounted energy total that is not positive.
    """
    capital = _require_money(capital_cost_cny, "capital_cost_cny")
    om = [_require_money(v, f"om_costs_cny[{i}]") for i, v in enumerate(om_costs_cny)]
    replacement = [
        _require_money(v, f"replacement_costs_cny[{i}]")
        for i, v in enumerate(replacement_costs_cny)
    ]
    energy = [
        _energy_to_decimal(v, f"energy_discharged_kwh[{i}]")
        for i, v in enumerate(energy_discharged_kwh)
    ]
    rate = _require_decimal(discount_rate, "discount_rate")
    if not len(om) == len(replacement) == len(energy):
        raise ValueError(
            "om_costs_cny, replacement_costs_cny and energy_discharged_kwh must have the same "
            f"length N (one value per year), got {len(om)}, {len(replacement)} and {len(energy)}"
        )
    if not energy:
        raise ValueError("the project lifetime N must be at least one year (sequences are empty)")
    if rate <= -1:
        raise ValueError(f"discount_rate must be greater than -1, got {rate}")

    with localcontext(_DECIMAL_CONTEXT):
        costs = capital
        discounted_energy = Decimal(0)
        factor = Decimal(1)
        for om_t, replacement_t, energy_t in zip(om, replacement, energy, strict=True):
            factor *= 1 + rate  # (1 + r)^t for t = 1, 2, ...
            costs += (om_t + replacement_t) / factor
            discounted_energy += energy_t / factor
        if discounted_energy <= 0:
            raise ValueError("the discounted energy discharged must be positive (kWh)")
        lcos = costs / discounted_energy
    return _quantize(lcos, LCOS_QUANTUM_CNY_PER_KWH)


def drone_flight_time_h(
    system_efficiency: float,
    battery_energy_wh: float,
    average_power_w: float,
) -> float:
    """Approximate drone flight time, T_flight ≈ η × E_battery / P_power, in hours.

    :param system_efficiency: η, system efficiency as a fraction in (0, 1].
    :param battery_energy_wh: E_battery, battery energy content in Wh (≥ 0).
    :param average_power_w: P_power, average power draw in W (> 0).
    :returns: T_flight in hours (Wh / W = h).
    """
    efficiency = _require_real(system_efficiency, "system_efficiency")
    energy = _require_real(battery_energy_wh, "battery_energy_wh")
    power = _require_real(average_power_w, "average_power_w")
    if not 0 < efficiency <= 1:
        raise ValueError(
            f"system_efficiency must be a fraction above 0 and at most 1, got {efficiency}"
        )
    if energy < 0:
        raise ValueError(f"battery_energy_wh must not be negative, got {energy} Wh")
    if power <= 0:
        raise ValueError(f"average_power_w must be positive, got {power} W")
    return efficiency * energy / power


def drone_flight_time_min(
    system_efficiency: float,
    battery_energy_wh: float,
    average_power_w: float,
) -> float:
    """T_flight of :func:`drone_flight_time_h` expressed in minutes."""
    return 60 * drone_flight_time_h(
        system_efficiency=system_efficiency,
        battery_energy_wh=battery_energy_wh,
        average_power_w=average_power_w,
    )


# --------------------------------------------------------------------------------------------
# 4. Tiered policy support: energy quota, procurement subsidy, standards rewards
# --------------------------------------------------------------------------------------------


def energy_quota_granted_tce(standard_quota_tce: Decimal) -> Decimal:
    """Energy consumption quota granted to a production base, E_granted = E_standard × 1.10.

    The seed's prose speaks of "granting a 10 % reduction", but its formula and its policy table
    ("10 % energy quota increase") both grant 10 % *more* quota. This function implements the
    formula: the quota is raised by :data:`ENERGY_QUOTA_UPLIFT`.

    The quota is in tonnes of coal equivalent (tce) per year. It is not money, but it is an
    administrative figure, so it is a Decimal rounded half-up to 0.001 tce (one kilogram).

    :param standard_quota_tce: E_standard, standard annual quota in tce, a Decimal ≥ 0.
    :returns: E_granted in tce per year.
    """
    standard = _require_decimal(standard_quota_tce, "standard_quota_tce")
    if standard < 0:
        raise ValueError(f"standard_quota_tce must not be negative, got {standard} tce")
    with localcontext(_DECIMAL_CONTEXT):
        granted = standard * ENERGY_QUOTA_UPLIFT
    return _quantize(granted, TCE_QUANTUM)


def local_procurement_subsidy_cny(
    total_local_purchases_cny: Decimal,
    rate: Decimal = LOCAL_PROCUREMENT_SUBSIDY_RATE,
) -> Decimal:
    """Subsidy on local procurement of local solid-state batteries, S = 0.05 × V_total, in CNY.

    :param total_local_purchases_cny: V_total, purchase amount in CNY (≥ 0).
    :param rate: subsidy rate as a Decimal fraction in [0, 1]; the seed's is 0.05.
    :returns: S in CNY, rounded to the fen half-up.
    """
    purchases = _require_money(total_local_purchases_cny, "total_local_purchases_cny")
    subsidy_rate = _require_fraction(rate, "rate")
    with localcontext(_DECIMAL_CONTEXT):
        subsidy = purchases * subsidy_rate
    return quantize_cny(subsidy)


def standards_reward_cny(
    role: str,
    lead_amount_cny: Decimal = STANDARD_REWARD_LEAD_CNY,
    participate_amount_cny: Decimal = STANDARD_REWARD_PARTICIPATE_CNY,
) -> Decimal:
    """Fixed reward for an international standard, R_lead or R_part, in CNY.

    :param role: ``"lead"`` (R_lead, 1,000,000 CNY) or ``"participate"`` (R_part, 500,000 CNY);
        exact lowercase spelling, see :data:`STANDARD_ROLES`.
    :param lead_amount_cny: override of R_lead, Decimal CNY (≥ 0).
    :param participate_amount_cny: override of R_part, Decimal CNY (≥ 0).
    :returns: the reward in CNY, rounded to the fen half-up.
    :raises ValueError: for any other role.
    """
    if not isinstance(role, str):
        raise TypeError(f"role must be a str, got {_type_name(role)}")
    lead = _require_money(lead_amount_cny, "lead_amount_cny")
    participate = _require_money(participate_amount_cny, "participate_amount_cny")
    if role == STANDARD_ROLE_LEAD:
        return quantize_cny(lead)
    if role == STANDARD_ROLE_PARTICIPATE:
        return quantize_cny(participate)
    raise ValueError(f"role must be one of {', '.join(STANDARD_ROLES)}; got {role!r}")


# --------------------------------------------------------------------------------------------
# 5. Talent: influx, retention, expert compensation, scholarships
# --------------------------------------------------------------------------------------------


def talent_influx(graduates: int, retention_rate: Decimal | float) -> Decimal | float:
    """Annual talent influx, I_talent = N_grad × p_retain, in people per year.

    The result is an expected head count and may be fractional; it is not rounded. It is a
    ``Decimal`` when ``retention_rate`` is a ``Decimal`` and a ``float`` otherwise.

    :param graduates: N_grad, relevant graduates per year, a whole number ≥ 0.
    :param retention_rate: p_retain, share retained by local industry, a fraction in [0, 1]
        (see :func:`retention_rate` and :data:`RETENTION_TARGET`).
    :returns: I_talent in people per year.
    """
    count = _require_count(graduates, "graduates")
    if isinstance(retention_rate, Decimal):
        share = _require_fraction(retention_rate, "retention_rate")
        with localcontext(_DECIMAL_CONTEXT):
            return count * share
    share_float = _require_real(retention_rate, "retention_rate")
    if not 0 <= share_float <= 1:
        raise ValueError(f"retention_rate must be between 0 and 1, got {share_float}")
    return count * share_float


def retention_rate(retained: int, graduates: int) -> Decimal | None:
    """Share of graduates retained by local industry, p_retain = retained / N_grad.

    :param retained: graduates who took a job in the local industry, 0 ≤ retained ≤ graduates.
    :param graduates: N_grad, relevant graduates in the period, ≥ 0.
    :returns: p_retain as a fraction rounded half-up to 0.0001, or ``None`` when there were no
        graduates (the rate is undefined, not 0).
    """
    kept = _require_count(retained, "retained")
    total = _require_count(graduates, "graduates")
    if kept > total:
        raise ValueError(f"retained ({kept}) must not exceed graduates ({total})")
    if total == 0:
        return None
    with localcontext(_DECIMAL_CONTEXT):
        share = Decimal(kept) / Decimal(total)
    return _quantize(share, FRACTION_QUANTUM)


def expert_total_compensation_cny(
    base_salary_cny: Decimal,
    housing_benefit_cny: Decimal,
    other_benefits_cny: Iterable[Decimal] = (),
) -> Decimal:
    """Total package of an overseas expert, C_total = S_base + B_housing + Σ other, in CNY.

    :param base_salary_cny: S_base, base salary in CNY (≥ 0).
    :param housing_benefit_cny: B_housing, housing benefit in CNY (≥ 0).
    :param other_benefits_cny: other benefits in CNY, each ≥ 0 (may be empty).
    :returns: C_total in CNY, rounded to the fen half-up once, after summing.
    """
    salary = _require_money(base_salary_cny, "base_salary_cny")
    housing = _require_money(housing_benefit_cny, "housing_benefit_cny")
    others = [
        _require_money(v, f"other_benefits_cny[{i}]") for i, v in enumerate(other_benefits_cny)
    ]
    with localcontext(_DECIMAL_CONTEXT):
        total = salary + housing + sum(others, Decimal(0))
    return quantize_cny(total)


def scholarship_fund_cny(recipients: int, award_cny: Decimal) -> Decimal:
    """Annual scholarship fund, F_scholarship = n × A_scholar, in CNY.

    :param recipients: n, number of students awarded, a whole number ≥ 0.
    :param award_cny: A_scholar, award per student in CNY (≥ 0).
    :returns: F_scholarship in CNY, the exact product rounded to the fen half-up.
    """
    count = _require_count(recipients, "recipients")
    award = _require_money(award_cny, "award_cny")
    with localcontext(_DECIMAL_CONTEXT):
        fund = count * award
    return quantize_cny(fund)


# --------------------------------------------------------------------------------------------
# 6. Fits of measured data: Arrhenius conductivity, capacity fade
# --------------------------------------------------------------------------------------------

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
    temperatures = [_require_real(t, f"temperatures_k[{i}]") for i, t in enumerate(temperatures_k)]
    conductivities = [
        _require_real(s, f"conductivities_s_per_cm[{i}]")
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
    numbers = [_require_real(n, f"cycles[{i}]") for i, n in enumerate(cycles)]
    values = [_require_real(q, f"capacities[{i}]") for i, q in enumerate(capacities)]
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
        if _require_real(charge, f"charge_capacities[{index}]") <= 0:
            raise ValueError(f"charge_capacities[{index}] must be positive, got {charge}")
        ratios.append(_require_real(discharge, f"discharge_capacities[{index}]") / charge)
    return sum(ratios) / len(ratios) * 100
