"""What of the support programmes waits for an official: applications by the state in which
an official acts next, open objections and open recoveries (the officials' to-do list)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit.waiting import Waiting, register_waiting
from subsidies.models import Application, Objection, ObjectionStatus, Recovery, RecoveryStatus
from subsidies.models import ApplicationStatus as S


def _applications(label, status: str, since: str) -> Waiting:
    return Waiting(
        label=label,
        model=Application,
        condition=Q(status=status),
        since=since,
        query=f"status__exact={status}",
    )


register_waiting(
    _applications(_("Applications submitted, review not started"), S.SUBMITTED, "submitted_at"),
    _applications(_("Applications under review"), S.UNDER_REVIEW, "submitted_at"),
    _applications(
        _("Approvals awaiting a second official's confirmation"),
        S.AWAITING_CONFIRMATION,
        "decided_at",
    ),
    _applications(_("Approved awards awaiting public notice"), S.APPROVED, "decided_at"),
    _applications(_("Appeals awaiting a decision"), S.APPEALED, "updated_at"),
    Waiting(
        label=_("Objections to awards awaiting a ruling"),
        model=Objection,
        condition=Q(status=ObjectionStatus.OPEN),
        since="lodged_at",
        query="status__exact=open",
    ),
    Waiting(
        label=_("Recoveries not yet closed"),
        model=Recovery,
        condition=Q(status__in=[RecoveryStatus.OPEN, RecoveryStatus.PARTLY_REPAID]),
        since="opened_at",
        query=f"status__in={RecoveryStatus.OPEN},{RecoveryStatus.PARTLY_REPAID}",
    ),
)
