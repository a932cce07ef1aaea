"""The alliance's pages: what members, anchors, SMEs and the public see and can do.

Every write goes through the services; these tests prove what a person sees on the page and
that bad input answers with a message on the field (never a 500) and saves nothing.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliance.models import (
    AllianceMember,
    Collaboration,
    CollaborationDocument,
    CollaborationMilestone,
    Demand,
    DemandResponse,
    Meeting,
    Standard,
    StandardParticipation,
)
from alliance.services import membership as membership_services
from alliance.services import responses as response_services
from tests.factories import (
    AllianceMemberFactory,
    CertificationFactory,
    DemandFactory,
    EnterpriseFactory,
    ProductFactory,
    PurchaseLineFactory,
    StandardFactory,
    StandardParticipationFactory,
)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text_of(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def url(name: str, *args) -> str:
    return reverse(f"alliance:{name}", args=args)


def local_input(moment: datetime.datetime) -> str:
    """A moment as a datetime-local input sends it (local time, minutes)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def tomorrow_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.fixture
def anchor_member(anchor):
    AllianceMemberFactory(enterprise=anchor)
    return anchor


@pytest.fixture
def sme_member(sme):
    """An SME member with a sulfide electrolyte that beats the usual thresholds."""
    sme.annual_capacity = Decimal("80")
    sme.capacity_unit = "t"
    sme.save(update_fields=["annual_capacity", "capacity_unit"])
    ProductFactory(
        enterprise=sme,
        name="Li6PS5Cl powder",
        ionic_conductivity=0.003,
        specific_capacity=180,
        coulombic_efficiency=99.5,
    )
    CertificationFactory(enterprise=sme, scheme="ISO 9001")
    AllianceMemberFactory(enterprise=sme)
    return sme


@pytest.fixture
def demand(anchor_member):
    return DemandFactory(
        owner=anchor_member,
        title="Sulfide electrolyte, 100 t a year",
        ionic_conductivity_min=0.002,
        required_certifications=["ISO 9001"],
        annual_volume=Decimal("100"),
        volume_unit="t",
    )


def as_user(client, user):
    client.force_login(user)
    return client


DEMAND_FORM = {
    "title": "Sulfide electrolyte for the A-sample line",
    "description": "Dry-room grade, 25 kg drums.",
    "ionic_conductivity_min": "0.002",
    "asr_max": "",
    "specific_capacity_min": "",
    "decay_rate_max": "",
    "coulombic_efficiency_min": "99",
    "weight_reduction_min": "",
    "required_certifications": ["ISO 9001"],
    "annual_volume": "100",
    "volume_unit": "t",
    "needed_by": "",
    "preferred_model": "supply",
    "visibility": "members",
}


def demand_form(**changes) -> dict:
    from directory.models import SupplyCategory

    data = dict(DEMAND_FORM)
    data["category"] = SupplyCategory.objects.get(slug="sulfide-electrolyte").pk
    data.update(changes)
    return data


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


# --- collaborations ---------------------------------------------------------------------------


@pytest.fixture
def collaboration(anchor_member, sme_member):
    collaboration = Collaboration.objects.create(
        title="Long-term electrolyte supply",
        model="supply",
        starts_on=datetime.date(timezone.localdate().year, 1, 1),
        committed_annual_volume=Decimal("100"),
        volume_unit="t",
    )
    collaboration.parties.create(enterprise=anchor_member, role="anchor")
    collaboration.parties.create(enterprise=sme_member, role="supplier")
    return collaboration


def test_a_supply_agreement_shows_what_was_delivered_against_the_commitment(
    client, collaboration, anchor_member, sme_member
):
    PurchaseLineFactory(buyer=anchor_member, supplier=sme_member, quantity=Decimal("40"))
    as_user(client, anchor_member.owner)

    page = text_of(client.get(url("collaboration", collaboration.pk)))

    assert "Deliveries against the commitment" in page
    assert "40.0 %" in page


def test_parties_add_and_complete_milestones(client, collaboration, sme_member):
    as_user(client, sme_member.owner)
    due = timezone.localdate() + datetime.timedelta(days=60)

    client.post(url("milestone_add", collaboration.pk), {"title": "First 10 t", "due_on": due})
    milestone = CollaborationMilestone.objects.get()
    client.post(
        url("milestone_complete", collaboration.pk, milestone.pk),
        {"completed_on": timezone.localdate().isoformat()},
    )

    milestone.refresh_from_db()
    assert milestone.completed_on == timezone.localdate()


