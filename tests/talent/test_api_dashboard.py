"""The talent programme's public dashboard through the API."""

import datetime
from decimal import Decimal

import pytest

from talent import services
from tests.talent import api_support
from tests.talent.api_support import DASHBOARD, THIS_YEAR, errors

pytestmark = pytest.mark.django_db


# The API tests' own fixtures, bound here rather than in the conftest: other test modules of
# this folder build fixtures of the same names differently.
student = api_support.student
university = api_support.university


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
