"""The talent programme through the API: the public dashboard and funds, students,
internships, graduate reports, overseas experts and scholarship applications, each seen only
by those who may see it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from talent import services
from talent.models import (
    Graduate,
    Internship,
    InternshipStatus,
    OverseasExpert,
    ScholarshipApplication,
    ScholarshipStatus,
    Student,
)
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    ScholarshipFundFactory,
    StudentFactory,
    UniversityFactory,
    UserFactory,
    outside_district,
)

pytestmark = pytest.mark.django_db

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


def _university(username: str):
    university = UniversityFactory()
    university.staff = UserFactory(username=username)
    MembershipFactory(user=university.staff, enterprise=university, role="owner")
    return university


@pytest.fixture
def university(db):
    return _university("registrar")


@pytest.fixture
def other_university(db):
    return _university("other-registrar")


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


# --- the dashboard ----------------------------------------------------------------------------


def test_the_dashboard_is_public_and_names_nobody(api_client, university, student, sme):
    services.graduates_import(
        actor=university.staff,
        university=university,
        year=THIS_YEAR,
        rows=[
            {
                "student_number": student.student_number,
                "degree": "master",
                "field": "Electrochemistry",
                "destination": "local_ssb",
                "employer": sme,
            },
            {
                "student_number": "G-0002",
                "degree": "bachelor",
                "field": "Materials",
                "destination": "outside",
                "employer": None,
            },
        ],
    )
    services.expert_save(
        actor=sme.owner,
        host=sme,
        data={
            "name": "Dr. Jane Doe",
            "country": "Germany",
            "field": "Sulfide electrolytes",
            "years_experience": 12,
            "status": "signed",
            "signed_on": datetime.date(THIS_YEAR, 2, 1),
            "base_salary_cny": Decimal("800000"),
        },
    )

    response = api_client.get(DASHBOARD, {"year": THIS_YEAR})

    assert response.status_code == 200
    figures = response.json()
    assert figures["year"] == THIS_YEAR
    assert (figures["graduates"], figures["retained"]) == (2, 1)
    assert figures["p_retain"] == "0.5000"
    assert figures["meets_retention"] is False
    assert figures["experts"] == 1
    assert figures["by_university"][0]["university"] == university.uscc
    assert figures["by_university"][0]["graduates"] == 2
    assert figures["by_enterprise"][0]["enterprise"] == sme.uscc
    assert figures["by_enterprise"][0]["graduates_hired"] == 1
    content = response.content.decode()
    for personal in ("王芳", "Dr. Jane Doe", student.student_number, "G-0002"):
        assert personal not in content


def test_the_dashboard_shows_this_year_by_default(api_client):
    response = api_client.get(DASHBOARD)

    assert response.status_code == 200
    assert response.json()["year"] == THIS_YEAR
    assert response.json()["p_retain"] is None


@pytest.mark.parametrize("year", ["next", "1999", "2101", "99999999999999999999999", "2026.5"])
def test_a_bad_dashboard_year_is_refused_by_name(api_client, year):
    assert "year" in errors(api_client.get(DASHBOARD, {"year": year}))


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


# --- overseas experts -------------------------------------------------------------------------


def new_expert(**fields) -> dict:
    return {
        "host": fields.pop("host"),
        "name": "Dr. Jane Doe",
        "country": "Germany",
        "field": "Sulfide electrolytes",
        "years_experience": 12,
        "base_salary_cny": "600000.00",
        "housing_benefit_cny": "120000.00",
        "benefits": [
            {"label": "Flights home", "amount_cny": "30000"},
            {"label": "Children's school", "amount_cny": "50000.50"},
        ],
        "school_priority": True,
        **fields,
    }


def test_the_host_records_an_expert_and_the_package_is_computed(api_client, sme):
    as_user(api_client, sme.owner)

    response = api_client.post(EXPERTS, new_expert(host=sme.uscc), format="json")

    assert response.status_code == 201, response.content
    expert = response.json()
    assert expert["total_package_cny"] == "800000.50"
    assert expert["host"] == sme.uscc
    assert expert["status"] == "contacted"
    assert [b["label"] for b in expert["benefits"]] == ["Flights home", "Children's school"]
    assert OverseasExpert.objects.get().total_package_cny == Decimal("800000.50")


def test_changing_an_expert_computes_the_package_again(api_client, sme):
    as_user(api_client, sme.owner)
    expert = api_client.post(EXPERTS, new_expert(host=sme.uscc), format="json").json()

    no_date = api_client.patch(url(EXPERTS, expert["id"]), {"status": "signed"}, format="json")
    raised = api_client.patch(
        url(EXPERTS, expert["id"]), {"base_salary_cny": "700000"}, format="json"
    )

    assert "signed_on" in errors(no_date)
    assert raised.status_code == 200
    assert raised.json()["total_package_cny"] == "900000.50"
    assert len(raised.json()["benefits"]) == 2
    fewer = api_client.patch(url(EXPERTS, expert["id"]), {"benefits": []}, format="json")
    assert fewer.json()["total_package_cny"] == "820000.00"
    assert fewer.json()["benefits"] == []
    signed = api_client.patch(
        url(EXPERTS, expert["id"]),
        {"status": "signed", "signed_on": f"{THIS_YEAR}-01-15"},
        format="json",
    )
    assert (signed.json()["status"], signed.json()["signed_on"]) == (
        "signed",
        f"{THIS_YEAR}-01-15",
    )


def test_experts_are_seen_by_their_host_and_officials_only(
    api_client, sme, anchor, university, official
):
    as_user(api_client, sme.owner)
    expert = api_client.post(EXPERTS, new_expert(host=sme.uscc), format="json").json()

    api_client.force_login(anchor.owner)
    assert api_client.get(EXPERTS).json()["count"] == 0
    assert api_client.get(url(EXPERTS, expert["id"])).status_code == 404
    assert api_client.patch(url(EXPERTS, expert["id"]), {}, format="json").status_code == 404
    assert api_client.post(EXPERTS, new_expert(host=sme.uscc), format="json").status_code == 403
    api_client.force_login(university.staff)
    assert api_client.get(EXPERTS).json()["count"] == 0
    api_client.force_login(official)
    assert api_client.get(EXPERTS).json()["count"] == 1
    assert OverseasExpert.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"years_experience": 3}, "years_experience"),
        ({"base_salary_cny": "abc"}, "base_salary_cny"),
        ({"base_salary_cny": "-1"}, "base_salary_cny"),
        ({"base_salary_cny": "1e400"}, "base_salary_cny"),
        ({"housing_benefit_cny": "NaN"}, "housing_benefit_cny"),
        ({"benefits": [{"label": "Car", "amount_cny": "-5"}]}, "benefits"),
        ({"benefits": [{"label": "Car"}]}, "benefits"),
        ({"benefits": [{"label": "Car", "amount_cny": "1", "x": 1}]}, "benefits"),
        ({"benefits": "car"}, "benefits"),
        ({"status": "hired"}, "status"),
        ({"signed_on": "yesterday"}, "signed_on"),
        ({"total_package_cny": "1"}, "total_package_cny"),
        ({"host": "nobody"}, "host"),
        (
            {"base_salary_cny": "99999999999999.99", "housing_benefit_cny": "99999999999999.99"},
            "total_package_cny",
        ),
    ],
)
def test_bad_expert_data_is_refused_by_name(api_client, sme, change, field):
    as_user(api_client, sme.owner)

    response = api_client.post(EXPERTS, {**new_expert(host=sme.uscc), **change}, format="json")

    assert field in errors(response)
    assert not OverseasExpert.objects.exists()


# --- scholarships -----------------------------------------------------------------------------


def application_body(fund, **fields) -> dict:
    return {
        "fund": fund.pk,
        "grade_average": "91.50",
        "statement": "I work on halide electrolytes for thin separators.",
        **fields,
    }


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


# --- never a 500 ------------------------------------------------------------------------------


@pytest.mark.parametrize("target", [STUDENTS, INTERNSHIPS, IMPORT, EXPERTS, APPLICATIONS])
@pytest.mark.parametrize("body", [[], ["x"], "text", 12, None, {"": ""}])
def test_a_body_of_the_wrong_shape_answers_400(api_client, official, target, body):
    api_client.force_login(official)

    response = api_client.post(target, body, format="json")

    assert response.status_code == 400, response.content


@pytest.mark.parametrize(
    "query",
    [
        {"university": "x" * 300},
        {"degree": "phd"},
        {"graduation_year": "soon"},
        {"status": "lost"},
        {"year": "1e9"},
        {"destination": "moon"},
        {"page": "last"},
    ],
)
@pytest.mark.parametrize("target", [STUDENTS, INTERNSHIPS, GRADUATES, EXPERTS, APPLICATIONS])
def test_bad_filters_never_answer_500(api_client, official, target, query):
    api_client.force_login(official)

    response = api_client.get(target, query)

    assert response.status_code in (200, 400, 404), response.content


# --- query counts -----------------------------------------------------------------------------


def test_list_queries_do_not_grow_with_the_rows(
    api_client, university, sme, official, django_assert_max_num_queries
):
    fund = ScholarshipFundFactory()
    rows = []
    for index in range(6):
        student = student_with_login(university, f"student-{index}")
        internship = offer(university, student, sme)
        services.internship_move(actor=sme.owner, internship=internship, to_status="ongoing")
        services.scholarship_apply(actor=student.user, fund=fund, data=application_body(fund))
        rows.append(graduate_row(student.student_number, "local_ssb", sme.uscc))
        services.expert_save(
            actor=sme.owner,
            host=sme,
            data={
                "name": f"Expert {index}",
                "country": "Japan",
                "field": "Oxide electrolytes",
                "years_experience": 8,
                "base_salary_cny": Decimal("500000"),
            },
            benefits=[{"label": "Flights", "amount_cny": Decimal("1000")}] * 2,
        )
    as_user(api_client, university.staff)
    api_client.post(IMPORT, import_body(university, rows), format="json")

    # session, user, is-official, count, page (university joined)
    with django_assert_max_num_queries(5):
        students = api_client.get(STUDENTS)
    # session, user, is-official, count, page (student, university, host, base joined)
    with django_assert_max_num_queries(5):
        internships = api_client.get(INTERNSHIPS)
    # session, user, is-official, count, page (university and employer joined)
    with django_assert_max_num_queries(5):
        graduates = api_client.get(GRADUATES)
    api_client.force_login(official)
    # session, user, is-official, count, page (host joined), benefits
    with django_assert_max_num_queries(6):
        experts = api_client.get(EXPERTS)
    # session, user, is-official, count, page (fund, student, university joined)
    with django_assert_max_num_queries(5):
        applications = api_client.get(APPLICATIONS)
    # session, user, count, page (awards counted)
    with django_assert_max_num_queries(4):
        funds = api_client.get(FUNDS)

    assert students.json()["count"] == 6
    assert internships.json()["count"] == 6
    assert graduates.json()["count"] == 6
    assert experts.json()["count"] == 6
    assert all(len(expert["benefits"]) == 2 for expert in experts.json()["results"])
    assert applications.json()["count"] == 6
    assert funds.json()["count"] == 1


def test_the_dashboard_queries_do_not_grow_with_the_rows(
    api_client, university, sme, django_assert_max_num_queries
):
    for index in range(4):
        other = _university(f"registrar-{index}")
        services.graduates_import(
            actor=other.staff,
            university=other,
            year=THIS_YEAR,
            rows=[
                {
                    "student_number": f"G-{index}",
                    "degree": "master",
                    "field": "Materials",
                    "destination": "local_ssb",
                    "employer": EnterpriseFactory(),
                }
            ],
        )

    # totals: graduates, experts, fund, internships; by university; by enterprise: graduates,
    # internships, names; the organisations' credit codes
    with django_assert_max_num_queries(9):
        response = api_client.get(DASHBOARD)

    assert len(response.json()["by_university"]) == 4
    assert len(response.json()["by_enterprise"]) == 4
