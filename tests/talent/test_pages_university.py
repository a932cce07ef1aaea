"""The university's workspace: degree programmes, training bases, students and internship
offers, each form's happy path and its bad input, and the queries its list pages take.
"""

import datetime

import pytest

from talent.models import (
    Internship,
    InternshipOutcome,
    InternshipStatus,
    Student,
    StudyProgramme,
    TrainingBase,
)
from tests.factories import EnterpriseFactory, StudentFactory, UserFactory
from tests.talent import pages_support
from tests.talent.pages_support import THIS_YEAR, graduate, internship, text_of, url

pytestmark = pytest.mark.django_db


# The page tests' own fixtures, bound here rather than in the conftest: other test modules of
# this folder build fixtures of the same names differently.
staff_client = pages_support.staff_client
student = pages_support.student


# --- the university's workspace ---------------------------------------------------------------


def test_staff_add_a_programme_and_a_duplicate_is_refused_on_its_name(staff_client, university):
    data = {"name": "Solid-state batteries", "degree": "master", "field": "Materials"}

    added = staff_client.post(url("programme_add", university.uscc), data, follow=True)
    again = staff_client.post(url("programme_add", university.uscc), data)

    assert "Solid-state batteries" in text_of(added)
    assert again.status_code == 400
    assert again.context["form"].errors["name"] == ["The university has this programme already."]
    assert StudyProgramme.objects.count() == 1


def test_staff_open_a_training_base_with_a_verified_enterprise(staff_client, university, sme):
    response = staff_client.post(
        url("training_base_add", university.uscc),
        {
            "name": "电解质联合实训基地",
            "enterprise": sme.uscc.lower(),
            "capacity": "40",
            "started_on": "2025-09-01",
            "status": "active",
        },
        follow=True,
    )

    base = TrainingBase.objects.get()
    assert base.enterprise == sme and base.university == university
    assert "电解质联合实训基地" in text_of(response)


@pytest.mark.parametrize(
    ("enterprise", "message"),
    [
        ("913301000000000000", "The check digit is wrong"),
        ("unknown", "No enterprise of the directory has this code."),
        ("pending", "Choose a verified enterprise of the directory."),
    ],
)
def test_a_training_base_needs_a_verified_enterprise_of_the_directory(
    staff_client, university, enterprise, message
):
    if enterprise == "pending":
        enterprise = EnterpriseFactory(status="pending").uscc
    elif enterprise == "unknown":
        enterprise = EnterpriseFactory.build().uscc
    response = staff_client.post(
        url("training_base_add", university.uscc),
        {"name": "Base", "enterprise": enterprise, "capacity": "10", "started_on": "2025-09-01",
         "status": "active"},
    )  # fmt: skip

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["enterprise"])
    assert not TrainingBase.objects.exists()


def student_data(**changes) -> dict:
    return {
        "student_number": "2024001",
        "name": "王同学",
        "email": "",
        "degree": "master",
        "field": "Electrochemistry",
        "expected_graduation_year": str(THIS_YEAR + 1),
        **changes,
    }


def test_staff_add_a_student_and_a_duplicate_number_is_refused(staff_client, university):
    added = staff_client.post(url("student_add", university.uscc), student_data(), follow=True)
    duplicate = staff_client.post(url("student_add", university.uscc), student_data(name="另一位"))

    assert "王同学" in text_of(added)
    assert duplicate.status_code == 400
    assert duplicate.context["form"].errors["student_number"] == [
        "A student with this number is recorded already."
    ]
    assert Student.objects.count() == 1


def test_a_student_without_a_name_or_with_a_bad_year_is_refused(staff_client, university):
    response = staff_client.post(
        url("student_add", university.uscc),
        student_data(name="", expected_graduation_year="1900"),
    )

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert errors["name"] == ["This field is required."]
    assert "expected_graduation_year" in errors
    assert not Student.objects.exists()


def test_staff_edit_a_student(staff_client, university, student):
    response = staff_client.post(
        url("student_edit", university.uscc, student.pk),
        student_data(student_number=student.student_number, field="Solid electrolytes"),
    )

    student.refresh_from_db()
    assert response.status_code == 302
    assert student.field == "Solid electrolytes"


def test_staff_link_a_students_login_by_its_email(staff_client, university):
    student = StudentFactory(university=university)
    login = UserFactory(username="zhao", email="Zhao@Example.com")

    linked = staff_client.post(
        url("student_link", university.uscc, student.pk), {"email": "zhao@example.com"}
    )
    unknown = staff_client.post(
        url("student_link", university.uscc, student.pk), {"email": "nobody@example.com"}
    )

    student.refresh_from_db()
    assert linked.status_code == 302
    assert student.user == login
    assert unknown.status_code == 400
    assert unknown.context["link_form"].errors["email"] == [
        "No single active account uses this email."
    ]


