"""The bill of materials' verification as data: a supplier's declaration waits for an
official (or accredited verifier), who verifies it with a report for a validity period or
returns it; a verified bill gives way to the next one verified, runs out at the end of its
validity, or is withdrawn by an official. A returned bill stays as it was: the supplier
declares a new one."""

from django.utils.translation import gettext_lazy as _

from directory.models import BomStatus
from directory.workflow import OFFICIAL
from ssb_portal.workflow import Workflow

#: The expiry chore each reminders' run does first (`directory.reminders`), or by hand
#: `manage.py expire_bills_of_materials`.
CALENDAR = "calendar"

BOM_WORKFLOW = Workflow(
    statuses=BomStatus,
    moves={
        BomStatus.SUBMITTED: {BomStatus.VERIFIED: OFFICIAL, BomStatus.RETURNED: OFFICIAL},
        BomStatus.VERIFIED: {
            BomStatus.SUPERSEDED: OFFICIAL,
            BomStatus.EXPIRED: CALENDAR,
            BomStatus.RETURNED: OFFICIAL,
        },
    },
    refusal=_("A bill of materials that is “%(current)s” cannot become “%(target)s”."),
)
