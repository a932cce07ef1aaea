"""The officials' side of the Industry Alliance in the Django admin.

Officials approve or decline membership applications and confirm standards participations
through actions: the action's POST shows a reason form, the form's POST calls the service
once per selected row. Every other alliance page is read-only; the record cannot be touched.
"""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.contrib.messages import constants as message_levels
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.models import (
    AllianceEvent,
    AllianceMember,
    Collaboration,
    CollaborationMilestone,
    CollaborationParty,
    DemandResponse,
    Meeting,
    MemberStatus,
    ParticipationStatus,
    StandardParticipation,
)
from alliance.services import membership as membership_services
from alliance.services import standards as standard_services
from tests.factories import (
    AllianceMemberFactory,
    DemandFactory,
    EnterpriseFactory,
    MembershipFactory,
    StandardFactory,
    StandardParticipationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MEMBERS = reverse("admin:alliance_alliancemember_changelist")
PARTICIPATIONS = reverse("admin:alliance_standardparticipation_changelist")
STANDARDS = reverse("admin:alliance_standard_changelist")
DEMANDS = reverse("admin:alliance_demand_changelist")
RESPONSES = reverse("admin:alliance_demandresponse_changelist")
COLLABORATIONS = reverse("admin:alliance_collaboration_changelist")
EVENTS = reverse("admin:alliance_allianceevent_changelist")

APPLIED = MemberStatus.APPLIED
APPROVED = MemberStatus.APPROVED
DECLINED = MemberStatus.DECLINED
PENDING = ParticipationStatus.PENDING


@pytest.fixture
def official_client(client, official):
    client.force_login(official)
    return client


def act(client, url, action, objects, **form):
    """POST an action from the changelist; with `reason` (even empty), POST its form too."""
    data = {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects]}
    if "reason" in form:
        data.update(post="yes", **form)
    return client.post(url, data, follow="reason" in form)


def messages_of(response) -> list[tuple[int, str]]:
    return [(message.level, message.message) for message in response.context["messages"]]


def listed(response) -> set[int]:
    return {obj.pk for obj in response.context["cl"].result_list}


def applicant(**kwargs) -> AllianceMember:
    """An organisation that applied through the portal, with its own administrator."""
    enterprise = EnterpriseFactory(**kwargs)
    user = UserFactory()
    MembershipFactory(user=user, enterprise=enterprise, role="owner")
    enterprise.owner = user
    return membership_services.member_apply(
        actor=user, enterprise=enterprise, motivation="We make halide electrolytes."
    )


def declared(**kwargs) -> StandardParticipation:
    """A participation an organisation declared, awaiting an official."""
    enterprise = EnterpriseFactory(**kwargs)
    user = UserFactory()
    MembershipFactory(user=user, enterprise=enterprise, role="owner")
    return standard_services.participation_declare(
        actor=user,
        standard=StandardFactory(),
        enterprise=enterprise,
        role="participant",
        joined_on=timezone.localdate() - datetime.timedelta(days=90),
        evidence="Nomination letter of IEC TC21 WG7, ref. 2026-041",
    )


def events_of(obj) -> list[tuple[str, str]]:
    return list(
        AllianceEvent.objects.filter(subject_type=obj._meta.model_name, subject_id=obj.pk)
        .order_by("created_at", "pk")
        .values_list("action", "note")
    )


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


# --- members: the changelist ----------------------------------------------------------------


@pytest.fixture
def member_rows():
    return {
        "applied": applicant(name_en="Halide Applicant Co."),
        "university": applicant(kind="university", name_en="Polytechnic University"),
        "approved": AllianceMemberFactory(enterprise=EnterpriseFactory(kind="anchor")),
        "declined": AllianceMemberFactory(status=DECLINED),
    }


