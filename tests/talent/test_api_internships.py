"""Internships through the talent API: offered, confirmed by a verified host, completed,
cancelled or ending in a hire; seen only by the university and the host; bad data is refused
by name.
"""

import pytest

from talent import services
from talent.models import Internship, InternshipStatus
from tests.factories import EnterpriseFactory, StudentFactory
from tests.talent import api_support
from tests.talent.api_support import INTERNSHIPS, THIS_YEAR, as_user, errors, offer, url

pytestmark = pytest.mark.django_db


# The API tests' own fixtures, bound here rather than in the conftest: other test modules of
# this folder build fixtures of the same names differently.
other_university = api_support.other_university
student = api_support.student
university = api_support.university


# --- internships ------------------------------------------------------------------------------


def test_an_internship_is_offered_confirmed_by_the_host_and_completed(
    api_client, university, student, sme
):
    as_user(api_client, university.staff)
    offered = api_client.post(
        INTERNSHIPS,
        {
            "student": student.pk,
            "host": sme.uscc,
            "starts_on": f"{THIS_YEAR}-03-01",
            "ends_on": f"{THIS_YEAR}-06-30",
        },
        format="json",
    )
    assert offered.status_code == 201, offered.content
    internship = offered.json()
    assert (internship["status"], internship["host"]) == ("offered", sme.uscc)

    assert api_client.post(url(INTERNSHIPS, internship["id"], "confirm")).status_code == 403

    api_client.force_login(sme.owner)
    confirmed = api_client.post(url(INTERNSHIPS, internship["id"], "confirm"))
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "ongoing"
    assert confirmed.json()["host_confirmed_at"]

    no_outcome = api_client.post(url(INTERNSHIPS, internship["id"], "complete"), {})
    assert "outcome" in errors(no_outcome)
    pending = api_client.post(url(INTERNSHIPS, internship["id"], "complete"), {"outcome": ""})
    assert "outcome" in errors(pending)
    completed = api_client.post(
        url(INTERNSHIPS, internship["id"], "complete"), {"outcome": "hired"}
    )
    assert completed.status_code == 200
    assert (completed.json()["status"], completed.json()["outcome"]) == ("completed", "hired")

    cancelled = api_client.post(url(INTERNSHIPS, internship["id"], "cancel"))
    assert cancelled.status_code == 400
    assert Internship.objects.get().status == InternshipStatus.COMPLETED


def test_only_the_host_records_a_hire(api_client, university, student, sme):
    internship = offer(university, student, sme)
    services.internship_move(actor=sme.owner, internship=internship, to_status="ongoing")
    as_user(api_client, university.staff)

    hired = api_client.post(url(INTERNSHIPS, internship, "complete"), {"outcome": "hired"})
    not_hired = api_client.post(url(INTERNSHIPS, internship, "complete"), {"outcome": "not_hired"})

    assert hired.status_code == 403
    assert not_hired.status_code == 200
    assert not_hired.json()["outcome"] == "not_hired"


def test_either_side_cancels_an_offer(api_client, university, student, sme):
    internship = offer(university, student, sme)
    as_user(api_client, sme.owner)

    response = api_client.post(url(INTERNSHIPS, internship, "cancel"))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_another_university_does_not_see_the_internships(
    api_client, university, other_university, student, sme
):
    internship = offer(university, student, sme)
    as_user(api_client, other_university.staff)

    assert api_client.get(INTERNSHIPS).json()["count"] == 0
    assert api_client.get(url(INTERNSHIPS, internship)).status_code == 404
    assert api_client.post(url(INTERNSHIPS, internship, "cancel")).status_code == 404
    assert Internship.objects.get().status == InternshipStatus.OFFERED


def test_the_host_sees_the_internships_it_hosts_but_not_the_others(
    api_client, university, student, sme, anchor
):
    hosted = offer(university, student, sme)
    offer(university, student, anchor)
    as_user(api_client, sme.owner)

    listed = api_client.get(INTERNSHIPS).json()

    assert [row["id"] for row in listed["results"]] == [hosted.pk]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": f"{THIS_YEAR}-02-01"}, "ends_on"),
        ({"starts_on": "March"}, "starts_on"),
        ({"student": 10**30}, "student"),
        ({"student": "abc"}, "student"),
        ({"student": True}, "student"),
        ({"host": "91330100000000000X"}, "host"),
        ({"training_base": 999999}, "training_base"),
        ({"salary": 3000}, "salary"),
    ],
)
def test_bad_internship_data_is_refused_by_name(
    api_client, university, student, sme, change, field
):
    as_user(api_client, university.staff)
    body = {
        "student": student.pk,
        "host": sme.uscc,
        "starts_on": f"{THIS_YEAR}-03-01",
        "ends_on": f"{THIS_YEAR}-06-30",
        **change,
    }

    assert field in errors(api_client.post(INTERNSHIPS, body, format="json"))
    assert not Internship.objects.exists()


def test_an_internship_is_offered_only_to_a_student_one_may_see(
    api_client, university, other_university, sme
):
    theirs = StudentFactory(university=other_university)
    as_user(api_client, university.staff)
    body = {
        "student": theirs.pk,
        "host": sme.uscc,
        "starts_on": f"{THIS_YEAR}-03-01",
        "ends_on": f"{THIS_YEAR}-06-30",
    }

    assert "student" in errors(api_client.post(INTERNSHIPS, body, format="json"))


def test_the_host_must_be_verified(api_client, university, student):
    pending = EnterpriseFactory(status="pending")
    as_user(api_client, university.staff)
    body = {
        "student": student.pk,
        "host": pending.uscc,
        "starts_on": f"{THIS_YEAR}-03-01",
        "ends_on": f"{THIS_YEAR}-06-30",
    }

    assert "host" in errors(api_client.post(INTERNSHIPS, body, format="json"))
