"""Demands through the API, /api/v1/demands/: publishing and editing, private demands that
answer 404 to the SMEs not invited, and the matches of a demand.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from alliance.models import Collaboration, DemandResponse
from alliance.services import responses as response_services
from alliance.services import supplier_history
from tests.alliance import api_support
from tests.alliance.api_support import DEMANDS, demand_url, errors, response_url
from tests.factories import (
    AllianceMemberFactory,
    CertificationFactory,
    DemandFactory,
    EnterpriseFactory,
    ProductFactory,
    outside_district,
)

pytestmark = pytest.mark.django_db


# The API tests' own fixtures, bound here rather than in the conftest: the page tests of this
# folder build fixtures of the same names differently.
demand = api_support.demand


def candidate(ionic_conductivity: float, **enterprise_fields):
    """An SME of the alliance with one sulfide electrolyte of that conductivity."""
    enterprise = EnterpriseFactory(kind="sme", **enterprise_fields)
    AllianceMemberFactory(enterprise=enterprise)
    ProductFactory(enterprise=enterprise, ionic_conductivity=ionic_conductivity, asr=30.0)
    return enterprise


# --- demands -------------------------------------------------------------------------------


def test_an_anchor_member_posts_a_demand(as_anchor, member_anchor):
    response = as_anchor.post(
        DEMANDS,
        {
            "owner": member_anchor.uscc,
            "title": "Li6PS5Cl powder, 20 t a year",
            "category": "sulfide-electrolyte",
            "ionic_conductivity_min": 0.002,
            "required_certifications": ["ISO 9001"],
            "annual_volume": "20",
            "volume_unit": "t",
            "preferred_model": "supply",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"] == member_anchor.uscc
    assert body["annual_volume"] == "20.00"
    assert body["ionic_conductivity_min"] == 0.002
    assert body["visibility"] == "members"
    assert body["status"] == "open"
    assert as_anchor.get(demand_url(body["id"])).json()["title"] == "Li6PS5Cl powder, 20 t a year"


def test_an_sme_cannot_post_a_demand(as_sme, member_sme):
    response = as_sme.post(
        DEMANDS,
        {
            "owner": member_sme.uscc,
            "title": "x",
            "category": "sulfide-electrolyte",
            "preferred_model": "supply",
        },
        format="json",
    )

    assert response.status_code == 403


def test_the_owner_changes_and_closes_its_demand(as_anchor, demand):
    changed = as_anchor.patch(demand_url(demand), {"asr_max": 25, "title": "New"}, format="json")
    owner_field = as_anchor.patch(demand_url(demand), {"owner": "x"}, format="json")
    closed = as_anchor.post(demand_url(demand, "close"), {"note": "Found one"}, format="json")

    assert changed.status_code == 200, changed.content
    assert changed.json()["asr_max"] == 25
    assert changed.json()["ionic_conductivity_min"] == 0.001
    assert errors(owner_field) == {"owner": ["Unknown field."]}
    assert closed.json()["status"] == "closed"
    again = as_anchor.patch(demand_url(demand), {"title": "Again"}, format="json")
    assert again.status_code == 400


def test_another_member_sees_an_open_demand_but_may_not_change_it(as_sme, member_sme, demand):
    assert as_sme.get(demand_url(demand)).status_code == 200
    assert as_sme.patch(demand_url(demand), {"title": "Mine"}, format="json").status_code == 403
    assert as_sme.post(demand_url(demand, "close"), {}, format="json").status_code == 403


def test_the_demand_list_shows_what_the_user_may_see_and_filters(
    as_sme, member_sme, member_anchor, demand
):
    private = DemandFactory(owner=member_anchor, visibility="invited")
    closed = DemandFactory(owner=member_anchor, status="closed")
    licensing = DemandFactory(owner=member_anchor, preferred_model="licensing")
    anode = DemandFactory(owner=member_anchor, category=demand.category.parent)

    def ids(**params):
        response = as_sme.get(DEMANDS, params)
        assert response.status_code == 200, response.content
        return {d["id"] for d in response.json()["results"]}

    assert ids() == {demand.pk, licensing.pk, anode.pk}
    assert private.pk not in ids() and closed.pk not in ids()
    assert ids(model="licensing") == {licensing.pk}
    assert ids(category=demand.category.parent.slug) == {demand.pk, licensing.pk, anode.pk}
    assert ids(category=demand.category.slug) == {demand.pk, licensing.pk}
    assert errors(as_sme.get(DEMANDS, {"status": "pending"})).keys() == {"status"}
    assert errors(as_sme.get(DEMANDS, {"category": "nope"})).keys() == {"category"}


def test_a_user_outside_the_alliance_sees_no_demands(api_client, sme, demand):
    api_client.force_login(sme.owner)  # sme is not an alliance member

    response = api_client.get(DEMANDS)

    assert response.status_code == 200
    assert response.json()["results"] == []
    assert api_client.get(demand_url(demand)).status_code == 404


def test_demands_need_a_login(api_client, demand):
    assert api_client.get(DEMANDS).status_code == 401


def test_an_official_sees_every_demand(api_client, official, member_anchor):
    private = DemandFactory(owner=member_anchor, visibility="invited")
    api_client.force_login(official)

    assert [d["id"] for d in api_client.get(DEMANDS).json()["results"]] == [private.pk]


def test_a_token_works_like_a_session(api_client, member_anchor, demand):
    token = Token.objects.create(user=member_anchor.owner)

    response = api_client.get(DEMANDS, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert [d["id"] for d in response.json()["results"]] == [demand.pk]


# --- private demands: 404 for the SMEs not invited -----------------------------------------


def test_an_sme_not_invited_to_a_private_demand_gets_404_everywhere(
    as_sme, member_sme, member_anchor
):
    private = DemandFactory(owner=member_anchor, visibility="invited")

    for url in (
        demand_url(private),
        demand_url(private, "responses"),
        demand_url(private, "matches"),
    ):
        assert as_sme.get(url).status_code == 404, url
    interest = as_sme.post(
        demand_url(private, "responses"),
        {"supplier": member_sme.uscc, "message": "We can"},
        format="json",
    )
    assert interest.status_code == 404
    assert as_sme.post(demand_url(private, "close"), {}, format="json").status_code == 404
    assert not DemandResponse.objects.exists()


def test_an_invited_sme_sees_the_private_demand_and_its_own_response_only(
    as_sme, member_sme, member_anchor, other_sme
):
    private = DemandFactory(owner=member_anchor, visibility="invited")
    response_services.supplier_invite(
        actor=member_anchor.owner, demand=private, supplier=member_sme
    )
    response_services.supplier_invite(actor=member_anchor.owner, demand=private, supplier=other_sme)

    assert as_sme.get(demand_url(private)).status_code == 200
    responses = as_sme.get(demand_url(private, "responses")).json()["results"]
    assert [r["supplier"] for r in responses] == [member_sme.uscc]
    assert as_sme.get(demand_url(private, "matches")).status_code == 404


def test_the_owner_sees_every_response(as_anchor, demand, member_sme, other_sme):
    for supplier in (member_sme, other_sme):
        response_services.interest_express(
            actor=supplier.owner, demand=demand, supplier=supplier, message="We can supply"
        )

    responses = as_anchor.get(demand_url(demand, "responses")).json()["results"]

    assert {r["supplier"] for r in responses} == {member_sme.uscc, other_sme.uscc}
    assert {r["status"] for r in responses} == {"interested"}


def test_another_organisations_response_answers_404(api_client, demand, member_sme, other_sme):
    response = response_services.interest_express(
        actor=member_sme.owner, demand=demand, supplier=member_sme, message="We can supply"
    )
    api_client.force_login(other_sme.owner)

    assert api_client.get(response_url(response)).status_code == 404
    for action in ("shortlist", "decline", "answer", "agree", "meetings"):
        reply = api_client.post(response_url(response, action), {"accept": True}, format="json")
        assert reply.status_code == 404, action


# --- matches -------------------------------------------------------------------------------


def test_matches_are_ranked_with_parts_summing_to_the_score(as_anchor, demand):
    far_local = candidate(0.0030, recommended=True)
    near_local = candidate(0.0011)
    near_outside = candidate(0.0011, district=outside_district())
    EnterpriseFactory(kind="sme")  # no product: does not qualify
    candidate(0.0005)  # below the threshold

    response = as_anchor.get(demand_url(demand, "matches"))

    assert response.status_code == 200, response.content
    matches = response.json()
    assert [m["enterprise"]["uscc"] for m in matches] == [
        far_local.uscc,
        near_local.uscc,
        near_outside.uscc,
    ]
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True)
    for match in matches:
        assert round(sum(part["points"] for part in match["parts"]), 1) == match["score"]
        assert {part["key"] for part in match["parts"]} == {
            "specs",
            "capacity",
            "local",
            "recommended",
            "track_record",
            "responsiveness",
        }
        assert sum(part["max_points"] for part in match["parts"]) == 100
        assert match["response_status"] is None
        assert set(match["qualifies"]) == {"ionic_conductivity", "asr"}
    best = matches[0]
    assert best["product"]["specs"] == {"ionic_conductivity": 0.003, "asr": 30.0}
    local = {part["key"]: part for part in best["parts"]}["local"]
    assert local == {"key": "local", "points": 15, "max_points": 15, "detail": {"local": True}}
    assert {p["key"]: p for p in matches[2]["parts"]}["local"]["points"] == 0


def test_matches_require_valid_certifications_and_show_the_response_status(
    as_anchor, member_anchor, member_sme
):
    demand = DemandFactory(owner=member_anchor, required_certifications=["ISO 9001"])
    certified = candidate(0.001)
    CertificationFactory(enterprise=certified)
    expired = candidate(0.001)
    CertificationFactory(enterprise=expired, valid_until=datetime.date(2020, 1, 1))
    CertificationFactory(enterprise=member_sme)
    response_services.supplier_invite(actor=member_anchor.owner, demand=demand, supplier=member_sme)

    matches = as_anchor.get(demand_url(demand, "matches")).json()

    statuses = {m["enterprise"]["uscc"]: m["response_status"] for m in matches}
    assert statuses == {certified.uscc: None, member_sme.uscc: "invited"}


def test_matches_answer_404_to_an_sme_that_does_not_own_the_demand(as_sme, member_sme, demand):
    assert as_sme.get(demand_url(demand)).status_code == 200

    assert as_sme.get(demand_url(demand, "matches")).status_code == 404


def test_an_official_sees_the_matches(api_client, official, demand, member_sme):
    api_client.force_login(official)

    response = api_client.get(demand_url(demand, "matches"))

    assert [m["enterprise"]["uscc"] for m in response.json()] == [member_sme.uscc]


def _match_queries(client, demand) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(demand_url(demand, "matches"))
    assert response.status_code == 200
    return len(queries), len(response.json())


def test_the_matches_query_count_does_not_grow_with_the_candidates(
    as_anchor, member_anchor, demand
):
    for index in range(2):
        supplier = candidate(0.0012 + index / 10000)
        response_services.supplier_invite(
            actor=member_anchor.owner, demand=demand, supplier=supplier
        )
    few_queries, few = _match_queries(as_anchor, demand)

    for index in range(8):
        supplier = candidate(0.0012 + index / 10000)
        ProductFactory(enterprise=supplier, ionic_conductivity=0.002, asr=10.0)
        collaboration = Collaboration.objects.create(
            title="Done", model="supply", starts_on=datetime.date(2025, 1, 1), status="completed"
        )
        collaboration.parties.create(enterprise=supplier, role="supplier")
        supplier_history.supplier_history_refresh(suppliers=[supplier.pk])
    many_queries, many = _match_queries(as_anchor, demand)

    assert (few, many) == (2, 10)
    assert many_queries == few_queries
    # session, user, is-official, the user's alliance organisations, the demand, is-owner,
    # the ranked candidates (best product, enterprise, district and history joined),
    # response statuses
    assert many_queries == 8
