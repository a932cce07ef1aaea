"""Membership in the workbench: the changelist of applications, and approving or declining them
through actions that ask for a reason and call the service once per row.
"""

import pytest
from django.contrib.messages import constants as message_levels
from django.core import mail
from django.urls import reverse

from alliance.models import AllianceEvent, AllianceMember
from alliance.services import membership as membership_services
from tests.admin_support import act, listed, messages_of
from tests.alliance.admin_support import APPLIED, APPROVED, DECLINED, MEMBERS, applicant, events_of
from tests.factories import AllianceMemberFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


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