def test_the_member_list_shows_organisation_kind_district_status_and_dates(
    official_client, member_rows
):
    response = official_client.get(MEMBERS)
    assert listed(response) == {member.pk for member in member_rows.values()}
    content = response.content.decode()
    for heading in ("Organisation", "Kind", "District", "Status", "Applied at", "Decided at"):
        assert heading in content, heading
    enterprise = member_rows["university"].enterprise
    assert enterprise.name_zh in content and "University" in content
    assert str(enterprise.district) in content
    titles = {str(spec.title) for spec in response.context["cl"].filter_specs}
    assert {"status", "kind"} <= titles


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status__exact": "applied"}, {"applied", "university"}),
        ({"status__exact": "declined"}, {"declined"}),
        ({"enterprise__kind__exact": "university"}, {"university"}),
        ({"enterprise__kind__exact": "anchor"}, {"approved"}),
        ({"q": "halide applicant"}, {"applied"}),
    ],
)
def test_the_member_list_filters_and_searches(official_client, member_rows, query, expected):
    response = official_client.get(MEMBERS, query)
    assert listed(response) == {member_rows[name].pk for name in expected}


def test_the_member_list_searches_by_credit_code_and_chinese_name(official_client, member_rows):
    enterprise = member_rows["declined"].enterprise
    assert listed(official_client.get(MEMBERS, {"q": enterprise.uscc})) == {
        member_rows["declined"].pk
    }
    assert listed(official_client.get(MEMBERS, {"q": enterprise.name_zh})) == {
        member_rows["declined"].pk
    }


def test_officials_are_offered_only_the_decisions(official_client, member_rows):
    response = official_client.get(MEMBERS)
    choices = dict(response.context["action_form"].fields["action"].choices)
    assert set(choices) - {""} == {"approve", "decline"}


# --- members: decisions ---------------------------------------------------------------------


def test_an_action_first_shows_the_reason_form(official_client):
    first, second = applicant(), applicant()
    response = act(official_client, MEMBERS, "decline", [first, second])
    assert response.status_code == 200
    assert response.templates[0].name == "admin/directory/reason_form.html"
    content = response.content.decode()
    assert first.enterprise.name_zh in content and second.enterprise.name_zh in content
    assert 'name="reason"' in content
    first.refresh_from_db()
    assert first.status == APPLIED  # nothing happens before the form is sent


@pytest.mark.parametrize("reason", ["", "Strong sulfide electrolyte portfolio"])
def test_an_official_approves_with_or_without_a_reason(official_client, official, reason):
    members = [applicant(name_zh="甲材料公司"), applicant(name_zh="乙材料公司")]

    response = act(official_client, MEMBERS, "approve", members, reason=reason)

    assert response.redirect_chain[0][1] == 302
    [(level, text)] = messages_of(response)
    assert level == message_levels.SUCCESS
    assert text.startswith("Approved: ") and "甲材料公司" in text and "乙材料公司" in text
    for member in members:
        member.refresh_from_db()
        assert (member.status, member.decided_by, member.decision_reason) == (
            APPROVED,
            official,
            reason,
        )
        assert member.decided_at is not None
        assert events_of(member)[-1] == ("approved", reason)
        event = AllianceEvent.objects.filter(subject_id=member.pk, action="approved").get()
        assert event.actor == official


def test_declining_needs_a_reason(official_client):
    member = applicant()
    response = act(official_client, MEMBERS, "decline", [member], reason="  ")
    assert response.templates[0].name == "admin/directory/reason_form.html"
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    member.refresh_from_db()
    assert member.status == APPLIED
    assert [action for action, _ in events_of(member)] == ["applied"]


def test_a_declined_applicant_is_told_why(
    official_client, official, django_capture_on_commit_callbacks
):
    member = applicant(name_zh="丙材料公司")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            official_client, MEMBERS, "decline", [member], reason="No solid-state products yet"
        )

    assert messages_of(response) == [(message_levels.SUCCESS, "Declined: 丙材料公司.")]
    member.refresh_from_db()
    assert (member.status, member.decision_reason, member.decided_by) == (
        DECLINED,
        "No solid-state products yet",
        official,
    )
    assert events_of(member)[-1] == ("declined", "No solid-state products yet")
    [message] = mail.outbox
    assert "declined" in message.subject
    assert "No solid-state products yet" in message.body
    assert member.applied_by.email in message.to


