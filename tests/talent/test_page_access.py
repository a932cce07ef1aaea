"""Who may open the talent programme's pages.

A university's staff see only their own university's students, internships and graduates
(another university's answer 404, as if they did not exist); an enterprise sees only the
internships it hosts and the graduates reported as its hires; a student sees only their own
scholarship applications; anonymous visitors are sent to log in for every private page; the
public dashboard and its exports hold figures only and name no person.
"""

import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from talent.models import Graduate, Internship, OverseasExpert, ScholarshipApplication, Student
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    ScholarshipFundFactory,
    StudentFactory,
    UniversityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def url(name: str, *args) -> str:
    return reverse(f"talent:{name}", args=args)


def staffed_university(username: str):
    university = UniversityFactory()
    university.staff = UserFactory(username=username)
    MembershipFactory(user=university.staff, enterprise=university, role="owner")
    return university


def member_enterprise(username: str):
    enterprise = EnterpriseFactory()
    enterprise.owner = UserFactory(username=username)
    MembershipFactory(user=enterprise.owner, enterprise=enterprise, role="owner")
    return enterprise


def internship(student, host) -> Internship:
    today = timezone.localdate()
    return Internship.objects.create(
        student=student,
        host=host,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=90),
    )


def hire(university, employer, number: str) -> Graduate:
    return Graduate.objects.create(
        university=university,
        year=THIS_YEAR,
        student_number=number,
        degree="master",
        field="Electrochemistry",
        destination="local_ssb",
        employer=employer,
    )


@pytest.fixture
def world(db):
    """Two universities with a student each, two hosts with an internship each, a hire each."""
    ours, theirs = staffed_university("our-registrar"), staffed_university("their-registrar")
    host, rival = member_enterprise("host-owner"), member_enterprise("rival-owner")
    our_student = StudentFactory(university=ours, name="欧阳明", student_number="OUR-0001")
    their_student = StudentFactory(university=theirs, name="司马亮", student_number="THE-0002")
    return {
        "ours": ours,
        "theirs": theirs,
        "host": host,
        "rival": rival,
        "our_student": our_student,
        "their_student": their_student,
        "our_internship": internship(our_student, host),
        "their_internship": internship(their_student, rival),
        "our_hire": hire(ours, host, "OUR-0001"),
        "their_hire": hire(theirs, rival, "THE-0002"),
    }


# --- anonymous visitors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("university", ["U"], "get"),
        ("programme_add", ["U"], "get"),
        ("training_base_add", ["U"], "get"),
        ("student_add", ["U"], "get"),
        ("student_edit", ["U", 1], "get"),
        ("student_link", ["U", 1], "post"),
        ("internship_offer", ["U"], "get"),
        ("university_internship_move", ["U", 1], "post"),
        ("graduates_upload", ["U"], "get"),
        ("enterprise", ["U"], "get"),
        ("enterprise_internship_move", ["U", 1], "post"),
        ("graduate_confirm", ["U", 1], "post"),
        ("expert_add", ["U"], "get"),
        ("expert_edit", ["U", 1], "get"),
        ("scholarships", [], "get"),
        ("scholarship_apply", [1], "get"),
        ("scholarship_withdraw", [1], "post"),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, world, name, args, method):
    args = [world["ours"].uscc if arg == "U" else arg for arg in args]
    target = url(name, *args)

    response = getattr(client, method)(target)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL) + "?next=")


@pytest.mark.parametrize("name", ["home", "dashboard"])
def test_the_overview_and_the_dashboard_are_public(client, name):
    assert client.get(url(name)).status_code == 200


# --- universities -----------------------------------------------------------------------------


def test_staff_see_their_own_students_only(client, world):
    client.force_login(world["ours"].staff)

    page = client.get(url("university", world["ours"].uscc)).content.decode()

    assert "欧阳明" in page
    assert "司马亮" not in page
    assert "THE-0002" not in page


@pytest.mark.parametrize(
    "page",
    [
        lambda w: url("university", w["theirs"].uscc),
        lambda w: url("programme_add", w["theirs"].uscc),
        lambda w: url("training_base_add", w["theirs"].uscc),
        lambda w: url("student_add", w["theirs"].uscc),
        lambda w: url("internship_offer", w["theirs"].uscc),
        lambda w: url("graduates_upload", w["theirs"].uscc),
        lambda w: url("graduates_upload", w["theirs"].uscc) + f"?year={THIS_YEAR}",
        # their student, asked for under either university
        lambda w: url("student_edit", w["theirs"].uscc, w["their_student"].pk),
        lambda w: url("student_edit", w["ours"].uscc, w["their_student"].pk),
    ],
)
def test_staff_get_404_for_another_universitys_pages(client, world, page):
    client.force_login(world["ours"].staff)

    assert client.get(page(world)).status_code == 404


def test_staff_cannot_change_another_universitys_records(client, world):
    client.force_login(world["ours"].staff)
    their_student, their_internship = world["their_student"], world["their_internship"]

    responses = [
        client.post(
            url("student_edit", world["ours"].uscc, their_student.pk),
            {
                "student_number": "X",
                "name": "X",
                "degree": "master",
                "field": "x",
                "expected_graduation_year": THIS_YEAR,
            },
        ),  # fmt: skip
        client.post(
            url("student_link", world["ours"].uscc, their_student.pk),
            {"email": world["ours"].staff.email},
        ),
        client.post(
            url("university_internship_move", world["ours"].uscc, their_internship.pk),
            {"to_status": "cancelled"},
        ),
        client.post(
            url("university_internship_move", world["theirs"].uscc, their_internship.pk),
            {"to_status": "cancelled"},
        ),
        client.post(
            url("internship_offer", world["ours"].uscc),
            {
                "student": their_student.student_number,
                "host": world["host"].uscc,
                "starts_on": "2026-03-01",
                "ends_on": "2026-04-01",
            },
        ),  # fmt: skip
    ]

    assert [r.status_code for r in responses[:4]] == [404, 404, 404, 404]
    assert responses[4].status_code == 400  # their student's number is unknown here
    their_student.refresh_from_db()
    their_internship.refresh_from_db()
    assert their_student.name == "司马亮" and their_student.user is None
    assert their_internship.status == "offered"
    assert Internship.objects.count() == 2


