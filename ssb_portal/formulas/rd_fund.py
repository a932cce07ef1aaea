"""Policy 1, the R&D fund: material targets, electrolyte cost, ionic conductivity, capacity
retention and matching funds for national major projects."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

from ssb_portal.formulas.inputs import (
    require_count,
    require_fraction,
    require_money,
    require_real,
)
from ssb_portal.formulas.money import DECIMAL_CONTEXT, quantize_cny

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
    current = require_money(current_cost_cny_per_kg, "current_cost_cny_per_kg")
    rate = require_fraction(reduction, "reduction")
    with localcontext(DECIMAL_CONTEXT):
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
    celsius = require_real(temperature_c, "temperature_c")
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
    prefactor = require_real(pre_exponential_s_per_cm, "pre_exponential_s_per_cm")
    energy = require_real(activation_energy_ev, "activation_energy_ev")
    temperature = require_real(temperature_k, "temperature_k")
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
    percent = require_real(decay_percent_per_cycle, "decay_percent_per_cycle")
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
    capacity = require_real(initial_capacity, "initial_capacity")
    decay = require_real(decay_rate_per_cycle, "decay_rate_per_cycle")
    count = require_count(cycles, "cycles")
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
    investment = require_money(total_investment_cny, "total_investment_cny")
    matching_rate = require_fraction(rate, "rate")
    with localcontext(DECIMAL_CONTEXT):
        amount = investment * matching_rate
    return quantize_cny(amount)
