"""What of the alliance waits for an official: membership applications and claimed parts in
standards (the officials' to-do list)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance.models import (
    AllianceMember,
    MemberStatus,
    ParticipationStatus,
    StandardParticipation,
)
from ssb_portal.admin_kit.waiting import Waiting, register_waiting

register_waiting(
    Waiting(
        label=_("Alliance membership applications"),
        model=AllianceMember,
        condition=Q(status=MemberStatus.APPLIED),
        since="applied_at",
        query="status__exact=applied",
    ),
    Waiting(
        label=_("Standards participations awaiting confirmation"),
        model=StandardParticipation,
        condition=Q(status=ParticipationStatus.PENDING),
        since="joined_on",
        query="status__exact=pending",
    ),
)
