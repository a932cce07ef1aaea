"""Collaborations through the API, /api/v1/collaborations/: seen by their parties and officials
only, milestones added and completed, a university brought in, closed.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from alliance.models import CollaborationStatus
from tests.alliance import api_support
from tests.alliance.api_support import COLLABORATIONS, errors
from tests.factories import AllianceMemberFactory, EnterpriseFactory, PurchaseLineFactory

pytestmark = pytest.mark.django_db


# The API tests' own fixtures, bound here rather than in the conftest: the page tests of this
# folder build fixtures of the same names differently.
collaboration = api_support.collaboration


# --- collaborations ------------------------------------------------------------------------


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
