"""Collaboration pages (deliveries, milestones, documents, a university joining, termination)
and standards pages (confirmed participations, recording a standard, declaring a part in it).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliance.models import (
    Collaboration,
    CollaborationDocument,
    CollaborationMilestone,
    Standard,
    StandardParticipation,
)
from directory.demo.documents import blank_pdf
from tests.alliance import pages_support
from tests.alliance.pages_support import as_user, text_of, url
from tests.factories import (
    AllianceMemberFactory,
    EnterpriseFactory,
    PurchaseLineFactory,
    StandardFactory,
    StandardParticipationFactory,
)

pytestmark = pytest.mark.django_db


# The page tests' own fixtures, bound here rather than in the conftest: the API tests of this
# folder build fixtures of the same names differently.
collaboration = pages_support.collaboration


PDF_BYTES = blank_pdf()


# --- collaborations ---------------------------------------------------------------------------


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