def test_a_declined_organisation_applies_again_and_is_approved(official_client, official):
    member = applicant()
    owner = member.applied_by
    act(official_client, MEMBERS, "decline", [member], reason="Licence scan missing")

    membership_services.member_apply(
        actor=owner, enterprise=member.enterprise, motivation="Licence attached this time."
    )
    member.refresh_from_db()
    assert member.status == APPLIED
    response = act(official_client, MEMBERS, "approve", [member], reason="")

    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    member.refresh_from_db()
    assert member.status == APPROVED
    assert events_of(member) == [
        ("applied", "We make halide electrolytes."),
        ("declined", "Licence scan missing"),
        ("applied", "Licence attached this time."),
        ("approved", ""),
    ]


def test_a_refused_row_is_reported_and_the_others_go_through(official_client, member_rows):
    applied, approved = member_rows["applied"], member_rows["approved"]

    response = act(official_client, MEMBERS, "decline", [applied, approved], reason="Duplicate")

    reported = messages_of(response)
    assert (message_levels.SUCCESS, f"Declined: {applied.enterprise.name_zh}.") in reported
    [error] = [text for level, text in reported if level == message_levels.ERROR]
    assert error == f"{approved.enterprise.name_zh}: “Member” cannot become “Declined”."
    applied.refresh_from_db()
    approved.refresh_from_db()
    assert (applied.status, approved.status) == (DECLINED, APPROVED)
    assert events_of(approved) == []


def test_the_member_page_is_read_only_with_the_decisions_and_the_record(official_client):
    member = applicant(name_zh="丁材料公司")
    url = reverse("admin:alliance_alliancemember_change", args=[member.pk])

    content = official_client.get(url).content.decode()

    assert "丁材料公司" in content
    assert "We make halide electrolytes." in content
    assert "Applied to join" in content  # the record
    assert reverse("admin:directory_enterprise_change", args=[member.enterprise_id]) in content
    assert 'name="_save"' not in content
    assert 'value="approve"' in content and 'value="decline"' in content


def test_a_decided_member_offers_no_decision(official_client, member_rows):
    member = member_rows["approved"]
    url = reverse("admin:alliance_alliancemember_change", args=[member.pk])
    content = official_client.get(url).content.decode()
    assert 'value="approve"' not in content and 'value="decline"' not in content


