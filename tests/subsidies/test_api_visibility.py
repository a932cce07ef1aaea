"""Who sees what in /api/v1/applications/, and query counts that do not grow with the rows."""

import pytest

from subsidies.models import ApplicationStatus, Message
from subsidies.services.drafting import document_add
from subsidies.services.submission import message_post
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProgrammeFactory,
    PurchaseLineFactory,
)
from tests.subsidies.api_support import APPLICATIONS, PROGRAMMES, url
from tests.subsidies.conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_outsider(api_client, sme):
    """The owner of another organisation."""
    api_client.force_login(sme.owner)
    return api_client


@pytest.fixture
def as_official(api_client, official):
    api_client.force_login(official)
    return api_client


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
    PurchaseLineFactory.create_batch(8, buyer=anchor, supplier=supplier, confirmation="confirmed")
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
