"""Policy 3, demonstration scenarios: their targets, the levelised cost of storage (LCOS) and
the drone flight time."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext

from ssb_portal.formulas.inputs import require_decimal, require_money, require_real
from ssb_portal.formulas.money import DECIMAL_CONTEXT, LCOS_QUANTUM_CNY_PER_KWH, quantize

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


def _energy_to_decimal(value: object, name: str) -> Decimal:
    """Convert an energy amount (kWh) to Decimal; floats go through their shortest repr."""
    number = require_real(value, name)
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
    capital = require_money(capital_cost_cny, "capital_cost_cny")
    om = [require_money(v, f"om_costs_cny[{i}]") for i, v in enumerate(om_costs_cny)]
    replacement = [
        require_money(v, f"replacement_costs_cny[{i}]") for i, v in enumerate(replacement_costs_cny)
    ]
    energy = [
        _energy_to_decimal(v, f"energy_discharged_kwh[{i}]")
        for i, v in enumerate(energy_discharged_kwh)
    ]
    rate = require_decimal(discount_rate, "discount_rate")
    if not len(om) == len(replacement) == len(energy):
        raise ValueError(
            "om_costs_cny, replacement_costs_cny and energy_discharged_kwh must have the same "
            f"length N (one value per year), got {len(om)}, {len(replacement)} and {len(energy)}"
        )
    if not energy:
        raise ValueError("the project lifetime N must be at least one year (sequences are empty)")
    if rate <= -1:
        raise ValueError(f"discount_rate must be greater than -1, got {rate}")

    with localcontext(DECIMAL_CONTEXT):
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
    return quantize(lcos, LCOS_QUANTUM_CNY_PER_KWH)


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
    efficiency = require_real(system_efficiency, "system_efficiency")
    energy = require_real(battery_energy_wh, "battery_energy_wh")
    power = require_real(average_power_w, "average_power_w")
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
