"""The officials' workbench for pending corrections: the application's page lists each one
(values on record and proposed, the computed amount now and with it applied) with its apply
and dismiss pages; the queue filters applications that have one; only officials decide."""

from decimal import Decimal

import pytest
from django.urls import reverse

from directory.models import CorrectionStatus, PurchaseLine, PurchaseLineCorrection
from subsidies.services.reviews import review_assign
from tests.directory import purchase_support
from tests.subsidies.admin_support import APPLICATIONS, change_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def correction(under_review, lines):
    purchase_support.repost(lines[1], actor=lines[1].buyer.owner, amount="1.00")
    return PurchaseLineCorrection.objects.get(line=lines[1])


def decision_url(application, correction, decision: str) -> str:
    return reverse(
        "admin:subsidies_application_correction", args=[application.pk, correction.pk, decision]
    )


def test_the_page_shows_each_pending_correction_and_what_applying_does(
    official_client, under_review, correction, django_assert_max_num_queries
):
    with django_assert_max_num_queries(34):
        page = official_client.get(change_url(under_review))

    text = page.content.decode()
    assert "250000.00 → 1.00" in text
    assert "19,500.03 → 7,000.08" in text
    assert decision_url(under_review, correction, "apply") in text
    assert decision_url(under_review, correction, "dismiss") in text


def test_the_page_s_queries_do_not_grow_with_the_corrections(
    official_client, under_review, lines, django_assert_max_num_queries
):
    for line in lines:
        purchase_support.repost(line, actor=line.buyer.owner, amount="2.00")
    with django_assert_max_num_queries(34):
        page = official_client.get(change_url(under_review))
    assert page.content.decode().count("/dismiss/") == 3


def test_an_official_applies_a_correction_from_its_page(
    official_client, under_review, correction, lines
):
    page = official_client.get(decision_url(under_review, correction, "apply"))
    assert "7,000.08" in page.content.decode()

    response = official_client.post(
        decision_url(under_review, correction, "apply"), {"reason": "Typo in the ERP."}
    )

    assert response.status_code == 302
    correction.refresh_from_db()
    assert (correction.status, correction.decision_note) == (
        CorrectionStatus.APPLIED,
        "Typo in the ERP.",
    )
    under_review.refresh_from_db()
    assert under_review.computed_amount_cny == Decimal("7000.08")
    queue = official_client.get(APPLICATIONS)
    assert [a.has_pending_corrections for a in queue.context["cl"].result_list] == [False]


def test_dismissing_asks_for_the_reason_and_changes_nothing_without_it(
    official_client, under_review, correction, lines
):
    response = official_client.post(decision_url(under_review, correction, "dismiss"), {})

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.PENDING

    response = official_client.post(
        decision_url(under_review, correction, "dismiss"), {"reason": "The invoice is right."}
    )
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.DISMISSED
    assert PurchaseLine.objects.get(pk=lines[1].pk).amount == Decimal("250000.00")


def test_a_decided_correction_is_refused_on_the_form(official_client, under_review, correction):
    official_client.post(decision_url(under_review, correction, "apply"), {"reason": ""})

    response = official_client.post(
        decision_url(under_review, correction, "dismiss"), {"reason": "Changed my mind."}
    )

    assert response.status_code == 200
    assert "decided already" in str(response.context["form"].errors)
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.APPLIED


def test_the_queue_filters_applications_with_pending_corrections(
    official_client, under_review, correction, queue
):
    flagged = official_client.get(APPLICATIONS, {"pending_corrections": "yes"})
    assert [a.pk for a in flagged.context["cl"].result_list] == [under_review.pk]
    others = official_client.get(APPLICATIONS, {"pending_corrections": "no"})
    assert under_review.pk not in [a.pk for a in others.context["cl"].result_list]
    assert len(others.context["cl"].result_list) == len(queue)


def test_a_reviewer_who_is_not_an_official_cannot_decide(
    client, official, reviewer, under_review, correction
):
    review_assign(actor=official, application=under_review, reviewer=reviewer)
    client.force_login(reviewer)

    response = client.post(decision_url(under_review, correction, "apply"), {"reason": "x"})

    assert response.status_code == 403
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.PENDING


def test_an_unknown_decision_is_404(official_client, under_review, correction):
    assert official_client.get(decision_url(under_review, correction, "ignore")).status_code == 404
