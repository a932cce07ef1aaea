"""Overseas experts through the talent API: recorded by their host with the package computed,
seen by the host and officials only; bad data is refused by name.
"""

from decimal import Decimal

import pytest

from talent.models import OverseasExpert
from tests.talent import api_support
from tests.talent.api_support import EXPERTS, THIS_YEAR, as_user, errors, url

pytestmark = pytest.mark.django_db


# The API tests' own fixtures, bound here rather than in the conftest: other test modules of
# this folder build fixtures of the same names differently.
university = api_support.university


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