def test_a_milestone_completed_in_the_future_is_refused(client, collaboration, sme_member):
    milestone = collaboration.milestones.create(title="Pilot", due_on=timezone.localdate())
    as_user(client, sme_member.owner)

    answer = client.post(
        url("milestone_complete", collaboration.pk, milestone.pk),
        {"completed_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
    )

    assert answer.status_code == 400
    assert "A milestone cannot be completed in the future." in text_of(answer)
    milestone.refresh_from_db()
    assert milestone.completed_on is None


def test_parties_attach_and_download_documents(client, collaboration, sme_member):
    as_user(client, sme_member.owner)

    client.post(
        url("document_add", collaboration.pk),
        {"title": "Signed agreement", "file": SimpleUploadedFile("agreement.pdf", PDF_BYTES)},
    )
    document = CollaborationDocument.objects.get()
    download = client.get(url("collaboration_document", collaboration.pk, document.pk))

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_file_that_is_not_a_pdf_is_refused_on_the_field(client, collaboration, sme_member):
    as_user(client, sme_member.owner)

    answer = client.post(
        url("document_add", collaboration.pk),
        {"title": "Script", "file": SimpleUploadedFile("run.pdf", b"#!/bin/sh\necho hi\n")},
    )

    assert answer.status_code == 400
    assert answer.context["document_form"].errors["file"]
    assert not CollaborationDocument.objects.exists()


def test_a_university_joins_and_the_collaboration_is_terminated_with_a_reason(
    client, collaboration, anchor_member
):
    university = EnterpriseFactory(kind="university")
    AllianceMemberFactory(enterprise=university)
    as_user(client, anchor_member.owner)

    client.post(url("party_add", collaboration.pk), {"enterprise": university.pk})
    refused = client.post(url("collaboration_close", collaboration.pk), {"status": "terminated"})
    client.post(
        url("collaboration_close", collaboration.pk),
        {"status": "terminated", "note": "Supplier moved away."},
    )

    assert collaboration.parties.filter(enterprise=university, role="university").exists()
    assert refused.status_code == 400
    assert "Give the reason." in text_of(refused)
    collaboration.refresh_from_db()
    assert collaboration.status == "terminated"


def test_the_collaborations_list_takes_a_fixed_number_of_queries(
    client, anchor_member, sme_member, django_assert_max_num_queries
):
    for number in range(5):
        collaboration = Collaboration.objects.create(
            title=f"Collaboration {number}", model="supply", starts_on=timezone.localdate()
        )
        collaboration.parties.create(enterprise=anchor_member, role="anchor")
        collaboration.parties.create(enterprise=sme_member, role="supplier")
    as_user(client, sme_member.owner)

    # session, user, official check (twice), count, page, parties with their enterprises
    with django_assert_max_num_queries(7):
        response = client.get(url("collaborations"))

    assert text_of(response).count(anchor_member.name_en) == 5


# --- standards --------------------------------------------------------------------------------


def test_standards_list_only_confirmed_participations(client, sme_member, anchor_member):
    standard = StandardFactory(number="62660-4", title="Solid-state cell safety")
    StandardParticipationFactory(standard=standard, enterprise=anchor_member, role="lead")
    StandardParticipationFactory(standard=standard, enterprise=sme_member, status="pending")

    page = text_of(client.get(url("standards")))

    assert "IEC 62660-4" in page and "Solid-state cell safety" in page
    assert anchor_member.name_en in page
    assert sme_member.name_en not in page


def test_recording_a_standard_then_declaring_a_participation(client, sme_member):
    as_user(client, sme_member.owner)

    recorded = client.post(
        url("standard_new"),
        {
            "body": "GB/T",
            "number": "36276-2025",
            "title": "Solid electrolytes",
            "stage": "proposal",
        },
    )
    standard = Standard.objects.get()
    assert recorded["Location"] == f"{url('participation_new')}?standard={standard.pk}"
    form_page = client.get(recorded["Location"]).content.decode()
    assert f'<option value="{standard.pk}" selected>' in form_page
    client.post(
        url("participation_new"),
        {
            "standard": standard.pk,
            "enterprise": sme_member.pk,
            "role": "participant",
            "joined_on": "2024-03-01",
            "evidence": "Nomination letter of 2024-02-20",
        },
    )

    participation = StandardParticipation.objects.get()
    assert participation.status == "pending"
    assert participation.enterprise == sme_member


def test_a_standard_recorded_twice_is_refused_on_the_number(client, sme_member):
    StandardFactory(body="IEC", number="62660-1", key="IEC626601")
    as_user(client, sme_member.owner)

    answer = client.post(
        url("standard_new"),
        {"body": "IEC", "number": "62660-1", "title": "Again", "stage": "proposal"},
    )

    assert answer.status_code == 400
    assert answer.context["form"].errors["number"] == ["This standard is recorded already."]


def test_the_standards_list_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _number in range(6):
        standard = StandardFactory()
        StandardParticipationFactory(standard=standard, role="lead")
        StandardParticipationFactory(standard=standard)

    # count, standards, their confirmed participations with the organisations
    with django_assert_max_num_queries(3):
        response = client.get(url("standards"))

    assert len(response.context["page"].object_list) == 6


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
