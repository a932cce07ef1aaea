"""The alliance's reminders (issue 18): an invitation the SME has not answered (mailed after 3
days) and a meeting request the other side has not answered (mailed after 2 days)."""

import datetime

import pytest
from django.utils import timezone

from alliance.models import DemandResponse, Meeting
from alliance.reminders import invitations_unanswered, meetings_unanswered
from tests.factories import DemandFactory

pytestmark = pytest.mark.django_db


def due(collect, **kwargs):
    return [
        (item.recipient.username, item.occasion, item.overdue)
        for item in collect(today=timezone.localdate(), **kwargs)
    ]


def ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def invitation(anchor, sme, *, invited_days_ago: int, **more) -> DemandResponse:
    return DemandResponse.objects.create(
        demand=DemandFactory(owner=anchor, status=more.pop("demand_status", "open")),
        supplier=sme,
        status=more.pop("status", "invited"),
        invited_at=ago(invited_days_ago),
        **more,
    )


@pytest.mark.parametrize(
    ("invited_days_ago", "expected"),
    [
        (2, [("sme-owner", None, False)]),
        (3, [("sme-owner", "3-days", False)]),
        (4, [("sme-owner", "3-days", True)]),
    ],
)
def test_an_invitation_is_listed_at_once_and_mailed_after_3_days(
    anchor, sme, invited_days_ago, expected
):
    invitation(anchor, sme, invited_days_ago=invited_days_ago)

    assert due(invitations_unanswered) == expected
    assert due(invitations_unanswered, user=anchor.owner) == []


def test_an_answered_invitation_or_a_closed_demand_is_not_due(anchor, sme):
    invitation(anchor, sme, invited_days_ago=9, status="accepted", answered_at=ago(8))
    invitation(anchor, sme, invited_days_ago=9, demand_status="closed")

    assert due(invitations_unanswered) == []


def meeting(anchor, sme, *, proposed_by, proposed_days_ago: int, status="proposed") -> Meeting:
    response = invitation(anchor, sme, invited_days_ago=10, status="accepted", answered_at=ago(9))
    return Meeting.objects.create(
        response=response,
        proposed_by=proposed_by,
        slots=["2030-05-06T09:00:00+08:00"],
        status=status,
        created_at=ago(proposed_days_ago),
    )


@pytest.mark.parametrize(
    ("proposed_days_ago", "expected"),
    [(1, [("sme-owner", None, False)]), (2, [("sme-owner", "2-days", False)])],
)
def test_a_meeting_request_is_due_from_the_side_that_did_not_propose_it(
    anchor, sme, proposed_days_ago, expected
):
    meeting(anchor, sme, proposed_by=anchor, proposed_days_ago=proposed_days_ago)

    assert due(meetings_unanswered) == expected
    assert due(meetings_unanswered, user=sme.owner) == expected
    assert due(meetings_unanswered, user=anchor.owner) == []


def test_a_meeting_proposed_by_the_sme_is_due_from_the_anchor(anchor, sme):
    meeting(anchor, sme, proposed_by=sme, proposed_days_ago=5)

    assert due(meetings_unanswered, user=anchor.owner) == [("anchor-owner", "2-days", True)]
    assert due(meetings_unanswered, user=sme.owner) == []


def test_an_answered_meeting_request_is_not_due(anchor, sme):
    meeting(anchor, sme, proposed_by=anchor, proposed_days_ago=5, status="accepted")

    assert due(meetings_unanswered) == []
