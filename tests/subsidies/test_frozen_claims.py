"""Claimed lines are frozen: an application that holds its claims holds its purchase lines, a
later import keeps its corrections pending, and the officials are told what they would do to
the award (a flag before the decision, a recovery review after it); the award, the claims and
the approved figures never change by themselves."""

from decimal import Decimal

import pytest
from django.urls import reverse

from directory.models import PurchaseLine, PurchaseLineHold
from ssb_portal.models import AuditEntry
from subsidies.models import ClaimedLine, Message, Recovery, RecoveryReason
from subsidies.services.reviews import application_return
from subsidies.services.submission import application_withdraw
from tests.directory import purchase_support
from tests.subsidies.admin_support import APPLICATIONS
from tests.subsidies.services_support import S, approve, disbursed

pytestmark = pytest.mark.django_db

#: 5 % of the three lines (100,000.00 + 250,000.00 + 40,000.50), rounded half up to the fen.
AWARD = Decimal("19500.03")
#: 5 % of the lines with the 250,000.00 one posted again as 1.00.
CORRECTED = Decimal("7000.08")


def held_by(application) -> set[int]:
    return set(
        PurchaseLineHold.objects.filter(holder="application", holder_id=application.pk).values_list(
            "line_id", flat=True
        )
    )


def repost(line, **values):
    return purchase_support.repost(line, actor=line.buyer.owner, **values)


def claims_of(application):
    return list(application.claimed_lines.order_by("pk").values_list("amount_cny", "holds_claim"))


def test_a_submitted_application_holds_its_lines_and_a_withdrawn_one_releases_them(
    submitted, lines, anchor
):
    assert held_by(submitted) == {line.pk for line in lines}

    application_withdraw(actor=anchor.owner, application=submitted)

    assert held_by(submitted) == set()


def test_a_returned_application_releases_its_lines_for_the_applicant_to_change(
    under_review, official
):
    application_return(actor=official, application=under_review, note="Attach the contracts.")

    assert held_by(under_review) == set()


def test_a_rejected_application_releases_its_lines(rejected):
    assert held_by(rejected) == set()


def test_a_claimed_line_of_a_paid_award_reposted_as_1_00_opens_a_recovery_review(
    under_review, official, lines
):
    application = disbursed(under_review, official)
    assert application.awarded_amount_cny == AWARD
    claims = claims_of(application)

    _, outcome = repost(lines[1], amount="1.00")

    assert (outcome.updated, outcome.pending) == (0, 1)
    assert PurchaseLine.objects.get(pk=lines[1].pk).amount == Decimal("250000.00")
    application.refresh_from_db()
    assert application.status == S.DISBURSED
    assert (application.awarded_amount_cny, application.computed_amount_cny) == (AWARD, AWARD)
    assert claims_of(application) == claims
    recovery = Recovery.objects.get(application=application)
    assert recovery.reason == RecoveryReason.PURCHASE_CORRECTION
    assert recovery.amount_cny == AWARD - CORRECTED == Decimal("12499.95")
    entry = AuditEntry.objects.get(action="purchase_correction_recovery")
    assert entry.object_id == str(application.pk)
    assert entry.data["difference_cny"] == "12499.95"
    assert entry.data["recovery"] == recovery.pk


def test_an_approved_award_not_yet_paid_is_flagged_and_no_recovery_is_opened(
    under_review, official, lines
):
    application = approve(under_review, official)
    assert application.status == S.APPROVED

    repost(lines[1], amount="1.00")

    application.refresh_from_db()
    assert (application.awarded_amount_cny, application.computed_amount_cny) == (AWARD, AWARD)
    assert not Recovery.objects.exists()
    note = Message.objects.get(application=application, internal=True)
    assert "7,000.08" in note.body and "not paid" in note.body
    entry = AuditEntry.objects.get(action="purchase_correction_flagged")
    assert entry.data["corrected_amount_cny"] == str(CORRECTED)


def test_a_disbursed_award_opens_a_recovery_review_too(under_review, official, lines):
    application = disbursed(under_review, official)

    repost(lines[0], amount="50000.00")

    recovery = Recovery.objects.get(application=application)
    assert recovery.amount_cny == Decimal("2500.00")
    application.refresh_from_db()
    assert application.awarded_amount_cny == AWARD


def test_a_line_moved_out_of_the_programme_year_counts_for_nothing(under_review, official, lines):
    application = disbursed(under_review, official)
    earlier = lines[2].invoice_date.replace(year=lines[2].invoice_date.year - 1)

    repost(lines[2], invoice_date=earlier.isoformat())

    # Without the 40,000.50 line: 5 % of 350,000.00.
    assert Recovery.objects.get(application=application).amount_cny == AWARD - Decimal("17500.00")


def test_a_correction_that_raises_the_subsidy_is_recorded_without_a_recovery(
    under_review, official, lines
):
    application = disbursed(under_review, official)

    repost(lines[0], amount="200000.00")

    assert not Recovery.objects.exists()
    entry = AuditEntry.objects.get(action="purchase_correction_recovery")
    assert entry.data["difference_cny"] == "-5000.00"
    application.refresh_from_db()
    assert application.awarded_amount_cny == AWARD


def test_before_the_decision_the_application_is_flagged_to_its_reviewer(under_review, lines):
    claims = claims_of(under_review)

    repost(lines[1], amount="1.00")

    under_review.refresh_from_db()
    assert under_review.status == S.UNDER_REVIEW
    assert under_review.computed_amount_cny == AWARD
    assert claims_of(under_review) == claims
    note = Message.objects.get(application=under_review)
    assert note.internal
    assert "19,500.03" in note.body and "7,000.08" in note.body
    entry = AuditEntry.objects.get(action="purchase_correction_flagged")
    assert entry.data["corrected_amount_cny"] == str(CORRECTED)
    assert not Recovery.objects.exists()


def test_a_draft_s_lines_are_not_frozen(draft, lines):
    _, outcome = repost(lines[1], amount="1.00")

    assert (outcome.updated, outcome.pending) == (1, 0)
    assert PurchaseLine.objects.get(pk=lines[1].pk).amount == Decimal("1.00")
    assert not ClaimedLine.objects.filter(purchase_line__in=held_lines()).exists()


def held_lines():
    return PurchaseLineHold.objects.values("line_id")


def test_the_workbench_queue_flags_the_application_until_the_correction_is_settled(
    official_client, under_review, lines, submitted
):
    repost(lines[1], amount="1.00")

    response = official_client.get(APPLICATIONS)
    flags = {a.pk: a.has_pending_corrections for a in response.context["cl"].result_list}
    assert flags == {under_review.pk: True}
    page = official_client.get(APPLICATIONS + f"{under_review.pk}/change/")
    assert "7,000.08" in page.content.decode()


def test_the_uploader_is_told_the_correction_is_kept_pending_and_others_get_404(
    client, under_review, lines, anchor, sme
):
    purchase_import, _ = repost(lines[1], amount="1.00")
    page = reverse("purchases:import", args=[anchor.uscc, purchase_import.pk])

    client.force_login(anchor.owner)
    text = client.get(page, headers={"accept-language": "en"}).content.decode()
    assert "1 correction kept pending: the line is claimed in a support application." in text
    assert purchase_import.pending_count == 1
    client.force_login(sme.owner)
    assert client.get(page).status_code == 404
