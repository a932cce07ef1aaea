"""The alliance's members through the API, /api/v1/alliance/members/."""

import datetime
from decimal import Decimal

import pytest

from alliance.models import AllianceMember, Collaboration, MemberStatus
from tests.alliance.api_support import MEMBERS, errors
from tests.factories import AllianceMemberFactory, EnterpriseFactory, StandardParticipationFactory

pytestmark = pytest.mark.django_db


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
