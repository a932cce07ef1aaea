"""What every talent endpoint keeps: bad bodies and filters never answer 500, and lists take a
fixed number of queries however many rows they show.
"""

from decimal import Decimal

import pytest

from talent import services
from tests.factories import EnterpriseFactory, ScholarshipFundFactory
from tests.talent import api_support
from tests.talent.api_support import (
    APPLICATIONS,
    DASHBOARD,
    EXPERTS,
    FUNDS,
    GRADUATES,
    IMPORT,
    INTERNSHIPS,
    STUDENTS,
    THIS_YEAR,
    application_body,
    as_user,
    graduate_row,
    import_body,
    offer,
    staffed_university,
    student_with_login,
)

pytestmark = pytest.mark.django_db


# The API tests' own fixtures, bound here rather than in the conftest: other test modules of
# this folder build fixtures of the same names differently.
university = api_support.university


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
        other = staffed_university(f"registrar-{index}")
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
