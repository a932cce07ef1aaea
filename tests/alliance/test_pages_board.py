"""The alliance's board of demands, applying for membership, and the member directory with each
member's page.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from alliance.models import AllianceMember, Collaboration
from alliance.services import membership as membership_services
from tests.alliance import pages_support
from tests.alliance.pages_support import as_user, text_of, url
from tests.factories import (
    AllianceMemberFactory,
    DemandFactory,
    EnterpriseFactory,
    StandardFactory,
    StandardParticipationFactory,
)

pytestmark = pytest.mark.django_db


# The page tests' own fixtures, bound here rather than in the conftest: the API tests of this
# folder build fixtures of the same names differently.
demand = pages_support.demand


# --- the board, the SME's page, membership ----------------------------------------------------


def test_a_user_without_an_alliance_organisation_is_told_how_to_join(client, sme, demand):
    as_user(client, sme.owner)

    response = client.get(url("demands"))

    page = text_of(response)
    assert "The demand board is for alliance members" in page
    assert demand.title not in page


def test_the_board_filters_by_status_and_model(client, demand, sme_member):
    DemandFactory(owner=demand.owner, title="Closed old demand", status="closed")
    DemandFactory(owner=demand.owner, title="Licensing of a coating", preferred_model="licensing")
    as_user(client, demand.owner.owner)

    everything = text_of(client.get(url("demands")))
    licensing = text_of(client.get(url("demands"), {"model": "licensing"}))

    assert demand.title in everything and "Closed old demand" in everything
    assert "Licensing of a coating" in licensing and demand.title not in licensing


def test_the_board_takes_a_fixed_number_of_queries(
    client, anchor_member, sme_member, django_assert_max_num_queries
):
    for _number in range(8):
        DemandFactory(owner=anchor_member)
    as_user(client, sme_member.owner)

    # session, user, official check, user's alliance organisations, the category tree of the
    # filter (2), then the board's selector: official check, user's alliance organisations,
    # count, page of demands with owners and categories
    with django_assert_max_num_queries(10):
        response = client.get(url("demands"))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 8


def test_for_me_toggles_the_email_of_new_demands(client, sme_member):
    as_user(client, sme_member.owner)
    membership = AllianceMember.objects.get(enterprise=sme_member)
    assert membership.notify_new_demands

    client.post(url("notifications", sme_member.uscc), {})

    membership.refresh_from_db()
    assert not membership.notify_new_demands
    client.post(url("notifications", sme_member.uscc), {"notify_new_demands": "on"})
    membership.refresh_from_db()
    assert membership.notify_new_demands


def test_applying_to_join_shows_the_status_then_the_reason_of_a_decline(client, sme, official):
    as_user(client, sme.owner)

    client.post(url("join"), {"enterprise": sme.pk, "motivation": "We make binders."})

    membership = AllianceMember.objects.get(enterprise=sme)
    assert membership.status == "applied"
    assert "Applied on" in text_of(client.get(url("join")))
    membership_services.member_decline(
        actor=official, member=membership, reason="Binder capacity unproven."
    )
    page = text_of(client.get(url("join")))
    assert "Binder capacity unproven." in page
    assert "You may apply again." in page


def test_the_member_directory_lists_members_and_filters_by_kind(client, anchor_member, sme_member):
    AllianceMemberFactory(enterprise=EnterpriseFactory(kind="university"), status="applied")

    everybody = text_of(client.get(url("members")))
    anchors = text_of(client.get(url("members"), {"kind": "anchor"}))

    assert anchor_member.name_en in everybody and sme_member.name_en in everybody
    assert "2 members" in everybody
    assert sme_member.name_en not in anchors


def test_the_member_directory_says_when_it_is_empty(client):
    assert "The alliance has no members yet" in text_of(client.get(url("members")))


def test_the_member_directory_takes_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    for _number in range(10):
        AllianceMemberFactory()

    # count, page of members with their enterprises and districts
    with django_assert_max_num_queries(2):
        response = client.get(url("members"))

    assert len(response.context["page"].object_list) == 10


def test_a_members_page_shows_collaborations_and_confirmed_standards_work_without_money(
    client, anchor_member, sme_member
):
    collaboration = Collaboration.objects.create(
        title="Binder co-development",
        model="licensing",
        agreed_value_cny=Decimal("987654.00"),
        starts_on=timezone.localdate(),
    )
    collaboration.parties.create(enterprise=anchor_member, role="anchor")
    collaboration.parties.create(enterprise=sme_member, role="supplier")
    StandardParticipationFactory(enterprise=sme_member, standard=StandardFactory(number="62660-9"))
    StandardParticipationFactory(
        enterprise=sme_member, standard=StandardFactory(number="99999"), status="pending"
    )

    page = text_of(client.get(url("member", sme_member.uscc)))

    assert "Binder co-development" in page
    assert anchor_member.name_en in page
    assert "987" not in page
    assert "IEC 62660-9" in page
    assert "99999" not in page
