"""Decisions on applications taken through admin actions: review, approve, return, reject,
confirm above the threshold, appeal. Each action first shows its form, then calls the service
once per selected row and reports each row's outcome.
"""

from decimal import Decimal

import pytest
from django.contrib.messages import constants as message_levels
from django.core import mail

from subsidies.models import Programme, Transition
from subsidies.services.approvals import application_approve
from subsidies.services.reviews import (
    application_reject,
    application_start_review,
    conflict_declare,
)
from subsidies.services.submission import appeal_file
from tests.admin_support import messages_of
from tests.factories import ApplicationFactory, MembershipFactory, ProgrammeFactory
from tests.subsidies.admin_support import APPLICATIONS, S, act, status_of

pytestmark = pytest.mark.django_db


# --- decisions ----------------------------------------------------------------------------


def test_an_action_first_shows_its_form(official_client, submitted):
    response = act(official_client, APPLICATIONS, "start_review", [submitted])
    assert response.status_code == 200
    assert response.templates[0].name == "admin/action_form.html"
    content = response.content.decode()
    assert str(submitted.applicant.name_zh) in content
    assert 'name="note"' in content
    assert status_of(submitted) == S.SUBMITTED


def test_start_review_moves_the_application_and_records_who(official_client, official, submitted):
    response = act(official_client, APPLICATIONS, "start_review", [submitted], note="")
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    assert status_of(submitted) == S.UNDER_REVIEW
    transition = submitted.transitions.latest("pk")
    assert (transition.actor, transition.to_status) == (official, S.UNDER_REVIEW)


def test_approve_awards_the_computed_amount_and_reports_success(
    official_client, under_review, anchor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            official_client, APPLICATIONS, "approve", [under_review], note="Fine.", amount_cny=""
        )
    assert messages_of(response) == [
        (message_levels.SUCCESS, f"{under_review}: approved 19,500.03 CNY.")
    ]
    under_review.refresh_from_db()
    assert under_review.status == S.APPROVED
    assert under_review.awarded_amount_cny == Decimal("19500.03")
    assert anchor.owner.email in mail.outbox[-1].to


def test_approve_past_the_budget_names_what_remains_and_changes_nothing(
    official_client, under_review
):
    Programme.objects.filter(pk=under_review.programme_id).update(budget_cny=Decimal("10000"))
    transitions = Transition.objects.count()
    response = act(official_client, APPLICATIONS, "approve", [under_review], note="", amount_cny="")
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "would exceed the programme's budget: 10,000.00 CNY remain" in text
    under_review.refresh_from_db()
    assert (under_review.status, under_review.awarded_amount_cny) == (S.UNDER_REVIEW, None)
    assert Transition.objects.count() == transitions


def test_an_amount_cannot_be_set_for_a_computed_award(official_client, under_review):
    response = act(
        official_client, APPLICATIONS, "approve", [under_review], note="", amount_cny="1.00"
    )
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "computed by its rule" in text
    assert status_of(under_review) == S.UNDER_REVIEW


def test_an_rd_award_is_the_approved_amount(official_client, anchor):
    application = ApplicationFactory(
        programme=ProgrammeFactory(kind="rd_fund"),
        applicant=anchor,
        status=S.UNDER_REVIEW,
        requested_amount_cny=Decimal("800000.00"),
        computed_amount_cny=Decimal("800000.00"),
    )
    response = act(
        official_client, APPLICATIONS, "approve", [application], note="", amount_cny="600000"
    )
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    application.refresh_from_db()
    assert application.awarded_amount_cny == Decimal("600000.00")


@pytest.mark.parametrize("action", ["start_review", "approve"])
def test_an_official_of_the_applicant_cannot_review_or_approve(
    official_client, official, second_official, submitted, anchor, action
):
    MembershipFactory(user=official, enterprise=anchor)
    if action == "approve":
        application_start_review(actor=second_official, application=submitted)
    before = status_of(submitted)
    form = {"note": ""} | ({"amount_cny": ""} if action == "approve" else {})
    response = act(official_client, APPLICATIONS, action, [submitted], **form)
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "You may not review or decide this application" in text
    assert "member of the applicant" in text
    assert status_of(submitted) == before


