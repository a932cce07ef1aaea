"""What the talent API tests share: endpoint addresses, request bodies, the 400 body, and the
API's own university, other university and student fixtures (modules bind those they use by
name).
"""

import datetime

import pytest
from django.utils import timezone

from talent import services
from talent.models import Internship, Student
from tests.factories import MembershipFactory, StudentFactory, UniversityFactory, UserFactory

TALENT = "/api/v1/talent/"


DASHBOARD = f"{TALENT}dashboard/"


STUDENTS = f"{TALENT}students/"


INTERNSHIPS = f"{TALENT}internships/"


GRADUATES = f"{TALENT}graduates/"


IMPORT = f"{GRADUATES}import/"


EXPERTS = f"{TALENT}experts/"


FUNDS = f"{TALENT}scholarships/funds/"


APPLICATIONS = f"{TALENT}scholarships/applications/"


THIS_YEAR = timezone.localdate().year


def url(base: str, obj, action: str = "") -> str:
    pk = obj if isinstance(obj, int | str) else obj.pk
    return f"{base}{pk}/" + (f"{action}/" if action else "")


def errors(response) -> dict:
    assert response.status_code == 400, (response.status_code, response.content)
    return response.json()


def staffed_university(username: str):
    university = UniversityFactory()
    university.staff = UserFactory(username=username)
    MembershipFactory(user=university.staff, enterprise=university, role="owner")
    return university


@pytest.fixture
def university(db):
    return staffed_university("registrar")


@pytest.fixture
def other_university(db):
    return staffed_university("other-registrar")


def student_with_login(university, username: str, **fields) -> Student:
    student = StudentFactory(university=university, **fields)
    student.user = UserFactory(username=username)
    student.save(update_fields=["user"])
    return student


@pytest.fixture
def student(university):
    return student_with_login(university, "student", name="王芳")


def as_user(api_client, user):
    api_client.force_login(user)
    return api_client


def offer(university, student, host, **dates) -> Internship:
    return services.internship_offer(
        actor=university.staff,
        student=student,
        host=host,
        starts_on=dates.get("starts_on", datetime.date(THIS_YEAR, 3, 1)),
        ends_on=dates.get("ends_on", datetime.date(THIS_YEAR, 6, 30)),
    )


def graduate_row(number: str, destination: str = "outside", employer_uscc: str = "", **fields):
    row = {
        "student_number": number,
        "degree": "master",
        "field": "Electrochemistry",
        "destination": destination,
        **fields,
    }
    if employer_uscc:
        row["employer_uscc"] = employer_uscc
    return row


def import_body(university, rows, year: int = THIS_YEAR) -> dict:
    return {"university": university.uscc, "year": year, "rows": rows}


def application_body(fund, **fields) -> dict:
    return {
        "fund": fund.pk,
        "grade_average": "91.50",
        "statement": "I work on halide electrolytes for thin separators.",
        **fields,
    }