def test_the_status_cannot_be_changed_by_editing_the_member_page(official_client):
    member = applicant()
    url = reverse("admin:alliance_alliancemember_change", args=[member.pk])
    response = official_client.post(url, {"status": "approved", "_save": "Save"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.status == APPLIED


def test_members_are_neither_added_nor_deleted_here(official_client, admin_client):
    member = applicant()
    for client in (official_client, admin_client):
        assert client.get(reverse("admin:alliance_alliancemember_add")).status_code == 403
        delete = reverse("admin:alliance_alliancemember_delete", args=[member.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AllianceMember.objects.filter(pk=member.pk).exists()


# --- standards participations ---------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "Letter checked with the secretariat"])
def test_an_official_confirms_a_participation(official_client, official, reason):
    participation = declared()

    response = act(official_client, PARTICIPATIONS, "confirm", [participation], reason=reason)

    assert messages_of(response) == [(message_levels.SUCCESS, f"Confirmed: {participation}.")]
    participation.refresh_from_db()
    assert (participation.status, participation.confirmed_by) == (
        ParticipationStatus.CONFIRMED,
        official,
    )
    assert participation.confirmed_at is not None
    assert events_of(participation)[-1] == ("participation_confirmed", reason)


def test_not_confirming_needs_a_reason(official_client, official):
    participation = declared()

    response = act(official_client, PARTICIPATIONS, "do_not_confirm", [participation], reason="")
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    participation.refresh_from_db()
    assert participation.status == PENDING

    response = act(
        official_client,
        PARTICIPATIONS,
        "do_not_confirm",
        [participation],
        reason="The letter names another company",
    )
    assert messages_of(response) == [(message_levels.SUCCESS, f"Not confirmed: {participation}.")]
    participation.refresh_from_db()
    assert (participation.status, participation.decision_reason, participation.confirmed_by) == (
        ParticipationStatus.REJECTED,
        "The letter names another company",
        official,
    )
    assert events_of(participation)[-1] == (
        "participation_rejected",
        "The letter names another company",
    )


def test_a_decided_participation_is_not_decided_again(official_client):
    confirmed = StandardParticipationFactory()
    pending = declared()

    response = act(
        official_client, PARTICIPATIONS, "do_not_confirm", [confirmed, pending], reason="Late"
    )

    reported = messages_of(response)
    assert (message_levels.ERROR, f"{confirmed}: This participation has been decided already.") in (
        reported
    )
    assert (message_levels.SUCCESS, f"Not confirmed: {pending}.") in reported
    confirmed.refresh_from_db()
    assert confirmed.status == ParticipationStatus.CONFIRMED


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status__exact": "pending"}, {"pending_lead"}),
        ({"status__exact": "confirmed"}, {"confirmed"}),
        ({"role__exact": "lead"}, {"pending_lead"}),
        ({"role__exact": "participant"}, {"confirmed"}),
    ],
)
def test_the_participation_list_filters_by_status_and_role(official_client, query, expected):
    rows = {
        "pending_lead": StandardParticipationFactory(role="lead", status="pending"),
        "confirmed": StandardParticipationFactory(),
    }
    response = official_client.get(PARTICIPATIONS, query)
    assert listed(response) == {rows[name].pk for name in expected}


def test_the_participation_page_shows_the_evidence_read_only(official_client):
    participation = declared(name_zh="戊材料公司")
    url = reverse("admin:alliance_standardparticipation_change", args=[participation.pk])

    content = official_client.get(url).content.decode()

    assert "Nomination letter of IEC TC21 WG7, ref. 2026-041" in content
    assert "戊材料公司" in content
    assert "Participation declared" in content
    assert 'name="evidence"' not in content and 'name="_save"' not in content
    assert 'value="confirm"' in content and 'value="do_not_confirm"' in content

    response = official_client.post(url, {"status": "confirmed", "_save": "Save"})
    assert response.status_code == 403
    participation.refresh_from_db()
    assert participation.status == PENDING


def test_the_standard_page_lists_its_participants_read_only(official_client):
    lead = StandardParticipationFactory(role="lead")
    other = StandardParticipationFactory(standard=lead.standard, status="pending")
    standard = lead.standard

    response = official_client.get(STANDARDS, {"q": standard.number})
    assert listed(response) == {standard.pk}
    row = response.context["cl"].result_list[0]
    assert (row.lead_name, row.participant_count, row.pending_count) == (
        lead.enterprise.name_zh,
        2,
        1,
    )

    url = reverse("admin:alliance_standard_change", args=[standard.pk])
    content = official_client.get(url).content.decode()
    assert lead.enterprise.name_zh in content and other.enterprise.name_zh in content
    assert reverse("admin:alliance_standardparticipation_change", args=[other.pk]) in content
    assert 'name="_save"' not in content
    assert official_client.post(url, {"title": "Renamed", "_save": "Save"}).status_code == 403
    assert official_client.get(reverse("admin:alliance_standard_add")).status_code == 403


# --- demands and collaborations: read-only ---------------------------------------------------


def make_collaboration(anchor_enterprise=None, supplier=None) -> Collaboration:
    demand = DemandFactory(**({"owner": anchor_enterprise} if anchor_enterprise else {}))
    supplier = supplier or EnterpriseFactory()
    response = DemandResponse.objects.create(
        demand=demand, supplier=supplier, status="accepted", message="We can supply 20 t."
    )
    Meeting.objects.create(
        response=response,
        proposed_by=demand.owner,
        slots=["2026-05-06T09:00:00+08:00"],
        location="Room 301",
    )
    collaboration = Collaboration.objects.create(
        title=demand.title,
        demand=demand,
        model="supply",
        starts_on=datetime.date(2026, 1, 1),
        committed_annual_volume=20,
        volume_unit="t",
    )
    CollaborationParty.objects.bulk_create(
        [
            CollaborationParty(collaboration=collaboration, enterprise=demand.owner, role="anchor"),
            CollaborationParty(collaboration=collaboration, enterprise=supplier, role="supplier"),
        ]
    )
    CollaborationMilestone.objects.create(
        collaboration=collaboration, title="First pilot batch", due_on=datetime.date(2026, 6, 30)
    )
    return collaboration


def test_the_demand_page_shows_its_responses_read_only(official_client):
    collaboration = make_collaboration()
    demand = collaboration.demand
    response_row = demand.responses.get()
    url = reverse("admin:alliance_demand_change", args=[demand.pk])

    content = official_client.get(url).content.decode()

    assert demand.title in content
    assert response_row.supplier.name_zh in content
    assert reverse("admin:alliance_demandresponse_change", args=[response_row.pk]) in content
    assert reverse("admin:alliance_collaboration_change", args=[collaboration.pk]) in content
    assert 'name="_save"' not in content
    assert official_client.post(url, {"status": "closed", "_save": "Save"}).status_code == 403
    demand.refresh_from_db()
    assert demand.status == "open"


def test_the_response_page_shows_its_meetings(official_client):
    response_row = make_collaboration().demand.responses.get()
    url = reverse("admin:alliance_demandresponse_change", args=[response_row.pk])
    content = official_client.get(url).content.decode()
    assert "We can supply 20 t." in content
    assert "Room 301" in content and "2026-05-06T09:00:00+08:00" in content


def test_the_collaboration_page_shows_parties_and_milestones_read_only(official_client):
    collaboration = make_collaboration()
    url = reverse("admin:alliance_collaboration_change", args=[collaboration.pk])

    content = official_client.get(url).content.decode()

    for party in collaboration.parties.all():
        assert party.enterprise.name_zh in content
    assert "First pilot batch" in content
    assert "Delivered against the commitment" in content
    assert 'name="_save"' not in content
    assert official_client.post(url, {"status": "terminated", "_save": "Save"}).status_code == 403
    collaboration.refresh_from_db()
    assert collaboration.status == "active"


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:alliance_demand_add",
        "admin:alliance_demandresponse_add",
        "admin:alliance_collaboration_add",
        "admin:alliance_allianceevent_add",
    ],
)
def test_nothing_is_added_on_the_read_only_pages(official_client, admin_client, url_name):
    assert official_client.get(reverse(url_name)).status_code == 403
    assert admin_client.get(reverse(url_name)).status_code == 403


