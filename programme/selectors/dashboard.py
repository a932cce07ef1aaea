"""The programme dashboard (issue 8): every target of the seed beside its figures, by year.

One function builds the whole dashboard as plain dataclasses from the other apps' selectors:
the LCR against its trajectory, the directory, the alliance's collaborations, the
demonstration projects, support money against budgets, the R&D fund's KPIs and the talent
programme. The public version names no firm; the officials' version adds tables that do
(top anchors by LCR, the largest awards, each demonstration and R&D project). Aggregates are
computed in SQL; the number of queries is fixed whatever the volume of data.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from programme.selectors.alliance_and_demonstrations import (
    alliance_section,
    demonstrations_section,
)
from programme.selectors.figures import Dashboard
from programme.selectors.lcr_and_directory import directory_section, lcr_section
from programme.selectors.support_and_rd_fund import rd_section, subsidies_section
from programme.selectors.talent_programme import talent_section
from ssb_portal.roles import is_official

# --- the dashboard ----------------------------------------------------------------------------


def _dashboard(*, names_firms: bool) -> Dashboard:
    return Dashboard(
        sections=(
            lcr_section(names_firms=names_firms),
            directory_section(),
            alliance_section(),
            demonstrations_section(names_firms=names_firms),
            subsidies_section(names_firms=names_firms),
            rd_section(names_firms=names_firms),
            talent_section(),
        ),
        for_officials=names_firms,
        built_on=timezone.localdate(),
    )


def programme_dashboard_public() -> Dashboard:
    """Every target against its figures, in aggregates only: no firm is named."""
    return _dashboard(names_firms=False)


def programme_dashboard_for_officials(*, user: AbstractBaseUser | AnonymousUser) -> Dashboard:
    """The dashboard with the tables that name firms; PermissionDenied for non-officials."""
    if not is_official(user):
        raise PermissionDenied
    return _dashboard(names_firms=True)
