"""The alliance's reminders (issue 18): an invitation to a demand left unanswered by the SME,
and a meeting request left unanswered by the other side."""

from datetime import date, timedelta
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.models import DemandResponse, DemandStatus, Meeting, MeetingStatus, ResponseStatus
from directory.reminders import members_by_enterprise
from ssb_portal.reminders import DueItem, ReminderKind, name_in_language, register

#: An invitation is to be answered within this many days; then the SME is reminded.
INVITATION_ANSWER_DAYS = 3
#: A meeting request is to be answered within this many days; then the other side is reminded.
MEETING_ANSWER_DAYS = 2


def _invitation_text(*, title: str, owner: tuple[str, str], invited_on: date) -> str:
    return _(
        "%(owner)s invited you on %(date)s to answer its demand “%(title)s”: "
        "accept or decline the invitation."
    ) % {"owner": name_in_language(*owner), "date": invited_on, "title": title}


def invitations_unanswered(*, today: date, user: AbstractBaseUser | None = None):
    """Invitations to open demands the SME has not answered: listed at once, mailed once
    INVITATION_ANSWER_DAYS have passed."""
    responses = DemandResponse.objects.filter(
        status=ResponseStatus.INVITED,
        answered_at__isnull=True,
        invited_at__isnull=False,
        demand__status=DemandStatus.OPEN,
    ).select_related("demand__owner")
    if user is not None:
        responses = responses.filter(supplier__memberships__user=user)
    responses = list(responses)
    members = members_by_enterprise([r.supplier_id for r in responses], user=user)
    for response in responses:
        invited_on = timezone.localdate(response.invited_at)
        due_on = invited_on + timedelta(days=INVITATION_ANSWER_DAYS)
        owner = response.demand.owner
        for member in members[response.supplier_id]:
            yield DueItem(
                kind=INVITATION_UNANSWERED.key,
                object_id=str(response.pk),
                recipient=member,
                due_on=due_on,
                overdue=due_on < today,
                occasion=f"{INVITATION_ANSWER_DAYS}-days" if due_on <= today else None,
                text=partial(
                    _invitation_text,
                    title=response.demand.title,
                    owner=(owner.name_zh, owner.name_en),
                    invited_on=invited_on,
                ),
                path=reverse("alliance:demand", args=[response.demand_id]),
            )


def _meeting_text(*, title: str, proposer: tuple[str, str], proposed_on: date) -> str:
    return _(
        "%(proposer)s proposed a meeting on %(date)s about “%(title)s”: pick a time or decline."
    ) % {"proposer": name_in_language(*proposer), "date": proposed_on, "title": title}


def meetings_unanswered(*, today: date, user: AbstractBaseUser | None = None):
    """Meeting requests still proposed: the side that did not propose is to answer; listed at
    once, mailed once MEETING_ANSWER_DAYS have passed."""
    meetings = Meeting.objects.filter(status=MeetingStatus.PROPOSED).select_related(
        "response__demand", "proposed_by"
    )
    if user is not None:
        meetings = meetings.filter(
            Q(
                response__supplier__memberships__user=user,
                proposed_by=F("response__demand__owner"),
            )
            | Q(
                response__demand__owner__memberships__user=user,
                proposed_by=F("response__supplier"),
            )
        )
    meetings = list(meetings.distinct())

    def answering(meeting: Meeting) -> int:
        response = meeting.response
        if meeting.proposed_by_id == response.demand.owner_id:
            return response.supplier_id
        return response.demand.owner_id

    members = members_by_enterprise([answering(m) for m in meetings], user=user)
    for meeting in meetings:
        proposed_on = timezone.localdate(meeting.created_at)
        due_on = proposed_on + timedelta(days=MEETING_ANSWER_DAYS)
        proposer = meeting.proposed_by
        for member in members[answering(meeting)]:
            yield DueItem(
                kind=MEETING_UNANSWERED.key,
                object_id=str(meeting.pk),
                recipient=member,
                due_on=due_on,
                overdue=due_on < today,
                occasion=f"{MEETING_ANSWER_DAYS}-days" if due_on <= today else None,
                text=partial(
                    _meeting_text,
                    title=meeting.response.demand.title,
                    proposer=(proposer.name_zh, proposer.name_en),
                    proposed_on=proposed_on,
                ),
                path=reverse("alliance:demand", args=[meeting.response.demand_id]),
            )


INVITATION_UNANSWERED = register(
    ReminderKind(
        key="invitation_unanswered",
        label=gettext_lazy("An invitation to a demand unanswered"),
        collect=invitations_unanswered,
    )
)
MEETING_UNANSWERED = register(
    ReminderKind(
        key="meeting_unanswered",
        label=gettext_lazy("A meeting request unanswered"),
        collect=meetings_unanswered,
    )
)
