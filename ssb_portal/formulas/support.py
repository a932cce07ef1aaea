"""Policy 4, tiered support: energy quota uplift, local procurement subsidy, standards rewards."""

from __future__ import annotations

from decimal import Decimal, localcontext

from ssb_portal.formulas.inputs import (
    require_decimal,
    require_fraction,
    require_money,
    type_name,
)
from ssb_portal.formulas.money import DECIMAL_CONTEXT, TCE_QUANTUM, quantize, quantize_cny

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
    standard = require_decimal(standard_quota_tce, "standard_quota_tce")
    if standard < 0:
        raise ValueError(f"standard_quota_tce must not be negative, got {standard} tce")
    with localcontext(DECIMAL_CONTEXT):
        granted = standard * ENERGY_QUOTA_UPLIFT
    return quantize(granted, TCE_QUANTUM)


def local_procurement_subsidy_cny(
    total_local_purchases_cny: Decimal,
    rate: Decimal = LOCAL_PROCUREMENT_SUBSIDY_RATE,
) -> Decimal:
    """Subsidy on local procurement of local solid-state batteries, S = 0.05 × V_total, in CNY.

    :param total_local_purchases_cny: V_total, purchase amount in CNY (≥ 0).
    :param rate: subsidy rate as a Decimal fraction in [0, 1]; the seed's is 0.05.
    :returns: S in CNY, rounded to the fen half-up.
    """
    purchases = require_money(total_local_purchases_cny, "total_local_purchases_cny")
    subsidy_rate = require_fraction(rate, "rate")
    with localcontext(DECIMAL_CONTEXT):
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
        raise TypeError(f"role must be a str, got {type_name(role)}")
    lead = require_money(lead_amount_cny, "lead_amount_cny")
    participate = require_money(participate_amount_cny, "participate_amount_cny")
    if role == STANDARD_ROLE_LEAD:
        return quantize_cny(lead)
    if role == STANDARD_ROLE_PARTICIPATE:
        return quantize_cny(participate)
    raise ValueError(f"role must be one of {', '.join(STANDARD_ROLES)}; got {role!r}")
