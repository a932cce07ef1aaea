"""Policy 2, local procurement: the local content ratio (LCR) and its five-year trajectory."""

from __future__ import annotations

from decimal import Decimal, localcontext

from ssb_portal.formulas.inputs import require_count, require_decimal, require_money
from ssb_portal.formulas.money import DECIMAL_CONTEXT, PERCENT_QUANTUM, quantize

#: Present local procurement rate, "below 40 %", percent.
LCR_BASELINE_PERCENT = 40
#: Target local content ratio, "over 70 %", percent.
LCR_TARGET_PERCENT = 70
#: Years allowed to go from the baseline to the target LCR.
LCR_TARGET_YEARS = 5


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
    local = require_money(local_value_cny, "local_value_cny", allow_negative=True)
    total = require_money(total_value_cny, "total_value_cny")
    if local > total:
        raise ValueError(
            f"local_value_cny ({local} CNY) must not exceed total_value_cny ({total} CNY)"
        )
    if total == 0:
        return None
    with localcontext(DECIMAL_CONTEXT):
        ratio = local * 100 / total
    return quantize(ratio, PERCENT_QUANTUM)


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
    year = require_count(year_index, "year_index")
    years = require_count(goal_years, "goal_years")
    if years < 1:
        raise ValueError(f"goal_years must be at least 1, got {goal_years}")
    baseline = require_decimal(baseline_percent, "baseline_percent")
    goal = require_decimal(goal_percent, "goal_percent")
    step = min(year, years)
    with localcontext(DECIMAL_CONTEXT):
        return quantize(baseline + (goal - baseline) * step / years, PERCENT_QUANTUM)
