"""Quantities arrive with their unit; this turns them into the unit a field keeps (pure).

A quantity is {"value": number, "unit": text}. Each passport field accepts a few units and
keeps one (the one in its name): a capacity given in mAh is kept in Ah, a temperature in K is
kept in °C. A missing or unknown unit is an error naming the field and the units it accepts.
"""

from decimal import Decimal, InvalidOperation

#: field -> {unit: (factor, offset)}; kept value = given value * factor + offset.
FOOTPRINT_UNITS = {
    "kg CO2e/kWh": (Decimal(1), Decimal(0)),
    "kg CO₂e/kWh": (Decimal(1), Decimal(0)),
    "g CO2e/Wh": (Decimal(1), Decimal(0)),
}
SHARE_UNITS = {"%": (Decimal(1), Decimal(0))}
VOLTAGE_UNITS = {"V": (Decimal(1), Decimal(0)), "mV": (Decimal("0.001"), Decimal(0))}
TEMPERATURE_UNITS = {
    "°C": (Decimal(1), Decimal(0)),
    "C": (Decimal(1), Decimal(0)),
    "K": (Decimal(1), Decimal("-273.15")),
}
QUANTITY_UNITS: dict[str, dict[str, tuple[Decimal, Decimal]]] = {
    "carbon_footprint_total": FOOTPRINT_UNITS,
    "carbon_footprint_raw_materials": FOOTPRINT_UNITS,
    "carbon_footprint_production": FOOTPRINT_UNITS,
    "carbon_footprint_distribution": FOOTPRINT_UNITS,
    "carbon_footprint_end_of_life": FOOTPRINT_UNITS,
    "recycled_cobalt_share": SHARE_UNITS,
    "recycled_lithium_share": SHARE_UNITS,
    "recycled_nickel_share": SHARE_UNITS,
    "recycled_lead_share": SHARE_UNITS,
    **{
        f"recycled_{metal}_{part}_share": SHARE_UNITS
        for metal in ("cobalt", "lithium", "nickel", "lead")
        for part in ("pre_consumer", "post_consumer")
    },
    "rated_capacity_ah": {"Ah": (Decimal(1), Decimal(0)), "mAh": (Decimal("0.001"), Decimal(0))},
    "nominal_voltage_v": VOLTAGE_UNITS,
    "minimum_voltage_v": VOLTAGE_UNITS,
    "maximum_voltage_v": VOLTAGE_UNITS,
    "original_power_w": {"W": (Decimal(1), Decimal(0)), "kW": (Decimal(1000), Decimal(0))},
    "internal_resistance_mohm": {
        "mΩ": (Decimal(1), Decimal(0)),
        "mOhm": (Decimal(1), Decimal(0)),
        "Ω": (Decimal(1000), Decimal(0)),
        "Ohm": (Decimal(1000), Decimal(0)),
    },
    "expected_cycle_life": {"cycles": (Decimal(1), Decimal(0))},
    "round_trip_efficiency_percent": SHARE_UNITS,
    "temperature_min_c": TEMPERATURE_UNITS,
    "temperature_max_c": TEMPERATURE_UNITS,
}


class UnitError(ValueError):
    """A quantity that cannot be read: `code` says why (the API words it in the reader's
    language), `units` lists the units the field accepts."""

    NOT_A_QUANTITY = "not_a_quantity"
    MISSING_UNIT = "missing_unit"
    UNKNOWN_UNIT = "unknown_unit"
    NOT_A_NUMBER = "not_a_number"

    def __init__(self, code: str, units: list[str], unit: str = ""):
        super().__init__(code)
        self.code = code
        self.units = units
        self.unit = unit


def kept_value(field: str, quantity: object) -> Decimal | None:
    """The quantity in the field's own unit; None when it is null. Raises UnitError."""
    if quantity is None:
        return None
    accepted = QUANTITY_UNITS[field]
    units = list(accepted)
    if not isinstance(quantity, dict):
        raise UnitError(UnitError.NOT_A_QUANTITY, units)
    unit = quantity.get("unit")
    if unit in (None, ""):
        raise UnitError(UnitError.MISSING_UNIT, units)
    if unit not in accepted:
        raise UnitError(UnitError.UNKNOWN_UNIT, units, str(unit))
    raw = quantity.get("value")
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise UnitError(UnitError.NOT_A_NUMBER, units)
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise UnitError(UnitError.NOT_A_NUMBER, units) from None
    if not value.is_finite():
        raise UnitError(UnitError.NOT_A_NUMBER, units)
    factor, offset = accepted[unit]
    return value * factor + offset
