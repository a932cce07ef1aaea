"""Decisions through the services: approval within the budget and the enterprise's cap,
conflicts of interest, weighted reviews, second confirmation, return, withdrawal and appeal.
"""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from directory.models import EnterpriseGroup
from subsidies.models import Application, SupportCap
from subsidies.selectors.access import last_return_note
from subsidies.selectors.money import programme_budget
from subsidies.services.approvals import (
    appeal_decide,
    application_confirm,
    application_decline_confirmation,
)
from subsidies.services.drafting import (
    application_create,
    application_set_lines,
    application_update,
)
from subsidies.services.reviews import (
    application_reject,
    application_return,
    application_start_review,
    conflict_declare,
    review_assign,
    review_submit,
)
from subsidies.services.submission import appeal_file, application_submit, application_withdraw
from tests.factories import EnterpriseFactory, MembershipFactory, ProgrammeFactory
from tests.subsidies.services_support import S, approve

pytestmark = pytest.mark.django_db


# --- decisions --------------------------------------------------------------------------------


def test_approval_reserves_the_award_and_tells_the_applicant(
    under_review, official, anchor, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application = approve(under_review, official, note="Meets the rule.")
    assert application.status == S.APPROVED
    assert application.awarded_amount_cny == Decimal("19500.03")
    assert programme_budget(application.programme)["committed"] == Decimal("19500.03")
    assert [message.to for message in mail.outbox] == [[anchor.owner.email]]
    assert "approved" in mail.outbox[0].subject


def test_an_approval_past_the_budget_is_refused_naming_what_remains(
    under_review, official, procurement
):
    type(procurement).objects.filter(pk=procurement.pk).update(budget_cny=Decimal("19500.02"))
    with pytest.raises(ValidationError, match="19,500.02 CNY remain"):
        approve(under_review, official)
    under_review.refresh_from_db()
    assert under_review.status == S.UNDER_REVIEW
    assert under_review.awarded_amount_cny is None


def test_an_official_of_the_applicant_cannot_review_or_decide(submitted, official, anchor):
    MembershipFactory(user=official, enterprise=anchor)
    with pytest.raises(PermissionDenied, match="member of the applicant"):
        application_start_review(actor=official, application=submitted)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_membership_in_the_applicants_group_is_a_conflict(under_review, official, anchor):
    group = EnterpriseGroup.objects.create(name="Holding")
    sister = EnterpriseFactory(group=group)
    type(anchor).objects.filter(pk=anchor.pk).update(group=group)
    MembershipFactory(user=official, enterprise=sister)
    with pytest.raises(PermissionDenied):
        approve(under_review, official)


def test_a_declared_conflict_removes_the_official_from_the_decision(under_review, official, anchor):
    conflict_declare(actor=official, enterprise=anchor, reason="Former employer")
    with pytest.raises(PermissionDenied, match="Former employer"):
        approve(under_review, official)


def test_a_reviewer_with_a_conflict_cannot_be_assigned(
    submitted, official, second_official, anchor
):
    MembershipFactory(user=second_official, enterprise=anchor)
    with pytest.raises(ValidationError) as error:
        review_assign(actor=official, application=submitted, reviewer=second_official)
    assert "reviewer" in error.value.message_dict


def test_reviews_are_scored_by_the_programmes_weighted_criteria(
    submitted, official, second_official
):
    review = review_assign(actor=official, application=submitted, reviewer=second_official)
    with pytest.raises(PermissionDenied):
        review_submit(
            actor=official,
            review=review,
            scores={"merit": 8, "impact": 5},
            recommendation="approve",
        )
    with pytest.raises(ValidationError, match="impact"):
        review_submit(
            actor=second_official, review=review, scores={"merit": 8}, recommendation="approve"
        )
    review = review_submit(
        actor=second_official,
        review=review,
        scores={"merit": 8, "impact": 5},
        recommendation="approve",
        comment="Solid claim",
    )
    assert review.total_score == Decimal("68.00")  # (8×60 + 5×40) / 100 × 10


def test_a_large_award_needs_a_second_official(
    under_review, official, second_official, procurement
):
    type(procurement).objects.filter(pk=procurement.pk).update(
        second_approval_above_cny=Decimal("10000.00")
    )
    application = approve(under_review, official)
    assert application.status == S.AWAITING_CONFIRMATION
    assert programme_budget(procurement)["committed"] == Decimal("19500.03")
    with pytest.raises(PermissionDenied, match="second official"):
        application_confirm(actor=official, application=application)
    application = application_confirm(actor=second_official, application=application)
    assert application.status == S.APPROVED


def test_a_declined_confirmation_releases_the_reservation(
    under_review, official, second_official, procurement
):
    type(procurement).objects.filter(pk=procurement.pk).update(
        second_approval_above_cny=Decimal("10000.00")
    )
    application = approve(under_review, official)
    application_decline_confirmation(
        actor=second_official, application=application, note="Check invoice 2"
    )
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert programme_budget(procurement)["committed"] == Decimal("0.00")


def test_a_returned_application_goes_back_to_the_applicant_with_the_reason(
    submitted, official, anchor
):
    with pytest.raises(ValidationError) as error:
        application_return(actor=official, application=submitted, note="  ")
    assert "note" in error.value.message_dict
    application_return(
        actor=official, application=submitted, note="Attach the contract for invoice 2."
    )
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED
    assert last_return_note(submitted) == "Attach the contract for invoice 2."
    application_update(actor=anchor.owner, application=submitted, data={"summary": "ok"})
    assert application_submit(actor=anchor.owner, application=submitted).status == (S.SUBMITTED)


def test_the_applicant_may_withdraw_before_a_decision_but_not_after(under_review, official, anchor):
    approve(under_review, official)
    with pytest.raises(ValidationError, match="cannot become"):
        application_withdraw(actor=anchor.owner, application=under_review)


def test_one_appeal_per_rejection_decided_by_another_official(
    under_review, official, second_official, anchor
):
    application_reject(actor=official, application=under_review, note="Not eligible")
    appeal = appeal_file(
        actor=anchor.owner, application=under_review, grounds="The supplier is local."
    )
    with pytest.raises(PermissionDenied, match="Another official"):
        appeal_decide(actor=official, appeal=appeal, upheld=True, note="ok")
    appeal_decide(actor=second_official, appeal=appeal, upheld=False, note="Stands.")
    under_review.refresh_from_db()
    assert under_review.status == S.REJECTED
    with pytest.raises(ValidationError, match="already been appealed"):
        appeal_file(actor=anchor.owner, application=under_review, grounds="Again")


def test_an_upheld_appeal_goes_back_to_review(under_review, official, second_official, anchor):
    application_reject(actor=official, application=under_review, note="Not eligible")
    appeal = appeal_file(actor=anchor.owner, application=under_review, grounds="Wrong")
    appeal_decide(actor=second_official, appeal=appeal, upheld=True, note="Agreed")
    under_review.refresh_from_db()
    assert under_review.status == S.UNDER_REVIEW
    assert under_review.claimed_lines.filter(holds_claim=True).count() == 3


def test_a_rejected_applications_lines_are_free_and_an_appeal_cannot_take_them_back(
    under_review, official, anchor, lines, procurement
):
    application_reject(actor=official, application=under_review, note="Late")
    other = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    application_set_lines(actor=anchor.owner, application=other, line_ids=[lines[0].pk])
    with pytest.raises(ValidationError, match="claimed in another application"):
        appeal_file(actor=anchor.owner, application=under_review, grounds="Please")
    under_review.refresh_from_db()
    assert under_review.status == S.REJECTED


# --- support cap ------------------------------------------------------------------------------


def test_an_approval_past_the_enterprises_cap_is_refused_naming_the_room(
    under_review, official, anchor
):
    SupportCap.objects.create(
        amount_cny=Decimal("30000.00"), years=3, effective_from=datetime.date(2020, 1, 1)
    )
    earlier = ProgrammeFactory(kind="national_matching")
    Application.objects.create(
        programme=earlier,
        kind=earlier.kind,
        applicant=anchor,
        status=S.DISBURSED,
        awarded_amount_cny=Decimal("15000.00"),
        decided_at=timezone.now() - datetime.timedelta(days=200),
    )
    with pytest.raises(ValidationError, match="15,000.00 CNY of room remain"):
        approve(under_review, official)


def test_the_cap_counts_the_whole_group_and_only_the_rolling_period(under_review, official, anchor):
    SupportCap.objects.create(
        amount_cny=Decimal("30000.00"), years=2, effective_from=datetime.date(2020, 1, 1)
    )
    group = EnterpriseGroup.objects.create(name="Holding")
    sister = EnterpriseFactory(group=group)
    type(anchor).objects.filter(pk=anchor.pk).update(group=group)
    anchor.refresh_from_db()
    earlier = ProgrammeFactory(kind="national_matching")
    for days, amount in ((100, "10000.00"), (365 * 3, "50000.00")):
        Application.objects.create(
            programme=earlier,
            kind=earlier.kind,
            applicant=sister,
            status=S.DISBURSED,
            awarded_amount_cny=Decimal(amount),
            decided_at=timezone.now() - datetime.timedelta(days=days),
        )
    application = approve(under_review, official)  # 10,000 + 19,500.03 ≤ 30,000
    assert application.status == S.APPROVED