def test_a_declared_conflict_also_bars_the_official(official_client, official, submitted):
    conflict_declare(actor=official, enterprise=submitted.applicant, reason="My brother runs it.")
    response = act(official_client, APPLICATIONS, "start_review", [submitted], note="")
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "My brother runs it." in text
    assert status_of(submitted) == S.SUBMITTED


@pytest.mark.parametrize(
    ("action", "end"), [("return_application", S.RETURNED), ("reject", S.REJECTED)]
)
def test_return_and_reject_need_a_reason(official_client, under_review, action, end):
    response = act(official_client, APPLICATIONS, action, [under_review], note="  ")
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    assert status_of(under_review) == S.UNDER_REVIEW

    reason = "Attach the invoice of line 2; the scan is unreadable."
    response = act(official_client, APPLICATIONS, action, [under_review], note=reason)
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    assert status_of(under_review) == end
    assert under_review.transitions.latest("pk").note == reason


def test_a_second_official_confirms_an_award_above_the_threshold(
    client, official, second_official, under_review
):
    Programme.objects.filter(pk=under_review.programme_id).update(
        second_approval_above_cny=Decimal("10000.00")
    )
    client.force_login(official)
    act(client, APPLICATIONS, "approve", [under_review], note="", amount_cny="")
    assert status_of(under_review) == S.AWAITING_CONFIRMATION

    response = act(client, APPLICATIONS, "confirm", [under_review], note="")
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "A second official must confirm" in text
    assert status_of(under_review) == S.AWAITING_CONFIRMATION

    client.force_login(second_official)
    response = act(client, APPLICATIONS, "confirm", [under_review], note="Checked.")
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    assert status_of(under_review) == S.APPROVED


def test_declining_a_confirmation_needs_a_reason_and_releases_the_award(
    client, official, second_official, under_review
):
    Programme.objects.filter(pk=under_review.programme_id).update(
        second_approval_above_cny=Decimal("10000.00")
    )
    application_approve(actor=official, application=under_review)
    client.force_login(second_official)
    response = act(client, APPLICATIONS, "decline_confirmation", [under_review], note="")
    assert "note" in response.context["form"].errors
    act(client, APPLICATIONS, "decline_confirmation", [under_review], note="Too generous.")
    under_review.refresh_from_db()
    assert (under_review.status, under_review.awarded_amount_cny) == (S.UNDER_REVIEW, None)


def test_a_refused_row_is_reported_and_the_others_go_through(
    official_client, submitted, anchor, sme
):
    draft = ApplicationFactory(applicant=sme, status=S.DRAFT)
    response = act(official_client, APPLICATIONS, "start_review", [submitted, draft], note="")
    levels = sorted(level for level, _ in messages_of(response))
    assert levels == [message_levels.SUCCESS, message_levels.ERROR]
    assert status_of(submitted) == S.UNDER_REVIEW
    assert status_of(draft) == S.DRAFT


def test_an_appeal_is_decided_by_another_official(
    client, official, second_official, under_review, anchor
):
    application_reject(actor=official, application=under_review, note="Not local.")
    appeal_file(actor=anchor.owner, application=under_review, grounds="It is local.")
    client.force_login(official)
    response = act(
        client, APPLICATIONS, "decide_appeal", [under_review], outcome="upheld", note="Agreed."
    )
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "Another official" in text
    client.force_login(second_official)
    response = act(
        client, APPLICATIONS, "decide_appeal", [under_review], outcome="upheld", note="Agreed."
    )
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    assert status_of(under_review) == S.UNDER_REVIEW
    assert under_review.appeals.get().outcome == "upheld"
