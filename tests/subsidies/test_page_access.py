"""Who may open the application pages, and that nobody else can change anything through them.

Another organisation's user gets 404 for every page and every POST of an application that is
not theirs (its existence is not revealed) and nothing changes; officials may read an
application and its documents and write in its thread, but not act for the applicant;
anonymous visitors are sent to log in, except for the document download, which answers 404.
"""

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from subsidies.models import Application, Document, Message, Transition
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory
from tests.subsidies.conftest import pdf

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"subsidies:{name}", args=args)


def application_requests(application) -> dict[str, tuple[str, str, dict]]:
    pk = application.pk
    document = application.documents.get().pk
    line = application.claimed_lines.first().purchase_line_id
    return {
        "open the page": ("get", url("application", pk), {}),
        "open the claim form": ("get", url("edit", pk), {}),
        "edit the claim": ("post", url("edit", pk), {"summary": "Hijacked"}),
        "open the line picker": ("get", url("lines", pk), {}),
        "release the lines": ("post", url("lines", pk), {"shown": [line]}),
        "open the upload form": ("get", url("document_add", pk), {}),
        "attach a document": (
            "post",
            url("document_add", pk),
            {"kind": "other", "file": pdf("spy.pdf")},
        ),
        "download a document": ("get", url("document", pk, document), {}),
        "confirm a document removal": ("get", url("document_delete", pk, document), {}),
        "remove a document": ("post", url("document_delete", pk, document), {}),
        "open the submission": ("get", url("submit", pk), {}),
        "submit": ("post", url("submit", pk), {}),
        "open the withdrawal": ("get", url("withdraw", pk), {}),
        "withdraw": ("post", url("withdraw", pk), {"note": "bye"}),
        "open the appeal": ("get", url("appeal", pk), {}),
        "appeal": ("post", url("appeal", pk), {"grounds": "Because."}),
        "write a message": ("post", url("message", pk), {"body": "Hello?"}),
    }


ACTIONS = [
    "open the page",
    "open the claim form",
    "edit the claim",
    "open the line picker",
    "release the lines",
    "open the upload form",
    "attach a document",
    "download a document",
    "confirm a document removal",
    "remove a document",
    "open the submission",
    "submit",
    "open the withdrawal",
    "withdraw",
    "open the appeal",
    "appeal",
    "write a message",
]

#: What an official may do on the applicant's pages (everything else is the applicant's).
OFFICIAL_MAY = {"open the page", "download a document", "write a message"}


def snapshot(application) -> dict:
    """Everything the application's pages could change."""
    return {
        "application": model_to_dict(Application.objects.get(pk=application.pk)),
        "lines": sorted(application.claimed_lines.values_list("purchase_line_id", flat=True)),
        "documents": sorted(Document.objects.values_list("pk", flat=True)),
        "transitions": Transition.objects.count(),
        "messages": Message.objects.count(),
    }


@pytest.fixture
def rival(db):
    """A user of a second enterprise, with an application of its own."""
    enterprise = EnterpriseFactory(kind="anchor")
    user = UserFactory(username="rival")
    MembershipFactory(user=user, enterprise=enterprise, role="owner")
    return user


def test_every_application_action_is_checked(draft):
    assert sorted(application_requests(draft)) == sorted(ACTIONS)


@pytest.mark.parametrize("action", ACTIONS)
def test_another_organisations_user_gets_404_and_nothing_changes(client, draft, rival, action):
    method, target, data = application_requests(draft)[action]
    before = snapshot(draft)
    client.force_login(rival)

    response = getattr(client, method)(target, data)

    assert response.status_code == 404
    assert snapshot(draft) == before


@pytest.mark.parametrize("action", sorted(set(ACTIONS) - OFFICIAL_MAY))
def test_an_official_does_not_act_for_the_applicant(client, draft, official, action):
    method, target, data = application_requests(draft)[action]
    before = snapshot(draft)
    client.force_login(official)

    assert getattr(client, method)(target, data).status_code == 404
    assert snapshot(draft) == before


def test_an_official_reads_the_application_and_its_documents(client, draft, official):
    document = draft.documents.get()
    client.force_login(official)

    page = client.get(url("application", draft.pk))
    download = client.get(url("document", draft.pk, document.pk))

    assert page.status_code == 200
    assert f'href="{url("edit", draft.pk)}"' not in page.content.decode()
    assert f'href="{url("submit", draft.pk)}"' not in page.content.decode()
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("action", sorted(set(ACTIONS) - {"download a document"}))
def test_anonymous_visitors_are_sent_to_log_in(client, draft, action):
    method, target, data = application_requests(draft)[action]
    before = snapshot(draft)

    response = getattr(client, method)(target, data)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")
    assert snapshot(draft) == before


def test_anonymous_visitors_cannot_download_documents(client, draft):
    document = draft.documents.get()

    assert client.get(url("document", draft.pk, document.pk)).status_code == 404


def test_a_document_of_another_application_is_404_even_for_its_members(
    client, anchor, draft, procurement
):
    from subsidies.services.drafting import application_create

    other = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    client.force_login(anchor.owner)

    response = client.get(url("document", other.pk, draft.documents.get().pk))

    assert response.status_code == 404


def test_my_applications_and_apply_need_a_login(client, procurement):
    for target in (url("applications"), url("apply", procurement.pk)):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_public_pages_are_open_to_everybody(client, procurement):
    for target in (
        url("programmes"),
        url("programme", procurement.pk),
        url("awards"),
        url("awards_csv"),
        url("notices"),
    ):
        assert client.get(target).status_code == 200, target


def test_forms_are_protected_against_cross_site_requests(anchor, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(anchor.owner)
    before = snapshot(draft)

    response = client.post(url("edit", draft.pk), {"summary": "Forged"})
    page = client.get(url("edit", draft.pk))

    assert response.status_code == 403
    assert snapshot(draft) == before
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
