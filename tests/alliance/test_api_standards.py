"""Standards through the API, /api/v1/standards/: public with their confirmed participants,
recorded once, participations declared, bad input refused under the field's name.
"""

import pytest

from alliance.models import StandardParticipation
from tests.alliance.api_support import STANDARDS, errors
from tests.factories import StandardFactory, StandardParticipationFactory

pytestmark = pytest.mark.django_db


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
