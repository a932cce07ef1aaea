"""Applying for support through the API: /api/v1/programmes/ and /api/v1/applications/."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token

from subsidies.models import Application, ApplicationStatus, ClaimedLine, Document, Message
from subsidies.services.drafting import application_create, document_add
from subsidies.services.reviews import application_reject, application_return
from subsidies.services.submission import message_post
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProgrammeFactory,
    PurchaseLineFactory,
    StandardParticipationFactory,
)
from tests.subsidies.conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db

PROGRAMMES = "/api/v1/programmes/"
APPLICATIONS = "/api/v1/applications/"


def url(application, action: str = "") -> str:
    pk = application if isinstance(application, int) else application.pk
    return f"{APPLICATIONS}{pk}/" + (f"{action}/" if action else "")


def five_percent(amounts) -> str:
    total = sum(Decimal(amount) for amount in amounts)
    return str((total * Decimal("0.05")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@pytest.fixture
def as_anchor(api_client, anchor):
    api_client.force_login(anchor.owner)
    return api_client


@pytest.fixture
def as_outsider(api_client, sme):
    """The owner of another organisation."""
    api_client.force_login(sme.owner)
    return api_client


@pytest.fixture
def as_official(api_client, official):
    api_client.force_login(official)
    return api_client


def start(client, programme, applicant, **fields):
    return client.post(
        APPLICATIONS,
        {"programme": programme.pk, "applicant": applicant.uscc, **fields},
        format="json",
    )


# --- programmes ----------------------------------------------------------------------------


def test_programmes_are_public_with_their_rule_and_amounts_as_decimal_strings(api_client):
    ProgrammeFactory(kind="local_procurement", required_documents=["invoices"])

    response = api_client.get(PROGRAMMES)

    assert response.status_code == 200
    [programme] = response.json()["results"]
    assert programme["kind"] == "local_procurement"
    assert programme["rate_percent"] == "5.00"
    assert programme["budget_cny"] == "10000000.00"
    assert programme["is_open"] is True
    assert programme["required_documents"] == [
        {"kind": "invoices", "label": "Invoices or purchase contracts"}
    ]
    assert set(programme["eligible_categories"]) == {"solid-electrolyte", "cells-and-packs"}
    assert programme["claim_fields"] == ["summary"]


def test_a_programme_shows_its_own_parameters_and_claim_fields(api_client):
    programme = ProgrammeFactory(kind="standards_reward")

    response = api_client.get(f"{PROGRAMMES}{programme.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["lead_reward_cny"] == "1000000.00"
    assert body["participate_reward_cny"] == "500000.00"
    assert body["claim_fields"] == ["summary", "standard_participation"]


def test_programmes_filter_by_kind_year_and_open(api_client):
    today = timezone.localdate()
    open_fund = ProgrammeFactory(kind="rd_fund")
    closed_fund = ProgrammeFactory(
        kind="rd_fund",
        opens_on=today - datetime.timedelta(days=90),
        closes_on=today - datetime.timedelta(days=60),
    )
    last_year = ProgrammeFactory(kind="local_procurement", year=today.year - 1)

    def ids(**params):
        response = api_client.get(PROGRAMMES, params)
        assert response.status_code == 200
        return {programme["id"] for programme in response.json()["results"]}

    assert ids(kind="rd_fund") == {open_fund.pk, closed_fund.pk}
    assert ids(kind="rd_fund", open="true") == {open_fund.pk}
    assert ids(open="false") == {closed_fund.pk}
    assert ids(year=today.year - 1) == {last_year.pk}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "free_money"}, "kind"),
        ({"year": "last"}, "year"),
        ({"year": "1e3"}, "year"),
        ({"open": "maybe"}, "open"),
    ],
)
def test_a_bad_programme_filter_answers_400_naming_it(api_client, params, field):
    response = api_client.get(PROGRAMMES, params)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("path", ["999999/", "abc/", "99999999999999999999999999/"])
def test_an_unknown_programme_is_not_found(api_client, path):
    assert api_client.get(f"{PROGRAMMES}{path}").status_code == 404


def test_programme_list_queries_do_not_grow_with_the_rows(api_client, django_assert_num_queries):
    ProgrammeFactory.create_batch(6, kind="local_procurement")

    # count, page, the eligible categories of the page (prefetched)
    with django_assert_num_queries(3):
        response = api_client.get(PROGRAMMES)

    assert len(response.json()["results"]) == 6


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


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"programme": "abc"}, "programme", "Incorrect type"),
        ({"programme": 999999}, "programme", "There is no programme with this id."),
        ({"programme": 10**30}, "programme", ""),
        ({"programme": None}, "programme", "null"),
        ({"applicant": "not a code"}, "applicant", "No enterprise is registered"),
        ({"applicant": 12345}, "applicant", "unified social credit code"),
        ({"colour": "blue"}, "colour", "Unknown field."),
        ({"summary": ["a", "list"]}, "summary", "Not a valid string."),
    ],
)
def test_bad_input_to_start_an_application_names_the_field(
    as_anchor, anchor, procurement, body, field, message
):
    data = {"programme": procurement.pk, "applicant": anchor.uscc, **body}

    response = as_anchor.post(APPLICATIONS, data, format="json")

    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Application.objects.exists()


def test_a_missing_programme_and_applicant_are_both_named(as_anchor):
    response = as_anchor.post(APPLICATIONS, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"programme", "applicant"}


def test_a_body_that_is_not_an_object_is_refused(as_anchor):
    response = as_anchor.post(APPLICATIONS, ["programme"], format="json")

    assert response.status_code == 400


def test_only_members_may_apply_for_an_enterprise(as_anchor, sme, procurement):
    response = start(as_anchor, procurement, sme)

    assert response.status_code == 403
    assert response.json()["detail"] == "Only members of the applicant may do this."
    assert not Application.objects.exists()


def test_a_closed_programme_refuses_new_applications(as_anchor, anchor):
    today = timezone.localdate()
    closed = ProgrammeFactory(
        opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(days=1)
    )

    response = start(as_anchor, closed, anchor)

    assert response.status_code == 400
    assert "closed" in response.json()["programme"][0]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "line_ids"),
        ({"line_ids": "1,2"}, "line_ids"),
        ({"line_ids": ["one"]}, "line_ids"),
        ({"line_ids": [0]}, "line_ids"),
        ({"line_ids": [10**30]}, "line_ids"),
        ({"line_ids": [], "lines": [1]}, "lines"),
    ],
)
def test_bad_line_ids_answer_400(as_anchor, draft, body, field):
    response = as_anchor.put(url(draft, "lines"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert draft.claimed_lines.count() == 3


def test_another_firms_line_cannot_be_claimed(as_anchor, draft, sme, supplier):
    theirs = PurchaseLineFactory(buyer=sme, supplier=supplier)

    response = as_anchor.put(url(draft, "lines"), {"line_ids": [theirs.pk]}, format="json")

    assert response.status_code == 400
    assert "cannot be claimed here" in response.json()["lines"][0]


def test_a_programme_without_lines_has_none_to_claim(as_anchor, anchor):
    application = ApplicationFactory(programme=ProgrammeFactory(kind="rd_fund"), applicant=anchor)

    listed = as_anchor.get(url(application, "claimable-lines"))
    claimed = as_anchor.put(url(application, "lines"), {"line_ids": []}, format="json")

    assert listed.status_code == 400
    assert claimed.status_code == 400
    assert "does not pay for purchase lines" in str(claimed.json())


def test_an_rd_proposal_sets_its_kpis_and_milestones(as_anchor, anchor):
    application = ApplicationFactory(programme=ProgrammeFactory(kind="rd_fund"), applicant=anchor)
    plan = {
        "kpis": [{"kpi": "ionic_conductivity", "baseline_value": 0.004, "target_value": 0.012}],
        "milestones": [
            {"title": "Pilot batch", "due_on": "2027-06-30", "deliverable": "10 kg powder"}
        ],
    }

    response = as_anchor.put(url(application, "plan"), plan, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["kpi_targets"] == [
        {
            "kpi": "ionic_conductivity",
            "kpi_label": "Ionic conductivity at 25 °C (S/cm)",
            "baseline_value": 0.004,
            "target_value": 0.012,
        }
    ]
    assert body["milestones"] == [
        {"title": "Pilot batch", "due_on": "2027-06-30", "deliverable": "10 kg powder"}
    ]


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        ({"milestones": None}, "milestones"),
        ({"kpis": [{"kpi": "happiness", "baseline_value": 1, "target_value": 2}]}, "kpis"),
        ({"kpis": [{"kpi": "asr", "baseline_value": "high", "target_value": 2}]}, "kpis"),
        ({"kpis": [{"kpi": "asr", "baseline_value": "NaN", "target_value": 2}]}, "kpis"),
        ({"kpis": [{"kpi": "asr", "baseline_value": 1, "target_value": 2, "x": 1}]}, "kpis"),
        ({"milestones": [{"title": "Done", "due_on": "tomorrow"}]}, "milestones"),
        ({"milestones": "soon"}, "milestones"),
        (
            {
                "kpis": [
                    {"kpi": "asr", "baseline_value": 20, "target_value": 10},
                    {"kpi": "asr", "baseline_value": 20, "target_value": 8},
                ]
            },
            "kpis",
        ),
    ],
)
def test_a_bad_plan_answers_400_naming_the_field(as_anchor, anchor, plan, field):
    application = ApplicationFactory(programme=ProgrammeFactory(kind="rd_fund"), applicant=anchor)
    body = {"kpis": [], "milestones": [], **plan}
    if body["milestones"] is None:
        del body["milestones"]

    response = as_anchor.put(url(application, "plan"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_procurement_claim_has_no_plan(as_anchor, draft):
    response = as_anchor.put(url(draft, "plan"), {"kpis": [], "milestones": []}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Only R&D proposals have KPIs and milestones."]}


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


# --- who sees what -------------------------------------------------------------------------


ACTIONS = [
    ("get", "", None),
    ("patch", "", {"summary": "Mine now"}),
    ("get", "eligibility", None),
    ("get", "claimable-lines", None),
    ("put", "lines", {"line_ids": []}),
    ("put", "plan", {"kpis": [], "milestones": []}),
    ("get", "documents", None),
    ("post", "documents", "upload"),
    ("post", "submit", None),
    ("post", "withdraw", {"note": "bye"}),
    ("post", "appeal", {"grounds": "because"}),
    ("get", "messages", None),
    ("post", "messages", {"body": "hello"}),
]


@pytest.mark.parametrize(("method", "action", "data"), ACTIONS)
def test_another_organisations_user_finds_nothing(as_outsider, draft, method, action, data):
    if data == "upload":
        response = as_outsider.post(
            url(draft, action), {"kind": "invoices", "file": pdf()}, format="multipart"
        )
    else:
        response = getattr(as_outsider, method)(url(draft, action), data, format="json")

    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.summary == ""
    assert draft.claimed_lines.count() == 3
    assert draft.documents.count() == 1
    assert not Message.objects.exists()


@pytest.mark.parametrize("path", ["999999/", "abc/", "99999999999999999999999999/"])
def test_an_unknown_application_is_not_found(as_anchor, path):
    assert as_anchor.get(f"{APPLICATIONS}{path}").status_code == 404
    assert as_anchor.post(f"{APPLICATIONS}{path}submit/").status_code == 404


def test_applications_need_a_signed_in_user(api_client, draft):
    assert api_client.get(APPLICATIONS).status_code == 401
    assert api_client.get(url(draft)).status_code == 401
    assert api_client.get(PROGRAMMES).status_code == 200


def test_members_list_their_own_applications_and_officials_all(
    api_client, anchor, sme, official, draft
):
    theirs = ApplicationFactory(programme=draft.programme, applicant=sme)

    api_client.force_login(anchor.owner)
    mine = api_client.get(APPLICATIONS).json()
    api_client.force_login(official)
    every = api_client.get(APPLICATIONS).json()

    assert [a["id"] for a in mine["results"]] == [draft.pk]
    assert {a["id"] for a in every["results"]} == {draft.pk, theirs.pk}


def test_an_official_reads_an_application_but_cannot_act_for_the_applicant(as_official, draft):
    assert as_official.get(url(draft)).status_code == 200
    assert as_official.get(url(draft, "eligibility")).status_code == 200

    response = as_official.post(url(draft, "submit"))

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_applications_filter_by_status_and_programme(as_anchor, anchor, procurement):
    other = ProgrammeFactory(kind="rd_fund")
    draft = ApplicationFactory(programme=procurement, applicant=anchor)
    submitted = ApplicationFactory(programme=procurement, applicant=anchor, status="submitted")
    proposal = ApplicationFactory(programme=other, applicant=anchor)

    def ids(**params):
        response = as_anchor.get(APPLICATIONS, params)
        assert response.status_code == 200
        return {application["id"] for application in response.json()["results"]}

    assert ids(status="draft") == {draft.pk, proposal.pk}
    assert ids(programme=procurement.pk) == {draft.pk, submitted.pk}
    assert ids(programme=other.pk, status="submitted") == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "paid"}, "status"), ({"programme": "abc"}, "programme")],
)
def test_a_bad_application_filter_answers_400(as_anchor, params, field):
    response = as_anchor.get(APPLICATIONS, params)

    assert response.status_code == 400
    assert field in response.json()


# --- queries -------------------------------------------------------------------------------


def test_application_list_queries_do_not_grow_with_the_rows(
    as_anchor, anchor, django_assert_num_queries
):
    for kind in ("local_procurement", "rd_fund", "standards_reward"):
        ApplicationFactory.create_batch(2, programme=ProgrammeFactory(kind=kind), applicant=anchor)
    ApplicationFactory(applicant=EnterpriseFactory())

    # session, user, count, page (with programme and applicant); is_official asks the
    # user's groups once
    with django_assert_num_queries(5):
        response = as_anchor.get(APPLICATIONS)

    assert len(response.json()["results"]) == 6


def test_a_member_of_two_firms_sees_each_application_once(api_client, anchor, sme, procurement):
    MembershipFactory(user=anchor.owner, enterprise=sme)
    ApplicationFactory(programme=procurement, applicant=anchor)
    ApplicationFactory(programme=procurement, applicant=sme)
    api_client.force_login(anchor.owner)

    response = api_client.get(APPLICATIONS)

    assert response.json()["count"] == 2


def test_claimable_lines_queries_do_not_grow_with_the_rows(
    as_anchor, anchor, supplier, procurement, django_assert_num_queries
):
    PurchaseLineFactory.create_batch(8, buyer=anchor, supplier=supplier)
    application = ApplicationFactory(programme=procurement, applicant=anchor)

    # session, user, groups, application, eligible categories, count, page (category,
    # supplier joined)
    with django_assert_num_queries(7):
        response = as_anchor.get(url(application, "claimable-lines"))

    assert response.json()["count"] == 8


def test_detail_documents_and_messages_queries_do_not_grow_with_the_rows(
    as_anchor, anchor, draft, official, django_assert_num_queries
):
    for number in range(4):
        document_add(
            actor=anchor.owner, application=draft, kind="other", upload=pdf(f"annex-{number}.pdf")
        )
        message_post(actor=anchor.owner, application=draft, body=f"Note {number}")
        message_post(actor=official, application=draft, body=f"Reply {number}")

    # session, user, is-official twice (who sees the application, who sees internal notes),
    # the application (programme, applicant, district, notice), one query each for lines,
    # KPIs, milestones, documents, transitions, messages, appeals and objections
    with django_assert_num_queries(12):
        detail = as_anchor.get(url(draft))
    # session, user, is-official, the application, its documents
    with django_assert_num_queries(5):
        documents = as_anchor.get(url(draft, "documents"))
    # session, user, is-official, the application, is-official (internal notes), messages
    with django_assert_num_queries(6):
        messages = as_anchor.get(url(draft, "messages"))

    assert len(detail.json()["claimed_lines"]) == 3
    assert len(detail.json()["messages"]) == 8
    assert len(documents.json()) == 5
    assert len(messages.json()) == 8
