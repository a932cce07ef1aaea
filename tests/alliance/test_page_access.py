"""Who may open the alliance's pages, and that nobody else can change anything through them.

A private demand answers 404 to an SME that was not invited (its existence is not revealed),
a demand's matches and its owner's forms answer 404 to everybody but the owner's members, a
response, its meetings and their calendar files answer 404 to anybody but its two sides, and
a collaboration with its documents answers 404 to anybody but its parties and the officials.
Officials read collaborations but do not act for the parties (403).
"""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from alliance.models import (
    Collaboration,
    CollaborationDocument,
    CollaborationMilestone,
    CollaborationParty,
    Demand,
    DemandResponse,
    Meeting,
)
from alliance.services import collaborations as collaboration_services
from alliance.services import responses as response_services
from tests.factories import (
    AllianceMemberFactory,
    DemandFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
)
from tests.subsidies.conftest import pdf

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"alliance:{name}", args=args)


def member_user(kind: str, username: str):
    """A user of a new verified organisation that is an approved alliance member."""
    enterprise = EnterpriseFactory(kind=kind)
    ProductFactory(enterprise=enterprise, ionic_conductivity=0.003)
    AllianceMemberFactory(enterprise=enterprise)
    user = UserFactory(username=username)
    MembershipFactory(user=user, enterprise=enterprise, role="owner")
    user.enterprise = enterprise
    return user


@pytest.fixture
def supplier(sme):
    ProductFactory(enterprise=sme, ionic_conductivity=0.003)
    AllianceMemberFactory(enterprise=sme)
    return sme


@pytest.fixture
def outsider(db):
    """An SME member that has nothing to do with the demand's exchange."""
    return member_user("sme", "outsider")


@pytest.fixture
def rival_anchor(db):
    return member_user("anchor", "rival-anchor")


def tomorrow_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


# --- a private demand -------------------------------------------------------------------------


@pytest.fixture
def private_demand(anchor_member):
    return DemandFactory(owner=anchor_member, visibility="invited", title="Private demand")


def demand_requests(demand) -> dict[str, tuple[str, str, dict]]:
    pk = demand.pk
    return {
        "open the demand": ("get", url("demand", pk), {}),
        "open its matches": ("get", url("matches", pk), {}),
        "express interest": ("post", url("interest", pk), {"message": "Let me in"}),
        "open the edit form": ("get", url("demand_edit", pk), {}),
        "edit it": ("post", url("demand_edit", pk), {"title": "Hijacked"}),
        "open the closing form": ("get", url("demand_close", pk), {}),
        "close it": ("post", url("demand_close", pk), {}),
        "invite a supplier": ("post", url("invite", pk), {"supplier": demand.owner_id}),
    }


DEMAND_ACTIONS = [
    "open the demand",
    "open its matches",
    "express interest",
    "open the edit form",
    "edit it",
    "open the closing form",
    "close it",
    "invite a supplier",
]
OWNER_ONLY = [
    "open its matches",
    "open the edit form",
    "edit it",
    "open the closing form",
    "close it",
    "invite a supplier",
]


def demand_snapshot(demand) -> dict:
    return {
        "demand": model_to_dict(Demand.objects.get(pk=demand.pk)),
        "responses": DemandResponse.objects.count(),
    }


def test_every_demand_action_is_checked(private_demand):
    assert sorted(demand_requests(private_demand)) == sorted(DEMAND_ACTIONS)


@pytest.mark.parametrize("action", DEMAND_ACTIONS)
def test_an_sme_not_invited_to_a_private_demand_gets_404(client, private_demand, supplier, action):
    method, target, data = demand_requests(private_demand)[action]
    before = demand_snapshot(private_demand)
    client.force_login(supplier.owner)

    response = getattr(client, method)(target, data)

    assert response.status_code == 404
    assert demand_snapshot(private_demand) == before


def test_a_private_demand_is_not_on_the_board_nor_among_the_smes_demands(
    client, private_demand, supplier
):
    client.force_login(supplier.owner)

    for target in (url("demands"), url("for_me")):
        assert "Private demand" not in client.get(target).content.decode()


@pytest.mark.parametrize("action", OWNER_ONLY)
def test_only_the_owner_uses_its_demands_matches_and_forms(
    client, anchor_member, supplier, rival_anchor, action
):
    demand = DemandFactory(owner=anchor_member)
    method, target, data = demand_requests(demand)[action]
    before = demand_snapshot(demand)
    for user in (supplier.owner, rival_anchor):
        client.force_login(user)

        response = getattr(client, method)(target, data)

        assert response.status_code == 404, user
    assert demand_snapshot(demand) == before


def test_an_official_reads_the_matches_but_cannot_invite(client, anchor_member, supplier, official):
    demand = DemandFactory(owner=anchor_member)
    client.force_login(official)

    page = client.get(url("matches", demand.pk))
    invite = client.post(url("invite", demand.pk), {"supplier": supplier.pk})

    assert page.status_code == 200
    assert "Invite" not in page.content.decode().split("</details>", 1)[1]
    assert invite.status_code == 404
    assert not DemandResponse.objects.exists()


