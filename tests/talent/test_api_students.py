"""Students through the talent API: recorded once by their university's staff, changed and
linked to their own login, seen only by their university and themselves; bad data is refused
by name.
"""

import pytest

from talent.models import Student
from tests.factories import StudentFactory, UserFactory
from tests.talent import api_support
from tests.talent.api_support import STUDENTS, THIS_YEAR, as_user, errors, url

pytestmark = pytest.mark.django_db


# The API tests' own fixtures, bound here rather than in the conftest: other test modules of
# this folder build fixtures of the same names differently.
other_university = api_support.other_university
student = api_support.student
university = api_support.university


# --- students ---------------------------------------------------------------------------------


def new_student(**fields) -> dict:
    return {
        "student_number": "2026001",
        "name": "李雷",
        "email": "lilei@example.edu.cn",
        "degree": "master",
        "field": "Solid electrolytes",
        "expected_graduation_year": THIS_YEAR + 1,
        **fields,
    }


def test_a_university_sees_only_its_own_students(api_client, university, other_university, student):
    theirs = StudentFactory(university=other_university)
    as_user(api_client, university.staff)

    listed = api_client.get(STUDENTS).json()

    assert [row["id"] for row in listed["results"]] == [student.pk]
    assert listed["results"][0]["university"] == university.uscc
    assert listed["results"][0]["has_account"] is True
    assert api_client.get(url(STUDENTS, theirs)).status_code == 404
    assert api_client.patch(url(STUDENTS, theirs), {"name": "X"}, format="json").status_code == 404
    assert api_client.post(url(STUDENTS, theirs, "link-account"), {}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name != "X"


def test_a_student_sees_only_their_own_record(api_client, university, student):
    StudentFactory(university=university)
    as_user(api_client, student.user)

    listed = api_client.get(STUDENTS).json()

    assert [row["id"] for row in listed["results"]] == [student.pk]
    assert (
        api_client.patch(url(STUDENTS, student), {"name": "Me"}, format="json").status_code == 403
    )


def test_students_need_a_login(api_client, student):
    assert api_client.get(STUDENTS).status_code == 401
    assert api_client.get(url(STUDENTS, student)).status_code == 401


def test_the_universitys_staff_record_a_student_once(api_client, university):
    as_user(api_client, university.staff)
    code = " " + university.uscc.lower() + " "

    created = api_client.post(STUDENTS, {"university": code, **new_student()}, format="json")

    assert created.status_code == 201, created.content
    assert created.json()["student_number"] == "2026001"
    assert created.json()["has_account"] is False
    assert Student.objects.get(university=university, student_number="2026001").name == "李雷"
    again = api_client.post(
        STUDENTS, {"university": university.uscc, **new_student()}, format="json"
    )
    assert "student_number" in errors(again)


def test_another_universitys_staff_cannot_record_its_students(
    api_client, university, other_university
):
    as_user(api_client, other_university.staff)

    response = api_client.post(
        STUDENTS, {"university": university.uscc, **new_student()}, format="json"
    )

    assert response.status_code == 403
    assert not Student.objects.exists()


def test_students_belong_to_universities_only(api_client, sme):
    as_user(api_client, sme.owner)

    response = api_client.post(STUDENTS, {"university": sme.uscc, **new_student()}, format="json")

    assert "university" in errors(response)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"expected_graduation_year": "soon"}, "expected_graduation_year"),
        ({"expected_graduation_year": 1999}, "expected_graduation_year"),
        ({"degree": "phd"}, "degree"),
        ({"email": "not-an-email"}, "email"),
        ({"student_number": ""}, "student_number"),
        ({"student_number": "x" * 41}, "student_number"),
        ({"nickname": "Lei"}, "nickname"),
        ({"university": "123"}, "university"),
        ({"university": ["a"]}, "university"),
    ],
)
def test_bad_student_data_is_refused_by_name(api_client, university, change, field):
    as_user(api_client, university.staff)

    response = api_client.post(
        STUDENTS, {"university": university.uscc, **new_student(), **change}, format="json"
    )

    assert field in errors(response)
    assert not Student.objects.exists()


def test_the_staff_change_a_students_record(api_client, university, student):
    as_user(api_client, university.staff)

    response = api_client.patch(
        url(STUDENTS, student), {"field": "Battery engineering"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["field"] == "Battery engineering"
    student.refresh_from_db()
    assert (student.field, student.name) == ("Battery engineering", "王芳")
    bad = api_client.patch(url(STUDENTS, student), {"degree": "master's"}, format="json")
    assert "degree" in errors(bad)


def test_the_staff_link_the_students_own_login(api_client, university):
    student = StudentFactory(university=university)
    login = UserFactory(username="li-lei", email="lilei@example.edu.cn")
    as_user(api_client, university.staff)

    unknown = api_client.post(url(STUDENTS, student, "link-account"), {"email": "no@example.com"})
    linked = api_client.post(
        url(STUDENTS, student, "link-account"), {"email": "LiLei@example.edu.cn"}
    )

    assert "email" in errors(unknown)
    assert linked.status_code == 200
    assert linked.json()["has_account"] is True
    student.refresh_from_db()
    assert student.user == login
