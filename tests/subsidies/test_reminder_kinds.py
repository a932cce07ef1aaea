"""The support programmes' reminders (issue 18), each at its boundary: a milestone report due
from 14 days before and overdue after its date, a review not done 7 days after assignment, a
notice's objection period ending within 2 days, a call closing within 7 days on a draft."""

import datetime

import pytest
from django.utils import timezone

from subsidies.models import Milestone, MilestoneReport, Notice, Review
from subsidies.reminders import (
    calls_closing,
    milestone_reports_due,
    notices_ending,
    reviews_pending,
)
from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def due(collect, **kwargs):
    return [
        (item.recipient.username, item.occasion, item.overdue)
        for item in collect(today=timezone.localdate(), **kwargs)
    ]


def milestone_in(sme, days_ahead: int, *, status: str = "approved") -> Milestone:
    project = ApplicationFactory(applicant=sme, status=status, programme__kind="rd_fund")
    return Milestone.objects.create(application=project, title="Pilot", due_on=days(days_ahead))


@pytest.mark.parametrize(
    ("days_ahead", "expected"),
    [
        (15, []),
        (14, [("sme-owner", "due-soon", False)]),
        (0, [("sme-owner", "due-soon", False)]),
        (-1, [("sme-owner", "overdue", True)]),
    ],
)
def test_a_milestone_report_is_due_from_14_days_before_and_overdue_after(sme, days_ahead, expected):
    milestone_in(sme, days_ahead)

    assert due(milestone_reports_due) == expected


def test_a_reported_milestone_or_a_project_not_awarded_is_not_due(sme):
    reported = milestone_in(sme, -5)
    MilestoneReport.objects.create(
        milestone=reported,
        reported_on=days(-6),
        summary="Done.",
        original_name="r.pdf",
        content_type="application/pdf",
        size_bytes=1,
        sha256="0" * 64,
        token="report1",
    )
    milestone_in(sme, -5, status="under_review")

    assert due(milestone_reports_due) == []


@pytest.mark.parametrize(
    ("assigned_days_ago", "expected"),
    [
        (6, [("reviewer", None, False)]),
        (7, [("reviewer", "7-days", False)]),
        (8, [("reviewer", "7-days", True)]),
    ],
)
def test_a_review_is_listed_at_once_and_mailed_after_7_days(anchor, assigned_days_ago, expected):
    application = ApplicationFactory(applicant=anchor, status="under_review")
    Review.objects.create(
        application=application,
        reviewer=UserFactory(username="reviewer"),
        assigned_at=timezone.now() - datetime.timedelta(days=assigned_days_ago),
    )

    assert due(reviews_pending) == expected


def test_a_submitted_review_or_a_decided_application_is_not_due(anchor):
    reviewer = UserFactory(username="reviewer")
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Review.objects.create(
        application=ApplicationFactory(applicant=anchor, status="under_review"),
        reviewer=reviewer,
        assigned_at=long_ago,
        submitted_at=long_ago,
    )
    Review.objects.create(
        application=ApplicationFactory(applicant=anchor, status="rejected"),
        reviewer=reviewer,
        assigned_at=long_ago,
    )

    assert due(reviews_pending) == []


def notice_ending_at(ends_at: datetime.datetime) -> Notice:
    return Notice.objects.create(
        programme=ProgrammeFactory(),
        published_at=ends_at - datetime.timedelta(days=7),
        ends_at=ends_at,
    )


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@pytest.mark.parametrize(
    ("ends_at", "listed"),
    [
        (lambda: start_of(days(3)) - datetime.timedelta(minutes=1), True),
        (lambda: start_of(days(3)), False),
        (lambda: timezone.now() + datetime.timedelta(minutes=5), True),
        (lambda: timezone.now() - datetime.timedelta(minutes=5), False),
    ],
    ids=["last-minute-of-day-2", "day-3", "in-5-minutes", "ended"],
)
def test_officials_are_told_of_a_notice_ending_within_2_days(official, ends_at, listed):
    notice_ending_at(ends_at())

    assert due(notices_ending) == ([("official", "ending", False)] if listed else [])


def test_a_notice_ending_is_no_one_elses_business(official, sme):
    notice_ending_at(timezone.now() + datetime.timedelta(hours=5))

    assert due(notices_ending, user=sme.owner) == []
    assert due(notices_ending, user=official) == [("official", "ending", False)]


@pytest.mark.parametrize(
    ("closes_in", "status", "expected"),
    [
        (8, "draft", []),
        (7, "draft", [("sme-owner", "7-days", False)]),
        (0, "returned", [("sme-owner", "7-days", False)]),
        (3, "submitted", []),
    ],
)
def test_a_call_closing_within_7_days_is_told_to_unsubmitted_applicants(
    sme, closes_in, status, expected
):
    ApplicationFactory(applicant=sme, status=status, programme__closes_on=days(closes_in))

    assert due(calls_closing) == expected
