"""The journey from a demand to a collaboration through the API: interest, invitation, answer,
agreement, and the meetings on the way.
"""

import datetime
from decimal import Decimal

import pytest

from alliance.models import Collaboration, DemandResponse, DemandStatus, Meeting, ResponseStatus
from alliance.services import responses as response_services
from tests.alliance import api_support
from tests.alliance.api_support import (
    COLLABORATIONS,
    demand_url,
    errors,
    in_days,
    meeting_url,
    response_url,
)

pytestmark = pytest.mark.django_db


# The API tests' own fixtures, bound here rather than in the conftest: the page tests of this
# folder build fixtures of the same names differently.
demand = api_support.demand
invitation = api_support.invitation


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