def test_staff_see_their_own_graduates_only(client, world):
    client.force_login(world["ours"].staff)

    page = client.get(url("graduates_upload", world["ours"].uscc), {"year": THIS_YEAR})

    assert "OUR-0001" in page.content.decode()
    assert "THE-0002" not in page.content.decode()


def test_a_student_or_an_enterprise_member_has_no_university_workspace(client, world):
    world["our_student"].user = UserFactory(username="a-student")
    world["our_student"].save(update_fields=["user"])

    for user in (world["our_student"].user, world["host"].owner):
        client.force_login(user)
        assert client.get(url("university", world["ours"].uscc)).status_code == 404


# --- enterprises ------------------------------------------------------------------------------


def test_an_enterprise_sees_only_the_internships_it_hosts_and_its_hires(client, world):
    client.force_login(world["host"].owner)

    response = client.get(url("enterprise", world["host"].uscc))

    page = response.content.decode()
    assert [row.internship for row in response.context["internship_rows"]] == [
        world["our_internship"]
    ]
    assert list(response.context["hires"].object_list) == [world["our_hire"]]
    assert "司马亮" not in page and "THE-0002" not in page


def test_an_enterprise_cannot_act_on_another_hosts_records(client, world):
    client.force_login(world["host"].owner)
    theirs = world["their_internship"]

    responses = [
        client.get(url("enterprise", world["rival"].uscc)),
        client.post(
            url("enterprise_internship_move", world["host"].uscc, theirs.pk),
            {"to_status": "ongoing"},
        ),
        client.post(
            url("enterprise_internship_move", world["rival"].uscc, theirs.pk),
            {"to_status": "ongoing"},
        ),
        client.post(url("graduate_confirm", world["host"].uscc, world["their_hire"].pk)),
        client.post(url("graduate_confirm", world["rival"].uscc, world["their_hire"].pk)),
    ]

    assert [r.status_code for r in responses] == [404] * 5
    theirs.refresh_from_db()
    world["their_hire"].refresh_from_db()
    assert theirs.status == "offered"
    assert world["their_hire"].employer_confirmed_at is None


def test_an_enterprise_sees_and_edits_only_its_own_experts(client, world):
    def expert_of(enterprise, name):
        return OverseasExpert.objects.create(
            host=enterprise, name=name, country="Japan", field="Anodes", years_experience=8,
            base_salary_cny=500000, total_package_cny=500000,
        )  # fmt: skip

    ours, theirs = expert_of(world["host"], "Dr. Ours"), expert_of(world["rival"], "Dr. Theirs")
    client.force_login(world["host"].owner)

    page = client.get(url("enterprise", world["host"].uscc)).content.decode()

    assert "Dr. Ours" in page and "Dr. Theirs" not in page
    assert client.get(url("expert_edit", world["host"].uscc, ours.pk)).status_code == 200
    assert client.get(url("expert_edit", world["host"].uscc, theirs.pk)).status_code == 404
    assert client.get(url("expert_edit", world["rival"].uscc, theirs.pk)).status_code == 404


# --- students ---------------------------------------------------------------------------------


def test_a_student_sees_and_withdraws_only_their_own_applications(client, world):
    fund = ScholarshipFundFactory()
    applications = {}
    for key, username in (("our_student", "student-a"), ("their_student", "student-b")):
        student = world[key]
        student.user = UserFactory(username=username)
        student.save(update_fields=["user"])
        applications[key] = ScholarshipApplication.objects.create(
            fund=fund, student=student, degree="master", field="x", grade_average=88,
            statement=f"statement of {username}",
        )  # fmt: skip
    client.force_login(world["our_student"].user)

    response = client.get(url("scholarships"))
    refused = client.post(url("scholarship_withdraw", applications["their_student"].pk))

    assert list(response.context["applications"]) == [applications["our_student"]]
    assert refused.status_code == 404
    applications["their_student"].refresh_from_db()
    assert applications["their_student"].status == "submitted"


def test_university_staff_do_not_see_scholarship_applications_as_students(client, world):
    ScholarshipFundFactory()
    client.force_login(world["ours"].staff)

    response = client.get(url("scholarships"))

    assert "Your login is not linked to a student record" in response.content.decode()
    assert Student.objects.filter(user=world["ours"].staff).count() == 0


# --- the public dashboard names no person -----------------------------------------------------


def test_the_public_dashboard_and_its_exports_name_no_person(client, world):
    OverseasExpert.objects.create(
        host=world["host"], name="Dr. Hidden Person", country="Germany", field="Cathodes",
        years_experience=10, status="signed", signed_on=timezone.localdate(),
        base_salary_cny=800000, total_package_cny=800000,
    )  # fmt: skip

    page = client.get(url("dashboard")).content.decode()
    exported = client.get(url("dashboard_export", "csv")).content.decode("utf-8-sig")
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(url("dashboard_export", "xlsx")).content)
    )
    cells = " ".join(
        str(value) for sheet in workbook for row in sheet.values for value in row if value
    )

    for text in (page, exported, cells):
        for personal in ("欧阳明", "司马亮", "OUR-0001", "THE-0002", "Dr. Hidden Person"):
            assert personal not in text
    assert world["ours"].name_zh in exported  # organisations are named, people are not