# --- the record -----------------------------------------------------------------------------


def test_the_record_lists_who_did_what(official_client, official):
    member = applicant(name_zh="己材料公司")
    act(official_client, MEMBERS, "decline", [member], reason="Outside the programme")

    response = official_client.get(EVENTS, {"action": "declined"})

    [event] = response.context["cl"].result_list
    assert (event.actor, event.note, event.subject_id) == (
        official,
        "Outside the programme",
        member.pk,
    )
    content = response.content.decode()
    assert "Membership declined" in content
    assert reverse("admin:alliance_alliancemember_change", args=[member.pk]) in content


def test_the_record_cannot_be_changed_or_deleted_even_by_a_superuser(official_client, admin_client):
    member = applicant()
    event = AllianceEvent.objects.get(subject_id=member.pk, action="applied")
    change = reverse("admin:alliance_allianceevent_change", args=[event.pk])
    delete = reverse("admin:alliance_allianceevent_delete", args=[event.pk])

    for client in (official_client, admin_client):
        page = client.get(change)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert client.post(change, {"note": "rewritten", "_save": "Save"}).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        client.post(
            EVENTS, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [event.pk], "post": "yes"}
        )
        assert client.get(EVENTS).context["action_form"] is None  # no actions, no bulk delete

    event.refresh_from_db()
    assert (event.action, event.note) == ("applied", "We make halide electrolytes.")


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
