"""The talent programme's public overview and its dashboard, with the dashboard's exports."""

import io

import openpyxl
import pytest

from talent.models import InternshipOutcome, InternshipStatus
from tests.factories import EnterpriseFactory, StudentFactory, UniversityFactory
from tests.talent.pages_support import THIS_YEAR, graduate, internship, text_of, url

pytestmark = pytest.mark.django_db


# --- the public overview and the dashboard ----------------------------------------------------


def test_the_overview_states_the_targets_and_leads_staff_to_their_workspace(
    client, university, sme
):
    public = text_of(client.get(url("home")))
    assert "> 500" in public
    assert "> 60 %" in public
    assert "20–30" in public
    assert "50+" in public

    client.force_login(university.staff)
    page = client.get(url("home")).content.decode()
    assert url("university", university.uscc) in page


def dashboard_data(sme, anchor):
    first = UniversityFactory(name_zh="甲大学", name_en="University A")
    second = UniversityFactory(name_zh="乙大学", name_en="University B")
    for number in range(3):
        graduate(first, f"A{number}", "local_ssb", employer=sme)
    graduate(first, "A9", "outside")
    graduate(second, "B1", "local_ssb", employer=anchor)
    graduate(second, "B2", "city_other")
    student = StudentFactory(university=first)
    internship(student, sme, InternshipStatus.COMPLETED, outcome=InternshipOutcome.HIRED)
    internship(student, sme, InternshipStatus.COMPLETED, outcome=InternshipOutcome.NOT_HIRED)
    return first, second


def test_the_dashboard_shows_the_years_figures_by_university_and_enterprise(client, sme, anchor):
    dashboard_data(sme, anchor)

    response = client.get(url("dashboard"), {"year": THIS_YEAR})

    page = text_of(response)
    assert response.status_code == 200
    # 6 graduates, 4 retained: p_retain 66.67 %, I_talent 4
    assert "66.67 %" in page
    assert "University A 4 3 75.00 3" in page
    assert "University B 2 1 50.00 1" in page
    assert f"{sme.name_en} 3 2 1 50.00" in page
    assert "50.00 %" in page  # internship-to-hire conversion
    assert page.count("<svg") == 0  # charts are inline markup, counted below
    assert response.content.decode().count('<svg class="chart"') == 3


def test_a_year_out_of_range_is_refused_with_the_reason(client):
    response = client.get(url("dashboard"), {"year": "1800"})

    assert response.status_code == 400
    assert "Year: Ensure this value is greater than or equal to 2000." in text_of(response)


def test_an_export_of_a_bad_year_is_refused_with_the_reason(client):
    response = client.get(url("dashboard_export", "csv"), {"year": "next"})

    assert response.status_code == 400
    assert "Year: Enter a whole number." in text_of(response)


def test_the_dashboard_exports_as_csv_and_xlsx(client, sme, anchor):
    dashboard_data(sme, anchor)

    csv_response = client.get(url("dashboard_export", "csv"), {"year": THIS_YEAR})
    xlsx_response = client.get(url("dashboard_export", "xlsx"), {"year": THIS_YEAR})

    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="ssb-talent-{THIS_YEAR}.csv"' in csv_response["Content-Disposition"]
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Year,Table,Organisation (Chinese),Organisation (English),Indicator,Value,Target"
    )
    assert f"{THIS_YEAR},City,,,Local retention rate p_retain (%),66.67,> 60" in lines
    assert any(line.startswith(f"{THIS_YEAR},University,甲大学,") and "p_retain (%),75.00" in line
               for line in lines)  # fmt: skip
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_response.content))
    assert workbook.sheetnames == ["summary", "universities", "enterprises"]
    universities = list(workbook["universities"].values)
    assert universities[0][:3] == ("University (Chinese)", "University (English)",
                                   "Graduates (N_grad)")  # fmt: skip
    assert [row[:2] for row in universities[1:]] == [
        ("乙大学", "University B"),
        ("甲大学", "University A"),
    ]
    assert list(workbook["enterprises"].values)[1][2:5] == (3, 2, 1)


def test_the_dashboard_takes_a_fixed_number_of_queries(
    client, sme, anchor, django_assert_max_num_queries
):
    dashboard_data(sme, anchor)
    for number in range(5):
        other = UniversityFactory()
        employer = EnterpriseFactory()
        graduate(other, f"X{number}", "local_ssb", employer=employer)

    # anonymous, so no session: totals, experts, fund, internships, by university, graduates
    # and internships by enterprise, their names, years (2), retention by year
    with django_assert_max_num_queries(11):
        response = client.get(url("dashboard"))

    assert response.status_code == 200
    assert len(response.context["universities"]) == 7
