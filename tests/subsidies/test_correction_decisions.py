"""Officials decide the pending corrections of claimed lines: applied, the line takes the
values and the claim and computed amount follow the rule (an unpaid award is re-decided, a
paid one goes with the recovery review already opened); dismissed, the line stays and the
applicant is told. Released lines take their pending corrections. Every decision is in the
audit chain; bad input changes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from directory.models import (
    CorrectionStatus,
    PurchaseLine,
    PurchaseLineCorrection,
    PurchaseLineHold,
    PurchaseLineRevision,
)
from ssb_portal.models import AuditEntry
from subsidies.models import Message, Recovery, RecoveryStatus
from subsidies.selectors.workbench import applications_workbench
from subsidies.services.correction_decisions import (
    application_correction_apply,
    application_correction_dismiss,
)
from subsidies.services.disbursements import disbursement_batch_prepare
from subsidies.services.reviews import application_reject
from subsidies.services.submission import application_withdraw
from tests.directory import purchase_support
from tests.factories import PurchaseLineFactory
from tests.subsidies.services_support import approve, disbursed, in_notice, notice_over

pytestmark = pytest.mark.django_db

AWARD = Decimal("19500.03")
#: 5 % of the lines with the 250,000.00 one posted again as 1.00.
CORRECTED = Decimal("7000.08")


def repost(line, **values) -> PurchaseLineCorrection:
    purchase_support.repost(line, actor=line.buyer.owner, **values)
    return PurchaseLineCorrection.objects.filter(line=line).latest("pk")


def flagged(application) -> bool:
    return applications_workbench().get(pk=application.pk).has_pending_corrections


def apply(official, application, correction, note=""):
    return application_correction_apply(
        actor=official, application=application, correction_id=correction.pk, note=note
    )


def dismiss(official, application, correction, reason="The supplier's invoice is right."):
    return application_correction_dismiss(
        actor=official, application=application, correction_id=correction.pk, reason=reason
    )


def test_applied_before_the_decision_the_line_claim_and_computed_amount_follow(
    under_review, official, lines
):
    correction = repost(lines[1], amount="1.00")
    assert flagged(under_review)

    apply(official, under_review, correction, note="The buyer's ERP had a typo.")

    line = PurchaseLine.objects.get(pk=lines[1].pk)
    assert line.amount == Decimal("1.00")
    revision = PurchaseLineRevision.objects.get(line=line)
    assert revision.previous_values["amount"] == "250000.00"
    assert revision.changed_by == official
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.APPLIED
    assert (correction.decided_by, correction.decision_note) == (
        official,
        "The buyer's ERP had a typo.",
    )
    assert correction.decided_at is not None
    under_review.refresh_from_db()
    assert under_review.computed_amount_cny == CORRECTED
    assert under_review.claimed_lines.get(purchase_line=line).amount_cny == Decimal("1.00")
    entry = AuditEntry.objects.get(action="purchase_correction_applied")
    assert entry.object_id == str(under_review.pk)
    assert (entry.data["computed_before_cny"], entry.data["computed_cny"]) == (
        str(AWARD),
        str(CORRECTED),
    )
    assert not flagged(under_review)
    assert Message.objects.filter(
        application=under_review, internal=True, body__startswith=f"Correction {correction.pk} "
    ).exists()
    call_command("verify_audit_log")


def test_a_line_that_no_longer_counts_drops_out_of_the_claim_and_is_released(
    under_review, official, lines
):
    earlier = lines[2].invoice_date.replace(year=lines[2].invoice_date.year - 1)
    correction = repost(lines[2], invoice_date=earlier.isoformat())

    apply(official, under_review, correction)

    under_review.refresh_from_db()
    assert not under_review.claimed_lines.filter(purchase_line=lines[2]).exists()
    assert not PurchaseLineHold.objects.filter(line=lines[2]).exists()
    assert under_review.computed_amount_cny == Decimal("17500.00")  # 5 % of 350,000.00
    assert (
        AuditEntry.objects.get(action="purchase_correction_applied").data["line_still_claimed"]
        is False
    )


def test_dismissed_the_line_stays_the_reason_is_kept_and_the_applicant_told(
    under_review, official, lines, anchor, mailoutbox, django_capture_on_commit_callbacks
):
    correction = repost(lines[1], amount="1.00")

    with django_capture_on_commit_callbacks(execute=True):
        dismiss(official, under_review, correction, reason="The supplier's invoice is right.")

    assert PurchaseLine.objects.get(pk=lines[1].pk).amount == Decimal("250000.00")
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.DISMISSED
    assert correction.decision_note == "The supplier's invoice is right."
    under_review.refresh_from_db()
    assert under_review.computed_amount_cny == AWARD
    assert not flagged(under_review)
    entry = AuditEntry.objects.get(action="purchase_correction_dismissed")
    assert entry.data["reason"] == "The supplier's invoice is right."
    told = [mail for mail in mailoutbox if anchor.owner.email in mail.to]
    assert told and "The supplier's invoice is right." in told[-1].body


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_dismissal_without_a_reason_is_refused_and_changes_nothing(
    under_review, official, lines, reason
):
    correction = repost(lines[1], amount="1.00")

    with pytest.raises(ValidationError) as refused:
        dismiss(official, under_review, correction, reason=reason)

    assert "reason" in refused.value.message_dict
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.PENDING
    assert not AuditEntry.objects.filter(action="purchase_correction_dismissed").exists()


def test_a_correction_decided_already_is_refused(under_review, official, lines):
    correction = repost(lines[1], amount="1.00")
    apply(official, under_review, correction)

    for decide in (apply, dismiss):
        with pytest.raises(ValidationError) as refused:
            decide(official, under_review, correction)
        assert "correction" in refused.value.message_dict
    assert PurchaseLineRevision.objects.count() == 1
    assert AuditEntry.objects.filter(action="purchase_correction_applied").count() == 1


def test_a_correction_of_a_line_not_claimed_in_this_application_is_refused(
    under_review, official, anchor, supplier, make_application
):
    other = PurchaseLineFactory(buyer=anchor, supplier=supplier, amount=Decimal("900.00"))
    PurchaseLineHold.objects.create(line=other, holder="application", holder_id=10**9)
    correction = repost(other, amount="1.00")

    with pytest.raises(ValidationError) as refused:
        apply(official, under_review, correction)

    assert "correction" in refused.value.message_dict
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.PENDING
    assert PurchaseLine.objects.get(pk=other.pk).amount == Decimal("900.00")


def test_only_officials_decide(under_review, lines, anchor):
    correction = repost(lines[1], amount="1.00")

    with pytest.raises(PermissionDenied):
        apply(anchor.owner, under_review, correction)
    with pytest.raises(PermissionDenied):
        dismiss(anchor.owner, under_review, correction)
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.PENDING


def test_an_unpaid_award_waits_for_the_decision_and_applying_re_decides_it(
    under_review, official, lines
):
    application = in_notice(under_review, official)
    correction = repost(lines[1], amount="1.00")
    notice_over(application)

    with pytest.raises(ValidationError, match="pending"):
        disbursement_batch_prepare(actor=official, applications=[application])

    apply(official, application, correction)

    application.refresh_from_db()
    assert (application.awarded_amount_cny, application.computed_amount_cny) == (
        CORRECTED,
        CORRECTED,
    )
    entry = AuditEntry.objects.get(action="award_redecided")
    assert (entry.data["from_cny"], entry.data["to_cny"]) == (str(AWARD), str(CORRECTED))
    assert not Recovery.objects.exists()
    batch = disbursement_batch_prepare(actor=official, applications=[application])
    assert batch.total_cny == CORRECTED
    call_command("verify_audit_log")


def test_a_correction_that_raises_the_amount_never_raises_an_approved_award(
    under_review, official, lines
):
    application = approve(under_review, official)
    correction = repost(lines[0], amount="200000.00")

    apply(official, application, correction)

    application.refresh_from_db()
    assert application.awarded_amount_cny == AWARD
    assert application.computed_amount_cny == Decimal("24500.03")
    assert not AuditEntry.objects.filter(action="award_redecided").exists()


def test_applied_after_payment_goes_with_the_recovery_already_opened(under_review, official, lines):
    application = disbursed(under_review, official)
    correction = repost(lines[1], amount="1.00")
    recovery = Recovery.objects.get(application=application)

    apply(official, application, correction)

    assert Recovery.objects.filter(application=application).count() == 1
    application.refresh_from_db()
    assert application.awarded_amount_cny == AWARD
    assert application.claimed_lines.get(purchase_line=lines[1]).amount_cny == Decimal("250000.00")
    entry = AuditEntry.objects.get(action="purchase_correction_applied")
    assert entry.data["recoveries"] == [recovery.pk]


def test_dismissed_after_payment_the_recovery_opened_for_it_is_written_off(
    under_review, official, lines
):
    application = disbursed(under_review, official)
    correction = repost(lines[1], amount="1.00")

    dismiss(official, application, correction)

    recovery = Recovery.objects.get(application=application)
    assert recovery.status == RecoveryStatus.WRITTEN_OFF
    assert "The supplier's invoice is right." in recovery.note
    entry = AuditEntry.objects.get(action="purchase_correction_dismissed")
    assert entry.data["recoveries_written_off"] == [recovery.pk]
    call_command("verify_audit_log")


@pytest.mark.parametrize("leave", ["withdraw", "reject"])
def test_released_lines_take_their_pending_corrections_and_the_release_is_recorded(
    submitted, under_review, official, anchor, lines, leave
):
    correction = repost(lines[1], amount="1.00")

    if leave == "withdraw":
        application_withdraw(actor=anchor.owner, application=under_review)
    else:
        application_reject(actor=official, application=under_review, note="Not eligible.")

    assert PurchaseLine.objects.get(pk=lines[1].pk).amount == Decimal("1.00")
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.APPLIED
    assert correction.decided_by is None
    assert "released" in correction.decision_note
    entry = AuditEntry.objects.get(action="purchase_corrections_released")
    assert entry.data["corrections"] == [correction.pk]
    assert PurchaseLineRevision.objects.filter(line=lines[1]).count() == 1
    assert not flagged(under_review)


def test_applying_the_newer_of_two_corrections_supersedes_the_older(under_review, official, lines):
    older = repost(lines[1], amount="1.00")
    newer = repost(lines[1], amount="2.00")

    apply(official, under_review, newer)

    older.refresh_from_db()
    assert older.status == CorrectionStatus.DISMISSED
    assert str(newer.pk) in older.decision_note
    assert PurchaseLine.objects.get(pk=lines[1].pk).amount == Decimal("2.00")
