"""Who reaches the alliance's workbench (officials; not enterprise users, nor staff without the
official's role), and lists that take a fixed number of queries.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.contrib.messages import constants as message_levels
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.admin_support import act, messages_of
from tests.alliance.admin_support import (
    APPLIED,
    COLLABORATIONS,
    DEMANDS,
    EVENTS,
    MEMBERS,
    PARTICIPATIONS,
    PENDING,
    RESPONSES,
    STANDARDS,
    applicant,
    declared,
    events_of,
    make_collaboration,
)
from tests.factories import EnterpriseFactory, StandardParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [MEMBERS, PARTICIPATIONS, STANDARDS, DEMANDS, RESPONSES, COLLABORATIONS, EVENTS]
)
def test_an_official_sees_every_alliance_list(official_client, url):
    assert official_client.get(url).status_code == 200


def test_the_admin_index_lists_the_alliance(official_client):
    content = official_client.get(reverse("admin:index")).content.decode()
    for url in (MEMBERS, PARTICIPATIONS, STANDARDS, DEMANDS, COLLABORATIONS, EVENTS):
        assert url in content


@pytest.mark.parametrize("url", [MEMBERS, PARTICIPATIONS, EVENTS])
def test_an_enterprise_user_cannot_reach_the_alliance_admin(client, sme, url):
    client.force_login(sme.owner)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_staff_user_without_permissions_is_refused(client):
    client.force_login(UserFactory(username="clerk", is_staff=True))
    assert client.get(MEMBERS).status_code == 403
    member = applicant()
    response = client.post(
        MEMBERS, {"action": "approve", ACTION_CHECKBOX_NAME: [member.pk], "post": "yes"}
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.status == APPLIED


@pytest.fixture
def staff_client(client):
    """A staff user who holds the admin permissions, but is no official."""
    user = UserFactory(username="clerk", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="alliance",
            codename__in=[
                "view_alliancemember",
                "change_alliancemember",
                "view_standardparticipation",
                "change_standardparticipation",
            ],
        )
    )
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("action", "reason"), [("approve", ""), ("decline", "Not an SSB business")]
)
def test_a_staff_user_who_is_no_official_cannot_decide_a_membership(staff_client, action, reason):
    member = applicant(name_zh="申请中材料公司")

    response = act(staff_client, MEMBERS, action, [member], reason=reason)

    assert messages_of(response) == [
        (message_levels.ERROR, "申请中材料公司: Only officials may do this.")
    ]
    member.refresh_from_db()
    assert (member.status, member.decided_by, member.decided_at) == (APPLIED, None, None)
    assert events_of(member) == [("applied", "We make halide electrolytes.")]


def test_a_staff_user_who_is_no_official_cannot_confirm_a_participation(staff_client):
    participation = declared()
    response = act(staff_client, PARTICIPATIONS, "confirm", [participation], reason="")
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR and "Only officials may do this." in text
    participation.refresh_from_db()
    assert participation.status == PENDING
    assert [action for action, _ in events_of(participation)] == ["participation_declared"]


# --- query counts ---------------------------------------------------------------------------


def add_member_rows(count: int) -> None:
    for _ in range(count):
        applicant()


def add_participation_rows(count: int) -> None:
    for _ in range(count):
        StandardParticipationFactory(status="pending")


def add_standard_rows(count: int) -> None:
    for _ in range(count):
        lead = StandardParticipationFactory(role="lead")
        StandardParticipationFactory(standard=lead.standard, status="pending")


def add_collaboration_rows(count: int) -> None:
    anchor_enterprise = EnterpriseFactory(kind="anchor")
    for _ in range(count):
        make_collaboration(anchor_enterprise)


CHANGELISTS = {
    # url: (how to add rows, the queries: 1 session, 2 user, 3-4 the user's permissions, ...)
    MEMBERS: add_member_rows,
    PARTICIPATIONS: add_participation_rows,
    STANDARDS: add_standard_rows,
    DEMANDS: add_collaboration_rows,
    RESPONSES: add_collaboration_rows,
    COLLABORATIONS: add_collaboration_rows,
    EVENTS: add_member_rows,
}


def changelist_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", list(CHANGELISTS))
def test_changelist_queries_do_not_grow_with_the_rows(official_client, url):
    add_rows = CHANGELISTS[url]
    add_rows(2)
    few = changelist_queries(official_client, url)
    add_rows(12)
    assert len(official_client.get(url).context["cl"].result_list) >= 14
    assert changelist_queries(official_client, url) == few


def test_the_member_changelist_query_count(official_client):
    add_member_rows(5)
    # 1 session, 2 user, 3-4 the official's own and group permissions, 5-6 counts (filtered
    # and total), 7 the page with organisations and districts joined.
    assert changelist_queries(official_client, MEMBERS) == 7
