"""What officials only read in the alliance's workbench: demands, responses and collaborations,
and the record of events that nobody can touch.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from alliance.models import AllianceEvent
from tests.admin_support import act
from tests.alliance.admin_support import EVENTS, MEMBERS, applicant, make_collaboration

pytestmark = pytest.mark.django_db


# --- demands and collaborations: read-only ---------------------------------------------------


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
