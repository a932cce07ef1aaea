"""The alliance's demand pages: the main journey from a demand to a collaboration, matches, bad
input answered on the field, and the protection of the forms (CSRF, what visitors see).

Every write goes through the services; these tests prove what a person sees on the page and
that bad input answers with a message on the field (never a 500) and saves nothing.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliance.models import Collaboration, Demand, DemandResponse, Meeting
from alliance.services import responses as response_services
from tests.alliance import pages_support
from tests.alliance.pages_support import (
    as_user,
    demand_form,
    local_input,
    text_of,
    tomorrow_at,
    url,
)
from tests.factories import (
    AllianceMemberFactory,
    CertificationFactory,
    DemandFactory,
    EnterpriseFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


# The page tests' own fixtures, bound here rather than in the conftest: the API tests of this
# folder build fixtures of the same names differently.
demand = pages_support.demand


# --- the main journey -------------------------------------------------------------------------


def test_from_a_posted_demand_to_a_collaboration(client, anchor_member, sme_member):
    anchor_client = as_user(Client(), anchor_member.owner)
    sme_client = as_user(Client(), sme_member.owner)

    # The anchor posts a demand.
    posted = anchor_client.post(url("demand_new"), demand_form())
    demand = Demand.objects.get()
    assert posted.status_code == 302
    assert posted["Location"] == url("demand", demand.pk)
    assert demand.owner == anchor_member
    assert demand.required_certifications == ["ISO 9001"]
    assert demand.ionic_conductivity_min == 0.002

    # The SME sees it among its demands and expresses interest.
    for_me = sme_client.get(url("for_me"))
    assert demand.title in text_of(for_me)
    sme_client.post(url("interest", demand.pk), {"message": "We ship 120 t a year from June."})
    response = DemandResponse.objects.get()
    assert response.supplier == sme_member
    assert response.status == "interested"

    # The anchor reads the message, shortlists and invites.
    page = text_of(anchor_client.get(url("demand", demand.pk)))
    assert "We ship 120 t a year from June." in page
    anchor_client.post(url("response_shortlist", response.pk))
    response.refresh_from_db()
    assert response.status == "shortlisted"
    anchor_client.post(url("invite", demand.pk), {"supplier": sme_member.pk, "next": "demand"})
    response.refresh_from_db()
    assert response.status == "invited"

    # The SME accepts the invitation.
    assert "You are invited to supply this demand." in text_of(
        sme_client.get(url("demand", demand.pk))
    )
    sme_client.post(url("response_answer", response.pk), {"accept": "yes"})
    response.refresh_from_db()
    assert response.status == "accepted"

    # The anchor proposes a meeting with two times; the SME picks the second.
    first, second = tomorrow_at(10), tomorrow_at(15)
    proposed = anchor_client.post(
        url("meeting_propose", response.pk),
        {
            "slot_1": local_input(first),
            "slot_2": local_input(second),
            "duration_minutes": "90",
            "location": "Room 3, Tower B",
        },
    )
    assert proposed.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.status == "proposed"
    assert len(meeting.slots) == 2
    sme_page = sme_client.get(url("demand", demand.pk)).content.decode()
    assert f'value="{meeting.slots[1]}"' in sme_page
    sme_client.post(url("meeting_answer", meeting.pk), {"slot": meeting.slots[1], "accept": "yes"})
    meeting.refresh_from_db()
    assert meeting.status == "accepted"
    assert meeting.starts_at == second

    # Both sides download the meeting for their calendars.
    for side in (anchor_client, sme_client):
        ics = side.get(url("meeting_ics", meeting.pk))
        assert ics.status_code == 200
        assert ics["Content-Type"].startswith("text/calendar")
        body = ics.content.decode()
        utc = second.astimezone(datetime.UTC)
        assert f"DTSTART:{utc:%Y%m%dT%H%M%SZ}\r\n" in body
        assert f"DTEND:{utc + datetime.timedelta(minutes=90):%Y%m%dT%H%M%SZ}\r\n" in body
        assert "LOCATION:Room 3\\, Tower B" in body
    assert (
        url("meeting_ics", meeting.pk)
        in anchor_client.get(url("demand", demand.pk)).content.decode()
    )

    # The anchor sets the terms and agrees; the SME agrees and the collaboration begins.
    start = timezone.localdate() + datetime.timedelta(days=30)
    agreed = anchor_client.post(
        url("agree", response.pk),
        {
            "agreed_value_cny": "2400000.00",
            "starts_on": start.isoformat(),
            "ends_on": start.replace(year=start.year + 3).isoformat(),
            "committed_annual_volume": "100",
            "volume_unit": "t",
        },
    )
    assert agreed.status_code == 302
    assert not Collaboration.objects.exists()
    assert "Agree to these terms" in text_of(sme_client.get(url("demand", demand.pk)))
    done = sme_client.post(url("agree", response.pk))
    collaboration = Collaboration.objects.get()
    assert done.status_code == 302
    assert done["Location"] == url("collaboration", collaboration.pk)

    page = text_of(sme_client.get(done["Location"]))
    assert collaboration.title in page
    assert "2,400,000.00" in page
    assert anchor_member.name_en in page and sme_member.name_en in page
    demand.refresh_from_db()
    assert demand.status == "matched"
    assert "this demand is matched" in text_of(anchor_client.get(url("demand", demand.pk)))


def test_the_owner_can_decline_an_interested_sme(client, demand, anchor_member, sme_member):
    response = response_services.interest_express(
        actor=sme_member.owner, demand=demand, supplier=sme_member, message="Hello"
    )
    as_user(client, anchor_member.owner)

    client.post(url("response_decline", response.pk))

    response.refresh_from_db()
    assert response.status == "declined"


def test_the_sme_can_decline_a_meeting_and_nothing_is_agreed(client, demand, sme_member):
    response = response_services.supplier_invite(
        actor=demand.owner.owner, demand=demand, supplier=sme_member
    )
    meeting = response_services.meeting_propose(
        actor=demand.owner.owner, response=response, slots=[tomorrow_at(9)]
    )
    as_user(client, sme_member.owner)

    client.post(url("meeting_answer", meeting.pk), {"accept": "no"})

    meeting.refresh_from_db()
    assert meeting.status == "declined"
    assert meeting.starts_at is None
    assert client.get(url("meeting_ics", meeting.pk)).status_code == 404


# --- matches ----------------------------------------------------------------------------------


def test_matches_show_each_candidate_with_its_score_parts_and_reasons(client, demand, sme_member):
    as_user(client, demand.owner.owner)

    response = client.get(url("matches", demand.pk))

    page = text_of(response)
    assert response.status_code == 200
    assert sme_member.name_en in page
    assert "Li6PS5Cl powder" in page
    for label in (
        "Technical margin",
        "Capacity for the volume",
        "Local supplier",
        "Recommended supplier",
        "Completed collaborations",
        "Answer speed",
    ):
        assert label in page
    # 0.003 against at least 0.002: 50 % margin, all 35 points.
    assert "35 / 35" in page
    assert "beats the threshold by 50 %" in page
    # 80 t of capacity against 100 t demanded: 80 % of the volume, 16 of 20 points.
    assert "16 / 20" in page
    assert "Annual capacity is 80 % of the demanded volume." in page
    assert "No earlier invitation: half the points." in page
    assert "ionic conductivity (S/cm at 25 °C): 0.003, at least 0.002" in page
    assert "Holds a valid ISO 9001 certificate." in page
    assert "How candidates are chosen and scored" in page
    assert f'name="supplier" value="{sme_member.pk}"' in response.content.decode()


def test_inviting_from_the_matches_page_makes_the_demand_visible_to_the_invited_sme(
    client, anchor_member, sme_member
):
    private = DemandFactory(owner=anchor_member, visibility="invited", title="Quiet demand")
    sme_client = as_user(Client(), sme_member.owner)
    assert sme_client.get(url("demand", private.pk)).status_code == 404
    as_user(client, anchor_member.owner)

    answer = client.post(url("invite", private.pk), {"supplier": sme_member.pk, "next": "matches"})

    assert answer["Location"] == url("matches", private.pk)
    assert DemandResponse.objects.get().status == "invited"
    assert sme_client.get(url("demand", private.pk)).status_code == 200
    assert "Quiet demand" in text_of(sme_client.get(url("for_me")))


def test_matches_page_takes_a_fixed_number_of_queries(
    client, demand, django_assert_max_num_queries
):
    for number in range(6):
        supplier = EnterpriseFactory(
            kind="sme", annual_capacity=Decimal(50 + number), capacity_unit="t"
        )
        AllianceMemberFactory(enterprise=supplier)
        ProductFactory(enterprise=supplier, ionic_conductivity=0.0021 + number / 10000)
        ProductFactory(enterprise=supplier, ionic_conductivity=0.0025)
        CertificationFactory(enterprise=supplier, scheme="ISO 9001")
    as_user(client, demand.owner.owner)

    # session, user, official check, user's alliance organisations, the demand, is-owner,
    # responses, the ranked candidates with their enterprises and history: nothing per
    # candidate
    with django_assert_max_num_queries(8):
        response = client.get(url("matches", demand.pk))

    assert text_of(response).count("Why it qualifies") == 6


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"decay_rate_max": "150"}, "decay_rate_max", "less than or equal to 100"),
        ({"ionic_conductivity_min": "-1"}, "ionic_conductivity_min", "greater than or equal to 0"),
        ({"asr_max": "low"}, "asr_max", "Enter a number."),
        ({"volume_unit": ""}, "volume_unit", "Give the unit of the annual volume."),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_a_bad_demand_answers_on_the_field_and_saves_nothing(
    client, anchor_member, changes, field, message
):
    as_user(client, anchor_member.owner)

    response = client.post(url("demand_new"), demand_form(**changes))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert any(message in error for error in errors[field])
    assert not Demand.objects.exists()


def test_editing_a_demand_changes_its_thresholds(client, demand):
    as_user(client, demand.owner.owner)
    form = client.get(url("demand_edit", demand.pk)).context["form"]
    assert form["required_certifications"].value() == ["ISO 9001"]

    client.post(url("demand_edit", demand.pk), demand_form(ionic_conductivity_min="0.001"))

    demand.refresh_from_db()
    assert demand.ionic_conductivity_min == 0.001


def test_a_meeting_in_the_past_is_refused_on_the_field(client, demand, sme_member):
    response = response_services.supplier_invite(
        actor=demand.owner.owner, demand=demand, supplier=sme_member
    )
    as_user(client, sme_member.owner)
    yesterday = timezone.now() - datetime.timedelta(days=1)

    answer = client.post(
        url("meeting_propose", response.pk),
        {
            "slot_1": local_input(tomorrow_at(10)),
            "slot_2": local_input(yesterday),
            "duration_minutes": "60",
        },
    )

    assert answer.status_code == 400
    assert "Propose times in the future." in text_of(answer)
    thread = answer.context["threads"][0]
    assert thread.meeting_form.errors["slot_2"] == ["Propose times in the future."]
    assert not Meeting.objects.exists()


def test_a_meeting_without_any_time_is_refused(client, demand, sme_member):
    response = response_services.supplier_invite(
        actor=demand.owner.owner, demand=demand, supplier=sme_member
    )
    as_user(client, sme_member.owner)

    answer = client.post(url("meeting_propose", response.pk), {"duration_minutes": "60"})

    assert answer.status_code == 400
    assert "Propose at least one time." in text_of(answer)
    assert not Meeting.objects.exists()


def test_an_empty_interest_message_is_refused_on_the_field(client, demand, sme_member):
    as_user(client, sme_member.owner)

    answer = client.post(url("interest", demand.pk), {"message": "   "})

    assert answer.status_code == 400
    assert answer.context["interest_form"].errors["message"] == ["Write a short message."]
    assert not DemandResponse.objects.exists()


def test_terms_ending_before_they_start_are_refused(client, demand, sme_member):
    response = response_services.supplier_invite(
        actor=demand.owner.owner, demand=demand, supplier=sme_member
    )
    response_services.response_answer(actor=sme_member.owner, response=response, accept=True)
    as_user(client, demand.owner.owner)

    answer = client.post(
        url("agree", response.pk), {"starts_on": "2031-05-01", "ends_on": "2030-01-01"}
    )

    assert answer.status_code == 400
    assert "The end cannot be before the start." in text_of(answer)
    response.refresh_from_db()
    assert response.owner_agreed_at is None


# --- protection -------------------------------------------------------------------------------


def test_every_post_form_on_the_demand_page_carries_a_csrf_token(demand, sme_member):
    response = response_services.supplier_invite(
        actor=demand.owner.owner, demand=demand, supplier=sme_member
    )
    response_services.response_answer(actor=sme_member.owner, response=response, accept=True)
    response_services.meeting_propose(
        actor=sme_member.owner, response=response, slots=[tomorrow_at(11)]
    )
    for user in (demand.owner.owner, sme_member.owner):
        client = as_user(Client(), user)
        html = client.get(url("demand", demand.pk)).content.decode()
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S)
        assert len(forms) >= 3
        assert all('name="csrfmiddlewaretoken"' in form for form in forms)


def test_posts_without_a_csrf_token_are_refused(demand, sme_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sme_member.owner)

    answer = client.post(url("interest", demand.pk), {"message": "Forged"})

    assert answer.status_code == 403
    assert not DemandResponse.objects.exists()


def test_anonymous_visitors_see_the_public_pages(client, anchor_member):
    for target in (url("members"), url("member", anchor_member.uscc), url("standards")):
        assert client.get(target).status_code == 200, target


def test_the_navigation_links_to_the_alliance(client):
    html = client.get(reverse("home")).content.decode()

    assert f'href="{url("members")}"' in html
