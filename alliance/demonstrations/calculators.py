"""The demonstration calculators on validated inputs (pure): LCOS side by side, drone flight.

The inputs come from alliance.demonstrations.forms or the API serializers, which refuse what
the formulas would raise ValueError on; these functions only compute.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ssb_portal import formulas

SPECIFIC_ENERGY_QUANTUM = Decimal("0.01")


@dataclass(frozen=True)
class LcosComparison:
    """LCOS of the solid-state system and of the incumbent, CNY/kWh, and their difference."""

    solid_state_cny_per_kwh: Decimal
    incumbent_cny_per_kwh: Decimal
    solid_state_years: int
    incumbent_years: int

    @property
    def difference_cny_per_kwh(self) -> Decimal:
        """Solid-state minus incumbent: negative when the solid-state system is cheaper."""
        return self.solid_state_cny_per_kwh - self.incumbent_cny_per_kwh

    @property
    def difference_percent(self) -> Decimal | None:
        if not self.incumbent_cny_per_kwh:
            return None
        return (self.difference_cny_per_kwh / self.incumbent_cny_per_kwh * 100).quantize(
            Decimal("0.01")
        )


def _lcos(system: dict[str, Any], rate: Decimal) -> Decimal:
    return formulas.levelized_cost_of_storage_cny_per_kwh(
        capital_cost_cny=system["capital_cost_cny"],
        om_costs_cny=system["om_costs_cny"],
        replacement_costs_cny=system["replacement_costs_cny"],
        energy_discharged_kwh=system["energy_discharged_kwh"],
        discount_rate=rate,
    )


def lcos_comparison(
    *, discount_rate: Decimal, solid_state: dict[str, Any], incumbent: dict[str, Any]
) -> LcosComparison:
    """Each system: capital_cost_cny, om_costs_cny, replacement_costs_cny,
    energy_discharged_kwh (lists of Decimal, one per year)."""
    return LcosComparison(
        solid_state_cny_per_kwh=_lcos(solid_state, discount_rate),
        incumbent_cny_per_kwh=_lcos(incumbent, discount_rate),
        solid_state_years=len(solid_state["energy_discharged_kwh"]),
        incumbent_years=len(incumbent["energy_discharged_kwh"]),
    )


@dataclass(frozen=True)
class DroneFlight:
    flight_time_h: float
    flight_time_min: float
    specific_energy_wh_per_kg: Decimal | None
    target_wh_per_kg: int = formulas.DRONE_SPECIFIC_ENERGY_TARGET_WH_PER_KG

    @property
    def meets_specific_energy_target(self) -> bool | None:
        if self.specific_energy_wh_per_kg is None:
            return None
        return self.specific_energy_wh_per_kg > self.target_wh_per_kg


def drone_flight(
    *,
    system_efficiency: Decimal,
    pack_energy_wh: Decimal,
    average_power_w: Decimal,
    pack_mass_kg: Decimal | None = None,
) -> DroneFlight:
    hours = formulas.drone_flight_time_h(system_efficiency, pack_energy_wh, average_power_w)
    specific = None
    if pack_mass_kg:
        specific = (pack_energy_wh / pack_mass_kg).quantize(SPECIFIC_ENERGY_QUANTUM)
    return DroneFlight(
        flight_time_h=round(hours, 4),
        flight_time_min=round(
            formulas.drone_flight_time_min(system_efficiency, pack_energy_wh, average_power_w), 2
        ),
        specific_energy_wh_per_kg=specific,
    )
