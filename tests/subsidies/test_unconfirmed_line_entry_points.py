"""Officials accept a line its supplier has not confirmed from the application's admin page
(a confirmation page asking the reason) and from the API; anyone else gets 404 (API) or is
refused (admin), bad input names the field and saves nothing."""

import pytest
from django.urls import reverse

from directory.models import PurchaseLine
from ssb_portal.models import AuditEntry
from subsidies.models import UnconfirmedLineAcceptance
from tests.factories import PurchaseLineFactory
from tests.subsidies.admin_support import change_url
from tests.subsidies.api_support import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def unconfirmed(under_review, lines):
    """The supplier's confirmation of a claimed line lapsed (withdrawn since the claim)."""
    line = PurchaseLine.objects.get(pk=lines[1].pk)
    line.confirmation.delete()
    return line


def accept_url(application, line) -> str:
    return reverse("admin:subsidies_application_accept_line", args=[application.pk, line.pk])


def api_accept(application, line) -> str:
    return url(application, f"lines/{line.pk}/accept-unconfirmed")


def test_the_admin_page_lists_the_unconfirmed_claimed_line_with_an_accept_page(
    official_client, under_review, unconfirmed
):
    page = official_client.get(change_url(under_review)).content.decode()
    assert accept_url(under_review, unconfirmed) in page

    form = official_client.get(accept_url(under_review, unconfirmed))
    assert form.status_code == 200
    response = official_client.post(
        accept_url(under_review, unconfirmed), {"reason": "Delivery note and bank transfer seen."}
    )

    assert response.status_code == 302
    acceptance = UnconfirmedLineAcceptance.objects.get(purchase_line=unconfirmed)
    assert acceptance.reason == "Delivery note and bank transfer seen."
    assert AuditEntry.objects.filter(action="unconfirmed_line_accepted").exists()
    page = official_client.get(change_url(under_review)).content.decode()
    assert "Delivery note and bank transfer seen." in page


def test_the_admin_page_refuses_a_missing_reason_and_saves_nothing(
    official_client, under_review, unconfirmed
):
    response = official_client.post(accept_url(under_review, unconfirmed), {"reason": "  "})

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not UnconfirmedLineAcceptance.objects.exists()


def test_the_admin_page_is_for_officials_and_for_claimed_lines_only(
    client, official_client, reviewer, under_review, unconfirmed, anchor, supplier
):
    not_claimed = PurchaseLineFactory(buyer=anchor, supplier=supplier)
    assert official_client.get(accept_url(under_review, not_claimed)).status_code == 404
    client.force_login(reviewer)
    response = client.post(accept_url(under_review, unconfirmed), {"reason": "Mine"})
    assert response.status_code in (403, 404)
    assert not UnconfirmedLineAcceptance.objects.exists()


def test_an_official_accepts_a_line_through_the_api(
    api_client, official, under_review, unconfirmed
):
    api_client.force_authenticate(official)

    response = api_client.post(
        api_accept(under_review, unconfirmed), {"reason": "Contract seen."}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["reason"] == "Contract seen."
    assert response.json()["purchase_line"] == unconfirmed.pk
    assert UnconfirmedLineAcceptance.objects.get(purchase_line=unconfirmed).accepted_by == official


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_the_api_names_the_reason_when_it_is_missing(
    api_client, official, under_review, unconfirmed, body
):
    api_client.force_authenticate(official)

    response = api_client.post(api_accept(under_review, unconfirmed), body, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    assert not UnconfirmedLineAcceptance.objects.exists()


def test_the_api_refuses_a_confirmed_line_under_line(api_client, official, under_review, lines):
    api_client.force_authenticate(official)

    response = api_client.post(
        api_accept(under_review, lines[0]), {"reason": "Checked"}, format="json"
    )

    assert response.status_code == 400
    assert "line" in response.json()
    assert not UnconfirmedLineAcceptance.objects.exists()


def test_the_api_answers_404_to_the_applicant_and_for_another_buyer_s_line(
    api_client, official, anchor, sme, under_review, unconfirmed, supplier
):
    api_client.force_authenticate(anchor.owner)
    response = api_client.post(
        api_accept(under_review, unconfirmed), {"reason": "Mine"}, format="json"
    )
    assert response.status_code == 404
    api_client.force_authenticate(official)
    foreign = PurchaseLineFactory(buyer=sme, supplier=supplier)
    response = api_client.post(api_accept(under_review, foreign), {"reason": "x"}, format="json")
    assert response.status_code == 404
    assert not UnconfirmedLineAcceptance.objects.exists()


def test_the_endpoint_is_in_the_api_schema(client):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/applications/{id}/lines/{line_id}/accept-unconfirmed/" in schema