def test_staff_offer_an_internship_and_the_host_confirms_and_records_the_hire(
    client, university, student, sme
):
    client.force_login(university.staff)
    offered = client.post(
        url("internship_offer", university.uscc),
        {
            "student": student.student_number,
            "host": sme.uscc,
            "starts_on": "2026-03-01",
            "ends_on": "2026-06-30",
        },
    )
    stint = Internship.objects.get()

    client.force_login(sme.owner)
    assert student.name in text_of(client.get(url("enterprise", sme.uscc)))
    client.post(url("enterprise_internship_move", sme.uscc, stint.pk), {"to_status": "ongoing"})
    done = client.post(
        url("enterprise_internship_move", sme.uscc, stint.pk),
        {"to_status": "completed", "outcome": "hired"},
        follow=True,
    )

    stint.refresh_from_db()
    assert offered.status_code == 302
    assert stint.status == InternshipStatus.COMPLETED
    assert stint.outcome == InternshipOutcome.HIRED
    assert stint.host_confirmed_at is not None
    assert "The internship is completed." in text_of(done)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"student": "NOPE"}, "student", "No student of your university has this number."),
        ({"ends_on": "2026-02-01"}, "ends_on", "The internship ends before it starts."),
        ({"host": "pending"}, "host", "Choose a verified enterprise of the directory."),
    ],
)
def test_a_bad_internship_offer_is_refused_on_its_field(
    staff_client, university, student, sme, changes, field, message
):
    data = {
        "student": student.student_number,
        "host": sme.uscc,
        "starts_on": "2026-03-01",
        "ends_on": "2026-06-30",
        **changes,
    }
    if data["host"] == "pending":
        data["host"] = EnterpriseFactory(status="pending").uscc

    response = staff_client.post(url("internship_offer", university.uscc), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not Internship.objects.exists()


def test_the_university_cancels_but_cannot_confirm_an_internship(
    staff_client, university, student, sme
):
    stint = internship(student, sme)
    move = url("university_internship_move", university.uscc, stint.pk)

    page = staff_client.get(url("university", university.uscc)).content.decode()
    refused = staff_client.post(move, {"to_status": "ongoing"})
    cancelled = staff_client.post(move, {"to_status": "cancelled"}, follow=True)

    stint.refresh_from_db()
    assert 'value="ongoing"' not in page
    assert refused.status_code == 403
    assert stint.status == InternshipStatus.CANCELLED
    assert "The internship is cancelled." in text_of(cancelled)


def test_completing_without_an_outcome_or_twice_is_explained(
    staff_client, university, student, sme
):
    stint = internship(student, sme, InternshipStatus.ONGOING)
    move = url("university_internship_move", university.uscc, stint.pk)

    no_outcome = staff_client.post(move, {"to_status": "completed"}, follow=True)
    staff_client.post(move, {"to_status": "completed", "outcome": "job_offered"})
    twice = staff_client.post(move, {"to_status": "cancelled"}, follow=True)

    assert "Say how the internship ended." in text_of(no_outcome)
    assert "cannot become “Cancelled”" in text_of(twice)
    stint.refresh_from_db()
    assert stint.outcome == InternshipOutcome.JOB_OFFERED


def test_the_workspace_takes_a_fixed_number_of_queries(
    staff_client, university, sme, django_assert_max_num_queries
):
    for number in range(8):
        student = StudentFactory(university=university)
        internship(student, sme)
        internship(student, sme, InternshipStatus.ONGOING)
        graduate(university, f"G{number}", "local_ssb", employer=sme)
    TrainingBase.objects.create(
        name="Base", university=university, enterprise=sme, capacity=5,
        started_on=datetime.date(2025, 1, 1),
    )  # fmt: skip

    # session, user, the university, students (count, page), internships (official check,
    # count, page), programmes, bases, reports: nothing per student or internship
    with django_assert_max_num_queries(11):
        response = staff_client.get(url("university", university.uscc))

    assert response.status_code == 200
    assert len(response.context["students"].object_list) == 8
    assert len(response.context["internship_rows"]) == 16


def test_the_student_list_pages_and_finds_by_number(staff_client, university):
    for number in range(25):
        StudentFactory(university=university, student_number=f"N{number:03d}")

    second = staff_client.get(url("university", university.uscc), {"page": 2})
    found = staff_client.get(url("university", university.uscc), {"q": "N007"})

    assert [s.student_number for s in second.context["students"]] == [
        f"N{number:03d}" for number in range(20, 25)
    ]
    assert [s.student_number for s in found.context["students"]] == ["N007"]
