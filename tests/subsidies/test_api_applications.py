"""Applying for support through the API, /api/v1/applications/: the applicant's journey from
draft to appeal, the claim fields of each programme kind, and the messages of an application.
"""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from subsidies.models import Application, ApplicationStatus, ClaimedLine, Document
from subsidies.services.drafting import application_create
from subsidies.services.reviews import application_reject, application_return
from subsidies.services.submission import message_post
from tests.factories import ApplicationFactory, ProgrammeFactory, StandardParticipationFactory
from tests.subsidies.api_support import APPLICATIONS, start, url
from tests.subsidies.conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db


def five_percent(amounts) -> str:
    total = sum(Decimal(amount) for amount in amounts)
    return str((total * Decimal("0.05")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --- the applicant's journey ---------------------------------------------------------------


def test_an_applicant_applies_for_the_procurement_subsidy_through_the_api(
    api_client, anchor, procurement, lines
):
    token = Token.objects.create(user=anchor.owner)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    # The code as people paste it: spaces and lower case.
    code = " ".join([anchor.uscc[:9], anchor.uscc[9:].lower()])
    created = api_client.post(
        APPLICATIONS, {"programme": procurement.pk, "applicant": code}, format="json"
    )
    assert created.status_code == 201, created.json()
    application = created.json()
    assert application["status"] == "draft"
    assert application["applicant"] == anchor.uscc
    assert application["claim_fields"] == ["summary"]

    checklist = api_client.get(url(application["id"], "eligibility")).json()
    assert checklist["ok"] is False
    failing = {check["code"] for check in checklist["checks"] if not check["ok"]}
    assert failing == {"documents", "claim", "amount"}

    claimable = api_client.get(url(application["id"], "claimable-lines")).json()
    assert {line["id"] for line in claimable["results"]} == {line.pk for line in lines}

    claimed = api_client.put(
        url(application["id"], "lines"), {"line_ids": [line.pk for line in lines]}, format="json"
    )
    assert claimed.status_code == 200, claimed.json()
    assert sorted(line["amount_cny"] for line in claimed.json()["claimed_lines"]) == [
        "100000.00",
        "250000.00",
        "40000.50",
    ]

    attached = api_client.post(
        url(application["id"], "documents"),
        {"kind": "invoices", "file": pdf("invoices-2026.pdf")},
        format="multipart",
    )
    assert attached.status_code == 201, attached.json()
    assert attached.json()["original_name"] == "invoices-2026.pdf"
    assert attached.json()["content_type"] == "application/pdf"
    assert not {"file", "url", "token"} & set(attached.json())

    expected = five_percent(line.amount for line in lines)
    checklist = api_client.get(url(application["id"], "eligibility")).json()
    assert checklist["ok"] is True
    assert checklist["amount_cny"] == expected

    submitted = api_client.post(url(application["id"], "submit"))
    assert submitted.status_code == 200, submitted.json()
    body = submitted.json()
    assert body["status"] == "submitted"
    assert body["computed_amount_cny"] == expected == "19500.03"
    assert body["awarded_amount_cny"] is None
    assert [(t["from_status"], t["to_status"]) for t in body["transitions"]] == [
        ("draft", "submitted")
    ]
    assert body["is_editable"] is False


def test_a_submitted_application_cannot_be_changed(as_anchor, submitted):
    response = as_anchor.patch(url(submitted), {"summary": "More"}, format="json")

    assert response.status_code == 400
    assert "Only a draft or a returned application can be changed" in str(response.json())


def test_submission_lists_every_problem_in_the_way(as_anchor, anchor, procurement):
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)

    response = as_anchor.post(url(application, "submit"))

    assert response.status_code == 400
    problems = response.json()["non_field_errors"]
    assert "Pick at least one purchase line to claim." in problems
    assert any("Invoices or purchase contracts" in problem for problem in problems)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_a_line_claimed_in_another_application_is_refused(as_anchor, anchor, draft, lines):
    other = start(as_anchor, draft.programme, anchor).json()

    claimable = as_anchor.get(url(other["id"], "claimable-lines")).json()
    response = as_anchor.put(url(other["id"], "lines"), {"line_ids": [lines[0].pk]}, format="json")

    assert claimable["count"] == 0
    assert response.status_code == 400
    assert lines[0].invoice_no in response.json()["lines"][0]
    assert ClaimedLine.objects.filter(application_id=other["id"]).count() == 0


def test_a_withdrawn_application_frees_its_lines_for_another(as_anchor, anchor, draft, lines):
    response = as_anchor.post(url(draft, "withdraw"), {"note": "Wrong year"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert response.json()["transitions"][-1]["note"] == "Wrong year"

    other = start(as_anchor, draft.programme, anchor).json()
    claimed = as_anchor.put(
        url(other["id"], "lines"), {"line_ids": [line.pk for line in lines]}, format="json"
    )

    assert claimed.status_code == 200
    assert len(claimed.json()["claimed_lines"]) == 3


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("invoice.pdf", b"#!/bin/sh\necho 'not a pdf'\n"),
        ("invoice.png", PDF_BYTES),
        ("invoice.pdf", b"MZ\x90\x00 a program"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(as_anchor, draft, name, content):
    before = Document.objects.filter(application=draft).count()

    response = as_anchor.post(
        url(draft, "documents"),
        {"kind": "invoices", "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )

    assert response.status_code == 400
    assert name in response.json()["file"][0]
    assert Document.objects.filter(application=draft).count() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"file": "not a file"}, "kind"),
        ({"kind": "selfie"}, "kind"),
        ({"kind": "invoices"}, "file"),
        ({"kind": "invoices", "colour": "blue"}, "colour"),
    ],
)
def test_a_bad_upload_names_the_field(as_anchor, draft, data, field):
    if "file" not in data and field != "file":
        data = {**data, "file": pdf()}

    response = as_anchor.post(url(draft, "documents"), data, format="multipart")

    assert response.status_code == 400
    assert field in response.json()


def test_documents_are_listed_as_records_without_file_addresses(as_anchor, draft):
    response = as_anchor.get(url(draft, "documents"))

    assert response.status_code == 200
    [document] = response.json()
    assert document["kind"] == "invoices"
    assert document["size_bytes"] == len(PDF_BYTES)
    assert "private" not in str(response.json())
    assert not {"file", "url", "token"} & set(document)


def test_a_returned_application_shows_what_to_change_and_can_be_resubmitted(
    as_anchor, submitted, official
):
    application_return(actor=official, application=submitted, note="Attach the signed contract.")

    detail = as_anchor.get(url(submitted)).json()
    assert detail["status"] == "returned"
    assert detail["return_note"] == "Attach the signed contract."
    assert detail["is_editable"] is True

    changed = as_anchor.patch(url(submitted), {"summary": "Contract attached."}, format="json")
    assert changed.status_code == 200
    assert changed.json()["summary"] == "Contract attached."
    assert as_anchor.post(url(submitted, "submit")).json()["status"] == "submitted"


def test_an_applicant_appeals_a_rejection_once(as_anchor, under_review, official):
    application_reject(actor=official, application=under_review, note="Not local.")

    blank = as_anchor.post(url(under_review, "appeal"), {"grounds": "  "}, format="json")
    appealed = as_anchor.post(
        url(under_review, "appeal"), {"grounds": "The supplier is local."}, format="json"
    )
    again = as_anchor.post(url(under_review, "appeal"), {"grounds": "Again."}, format="json")

    assert blank.status_code == 400
    assert "grounds" in blank.json()
    assert appealed.status_code == 201
    assert appealed.json()["status"] == "appealed"
    assert appealed.json()["appeals"][0]["grounds"] == "The supplier is local."
    assert again.status_code == 400


def test_a_draft_cannot_be_appealed(as_anchor, draft):
    response = as_anchor.post(url(draft, "appeal"), {"grounds": "Why not?"}, format="json")

    assert response.status_code == 400
    assert "cannot become" in response.json()["non_field_errors"][0]


# --- claim fields by kind ------------------------------------------------------------------


def test_a_national_matching_claim_is_made_with_its_fields(as_anchor, anchor):
    programme = ProgrammeFactory(kind="national_matching")

    response = start(
        as_anchor,
        programme,
        anchor,
        project_name="Sulfide electrolyte pilot line",
        approving_ministry="MIIT",
        document_number="工信部〔2026〕12号",
        total_investment_cny="8000000.00",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total_investment_cny"] == "8000000.00"
    assert "total_investment_cny" in body["claim_fields"]
    checklist = as_anchor.get(url(body["id"], "eligibility")).json()
    assert checklist["amount_cny"] == "1200000.00"


def test_a_field_of_another_programme_kind_is_refused(as_anchor, anchor, procurement):
    response = start(as_anchor, procurement, anchor, project_name="Pilot line")

    assert response.status_code == 400
    assert response.json() == {"project_name": ["This programme does not use this field."]}
    assert not Application.objects.exists()


def test_a_standard_already_claimed_is_refused_under_its_field(as_anchor, anchor):
    programme = ProgrammeFactory(kind="standards_reward")
    participation = StandardParticipationFactory(enterprise=anchor, role="lead")
    first = start(as_anchor, programme, anchor, standard_participation=participation.pk)
    assert first.status_code == 201
    assert first.json()["standard_number"] == participation.standard.number

    again = start(as_anchor, programme, anchor, standard_participation=participation.pk)

    assert again.status_code == 400
    assert "standard_participation" in again.json()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lots", "A valid number is required."),
        ("-5", "greater than or equal to 0"),
        ("1.234", "decimal places"),
        ("NaN", "A valid number is required."),
        ("Infinity", "A valid number is required."),
        ("1e400", "digits"),
        (["1"], "A valid number is required."),
    ],
)
def test_a_bad_amount_answers_400_naming_the_field(as_anchor, anchor, value, message):
    application = ApplicationFactory(
        programme=ProgrammeFactory(kind="national_matching"), applicant=anchor
    )

    response = as_anchor.patch(url(application), {"total_investment_cny": value}, format="json")

    assert response.status_code == 400
    assert message in response.json()["total_investment_cny"][0]


# --- messages ------------------------------------------------------------------------------


def test_applicant_and_officials_talk_and_internal_notes_stay_internal(
    api_client, anchor, official, submitted
):
    api_client.force_login(anchor.owner)
    asked = api_client.post(url(submitted, "messages"), {"body": "When?"}, format="json")
    secret = api_client.post(
        url(submitted, "messages"), {"body": "psst", "internal": True}, format="json"
    )
    empty = api_client.post(url(submitted, "messages"), {"body": "   "}, format="json")
    message_post(actor=official, application=submitted, body="Check ties.", internal=True)
    message_post(actor=official, application=submitted, body="Next week.")

    assert asked.status_code == 201
    assert asked.json()["author"] == anchor.owner.username
    assert secret.status_code == 403
    assert empty.status_code == 400
    assert "body" in empty.json()
    applicant_sees = [m["body"] for m in api_client.get(url(submitted, "messages")).json()]
    assert applicant_sees == ["When?", "Next week."]
    assert [m["body"] for m in api_client.get(url(submitted)).json()["messages"]] == applicant_sees

    api_client.force_login(official)
    official_sees = [m["body"] for m in api_client.get(url(submitted, "messages")).json()]
    assert official_sees == ["When?", "Check ties.", "Next week."]
