"""A scholarship call closing (issue 18): each student with a login who has not applied is told
in the last 7 days of the call."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from talent.models import ScholarshipApplication
from talent.reminders import scholarship_calls_closing
from tests.factories import ScholarshipFundFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db


def due(**kwargs):
    return [
        (item.recipient.username, item.occasion)
        for item in scholarship_calls_closing(today=timezone.localdate(), **kwargs)
    ]


@pytest.mark.parametrize(("closes_in", "listed"), [(8, False), (7, True), (0, True)])
def test_students_are_told_in_the_last_7_days(closes_in, listed):
    ScholarshipFundFactory(closes_on=timezone.localdate() + datetime.timedelta(days=closes_in))
    StudentFactory(user=UserFactory(username="li"))

    assert due() == ([("li", "7-days")] if listed else [])


def test_a_student_who_applied_or_has_no_login_is_not_told():
    fund = ScholarshipFundFactory(closes_on=timezone.localdate() + datetime.timedelta(days=3))
    applied = StudentFactory(user=UserFactory(username="applied"))
    ScholarshipApplication.objects.create(
        fund=fund,
        student=applied,
        degree="master",
        field="Electrochemistry",
        grade_average=Decimal("91.5"),
        statement="I work on sulfide electrolytes.",
    )
    StudentFactory()
    waiting = StudentFactory(user=UserFactory(username="waiting"))

    assert due() == [("waiting", "7-days")]
    assert due(user=applied.user) == []
    assert due(user=waiting.user) == [("waiting", "7-days")]
