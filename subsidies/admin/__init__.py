"""The officials' workbench for the support programmes.

Every change of state goes through `subsidies.services`. Applications, notices, batches,
recoveries and the audit log are read-only pages; officials decide through the actions of a
list (or the buttons on a change page, which run the same actions). An action that needs
input first shows a form (a reason, an amount, a reviewer, a payment reference), then calls
the service once per selected row: a refused row is reported with the service's own words
and changes nothing, the others still go through (see `ssb_portal.admin_kit`).

Forms that add or change a row (programmes, conflicts of interest, support caps) call their
service while the form is validated, so a refusal is shown on the form, never as an error
page; the admin's own save then has nothing left to do.

One module per concern; importing them registers their admins.
"""

from subsidies.admin import (  # noqa: F401
    applications,
    audit,
    disbursements,
    house_rules,
    milestones,
    notices,
    programmes,
    recoveries,
    reviews,
    waiting,
)
