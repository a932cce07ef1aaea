"""Bad input to the alliance API answers 400 naming the field, never a 500, and changes nothing."""

import pytest

from alliance.models import Collaboration, Meeting
from alliance.services import responses as response_services
from tests.alliance import api_support
from tests.alliance.api_support import DEMANDS, demand_url, errors, meeting_url, response_url

pytestmark = pytest.mark.django_db


# The API tests' own fixtures, bound here rather than in the conftest: the page tests of this
# folder build fixtures of the same names differently.
demand = api_support.demand
invitation = api_support.invitation


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
