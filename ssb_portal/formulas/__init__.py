"""Pure formulas and programme targets of the solid-state battery (SSB) programme.

Every formula of the programme text (the "seed") lives in this package as a small, documented
function, so that views, reports and imports compute them one way only. The package imports
nothing but the standard library and performs no I/O, so it can be used and tested without
Django. It holds one module per policy of the seed (``rd_fund``, ``local_content``,
``demonstrations``, ``support``, ``talent``), the fits of measured data (``fits``), the input
checks (``inputs``) and the Decimal plumbing (``money``); import from the package itself
(``from ssb_portal.formulas import quantize_cny``), which re-exports every public name of the
policies, the fits and the money quanta. The input checks (``require_money`` ...) and the
arithmetic context (``DECIMAL_CONTEXT``, ``quantize``) serve the package's own modules, which
import them from ``inputs`` and ``money``.

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

from ssb_portal.formulas.demonstrations import (
    DRONE_OPERATING_TEMPERATURE_MAX_C,
    DRONE_OPERATING_TEMPERATURE_MIN_C,
    DRONE_SPECIFIC_ENERGY_TARGET_WH_PER_KG,
    GRID_CYCLE_LIFE_TARGET_CYCLES,
    GRID_ROUND_TRIP_EFFICIENCY_TARGET_PERCENT,
    ROBOT_PEAK_DISCHARGE_TARGET_C_RATE,
    ROBOT_VOLUMETRIC_ENERGY_TARGET_WH_PER_L,
    drone_flight_time_h,
    drone_flight_time_min,
    levelized_cost_of_storage_cny_per_kwh,
)
from ssb_portal.formulas.fits import (
    END_OF_LIFE_RETENTION,
    FIT_MIN_POINTS,
    ROOM_TEMPERATURE_K,
    ArrheniusFit,
    FadeFit,
    arrhenius_fit,
    capacity_fade_fit,
    mean_coulombic_efficiency_percent,
)
from ssb_portal.formulas.local_content import (
    LCR_BASELINE_PERCENT,
    LCR_TARGET_PERCENT,
    LCR_TARGET_YEARS,
    lcr_trajectory_target_percent,
    local_content_ratio_percent,
)
from ssb_portal.formulas.money import (
    FEN,
    FRACTION_QUANTUM,
    LCOS_QUANTUM_CNY_PER_KWH,
    PERCENT_QUANTUM,
    TCE_QUANTUM,
    quantize_cny,
)
from ssb_portal.formulas.rd_fund import (
    ANODE_CE_TARGET_CYCLES,
    ANODE_CE_TARGET_PERCENT,
    BOLTZMANN_EV_PER_K,
    CATHODE_CAPACITY_TARGET_MAH_G,
    COLLECTOR_WEIGHT_REDUCTION_TARGET_PERCENT,
    DECAY_RATE_TARGET_PERCENT_PER_CYCLE,
    ELECTROLYTE_COST_REDUCTION_TARGET,
    NATIONAL_PROJECT_MATCHING_RATE,
    OXIDE_ASR_TARGET_OHM_CM2,
    SULFIDE_CONDUCTIVITY_TARGET_S_PER_CM,
    SULFIDE_CONDUCTIVITY_TARGET_TEMPERATURE_C,
    ZERO_CELSIUS_K,
    arrhenius_conductivity_s_per_cm,
    capacity_after_cycles_mah_g,
    celsius_to_kelvin,
    decay_percent_to_fraction,
    electrolyte_target_cost_cny_per_kg,
    national_project_matching_cny,
)
from ssb_portal.formulas.support import (
    ENERGY_QUOTA_UPLIFT,
    LOCAL_PROCUREMENT_SUBSIDY_RATE,
    STANDARD_REWARD_LEAD_CNY,
    STANDARD_REWARD_PARTICIPATE_CNY,
    STANDARD_ROLE_LEAD,
    STANDARD_ROLE_PARTICIPATE,
    STANDARD_ROLES,
    energy_quota_granted_tce,
    local_procurement_subsidy_cny,
    standards_reward_cny,
)
from ssb_portal.formulas.talent import (
    EXPERT_MIN_EXPERIENCE_YEARS,
    EXPERTS_TARGET_MAX,
    EXPERTS_TARGET_MIN,
    EXPERTS_TARGET_YEARS,
    GRADUATES_TARGET_PER_YEAR,
    RETENTION_TARGET,
    SCHOLARSHIPS_TARGET_PER_YEAR,
    expert_total_compensation_cny,
    retention_rate,
    scholarship_fund_cny,
    talent_influx,
)

__all__ = [
    "FEN",
    "LCOS_QUANTUM_CNY_PER_KWH",
    "PERCENT_QUANTUM",
    "FRACTION_QUANTUM",
    "TCE_QUANTUM",
    "quantize_cny",
    "ELECTROLYTE_COST_REDUCTION_TARGET",
    "SULFIDE_CONDUCTIVITY_TARGET_S_PER_CM",
    "SULFIDE_CONDUCTIVITY_TARGET_TEMPERATURE_C",
    "OXIDE_ASR_TARGET_OHM_CM2",
    "CATHODE_CAPACITY_TARGET_MAH_G",
    "DECAY_RATE_TARGET_PERCENT_PER_CYCLE",
    "ANODE_CE_TARGET_PERCENT",
    "ANODE_CE_TARGET_CYCLES",
    "COLLECTOR_WEIGHT_REDUCTION_TARGET_PERCENT",
    "NATIONAL_PROJECT_MATCHING_RATE",
    "electrolyte_target_cost_cny_per_kg",
    "BOLTZMANN_EV_PER_K",
    "ZERO_CELSIUS_K",
    "celsius_to_kelvin",
    "arrhenius_conductivity_s_per_cm",
    "decay_percent_to_fraction",
    "capacity_after_cycles_mah_g",
    "national_project_matching_cny",
    "LCR_BASELINE_PERCENT",
    "LCR_TARGET_PERCENT",
    "LCR_TARGET_YEARS",
    "local_content_ratio_percent",
    "lcr_trajectory_target_percent",
    "GRID_CYCLE_LIFE_TARGET_CYCLES",
    "GRID_ROUND_TRIP_EFFICIENCY_TARGET_PERCENT",
    "DRONE_SPECIFIC_ENERGY_TARGET_WH_PER_KG",
    "DRONE_OPERATING_TEMPERATURE_MIN_C",
    "DRONE_OPERATING_TEMPERATURE_MAX_C",
    "ROBOT_VOLUMETRIC_ENERGY_TARGET_WH_PER_L",
    "ROBOT_PEAK_DISCHARGE_TARGET_C_RATE",
    "levelized_cost_of_storage_cny_per_kwh",
    "drone_flight_time_h",
    "drone_flight_time_min",
    "ENERGY_QUOTA_UPLIFT",
    "LOCAL_PROCUREMENT_SUBSIDY_RATE",
    "STANDARD_REWARD_LEAD_CNY",
    "STANDARD_REWARD_PARTICIPATE_CNY",
    "STANDARD_ROLE_LEAD",
    "STANDARD_ROLE_PARTICIPATE",
    "STANDARD_ROLES",
    "energy_quota_granted_tce",
    "local_procurement_subsidy_cny",
    "standards_reward_cny",
    "RETENTION_TARGET",
    "GRADUATES_TARGET_PER_YEAR",
    "EXPERTS_TARGET_MIN",
    "EXPERTS_TARGET_MAX",
    "EXPERTS_TARGET_YEARS",
    "EXPERT_MIN_EXPERIENCE_YEARS",
    "SCHOLARSHIPS_TARGET_PER_YEAR",
    "talent_influx",
    "retention_rate",
    "expert_total_compensation_cny",
    "scholarship_fund_cny",
    "FIT_MIN_POINTS",
    "END_OF_LIFE_RETENTION",
    "ROOM_TEMPERATURE_K",
    "ArrheniusFit",
    "arrhenius_fit",
    "FadeFit",
    "capacity_fade_fit",
    "mean_coulombic_efficiency_percent",
]
