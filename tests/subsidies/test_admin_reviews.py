"""The application's change page as the reviewer's file (read-only, messages, notes) and the
expert reviews assigned from it.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import constants as message_levels
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from subsidies.models import Application, Message, Review
from subsidies.services.submission import message_post
from tests.admin_support import listed, messages_of
from tests.factories import ApplicationFactory, MembershipFactory, ProgrammeFactory
from tests.subsidies.admin_support import APPLICATIONS, S, act, change_url, claim, status_of

pytestmark = pytest.mark.django_db


# --- the application's page ---------------------------------------------------------------


def test_the_change_page_is_the_reviewers_file(official_client, official, under_review):
    message_post(
        actor=official, application=under_review, body="Budget line checked.", internal=True
    )
    response = official_client.get(change_url(under_review))
    assert response.status_code == 200
    content = response.content.decode()
    assert "19,500.03" in content  # computed amount
    assert "The enterprise is verified in the directory" in content  # eligibility
    assert "10,000,000.00" in content  # budget of the programme
    assert "Budget line checked." in content  # internal note
    assert under_review.claimed_lines.first().purchase_line.invoice_no in content
    document = under_review.documents.get()
    assert reverse("subsidies:document", args=[under_review.pk, document.pk]) in content
    assert "Under review" in content  # history
    # Read-only, decisions offered as buttons.
    assert 'name="_save"' not in content
    assert 'value="approve"' in content and 'value="return_application"' in content
    assert 'value="confirm"' not in content


def test_the_change_page_flags_near_duplicates(official_client, anchor, sme, supplier):
    programme = ProgrammeFactory(kind="local_procurement")
    first = ApplicationFactory(programme=programme, applicant=anchor, status=S.SUBMITTED)
    second = ApplicationFactory(programme=programme, applicant=sme, status=S.SUBMITTED)
    day = datetime.date(timezone.localdate().year, 3, 10)
    claim(first, supplier, invoice_no="A-100", day=day)
    claim(second, supplier, invoice_no="B-200", day=day + datetime.timedelta(days=2))
    content = official_client.get(change_url(first)).content.decode()
    assert "look like claims in other applications" in content
    assert f"#{second.pk}" in content


def test_the_status_cannot_be_changed_by_editing_the_page(official_client, under_review):
    response = official_client.post(
        change_url(under_review), {"status": "approved", "_save": "Save"}
    )
    assert response.status_code == 403
    assert status_of(under_review) == S.UNDER_REVIEW


@pytest.mark.parametrize("url_name", ["add", "delete"])
def test_applications_are_neither_added_nor_deleted_here(official_client, submitted, url_name):
    args = [] if url_name == "add" else [submitted.pk]
    url = reverse(f"admin:subsidies_application_{url_name}", args=args)
    assert official_client.post(url, {"post": "yes"}).status_code == 403
    assert Application.objects.filter(pk=submitted.pk).exists()


def test_an_official_posts_a_message_and_an_internal_note(
    official_client, official, under_review, anchor, django_capture_on_commit_callbacks
):
    url = reverse("admin:subsidies_application_message", args=[under_review.pk])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(url, {"body": "Only for us.", "internal": "on"}, follow=True)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = official_client.post(url, {"body": "Please add the contract."}, follow=True)
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    assert list(
        Message.objects.filter(application=under_review).values_list("body", "internal")
    ) == [("Only for us.", True), ("Please add the contract.", False)]
    assert anchor.owner.email in mail.outbox[-1].to
    response = official_client.post(url, {"body": " "}, follow=True)
    assert [level for level, _ in messages_of(response)] == [message_levels.ERROR]


# --- reviews ------------------------------------------------------------------------------


def test_a_reviewer_is_assigned_and_fills_in_the_scoring_form(
    official_client, client, reviewer, under_review
):
    response = act(
        official_client, APPLICATIONS, "assign_reviewer", [under_review], reviewer=reviewer.pk
    )
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    review = Review.objects.get(application=under_review, reviewer=reviewer)

    client.force_login(reviewer)
    assert listed(client.get(APPLICATIONS)) == {under_review.pk}
    assert client.get(change_url(under_review)).status_code == 200
    url = reverse("admin:subsidies_application_review", args=[under_review.pk])
    form = client.get(url).content.decode()
    assert "Technical merit" in form and "Impact on the local chain" in form

    response = client.post(
        url, {"score_merit": "11", "score_impact": "5", "recommendation": "approve"}
    )
    assert response.status_code == 200
    assert "score_merit" in response.context["form"].errors
    review.refresh_from_db()
    assert review.submitted_at is None

    response = client.post(
        url,
        {
            "score_merit": "8",
            "score_impact": "5",
            "recommendation": "approve",
            "comment": "Sound.",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.total_score == Decimal("68.00")  # (8×60 + 5×40) / 100 × 10
    assert review.recommendation == "approve"

    page = official_client.get(change_url(under_review)).content.decode()
    assert "68.00" in page and "Sound." in page


def test_a_reviewer_cannot_see_other_applications_or_others_reviews(
    client, reviewer, under_review, queue
):
    client.force_login(reviewer)
    assert client.get(change_url(under_review)).status_code in (302, 403)
    assert client.get(
        reverse("admin:subsidies_application_review", args=[under_review.pk])
    ).status_code in (302, 403, 404)


def test_a_reviewer_with_a_conflict_is_refused(official_client, official, reviewer, under_review):
    MembershipFactory(user=reviewer, enterprise=under_review.applicant)
    response = act(
        official_client, APPLICATIONS, "assign_reviewer", [under_review], reviewer=reviewer.pk
    )
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "conflict of interest" in text
    assert not Review.objects.exists()