# --- a response and its meetings --------------------------------------------------------------


@pytest.fixture
def exchange(anchor_member, supplier):
    """An accepted invitation with an accepted meeting and a proposed one."""
    demand = DemandFactory(owner=anchor_member)
    response = response_services.supplier_invite(
        actor=anchor_member.owner, demand=demand, supplier=supplier
    )
    response_services.response_answer(actor=supplier.owner, response=response, accept=True)
    accepted = response_services.meeting_propose(
        actor=anchor_member.owner, response=response, slots=[tomorrow_at(10)]
    )
    response_services.meeting_answer(actor=supplier.owner, meeting=accepted, slot=accepted.slots[0])
    proposed = response_services.meeting_propose(
        actor=anchor_member.owner, response=response, slots=[tomorrow_at(14)]
    )
    return response, accepted, proposed


def response_requests(response, accepted, proposed) -> dict[str, tuple[str, str, dict]]:
    return {
        "shortlist": ("post", url("response_shortlist", response.pk), {}),
        "decline": ("post", url("response_decline", response.pk), {}),
        "answer the invitation": ("post", url("response_answer", response.pk), {"accept": "no"}),
        "propose a meeting": (
            "post",
            url("meeting_propose", response.pk),
            {"slot_1": "2099-01-01T10:00", "duration_minutes": "60"},
        ),
        "answer a meeting": (
            "post",
            url("meeting_answer", proposed.pk),
            {"slot": proposed.slots[0], "accept": "yes"},
        ),
        "download the calendar file": ("get", url("meeting_ics", accepted.pk), {}),
        "agree": ("post", url("agree", response.pk), {"starts_on": "2099-01-01"}),
    }


RESPONSE_ACTIONS = [
    "shortlist",
    "decline",
    "answer the invitation",
    "propose a meeting",
    "answer a meeting",
    "download the calendar file",
    "agree",
]


def exchange_snapshot(response) -> dict:
    return {
        "response": model_to_dict(DemandResponse.objects.get(pk=response.pk)),
        "meetings": sorted(Meeting.objects.values_list("pk", "status")),
        "collaborations": Collaboration.objects.count(),
    }


def test_every_response_action_is_checked(exchange):
    assert sorted(response_requests(*exchange)) == sorted(RESPONSE_ACTIONS)


@pytest.mark.parametrize("action", RESPONSE_ACTIONS)
def test_anybody_but_the_two_sides_gets_404_on_a_response(
    client, exchange, outsider, rival_anchor, official, action
):
    method, target, data = response_requests(*exchange)[action]
    before = exchange_snapshot(exchange[0])
    for user in (outsider, rival_anchor, official):
        client.force_login(user)

        response = getattr(client, method)(target, data)

        assert response.status_code == 404, user
    assert exchange_snapshot(exchange[0]) == before


@pytest.mark.parametrize("action", sorted(set(RESPONSE_ACTIONS) - {"download the calendar file"}))
def test_anonymous_visitors_are_sent_to_log_in_on_a_response(client, exchange, action):
    method, target, data = response_requests(*exchange)[action]
    before = exchange_snapshot(exchange[0])

    response = getattr(client, method)(target, data)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")
    assert exchange_snapshot(exchange[0]) == before


def test_anonymous_visitors_cannot_download_a_calendar_file(client, exchange):
    assert client.get(url("meeting_ics", exchange[1].pk)).status_code == 404


def test_the_side_that_proposed_a_meeting_cannot_answer_it(client, exchange, anchor_member):
    _response, _accepted, proposed = exchange
    client.force_login(anchor_member.owner)

    answer = client.post(
        url("meeting_answer", proposed.pk), {"slot": proposed.slots[0], "accept": "yes"}
    )

    assert answer.status_code == 403
    proposed.refresh_from_db()
    assert proposed.status == "proposed"


def test_the_supplier_sees_only_its_own_exchange_on_a_demand(
    client, anchor_member, supplier, outsider
):
    demand = DemandFactory(owner=anchor_member)
    response_services.interest_express(
        actor=outsider, demand=demand, supplier=outsider.enterprise, message="Secret offer"
    )
    response_services.interest_express(
        actor=supplier.owner, demand=demand, supplier=supplier, message="My own offer"
    )
    client.force_login(supplier.owner)

    page = client.get(url("demand", demand.pk)).content.decode()

    assert "My own offer" in page
    assert "Secret offer" not in page


# --- a collaboration --------------------------------------------------------------------------


