"""Scholarship funds and applications through the talent API."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from talent import services
from talent.models import ScholarshipApplication, ScholarshipStatus
from tests.factories import ScholarshipFundFactory
from tests.talent import api_support
from tests.talent.api_support import (
    APPLICATIONS,
    FUNDS,
    THIS_YEAR,
    application_body,
    as_user,
    errors,
    student_with_login,
    url,
)

pytestmark = pytest.mark.django_db


# The API tests' own fixtures, bound here rather than in the conftest: other test modules of
# this folder build fixtures of the same names differently.
student = api_support.student
university = api_support.university


# --- scholarships -----------------------------------------------------------------------------


def test_the_funds_are_public_with_their_money_and_awards(api_client, student):
    fund = ScholarshipFundFactory(awards=50)
    ScholarshipApplication.objects.create(
        fund=fund,
        student=student,
        degree="master",
        field="Materials",
        grade_average=Decimal("90"),
        statement="…",
        status=ScholarshipStatus.AWARDED,
    )

    response = api_client.get(FUNDS)

    assert response.status_code == 200
    listed = response.json()["results"][0]
    assert listed["year"] == THIS_YEAR
    assert listed["fund_cny"] == "1000000.00"
    assert listed["award_cny"] == "20000.00"
    assert (listed["awards"], listed["awarded"], listed["is_open"]) == (50, 1, True)
    assert api_client.get(url(FUNDS, fund)).json()["awarded"] == 1
    assert api_client.get(url(FUNDS, 999999)).status_code == 404


def test_a_student_applies_once_a_year(api_client, student):
    fund = ScholarshipFundFactory()
    as_user(api_client, student.user)

    applied = api_client.post(APPLICATIONS, application_body(fund), format="json")
    again = api_client.post(APPLICATIONS, application_body(fund), format="json")

    assert applied.status_code == 201, applied.content
    assert applied.json()["status"] == "submitted"
    assert applied.json()["degree"] == student.degree
    assert applied.json()["year"] == fund.year
    assert "fund" in errors(again)
    assert ScholarshipApplication.objects.count() == 1


def test_only_a_students_own_login_applies(api_client, university):
    fund = ScholarshipFundFactory()
    as_user(api_client, university.staff)

    response = api_client.post(APPLICATIONS, application_body(fund), format="json")

    assert response.status_code == 403
    assert not ScholarshipApplication.objects.exists()


def test_a_student_sees_only_their_own_applications(api_client, university, student):
    fund = ScholarshipFundFactory()
    classmate = student_with_login(university, "classmate")
    mine = services.scholarship_apply(actor=student.user, fund=fund, data=application_body(fund))
    theirs = services.scholarship_apply(
        actor=classmate.user, fund=fund, data=application_body(fund)
    )
    as_user(api_client, student.user)

    listed = api_client.get(APPLICATIONS).json()

    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert api_client.get(url(APPLICATIONS, theirs)).status_code == 404
    assert api_client.post(url(APPLICATIONS, theirs, "withdraw")).status_code == 404
    api_client.force_login(university.staff)
    assert api_client.get(APPLICATIONS).json()["count"] == 0
    theirs.refresh_from_db()
    assert theirs.status == ScholarshipStatus.SUBMITTED


def test_a_student_withdraws_while_awaiting_a_decision(api_client, student):
    fund = ScholarshipFundFactory()
    as_user(api_client, student.user)
    application = api_client.post(APPLICATIONS, application_body(fund), format="json").json()

    withdrawn = api_client.post(url(APPLICATIONS, application["id"], "withdraw"))
    again = api_client.post(url(APPLICATIONS, application["id"], "withdraw"))

    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert again.status_code == 400


def test_a_renewal_names_last_years_award_and_reports_progress(api_client, university, student):
    last_year = ScholarshipFundFactory(
        year=THIS_YEAR - 1,
        opens_on=datetime.date(THIS_YEAR - 1, 3, 1),
        closes_on=datetime.date(THIS_YEAR - 1, 4, 1),
    )
    fund = ScholarshipFundFactory()
    award = ScholarshipApplication.objects.create(
        fund=last_year,
        student=student,
        degree="master",
        field="Materials",
        grade_average=Decimal("92"),
        statement="…",
        status=ScholarshipStatus.AWARDED,
    )
    classmate = student_with_login(university, "classmate")
    theirs = ScholarshipApplication.objects.create(
        fund=last_year,
        student=classmate,
        degree="master",
        field="Materials",
        grade_average=Decimal("95"),
        statement="…",
        status=ScholarshipStatus.AWARDED,
    )
    as_user(api_client, student.user)

    no_progress = api_client.post(
        APPLICATIONS, application_body(fund, renewal_of=award.pk), format="json"
    )
    not_mine = api_client.post(
        APPLICATIONS,
        application_body(fund, renewal_of=theirs.pk, progress_report="Two papers."),
        format="json",
    )
    renewal = api_client.post(
        APPLICATIONS,
        application_body(fund, renewal_of=award.pk, progress_report="Two papers published."),
        format="json",
    )

    assert "progress_report" in errors(no_progress)
    assert "renewal_of" in errors(not_mine)
    assert renewal.status_code == 201
    assert renewal.json()["renewal_of"] == award.pk


def test_a_closed_fund_takes_no_applications(api_client, student):
    fund = ScholarshipFundFactory(
        opens_on=timezone.localdate() - datetime.timedelta(days=30),
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    as_user(api_client, student.user)

    response = api_client.post(APPLICATIONS, application_body(fund), format="json")

    assert response.status_code == 400
    assert not ScholarshipApplication.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"grade_average": "101"}, "grade_average"),
        ({"grade_average": "very good"}, "grade_average"),
        ({"grade_average": "-1"}, "grade_average"),
        ({"fund": 999999}, "fund"),
        ({"fund": "abc"}, "fund"),
        ({"fund": 10**30}, "fund"),
        ({"fund": None}, "fund"),
        ({"statement": ""}, "statement"),
        ({"degree": "bsc"}, "degree"),
        ({"renewal_of": 10**30}, "renewal_of"),
        ({"status": "awarded"}, "status"),
    ],
)
def test_bad_applications_are_refused_by_name(api_client, student, change, field):
    fund = ScholarshipFundFactory()
    as_user(api_client, student.user)

    response = api_client.post(APPLICATIONS, {**application_body(fund), **change}, format="json")

    assert field in errors(response)
    assert not ScholarshipApplication.objects.exists()
