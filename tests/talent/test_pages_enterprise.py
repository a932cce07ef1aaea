"""The enterprise's side of the talent pages: confirming a graduate's hire, recording and editing
overseas experts, and the queries its page takes.
"""

from decimal import Decimal

import pytest

from talent.models import OverseasExpert
from tests.factories import StudentFactory, UniversityFactory
from tests.talent.pages_support import graduate, internship, text_of, url

pytestmark = pytest.mark.django_db


# --- the enterprise's side --------------------------------------------------------------------


def test_the_employer_confirms_a_hire(client, university, sme):
    hire = graduate(university, "G1", "local_ssb", employer=sme)
    client.force_login(sme.owner)

    response = client.post(url("graduate_confirm", sme.uscc, hire.pk), follow=True)

    hire.refresh_from_db()
    assert hire.employer_confirmed_at is not None
    assert "The hire of graduate G1 is confirmed." in text_of(response)


def expert_data(**changes) -> dict:
    data = {
        "name": "Dr. Anna Berg",
        "country": "Sweden",
        "field": "Sulfide electrolytes",
        "years_experience": "12",
        "status": "signed",
        "signed_on": "2026-01-15",
        "base_salary_cny": "900000",
        "housing_benefit_cny": "120000",
        "school_priority": "on",
        "benefits-TOTAL_FORMS": "3",
        "benefits-INITIAL_FORMS": "0",
        "benefits-MIN_NUM_FORMS": "0",
        "benefits-MAX_NUM_FORMS": "20",
        "benefits-0-label": "Research start-up",
        "benefits-0-amount_cny": "300000",
        "benefits-1-label": "Family travel",
        "benefits-1-amount_cny": "30000.50",
    }
    data.update(changes)
    return data


def test_the_host_records_an_expert_and_sees_the_total_package(client, sme):
    client.force_login(sme.owner)

    response = client.post(url("expert_add", sme.uscc), expert_data(), follow=True)

    expert = OverseasExpert.objects.get()
    assert expert.total_package_cny == Decimal("1350000.50")
    assert expert.benefits.count() == 2
    page = text_of(response)
    assert "the total package is 1,350,000.50 CNY a year" in page
    assert "1,350,000.50" in page


def test_an_expert_with_three_years_experience_is_refused(client, sme):
    client.force_login(sme.owner)

    response = client.post(url("expert_add", sme.uscc), expert_data(years_experience="3"))

    assert response.status_code == 400
    assert response.context["form"].errors["years_experience"] == [
        "Ensure this value is greater than or equal to 5."
    ]
    assert not OverseasExpert.objects.exists()


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        ({"signed_on": ""}, "signed_on", "Give the date the contract was signed."),
        ({"benefits-1-amount_cny": ""}, 1, "Give the amount of this benefit."),
        ({"benefits-0-amount_cny": "-5"}, 0, "greater than or equal to 0"),
    ],
)
def test_a_bad_expert_record_is_refused_where_it_is_wrong(client, sme, changes, where, message):
    client.force_login(sme.owner)

    response = client.post(url("expert_add", sme.uscc), expert_data(**changes))

    assert response.status_code == 400
    if isinstance(where, int):
        errors = response.context["formset"].forms[where].errors
        assert message in " ".join(m for messages in errors.values() for m in messages)
    else:
        assert response.context["form"].errors[where] == [message]
    assert not OverseasExpert.objects.exists()


def test_the_host_edits_an_expert_and_replaces_the_benefits(client, sme):
    client.force_login(sme.owner)
    client.post(url("expert_add", sme.uscc), expert_data())
    expert = OverseasExpert.objects.get()

    form = client.get(url("expert_edit", sme.uscc, expert.pk))
    client.post(
        url("expert_edit", sme.uscc, expert.pk),
        expert_data(**{"status": "arrived", "benefits-1-label": "", "benefits-1-amount_cny": ""}),
    )

    expert.refresh_from_db()
    assert 'value="Research start-up"' in form.content.decode()
    assert expert.status == "arrived"
    assert expert.total_package_cny == Decimal("1320000.00")
    assert list(expert.benefits.values_list("label", flat=True)) == ["Research start-up"]


def test_the_enterprise_page_takes_a_fixed_number_of_queries(
    client, sme, django_assert_max_num_queries
):
    for _number in range(6):
        university = UniversityFactory()
        student = StudentFactory(university=university)
        internship(student, sme)
        graduate(university, student.student_number, "local_ssb", employer=sme)
        client.force_login(sme.owner)
        client.post(url("expert_add", sme.uscc), expert_data(name=f"Expert {_number}"))

    # session, user, the enterprise, internships (official check, count, page), hires
    # (official check, count, page), experts (official check, experts, benefits)
    with django_assert_max_num_queries(12):
        response = client.get(url("enterprise", sme.uscc))

    assert len(response.context["internship_rows"]) == 6
    assert len(response.context["hires"].object_list) == 6
    assert len(response.context["experts"]) == 6