@pytest.fixture
def collaboration(anchor_member, supplier):
    collaboration = Collaboration.objects.create(
        title="Joint development of a binder", model="licensing", starts_on=timezone.localdate()
    )
    CollaborationParty.objects.create(
        collaboration=collaboration, enterprise=anchor_member, role="anchor"
    )
    CollaborationParty.objects.create(
        collaboration=collaboration, enterprise=supplier, role="supplier"
    )
    collaboration_services.milestone_add(
        actor=supplier.owner,
        collaboration=collaboration,
        title="Samples",
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    collaboration_services.collaboration_document_add(
        actor=supplier.owner, collaboration=collaboration, title="NDA", upload=pdf("nda.pdf")
    )
    return collaboration


def collaboration_requests(collaboration) -> dict[str, tuple[str, str, dict]]:
    pk = collaboration.pk
    milestone = collaboration.milestones.get().pk
    document = collaboration.documents.get().pk
    university = EnterpriseFactory(kind="university")
    AllianceMemberFactory(enterprise=university)
    today = timezone.localdate().isoformat()
    return {
        "open the page": ("get", url("collaboration", pk), {}),
        "add a milestone": (
            "post",
            url("milestone_add", pk),
            {"title": "Spy", "due_on": today},
        ),
        "complete a milestone": (
            "post",
            url("milestone_complete", pk, milestone),
            {"completed_on": today},
        ),
        "attach a document": (
            "post",
            url("document_add", pk),
            {"title": "Spy", "file": pdf("spy.pdf")},
        ),
        "download a document": ("get", url("collaboration_document", pk, document), {}),
        "add a party": ("post", url("party_add", pk), {"enterprise": university.pk}),
        "open the closing form": ("get", url("collaboration_close", pk), {}),
        "close it": ("post", url("collaboration_close", pk), {"status": "completed"}),
    }


COLLABORATION_ACTIONS = [
    "open the page",
    "add a milestone",
    "complete a milestone",
    "attach a document",
    "download a document",
    "add a party",
    "open the closing form",
    "close it",
]
#: What an official may do (read); every change answers 403 to an official.
OFFICIAL_READS = {"open the page", "download a document", "open the closing form"}


def collaboration_snapshot(collaboration) -> dict:
    return {
        "collaboration": model_to_dict(Collaboration.objects.get(pk=collaboration.pk)),
        "parties": sorted(collaboration.parties.values_list("enterprise_id", flat=True)),
        "milestones": sorted(CollaborationMilestone.objects.values_list("pk", "completed_on")),
        "documents": CollaborationDocument.objects.count(),
    }


def test_every_collaboration_action_is_checked(collaboration):
    assert sorted(collaboration_requests(collaboration)) == sorted(COLLABORATION_ACTIONS)


@pytest.mark.parametrize("action", COLLABORATION_ACTIONS)
def test_a_non_party_gets_404_on_a_collaboration_and_its_documents(
    client, collaboration, outsider, action
):
    method, target, data = collaboration_requests(collaboration)[action]
    before = collaboration_snapshot(collaboration)
    client.force_login(outsider)

    response = getattr(client, method)(target, data)

    assert response.status_code == 404
    assert collaboration_snapshot(collaboration) == before


@pytest.mark.parametrize("action", sorted(set(COLLABORATION_ACTIONS) - OFFICIAL_READS))
def test_an_official_does_not_act_for_the_parties(client, collaboration, official, action):
    method, target, data = collaboration_requests(collaboration)[action]
    before = collaboration_snapshot(collaboration)
    client.force_login(official)

    response = getattr(client, method)(target, data)

    assert response.status_code == 403
    assert collaboration_snapshot(collaboration) == before


def test_an_official_reads_a_collaboration_and_its_documents(client, collaboration, official):
    client.force_login(official)

    page = client.get(url("collaboration", collaboration.pk))
    download = client.get(
        url("collaboration_document", collaboration.pk, collaboration.documents.get().pk)
    )

    assert page.status_code == 200
    assert url("milestone_add", collaboration.pk) not in page.content.decode()
    assert download.status_code == 200


def test_anonymous_visitors_cannot_download_collaboration_documents(client, collaboration):
    document = collaboration.documents.get()

    response = client.get(url("collaboration_document", collaboration.pk, document.pk))

    assert response.status_code == 404


def test_a_document_of_another_collaboration_is_404_even_for_a_party(
    client, collaboration, supplier
):
    other = Collaboration.objects.create(
        title="Other", model="supply", starts_on=timezone.localdate()
    )
    CollaborationParty.objects.create(collaboration=other, enterprise=supplier, role="supplier")
    client.force_login(supplier.owner)

    response = client.get(url("collaboration_document", other.pk, collaboration.documents.get().pk))

    assert response.status_code == 404


def test_a_non_party_does_not_see_the_collaboration_in_its_list(client, collaboration, outsider):
    client.force_login(outsider)

    assert "Joint development of a binder" not in client.get(url("collaborations")).content.decode()


# --- logins -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "join",
        "demands",
        "demand_new",
        "for_me",
        "collaborations",
        "standard_new",
        "participation_new",
    ],
)
def test_member_pages_need_a_login(client, name):
    response = client.get(url(name))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_an_sme_cannot_post_a_demand(client, supplier):
    client.force_login(supplier.owner)

    page = client.get(url("demand_new"))
    posted = client.post(url("demand_new"), {"title": "Sneaky"})

    assert "Demands are posted by anchor members" in page.content.decode()
    assert posted.status_code == 200
    assert not Demand.objects.exists()
