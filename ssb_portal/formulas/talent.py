"""Policy 5, talent: its targets, talent influx, retention rate, expert compensation and the
scholarship fund."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, localcontext

from ssb_portal.formulas.inputs import (
    require_count,
    require_fraction,
    require_money,
    require_real,
)
from ssb_portal.formulas.money import DECIMAL_CONTEXT, FRACTION_QUANTUM, quantize, quantize_cny

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


def talent_influx(graduates: int, retention_rate: Decimal | float) -> Decimal | float:
    """Annual talent influx, I_talent = N_grad × p_retain, in people per year.

    The result is an expected head count and may be fractional; it is not rounded. It is a
    ``Decimal`` when ``retention_rate`` is a ``Decimal`` and a ``float`` otherwise.

    :param graduates: N_grad, relevant graduates per year, a whole number ≥ 0.
    :param retention_rate: p_retain, share retained by local industry, a fraction in [0, 1]
        (see :func:`retention_rate` and :data:`RETENTION_TARGET`).
    :returns: I_talent in people per year.
    """
    count = require_count(graduates, "graduates")
    if isinstance(retention_rate, Decimal):
        share = require_fraction(retention_rate, "retention_rate")
        with localcontext(DECIMAL_CONTEXT):
            return count * share
    share_float = require_real(retention_rate, "retention_rate")
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
    kept = require_count(retained, "retained")
    total = require_count(graduates, "graduates")
    if kept > total:
        raise ValueError(f"retained ({kept}) must not exceed graduates ({total})")
    if total == 0:
        return None
    with localcontext(DECIMAL_CONTEXT):
        share = Decimal(kept) / Decimal(total)
    return quantize(share, FRACTION_QUANTUM)


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
    salary = require_money(base_salary_cny, "base_salary_cny")
    housing = require_money(housing_benefit_cny, "housing_benefit_cny")
    others = [
        require_money(v, f"other_benefits_cny[{i}]") for i, v in enumerate(other_benefits_cny)
    ]
    with localcontext(DECIMAL_CONTEXT):
        total = salary + housing + sum(others, Decimal(0))
    return quantize_cny(total)


def scholarship_fund_cny(recipients: int, award_cny: Decimal) -> Decimal:
    """Annual scholarship fund, F_scholarship = n × A_scholar, in CNY.

    :param recipients: n, number of students awarded, a whole number ≥ 0.
    :param award_cny: A_scholar, award per student in CNY (≥ 0).
    :returns: F_scholarship in CNY, the exact product rounded to the fen half-up.
    """
    count = require_count(recipients, "recipients")
    award = require_money(award_cny, "award_cny")
    with localcontext(DECIMAL_CONTEXT):
        fund = count * award
    return quantize_cny(fund)
