"""Input checks shared by the formulas: Decimal money and rates, whole counts, real numbers.

Each check returns the validated value (converted where the conventions allow it) or raises
TypeError for a wrong type and ValueError for a value out of range, naming the argument.
"""

from __future__ import annotations

import math
from decimal import Decimal


def type_name(value: object) -> str:
    """The name of the value's type, for error messages."""
    return type(value).__name__


def require_decimal(value: object, name: str) -> Decimal:
    """Return ``value`` if it is a finite Decimal; raise TypeError/ValueError otherwise."""
    if isinstance(value, float):
        raise TypeError(
            f"{name} must be a Decimal, not float: binary floats cannot represent fen exactly; "
            f"pass Decimal('{value!r}') built from a string instead"
        )
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, got {type_name(value)}")
    if not value.is_finite():
        raise ValueError(f"{name} must be a finite Decimal, got {value}")
    return value


def require_money(value: object, name: str, *, allow_negative: bool = False) -> Decimal:
    """Validate a money input (Decimal CNY), refusing negatives unless ``allow_negative``."""
    amount = require_decimal(value, name)
    if not allow_negative and amount < 0:
        raise ValueError(f"{name} must not be negative, got {amount} CNY")
    return amount


def require_count(value: object, name: str) -> int:
    """Validate a non-negative whole count (people, cycles, years)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type_name(value)}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")
    return value


def require_real(value: object, name: str) -> float:
    """Validate a physical quantity (int, float or Decimal) and return it as a finite float."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"{name} must be a number (float, int or Decimal), got {type_name(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value}")
    return number


def require_fraction(
    value: Decimal, name: str, *, low: Decimal = Decimal(0), high: Decimal = Decimal(1)
) -> Decimal:
    """Validate a Decimal rate within the closed interval [low, high]."""
    rate = require_decimal(value, name)
    if not low <= rate <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {rate}")
    return rate
