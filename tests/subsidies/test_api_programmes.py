"""The public programme list of the API, /api/v1/programmes/: rules, amounts, filters, queries."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import ProgrammeFactory
from tests.subsidies.api_support import PROGRAMMES

pytestmark = pytest.mark.django_db


# --- programmes ----------------------------------------------------------------------------


def test_programmes_are_public_with_their_rule_and_amounts_as_decimal_strings(api_client):
    ProgrammeFactory(kind="local_procurement", required_documents=["invoices"])

    response = api_client.get(PROGRAMMES)

    assert response.status_code == 200
    [programme] = response.json()["results"]
    assert programme["kind"] == "local_procurement"
    assert programme["rate_percent"] == "5.00"
    assert programme["budget_cny"] == "10000000.00"
    assert programme["is_open"] is True
    assert programme["required_documents"] == [
        {"kind": "invoices", "label": "Invoices or purchase contracts"}
    ]
    assert set(programme["eligible_categories"]) == {"solid-electrolyte", "cells-and-packs"}
    assert programme["claim_fields"] == ["summary"]


def test_a_programme_shows_its_own_parameters_and_claim_fields(api_client):
    programme = ProgrammeFactory(kind="standards_reward")

    response = api_client.get(f"{PROGRAMMES}{programme.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["lead_reward_cny"] == "1000000.00"
    assert body["participate_reward_cny"] == "500000.00"
    assert body["claim_fields"] == ["summary", "standard_participation"]


def test_programmes_filter_by_kind_year_and_open(api_client):
    today = timezone.localdate()
    open_fund = ProgrammeFactory(kind="rd_fund")
    closed_fund = ProgrammeFactory(
        kind="rd_fund",
        opens_on=today - datetime.timedelta(days=90),
        closes_on=today - datetime.timedelta(days=60),
    )
    last_year = ProgrammeFactory(kind="local_procurement", year=today.year - 1)

    def ids(**params):
        response = api_client.get(PROGRAMMES, params)
        assert response.status_code == 200
        return {programme["id"] for programme in response.json()["results"]}

    assert ids(kind="rd_fund") == {open_fund.pk, closed_fund.pk}
    assert ids(kind="rd_fund", open="true") == {open_fund.pk}
    assert ids(open="false") == {closed_fund.pk}
    assert ids(year=today.year - 1) == {last_year.pk}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "free_money"}, "kind"),
        ({"year": "last"}, "year"),
        ({"year": "1e3"}, "year"),
        ({"open": "maybe"}, "open"),
    ],
)
def test_a_bad_programme_filter_answers_400_naming_it(api_client, params, field):
    response = api_client.get(PROGRAMMES, params)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("path", ["999999/", "abc/", "99999999999999999999999999/"])
def test_an_unknown_programme_is_not_found(api_client, path):
    assert api_client.get(f"{PROGRAMMES}{path}").status_code == 404


def test_programme_list_queries_do_not_grow_with_the_rows(api_client, django_assert_num_queries):
    ProgrammeFactory.create_batch(6, kind="local_procurement")

    # count, page, the eligible categories of the page (prefetched)
    with django_assert_num_queries(3):
        response = api_client.get(PROGRAMMES)

    assert len(response.json()["results"]) == 6
