"""Standards participations in the workbench: confirmed or not through actions that ask for a
reason when needed; participations and standards shown read-only.
"""

import pytest
from django.contrib.messages import constants as message_levels
from django.urls import reverse

from alliance.models import ParticipationStatus
from tests.admin_support import act, listed, messages_of
from tests.alliance.admin_support import PARTICIPATIONS, PENDING, STANDARDS, declared, events_of
from tests.factories import StandardParticipationFactory

pytestmark = pytest.mark.django_db


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
