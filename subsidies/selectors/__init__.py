"""Reads of the support programmes that carry rules: who sees what, eligibility, money figures.

The modules, by concern: access, eligibility, money, public, workbench, milestones. Below,
the names the programme dashboard, the officials' admin and the benchmarks read as
`subsidies.selectors.<name>`; code of this app imports from the module itself.
"""

from subsidies.selectors.access import application_for
from subsidies.selectors.eligibility import (
    application_eligibility,
    claimable_lines,
    near_duplicate_lines,
)
from subsidies.selectors.milestones import rd_kpi_table
from subsidies.selectors.money import programme_budget, programmes_with_money
from subsidies.selectors.public import awards_public, notices_listed
from subsidies.selectors.workbench import (
    applications_workbench,
    disbursement_batch_awards,
    land_round_requests,
)

__all__ = [
    "application_eligibility",
    "application_for",
    "applications_workbench",
    "awards_public",
    "claimable_lines",
    "disbursement_batch_awards",
    "land_round_requests",
    "near_duplicate_lines",
    "notices_listed",
    "programme_budget",
    "programmes_with_money",
    "rd_kpi_table",
]
