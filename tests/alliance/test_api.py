"""The Industry Alliance through the API: members, demands and their matches, the journey from
interest to a collaboration, meetings, collaborations and standards work."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from alliance.models import (
    AllianceMember,
    Collaboration,
    CollaborationStatus,
    DemandResponse,
    DemandStatus,
    Meeting,
    MemberStatus,
    ResponseStatus,
    StandardParticipation,
)
from alliance.services import responses as response_services
from alliance.services import supplier_history
from tests.factories import (
    AllianceMemberFactory,
    CertificationFactory,
    DemandFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    PurchaseLineFactory,
    StandardFactory,
    StandardParticipationFactory,
    UserFactory,
    outside_district,
)

pytestmark = pytest.mark.django_db

MEMBERS = "/api/v1/alliance/members/"
DEMANDS = "/api/v1/demands/"
COLLABORATIONS = "/api/v1/collaborations/"
STANDARDS = "/api/v1/standards/"


def demand_url(demand, action: str = "") -> str:
    pk = demand if isinstance(demand, int | str) else demand.pk
    return f"{DEMANDS}{pk}/" + (f"{action}/" if action else "")


def response_url(response, action: str = "") -> str:
    return f"/api/v1/responses/{response.pk}/" + (f"{action}/" if action else "")


def meeting_url(meeting, action: str = "") -> str:
    return f"/api/v1/meetings/{meeting.pk}/" + (f"{action}/" if action else "")


def in_days(days: int, hour: int = 10) -> str:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


@pytest.fixture
def member_anchor(anchor):
    AllianceMemberFactory(enterprise=anchor)
    return anchor


@pytest.fixture
def member_sme(sme):
    """An SME of the alliance with a product that meets the demand below."""
    AllianceMemberFactory(enterprise=sme)
    ProductFactory(enterprise=sme, ionic_conductivity=0.0015, asr=20.0)
    return sme


@pytest.fixture
def demand(member_anchor):
    return DemandFactory(owner=member_anchor, ionic_conductivity_min=0.001, asr_max=40.0)


@pytest.fixture
def as_anchor(api_client, anchor):
    api_client.force_login(anchor.owner)
    return api_client


@pytest.fixture
def as_sme(api_client, sme):
    api_client.force_login(sme.owner)
    return api_client


@pytest.fixture
def other_sme():
    """Another SME of the alliance, with its own administrator."""
    enterprise = EnterpriseFactory(kind="sme")
    AllianceMemberFactory(enterprise=enterprise)
    enterprise.owner = UserFactory(username="other-sme-owner")
    MembershipFactory(user=enterprise.owner, enterprise=enterprise, role="owner")
    return enterprise


def candidate(ionic_conductivity: float, **enterprise_fields):
    """An SME of the alliance with one sulfide electrolyte of that conductivity."""
    enterprise = EnterpriseFactory(kind="sme", **enterprise_fields)
    AllianceMemberFactory(enterprise=enterprise)
    ProductFactory(enterprise=enterprise, ionic_conductivity=ionic_conductivity, asr=30.0)
    return enterprise


def errors(response) -> dict:
    assert response.status_code == 400, (response.status_code, response.content)
    return response.json()


# --- members -------------------------------------------------------------------------------


def test_the_member_list_is_public_and_filters_by_kind(api_client, member_anchor, member_sme):
    EnterpriseFactory(kind="sme")  # not a member
    AllianceMemberFactory(enterprise=EnterpriseFactory(kind="university"), status="applied")

    everyone = api_client.get(MEMBERS)
    smes = api_client.get(MEMBERS, {"kind": "sme"})

    assert everyone.status_code == 200
    assert {m["uscc"] for m in everyone.json()["results"]} == {member_anchor.uscc, member_sme.uscc}
    assert [m["uscc"] for m in smes.json()["results"]] == [member_sme.uscc]
    assert errors(api_client.get(MEMBERS, {"kind": "giant"})).keys() == {"kind"}


def test_a_members_page_shows_collaborations_without_money_and_confirmed_standards_only(
    api_client, member_anchor, member_sme
):
    collaboration = Collaboration.objects.create(
        title="Sulfide supply",
        model="supply",
        agreed_value_cny=Decimal("1200000.00"),
        starts_on=datetime.date(2026, 1, 1),
    )
    collaboration.parties.create(enterprise=member_anchor, role="anchor")
    collaboration.parties.create(enterprise=member_sme, role="supplier")
    confirmed = StandardParticipationFactory(enterprise=member_sme)
    StandardParticipationFactory(enterprise=member_sme, status="pending")

    response = api_client.get(f"{MEMBERS}{member_sme.uscc.lower()}/")

    assert response.status_code == 200
    body = response.json()
    assert body["collaborations"] == [
        {
            "id": collaboration.pk,
            "title": "Sulfide supply",
            "model": "supply",
            "status": "active",
            "starts_on": "2026-01-01",
            "ends_on": None,
            "role": "supplier",
        }
    ]
    assert "1200000" not in response.content.decode()
    assert [s["standard"]["number"] for s in body["standards"]] == [confirmed.standard.number]


def test_a_non_member_has_no_public_page(api_client, sme):
    AllianceMemberFactory(enterprise=sme, status="applied")

    assert api_client.get(f"{MEMBERS}{sme.uscc}/").status_code == 404
    assert api_client.get(f"{MEMBERS}not-a-code/").status_code == 404


def test_an_organisation_applies_to_join(as_sme, sme):
    response = as_sme.post(
        MEMBERS,
        {"enterprise": sme.uscc, "motivation": "We make sulfide electrolytes."},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "applied"
    member = AllianceMember.objects.get(enterprise=sme)
    assert member.status == MemberStatus.APPLIED
    assert member.notify_new_demands is True


def test_applying_for_someone_elses_organisation_is_forbidden(as_sme, anchor):
    response = as_sme.post(MEMBERS, {"enterprise": anchor.uscc}, format="json")

    assert response.status_code == 403
    assert not AllianceMember.objects.exists()


def test_applying_needs_a_login(api_client, sme):
    assert api_client.post(MEMBERS, {"enterprise": sme.uscc}, format="json").status_code in (
        401,
        403,
    )


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


# --- the journey: interest, invitation, answer, agreement -----------------------------------


def test_interest_invitation_answer_and_agreement_create_a_collaboration(
    api_client, member_anchor, member_sme, demand
):
    sme_client = api_client
    sme_client.force_login(member_sme.owner)
    anchor_client = type(api_client)()
    anchor_client.force_login(member_anchor.owner)

    interest = sme_client.post(
        demand_url(demand, "responses"),
        {"supplier": member_sme.uscc, "message": "We ship 30 t a year."},
        format="json",
    )
    assert interest.status_code == 201, interest.content
    response = DemandResponse.objects.get(pk=interest.json()["id"])
    assert interest.json()["status"] == "interested"

    shortlisted = anchor_client.post(response_url(response, "shortlist"), format="json")
    assert shortlisted.json()["status"] == "shortlisted"
    invited = anchor_client.post(
        demand_url(demand, "invite"),
        {"supplier": member_sme.uscc, "message": "Let us talk"},
        format="json",
    )
    assert invited.status_code == 200, invited.content
    assert invited.json()["status"] == "invited"

    too_early = sme_client.post(response_url(response, "agree"), {}, format="json")
    assert too_early.status_code == 400
    accepted = sme_client.post(
        response_url(response, "answer"), {"accept": True, "note": "Gladly"}, format="json"
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["answered_at"] is not None

    sme_first = sme_client.post(response_url(response, "agree"), {}, format="json")
    assert sme_first.status_code == 400  # the anchor sets the terms first
    terms_by_sme = sme_client.post(
        response_url(response, "agree"), {"starts_on": "2027-01-01"}, format="json"
    )
    assert errors(terms_by_sme).keys() == {"starts_on"}

    anchor_agrees = anchor_client.post(
        response_url(response, "agree"),
        {
            "agreed_value_cny": "2500000.5",
            "starts_on": "2027-01-01",
            "ends_on": "2029-12-31",
            "committed_annual_volume": "30",
            "volume_unit": "t",
        },
        format="json",
    )
    assert anchor_agrees.status_code == 200, anchor_agrees.content
    assert anchor_agrees.json()["collaboration"] is None
    terms = anchor_agrees.json()["response"]["owner_terms"]
    assert terms["agreed_value_cny"] == "2500000.50"
    assert terms["starts_on"] == "2027-01-01"

    sme_agrees = sme_client.post(response_url(response, "agree"), {}, format="json")
    assert sme_agrees.status_code == 201, sme_agrees.content
    collaboration = Collaboration.objects.get(pk=sme_agrees.json()["collaboration"])
    assert collaboration.agreed_value_cny == Decimal("2500000.50")
    assert collaboration.committed_annual_volume == Decimal("30.00")
    demand.refresh_from_db()
    assert demand.status == DemandStatus.MATCHED

    for client in (sme_client, anchor_client):
        detail = client.get(f"{COLLABORATIONS}{collaboration.pk}/")
        assert detail.status_code == 200
        assert {(p["uscc"], p["role"]) for p in detail.json()["parties"]} == {
            (member_anchor.uscc, "anchor"),
            (member_sme.uscc, "supplier"),
        }
        assert detail.json()["agreed_value_cny"] == "2500000.50"


def test_the_owner_declines_an_interested_sme(as_anchor, demand, member_sme):
    response = response_services.interest_express(
        actor=member_sme.owner, demand=demand, supplier=member_sme, message="We can supply"
    )

    declined = as_anchor.post(response_url(response, "decline"), {"note": "Too far"}, format="json")
    again = as_anchor.post(response_url(response, "shortlist"), format="json")

    assert declined.json()["status"] == "declined"
    assert again.status_code == 400


def test_the_sme_cannot_shortlist_itself(as_sme, demand, member_sme):
    response = response_services.interest_express(
        actor=member_sme.owner, demand=demand, supplier=member_sme, message="We can supply"
    )

    assert as_sme.post(response_url(response, "shortlist"), format="json").status_code == 403
    response.refresh_from_db()
    assert response.status == ResponseStatus.INTERESTED


# --- meetings ------------------------------------------------------------------------------


@pytest.fixture
def invitation(demand, member_anchor, member_sme):
    return response_services.supplier_invite(
        actor=member_anchor.owner, demand=demand, supplier=member_sme
    )


def test_a_meeting_is_proposed_accepted_and_downloaded_as_a_calendar_file(
    api_client, member_anchor, member_sme, invitation
):
    api_client.force_login(member_anchor.owner)
    slots = [in_days(3), in_days(4, hour=15)]
    proposed = api_client.post(
        response_url(invitation, "meetings"),
        {"slots": slots, "duration_minutes": 90, "location": "Room 3"},
        format="json",
    )
    assert proposed.status_code == 201, proposed.content
    meeting = Meeting.objects.get(pk=proposed.json()["id"])
    assert proposed.json()["proposed_by"] == member_anchor.uscc
    assert proposed.json()["calendar"] is None
    own_answer = api_client.post(
        meeting_url(meeting, "answer"), {"accept": True, "slot": slots[0]}, format="json"
    )
    assert own_answer.status_code == 403
    assert api_client.get(meeting_url(meeting, "ics")).status_code == 404

    api_client.force_login(member_sme.owner)
    # The same instant written in UTC is the same slot.
    chosen = datetime.datetime.fromisoformat(slots[1]).astimezone(datetime.UTC).isoformat()
    answered = api_client.post(
        meeting_url(meeting, "answer"), {"accept": True, "slot": chosen}, format="json"
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "accepted"
    assert answered.json()["calendar"] == meeting_url(meeting, "ics")

    for user in (member_sme.owner, member_anchor.owner):
        api_client.force_login(user)
        ics = api_client.get(meeting_url(meeting, "ics"))
        assert ics.status_code == 200
        assert ics["Content-Type"].startswith("text/calendar")
        text = ics.content.decode()
        assert text.startswith("BEGIN:VCALENDAR\r\n")
        start = datetime.datetime.fromisoformat(slots[1]).astimezone(datetime.UTC)
        assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in text
        assert "LOCATION:Room 3" in text
        listed = api_client.get(response_url(invitation, "meetings")).json()
        assert [m["status"] for m in listed] == ["accepted"]
    asked_for_a_calendar = api_client.get(meeting_url(meeting, "ics"), HTTP_ACCEPT="text/calendar")
    assert asked_for_a_calendar.status_code == 200


def test_only_the_two_sides_see_a_meeting(api_client, official, other_sme, invitation, anchor):
    meeting = response_services.meeting_propose(
        actor=anchor.owner, response=invitation, slots=[in_days(2)]
    )
    response_services.meeting_answer(
        actor=invitation.supplier.owner, meeting=meeting, slot=meeting.slots[0]
    )

    for user in (other_sme.owner, official):
        api_client.force_login(user)
        assert api_client.get(meeting_url(meeting)).status_code == 404
        assert api_client.get(meeting_url(meeting, "ics")).status_code == 404
    api_client.logout()
    assert api_client.get(meeting_url(meeting, "ics")).status_code == 401


def test_a_meeting_is_declined(api_client, member_sme, invitation, anchor):
    meeting = response_services.meeting_propose(
        actor=anchor.owner, response=invitation, slots=[in_days(2)]
    )
    api_client.force_login(member_sme.owner)

    response = api_client.post(meeting_url(meeting, "answer"), {"accept": False}, format="json")

    assert response.json()["status"] == "declined"


# --- bad input: 400 naming the field, never a 500 -------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"budget": "1"}, "budget"),
        ({"asr_max": -1}, "asr_max"),
        ({"decay_rate_max": 150}, "decay_rate_max"),
        ({"ionic_conductivity_min": "high"}, "ionic_conductivity_min"),
        ({"ionic_conductivity_min": "NaN"}, "ionic_conductivity_min"),
        ({"specific_capacity_min": [1]}, "specific_capacity_min"),
        ({"annual_volume": "lots"}, "annual_volume"),
        ({"annual_volume": "-3"}, "annual_volume"),
        ({"annual_volume": "5"}, "volume_unit"),
        ({"volume_unit": "barrels"}, "volume_unit"),
        ({"required_certifications": ["ISO 0"]}, "required_certifications"),
        ({"required_certifications": "ISO 9001"}, "required_certifications"),
        ({"category": "nope"}, "category"),
        ({"category": 7}, "category"),
        ({"preferred_model": "merger"}, "preferred_model"),
        ({"visibility": "secret"}, "visibility"),
        ({"needed_by": "soon"}, "needed_by"),
        ({"owner": "123"}, "owner"),
        ({"owner": 123}, "owner"),
        ({"title": ""}, "title"),
    ],
)
def test_a_bad_demand_is_refused_under_the_fields_name(as_anchor, member_anchor, fields, field):
    data = {
        "owner": member_anchor.uscc,
        "title": "Electrolyte",
        "category": "sulfide-electrolyte",
        "preferred_model": "supply",
        **fields,
    }

    response = as_anchor.post(DEMANDS, data, format="json")

    assert field in errors(response)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"slots": []}, "slots"),
        ({"slots": ["tomorrow"]}, "slots"),
        ({"slots": ["2001-01-01T10:00:00+08:00"]}, "slots"),
        ({"slots": "2031-01-01T10:00:00+08:00"}, "slots"),
        ({"slots": ["2031-01-01T10:00:00+08:00"] * 6}, "slots"),
        ({"slots": ["2031-01-01T10:00:00+08:00"], "duration_minutes": "long"}, "duration_minutes"),
        ({"slots": ["2031-01-01T10:00:00+08:00"], "duration_minutes": 5}, "duration_minutes"),
        ({"slots": ["2031-01-01T10:00:00+08:00"], "room": "3"}, "room"),
    ],
)
def test_a_bad_meeting_proposal_is_refused_under_the_fields_name(
    as_anchor, invitation, data, field
):
    response = as_anchor.post(response_url(invitation, "meetings"), data, format="json")

    assert field in errors(response)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"accept": "maybe"}, "accept"),
        ({}, "accept"),
        ({"accept": True}, "slot"),
        ({"accept": True, "slot": "noon"}, "slot"),
        ({"accept": True, "slot": "2031-02-02T10:00:00+08:00"}, "slot"),
    ],
)
def test_a_bad_meeting_answer_is_refused_under_the_fields_name(
    api_client, member_sme, invitation, anchor, data, field
):
    meeting = response_services.meeting_propose(
        actor=anchor.owner, response=invitation, slots=["2031-01-01T10:00:00+08:00"]
    )
    api_client.force_login(member_sme.owner)

    response = api_client.post(meeting_url(meeting, "answer"), data, format="json")

    assert field in errors(response)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"starts_on": "2027-01-01", "ends_on": "2026-01-01"}, "ends_on"),
        ({"starts_on": "next year"}, "starts_on"),
        ({"starts_on": "2027-01-01", "agreed_value_cny": "-5"}, "agreed_value_cny"),
        ({"starts_on": "2027-01-01", "agreed_value_cny": "a lot"}, "agreed_value_cny"),
        ({"starts_on": "2027-01-01", "agreed_value_cny": "1.234"}, "agreed_value_cny"),
        ({"starts_on": "2027-01-01", "committed_annual_volume": 1e20}, "committed_annual_volume"),
        ({"starts_on": "2027-01-01", "royalty": "5%"}, "royalty"),
        ({"agreed_value_cny": "5"}, "starts_on"),
        ({}, "starts_on"),
    ],
)
def test_bad_terms_are_refused_under_the_fields_name(
    as_anchor, member_sme, invitation, data, field
):
    response_services.response_answer(actor=member_sme.owner, response=invitation, accept=True)

    response = as_anchor.post(response_url(invitation, "agree"), data, format="json")

    assert field in errors(response)
    assert not Collaboration.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/demands/abc/",
        "/api/v1/demands/-1/",
        "/api/v1/demands/99999999999999999999999/",
        "/api/v1/demands/99999999999999999999999/matches/",
        "/api/v1/responses/99999999999999999999999/",
        "/api/v1/meetings/1.5/ics/",
        "/api/v1/collaborations/99999999999999999999999/",
        "/api/v1/standards/99999999999999999999999/",
    ],
)
def test_malformed_or_huge_ids_answer_404(as_anchor, url):
    assert as_anchor.get(url).status_code == 404


def test_malformed_codes_in_bodies_are_named(as_anchor, demand):
    response = as_anchor.post(
        demand_url(demand, "invite"), {"supplier": "9133 0100 xyz"}, format="json"
    )

    assert errors(response) == {"supplier": ["No enterprise is registered with this code."]}


def test_a_non_object_or_broken_body_is_a_400(as_anchor, demand):
    a_list = as_anchor.post(demand_url(demand, "invite"), ["a", "b"], format="json")
    broken = as_anchor.post(
        demand_url(demand, "invite"), '{"supplier": ', content_type="application/json"
    )
    infinite = as_anchor.patch(
        demand_url(demand), '{"asr_max": 1e400}', content_type="application/json"
    )

    assert a_list.status_code == 400
    assert broken.status_code == 400
    assert errors(infinite).keys() == {"asr_max"}


# --- collaborations ------------------------------------------------------------------------


@pytest.fixture
def collaboration(member_anchor, member_sme):
    collaboration = Collaboration.objects.create(
        title="Sulfide electrolyte supply",
        model="supply",
        agreed_value_cny=Decimal("900000.00"),
        starts_on=timezone.localdate().replace(month=1, day=1),
        committed_annual_volume=Decimal("10.00"),
        volume_unit="t",
    )
    collaboration.parties.create(enterprise=member_anchor, role="anchor")
    collaboration.parties.create(enterprise=member_sme, role="supplier")
    return collaboration


def test_a_party_sees_its_collaboration_with_deliveries_and_no_file_addresses(
    as_anchor, collaboration, member_anchor, member_sme
):
    PurchaseLineFactory(buyer=member_anchor, supplier=member_sme, quantity=Decimal("4"))
    PurchaseLineFactory(buyer=member_anchor, supplier=member_sme, quantity=Decimal("2.5"))
    collaboration.milestones.create(title="First lot", due_on=datetime.date(2027, 3, 1))

    response = as_anchor.get(f"{COLLABORATIONS}{collaboration.pk}/")

    assert response.status_code == 200
    body = response.json()
    [year] = body["supply_deliveries"]
    assert year == {
        "year": timezone.localdate().year,
        "quantity": "6.500",
        "amount_cny": "200000.00",
        "committed": "10.00",
        "delivered_percent": "65.0",
    }
    assert [m["title"] for m in body["milestones"]] == ["First lot"]
    assert body["documents"] == []


def test_collaborations_are_seen_by_their_parties_and_officials_only(
    api_client, collaboration, other_sme, official
):
    api_client.force_login(other_sme.owner)
    assert api_client.get(COLLABORATIONS).json()["results"] == []
    assert api_client.get(f"{COLLABORATIONS}{collaboration.pk}/").status_code == 404
    milestone = api_client.post(
        f"{COLLABORATIONS}{collaboration.pk}/milestones/",
        {"title": "Mine", "due_on": "2027-01-01"},
        format="json",
    )
    assert milestone.status_code == 404

    api_client.force_login(official)
    assert [c["id"] for c in api_client.get(COLLABORATIONS).json()["results"]] == [collaboration.pk]


def test_parties_add_and_complete_milestones_bring_in_a_university_and_close(as_sme, collaboration):
    university = EnterpriseFactory(kind="university")
    AllianceMemberFactory(enterprise=university)
    base = f"{COLLABORATIONS}{collaboration.pk}/"

    added = as_sme.post(
        f"{base}milestones/", {"title": "Pilot line", "due_on": "2027-06-30"}, format="json"
    )
    assert added.status_code == 201, added.content
    milestone_id = added.json()["id"]
    future = as_sme.post(
        f"{base}milestones/{milestone_id}/complete/",
        {"completed_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
        format="json",
    )
    assert errors(future).keys() == {"completed_on"}
    done = as_sme.post(f"{base}milestones/{milestone_id}/complete/", {}, format="json")
    assert done.json()["completed_on"] == timezone.localdate().isoformat()
    assert as_sme.post(f"{base}milestones/999999/complete/", {}).status_code == 404

    party = as_sme.post(f"{base}parties/", {"enterprise": university.uscc}, format="json")
    assert party.status_code == 201, party.content
    assert party.json()["role"] == "university"
    twice = as_sme.post(f"{base}parties/", {"enterprise": university.uscc}, format="json")
    assert errors(twice).keys() == {"enterprise"}

    no_reason = as_sme.post(f"{base}close/", {"status": "terminated"}, format="json")
    assert errors(no_reason).keys() == {"note"}
    still_active = as_sme.post(f"{base}close/", {"status": "active"}, format="json")
    assert errors(still_active).keys() == {"status"}
    closed = as_sme.post(f"{base}close/", {"status": "completed"}, format="json")
    assert closed.json()["status"] == "completed"
    collaboration.refresh_from_db()
    assert collaboration.status == CollaborationStatus.COMPLETED


def test_an_official_reads_but_does_not_change_a_collaboration(api_client, official, collaboration):
    api_client.force_login(official)

    response = api_client.post(
        f"{COLLABORATIONS}{collaboration.pk}/close/", {"status": "completed"}, format="json"
    )

    assert response.status_code == 403


# --- standards -----------------------------------------------------------------------------


def test_standards_are_public_with_their_confirmed_participants(api_client, member_sme):
    confirmed = StandardParticipationFactory(enterprise=member_sme, role="lead")
    StandardParticipationFactory(standard=confirmed.standard, status="pending")
    StandardFactory(is_international=False, body="GB/T", number="12345", stage="proposal")

    everything = api_client.get(STANDARDS)
    international = api_client.get(STANDARDS, {"international": "true"})

    assert everything.status_code == 200
    standards = {s["number"]: s for s in everything.json()["results"]}
    assert standards[confirmed.standard.number]["participations"] == [
        {
            "enterprise": {
                "uscc": member_sme.uscc,
                "name_zh": member_sme.name_zh,
                "name_en": member_sme.name_en,
            },
            "role": "lead",
            "joined_on": confirmed.joined_on.isoformat(),
            "left_on": None,
        }
    ]
    assert [s["number"] for s in international.json()["results"]] == [confirmed.standard.number]
    assert errors(api_client.get(STANDARDS, {"international": "maybe"})).keys() == {"international"}


def test_a_standard_is_recorded_once_and_a_participation_declared(as_sme, sme):
    data = {"body": "IEC", "number": "62660-9", "title": "Solid-state cells", "stage": "proposal"}

    first = as_sme.post(STANDARDS, data, format="json")
    second = as_sme.post(STANDARDS, {**data, "number": "62660 9"}, format="json")

    assert first.status_code == 201, first.content
    assert errors(second).keys() == {"number"}
    declared = as_sme.post(
        f"{STANDARDS}{first.json()['id']}/participations/",
        {
            "enterprise": sme.uscc,
            "role": "lead",
            "joined_on": "2026-02-01",
            "evidence": "Nomination letter",
        },
        format="json",
    )
    assert declared.status_code == 201, declared.content
    assert declared.json()["status"] == "pending"
    assert StandardParticipation.objects.get().enterprise == sme


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"left_on": "2025-01-01"}, "left_on"),
        ({"role": "chair"}, "role"),
        ({"joined_on": "yesterday"}, "joined_on"),
        ({"evidence": ""}, "evidence"),
        ({"enterprise": "nobody"}, "enterprise"),
        ({"votes": 3}, "votes"),
    ],
)
def test_a_bad_participation_is_refused_under_the_fields_name(as_sme, sme, data, field):
    standard = StandardFactory()
    body = {
        "enterprise": sme.uscc,
        "role": "participant",
        "joined_on": "2026-02-01",
        "evidence": "Letter",
        **data,
    }

    response = as_sme.post(f"{STANDARDS}{standard.pk}/participations/", body, format="json")

    assert field in errors(response)


def test_recording_a_standard_needs_a_login(api_client):
    response = api_client.post(STANDARDS, {"body": "IEC", "number": "1", "title": "t"})

    assert response.status_code == 401


def test_a_bad_standard_is_refused_under_the_fields_name(as_sme):
    response = as_sme.post(
        STANDARDS, {"body": "IEC", "number": "1", "title": "t", "stage": "final"}, format="json"
    )

    assert errors(response).keys() == {"stage"}


# --- query counts of the lists -------------------------------------------------------------


def test_list_queries_do_not_grow_with_the_rows(
    api_client, member_anchor, member_sme, demand, django_assert_num_queries
):
    for _index in range(5):
        enterprise = EnterpriseFactory(kind="sme")
        AllianceMemberFactory(enterprise=enterprise)
        MembershipFactory(user=member_sme.owner, enterprise=enterprise)
        DemandFactory(owner=member_anchor)
        response = response_services.interest_express(
            actor=member_sme.owner, demand=demand, supplier=enterprise, message="We can"
        )
        response_services.meeting_propose(
            actor=member_sme.owner, response=response, slots=[in_days(2)]
        )
        collaboration = Collaboration.objects.create(
            title="C", model="supply", starts_on=datetime.date(2026, 1, 1)
        )
        collaboration.parties.create(enterprise=member_anchor, role="anchor")
        collaboration.parties.create(enterprise=enterprise, role="supplier")
        StandardParticipationFactory(enterprise=enterprise)
    api_client.force_login(member_anchor.owner)

    # session, user, count, page (enterprise and district joined)
    with django_assert_num_queries(4):
        members = api_client.get(MEMBERS)
    # session, user, is-official, the user's alliance organisations, count, page (owner and
    # category joined)
    with django_assert_num_queries(6):
        demands = api_client.get(DEMANDS)
    # session, user, is-official, organisations, the demand, is-owner, count, page (supplier
    # joined), meetings
    with django_assert_num_queries(9):
        responses = api_client.get(demand_url(demand, "responses"))
    # session, user, is-official, count, page, parties (enterprise joined)
    with django_assert_num_queries(6):
        collaborations = api_client.get(COLLABORATIONS)
    # session, user, count, page, confirmed participations (enterprise joined)
    with django_assert_num_queries(5):
        standards = api_client.get(STANDARDS)

    assert members.json()["count"] == 7
    assert demands.json()["count"] == 6
    assert responses.json()["count"] == 5
    assert all(len(r["meetings"]) == 1 for r in responses.json()["results"])
    assert collaborations.json()["count"] == 5
    assert standards.json()["count"] == 5
