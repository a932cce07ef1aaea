"""Decimal plumbing of the formulas: the private context, the quanta and the rounding helpers.

Every money result is rounded once, at the end, to the fen half-up by :func:`quantize_cny`;
other administrative figures (percentages, fractions, tce, LCOS) by their own quantum.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

from ssb_portal.formulas.inputs import require_decimal

#: The formulas' own arithmetic context (not the caller's): wide enough that no intermediate
#: result is rounded before the single explicit rounding step of each function.
DECIMAL_CONTEXT = Context(prec=50, rounding=ROUND_HALF_UP)

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
    value = require_decimal(amount, "amount")
    # The context passed to the call rather than entered: the same rounding, without a
    # context switch per amount (tables of hundreds of figures round thousands of them).
    return value.quantize(FEN, rounding=ROUND_HALF_UP, context=DECIMAL_CONTEXT)


def quantize(value: Decimal, quantum: Decimal) -> Decimal:
    """Round a non-money Decimal half-up to ``quantum`` inside ``DECIMAL_CONTEXT``."""
    return value.quantize(quantum, rounding=ROUND_HALF_UP, context=DECIMAL_CONTEXT)
