"""The programme's targets in ssb_portal.formulas match the seed: a typo in a constant would
silently move every report's goalpost.
"""

from decimal import Decimal

import pytest

from ssb_portal.formulas import (
    ANODE_CE_TARGET_CYCLES,
    ANODE_CE_TARGET_PERCENT,
    CATHODE_CAPACITY_TARGET_MAH_G,
    COLLECTOR_WEIGHT_REDUCTION_TARGET_PERCENT,
    DECAY_RATE_TARGET_PERCENT_PER_CYCLE,
    DRONE_OPERATING_TEMPERATURE_MAX_C,
    DRONE_OPERATING_TEMPERATURE_MIN_C,
    DRONE_SPECIFIC_ENERGY_TARGET_WH_PER_KG,
    ENERGY_QUOTA_UPLIFT,
    EXPERTS_TARGET_MAX,
    EXPERTS_TARGET_MIN,
    EXPERTS_TARGET_YEARS,
    GRADUATES_TARGET_PER_YEAR,
    GRID_CYCLE_LIFE_TARGET_CYCLES,
    GRID_ROUND_TRIP_EFFICIENCY_TARGET_PERCENT,
    LCR_BASELINE_PERCENT,
    LCR_TARGET_PERCENT,
    LCR_TARGET_YEARS,
    LOCAL_PROCUREMENT_SUBSIDY_RATE,
    NATIONAL_PROJECT_MATCHING_RATE,
    OXIDE_ASR_TARGET_OHM_CM2,
    RETENTION_TARGET,
    ROBOT_PEAK_DISCHARGE_TARGET_C_RATE,
    ROBOT_VOLUMETRIC_ENERGY_TARGET_WH_PER_L,
    SCHOLARSHIPS_TARGET_PER_YEAR,
    STANDARD_REWARD_LEAD_CNY,
    STANDARD_REWARD_PARTICIPATE_CNY,
    SULFIDE_CONDUCTIVITY_TARGET_S_PER_CM,
)

D = Decimal


# --------------------------------------------------------------------------------------------
# Programme targets: a typo in a constant would silently move every report's goalpost.
# --------------------------------------------------------------------------------------------


SEED_TARGETS = {
    "sulfide conductivity > 1e-2 S/cm": (SULFIDE_CONDUCTIVITY_TARGET_S_PER_CM, 1e-2),
    "oxide ASR < 10 ohm cm2": (OXIDE_ASR_TARGET_OHM_CM2, 10),
    "cathode capacity > 300 mAh/g": (CATHODE_CAPACITY_TARGET_MAH_G, 300),
    "decay < 0.05 %/cycle": (DECAY_RATE_TARGET_PERCENT_PER_CYCLE, D("0.05")),
    "anode CE > 99.5 %": (ANODE_CE_TARGET_PERCENT, D("99.5")),
    "anode CE over 500 cycles": (ANODE_CE_TARGET_CYCLES, 500),
    "collector weight -40 %": (COLLECTOR_WEIGHT_REDUCTION_TARGET_PERCENT, 40),
    "matching 15 %": (NATIONAL_PROJECT_MATCHING_RATE, D("0.15")),
    "LCR baseline 40 %": (LCR_BASELINE_PERCENT, 40),
    "LCR target 70 %": (LCR_TARGET_PERCENT, 70),
    "LCR within 5 years": (LCR_TARGET_YEARS, 5),
    "grid cycle life > 15,000": (GRID_CYCLE_LIFE_TARGET_CYCLES, 15_000),
    "grid round trip > 95 %": (GRID_ROUND_TRIP_EFFICIENCY_TARGET_PERCENT, 95),
    "drone specific energy > 400 Wh/kg": (DRONE_SPECIFIC_ENERGY_TARGET_WH_PER_KG, 400),
    "drone from -20 C": (DRONE_OPERATING_TEMPERATURE_MIN_C, -20),
    "drone to 60 C": (DRONE_OPERATING_TEMPERATURE_MAX_C, 60),
    "robot > 1000 Wh/L": (ROBOT_VOLUMETRIC_ENERGY_TARGET_WH_PER_L, 1000),
    "robot peak > 5C": (ROBOT_PEAK_DISCHARGE_TARGET_C_RATE, 5),
    "energy quota x 1.10": (ENERGY_QUOTA_UPLIFT, D("1.10")),
    "procurement subsidy 5 %": (LOCAL_PROCUREMENT_SUBSIDY_RATE, D("0.05")),
    "R_lead 1,000,000 CNY": (STANDARD_REWARD_LEAD_CNY, D("1000000.00")),
    "R_part 500,000 CNY": (STANDARD_REWARD_PARTICIPATE_CNY, D("500000.00")),
    "retention > 60 %": (RETENTION_TARGET, D("0.60")),
    "graduates > 500 a year": (GRADUATES_TARGET_PER_YEAR, 500),
    "experts at least 20": (EXPERTS_TARGET_MIN, 20),
    "experts at most 30": (EXPERTS_TARGET_MAX, 30),
    "experts within 3 years": (EXPERTS_TARGET_YEARS, 3),
    "scholarships 50+ a year": (SCHOLARSHIPS_TARGET_PER_YEAR, 50),
}


@pytest.mark.parametrize(("constant", "seed_value"), SEED_TARGETS.values(), ids=SEED_TARGETS.keys())
def test_programme_target_matches_the_seed(constant, seed_value):
    assert constant == seed_value
