"""The approval flow as an official meets it (issue 18): the second official's decisions are
not offered to the first approver, a programme may require a completed review before
approval, and an approved award's page says where its notice is published."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ssb_portal.models import AuditEntry
from subsidies.models import Programme
from subsidies.services.approvals import application_approve
from subsidies.services.reviews import review_assign, review_submit
from tests.subsidies.admin_support import APPLICATIONS, PROGRAMMES, S, change_url, status_of
from tests.subsidies.test_admin_programmes import programme_form

pytestmark = pytest.mark.django_db


def _offered(client, application) -> list[str]:
    return [
        name for name, _label in client.get(change_url(application)).context["decision_actions"]
    ]


def test_the_first_approver_is_not_offered_the_confirmation(
    client, official, second_official, under_review
):
    Programme.objects.filter(pk=under_review.programme_id).update(
        second_approval_above_cny=Decimal("10000.00")
    )
    application_approve(actor=official, application=under_review)
    assert status_of(under_review) == S.AWAITING_CONFIRMATION

    client.force_login(official)
    page = client.get(change_url(under_review))
    assert page.context["decision_actions"] == []
    assert "a second official confirms it" in page.text

    client.force_login(second_official)
    assert _offered(client, under_review) == ["confirm", "decline_confirmation"]


def _require_reviews(application) -> None:
    Programme.objects.filter(pk=application.programme_id).update(review_required=True)


def test_approval_without_a_completed_review_is_refused_when_the_programme_requires_one(
    official, reviewer, under_review
):
    _require_reviews(under_review)
    review = review_assign(actor=official, application=under_review, reviewer=reviewer)
    with pytest.raises(ValidationError, match="requires a completed review before approval"):
        application_approve(actor=official, application=under_review)
    assert status_of(under_review) == S.UNDER_REVIEW

    review_submit(
        actor=reviewer,
        review=review,
        scores={"merit": 8, "impact": 6},
        recommendation="approve",
    )
    application_approve(actor=official, application=under_review)
    assert status_of(under_review) == S.APPROVED


def test_the_refusal_reaches_the_official_in_the_admin(official_client, under_review):
    _require_reviews(under_review)
    response = official_client.post(
        APPLICATIONS,
        {
            "action": "approve",
            "_selected_action": [under_review.pk],
            "post": "yes",
            "note": "",
            "amount_cny": "",
        },
        follow=True,
    )
    assert "requires a completed review before approval" in response.text
    assert status_of(under_review) == S.UNDER_REVIEW


def test_without_the_parameter_approval_needs_no_review(official, under_review):
    application_approve(actor=official, application=under_review)
    assert status_of(under_review) == S.APPROVED


def test_officials_set_the_parameter_on_the_programme_and_it_is_kept_in_the_record(
    official_client, procurement
):
    url = f"{PROGRAMMES}{procurement.pk}/change/"
    response = official_client.post(url, programme_form(review_required="on"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    procurement.refresh_from_db()
    assert procurement.review_required is True
    entry = AuditEntry.objects.filter(action="programme_changed").latest("pk")
    assert entry.data["review_required"] is True
    assert "review_required" in entry.data["changed"]


def test_an_approved_award_says_where_its_notice_is_published(
    official_client, official, under_review
):
    application_approve(actor=official, application=under_review)
    page = official_client.get(change_url(under_review))
    url = f"{PROGRAMMES}?id__exact={under_review.programme_id}"
    assert (url, "Publish the public notice") in page.context["decision_links"]
    assert "Publish public notice of the approved awards" in page.text
    listed = official_client.get(url).context["cl"].result_list
    assert [programme.pk for programme in listed] == [under_review.programme_id]
