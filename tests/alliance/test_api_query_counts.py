"""The alliance API's lists take a fixed number of queries, however many rows they show."""

import datetime

import pytest

from alliance.models import Collaboration
from alliance.services import responses as response_services
from tests.alliance import api_support
from tests.alliance.api_support import (
    COLLABORATIONS,
    DEMANDS,
    MEMBERS,
    STANDARDS,
    demand_url,
    in_days,
)
from tests.factories import (
    AllianceMemberFactory,
    DemandFactory,
    EnterpriseFactory,
    MembershipFactory,
    StandardParticipationFactory,
)

pytestmark = pytest.mark.django_db


# The API tests' own fixtures, bound here rather than in the conftest: the page tests of this
# folder build fixtures of the same names differently.
demand = api_support.demand


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
