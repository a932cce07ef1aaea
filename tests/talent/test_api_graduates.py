"""Graduate reports through the talent API: sending one again changes nothing, a bad row saves
nothing and names every problem; graduates are seen by their university and their employer,
who confirms a hire.
"""

import pytest

from talent.models import Graduate
from tests.factories import EnterpriseFactory, outside_district
from tests.talent import api_support
from tests.talent.api_support import (
    GRADUATES,
    IMPORT,
    THIS_YEAR,
    as_user,
    errors,
    graduate_row,
    import_body,
    url,
)

pytestmark = pytest.mark.django_db


# The API tests' own fixtures, bound here rather than in the conftest: other test modules of
# this folder build fixtures of the same names differently.
other_university = api_support.other_university
student = api_support.student
university = api_support.university


# --- graduate reports -------------------------------------------------------------------------


def test_a_graduate_report_is_recorded_and_sending_it_again_changes_nothing(
    api_client, university, student, sme
):
    as_user(api_client, university.staff)
    rows = [
        graduate_row(student.student_number, "local_ssb", sme.uscc.lower()),
        graduate_row("G-0002", degree="本科"),
    ]

    first = api_client.post(IMPORT, import_body(university, rows), format="json")
    again = api_client.post(IMPORT, import_body(university, rows), format="json")

    assert first.status_code == 200, first.content
    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0}
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 2}
    hired = Graduate.objects.get(student_number=student.student_number)
    assert (hired.employer, hired.student, hired.year) == (sme, student, THIS_YEAR)
    assert Graduate.objects.get(student_number="G-0002").degree == "bachelor"

    rows[1]["destination"] = "city_other"
    changed = api_client.post(IMPORT, import_body(university, rows), format="json")
    assert changed.json() == {"created": 0, "updated": 1, "unchanged": 1}
    assert Graduate.objects.count() == 2


def test_a_report_with_a_bad_row_saves_nothing_and_names_every_problem(api_client, university, sme):
    outside = EnterpriseFactory(district=outside_district())
    as_user(api_client, university.staff)
    rows = [
        graduate_row("G-1"),
        graduate_row("G-2", degree="postdoc"),
        graduate_row("G-3", "local_ssb"),
        graduate_row("G-1", destination="abroad"),
        graduate_row("G-5", "local_ssb", outside.uscc),
        graduate_row("G-6", "outside", sme.uscc),
        graduate_row("G-7", field=""),
    ]

    response = api_client.post(IMPORT, import_body(university, rows), format="json")

    problems = errors(response)["rows"]
    assert sorted(problems, key=int) == ["1", "2", "3", "4", "5", "6"]
    assert list(problems["1"]) == ["degree"]
    assert list(problems["2"]) == ["employer_uscc"]
    assert set(problems["3"]) == {"student_number", "destination"}
    assert "row 2" in problems["3"]["student_number"][0]
    assert list(problems["4"]) == ["employer_uscc"]
    assert list(problems["5"]) == ["employer_uscc"]
    assert list(problems["6"]) == ["field"]
    assert not Graduate.objects.exists()


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("G-1", "non_field_errors"),
        (["G-1", "master"], "non_field_errors"),
        ({**graduate_row("G-1"), "name": "王芳"}, "name"),
        ({**graduate_row("G-1"), "degree": ["master"]}, "degree"),
        ({**graduate_row("G-1"), "student_number": {"n": 1}}, "student_number"),
        ({**graduate_row("G-1"), "field": True}, "field"),
    ],
)
def test_rows_of_the_wrong_shape_are_refused(api_client, university, row, field):
    as_user(api_client, university.staff)

    response = api_client.post(
        IMPORT, import_body(university, [graduate_row("G-0"), row]), format="json"
    )

    assert list(errors(response)["rows"]["1"]) == [field]
    assert not Graduate.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"year": 1999}, "year"),
        ({"year": "this year"}, "year"),
        ({"rows": []}, "rows"),
        ({"rows": "G-1,master"}, "rows"),
        ({"university": ""}, "university"),
        ({"format": "csv"}, "format"),
    ],
)
def test_a_bad_report_is_refused_by_name(api_client, university, change, field):
    as_user(api_client, university.staff)
    body = {**import_body(university, [graduate_row("G-1")]), **change}

    assert field in errors(api_client.post(IMPORT, body, format="json"))


def test_only_the_universitys_staff_report_its_graduates(api_client, university, other_university):
    as_user(api_client, other_university.staff)

    good = api_client.post(IMPORT, import_body(university, [graduate_row("G-1")]), format="json")
    bad = api_client.post(
        IMPORT, import_body(university, [graduate_row("G-1", degree="?")]), format="json"
    )

    assert (good.status_code, bad.status_code) == (403, 403)
    assert not Graduate.objects.exists()


def test_graduates_are_seen_by_their_university_and_their_employer(
    api_client, university, other_university, sme
):
    rows = [graduate_row("G-1", "local_ssb", sme.uscc), graduate_row("G-2")]
    as_user(api_client, university.staff)
    api_client.post(IMPORT, import_body(university, rows), format="json")
    hired = Graduate.objects.get(student_number="G-1")

    assert api_client.get(GRADUATES).json()["count"] == 2
    assert api_client.get(GRADUATES, {"destination": "local_ssb"}).json()["count"] == 1

    api_client.force_login(sme.owner)
    seen = api_client.get(GRADUATES).json()
    assert [row["id"] for row in seen["results"]] == [hired.pk]
    assert seen["results"][0]["employer"] == sme.uscc

    api_client.force_login(other_university.staff)
    assert api_client.get(GRADUATES).json()["count"] == 0
    assert api_client.post(url(GRADUATES, hired, "confirm-hire")).status_code == 404


def test_the_employer_confirms_a_hire(api_client, university, sme):
    rows = [graduate_row("G-1", "local_ssb", sme.uscc)]
    as_user(api_client, university.staff)
    api_client.post(IMPORT, import_body(university, rows), format="json")
    hired = Graduate.objects.get()

    by_university = api_client.post(url(GRADUATES, hired, "confirm-hire"))
    api_client.force_login(sme.owner)
    by_employer = api_client.post(url(GRADUATES, hired, "confirm-hire"))

    assert by_university.status_code == 403
    assert by_employer.status_code == 200
    assert by_employer.json()["employer_confirmed_at"]
    hired.refresh_from_db()
    assert hired.employer_confirmed_at is not None
