"""After approval: the notice period, signed objections, payment only when nothing is open, and
recovery of paid awards.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from subsidies.models import Objection, ObjectionStatus, RecoveryStatus
from subsidies.selectors.money import programme_budget, support_received_cny
from subsidies.services.disbursements import (
    disbursement_batch_mark_paid,
    disbursement_batch_prepare,
)
from subsidies.services.notices_and_objections import (
    notice_publish,
    objection_lodge,
    objection_resolve,
)
from subsidies.services.recoveries import recovery_open, recovery_record_repayment
from tests.subsidies.services_support import S, disbursed, in_notice, notice_over

pytestmark = pytest.mark.django_db


# --- notice, objections, payment, recovery ---------------------------------------------------


def test_approved_awards_are_published_together_for_the_notice_period(
    under_review, official, procurement
):
    application = in_notice(under_review, official)
    assert application.status == S.IN_NOTICE
    notice = application.notice
    last_day = timezone.localtime(notice.ends_at)
    assert last_day.date() >= timezone.localdate(notice.published_at) + datetime.timedelta(
        days=procurement.notice_days
    )
    assert (last_day.hour, last_day.minute, last_day.weekday() < 5) == (23, 59, True)
    with pytest.raises(ValidationError, match="no approved awards"):
        notice_publish(actor=official, programme=procurement)


def test_an_award_cannot_be_paid_during_the_notice(under_review, official):
    application = in_notice(under_review, official)
    with pytest.raises(ValidationError, match="cannot be paid yet"):
        disbursement_batch_prepare(actor=official, applications=[application])


def test_objections_are_signed_and_only_during_the_notice(under_review, official, sme):
    application = in_notice(under_review, official)
    with pytest.raises(ValidationError) as error:
        objection_lodge(
            actor=sme.owner, application=application, author_name="", organisation="", reason="x"
        )
    assert {"author_name", "organisation"} <= set(error.value.message_dict)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied, match="anonymous"):
        objection_lodge(
            actor=AnonymousUser(),
            application=application,
            author_name="A",
            organisation="B",
            reason="C",
        )
    notice_over(application)
    with pytest.raises(ValidationError, match="notice period ended"):
        objection_lodge(
            actor=sme.owner, application=application, author_name="Li", organisation="X", reason="Y"
        )


def test_an_open_objection_blocks_payment_until_resolved(
    under_review, official, second_official, sme
):
    application = in_notice(under_review, official)
    objection = objection_lodge(
        actor=sme.owner,
        application=application,
        author_name="李明",
        organisation=sme.name_zh,
        reason="The supplier is a shell company.",
    )
    notice_over(application)
    with pytest.raises(ValidationError, match="objection open"):
        disbursement_batch_prepare(actor=official, applications=[application])
    objection_resolve(
        actor=second_official, objection=objection, upheld=False, resolution="Supplier checked."
    )
    batch = disbursement_batch_prepare(actor=official, applications=[application])
    disbursement_batch_mark_paid(actor=official, batch=batch, payment_reference="ICBC-42")
    application.refresh_from_db()
    assert application.status == S.DISBURSED
    assert batch.total_cny == Decimal("19500.03")


def test_an_upheld_objection_sends_the_award_back_to_review(
    under_review, official, sme, procurement
):
    application = in_notice(under_review, official)
    objection = objection_lodge(
        actor=sme.owner,
        application=application,
        author_name="李明",
        organisation=sme.name_zh,
        reason="Invoice 2 is fake.",
    )
    objection_resolve(
        actor=official, objection=objection, upheld=True, resolution="Invoice 2 not genuine."
    )
    application.refresh_from_db()
    objection.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert application.awarded_amount_cny is None
    assert objection.status == ObjectionStatus.UPHELD
    assert programme_budget(procurement)["committed"] == Decimal("0.00")
    assert Objection.objects.filter(application=application).count() == 1  # stays attached


def test_recovery_reduces_the_net_amount_for_budget_and_cap(under_review, official, procurement):
    application = disbursed(under_review, official)
    with pytest.raises(ValidationError) as error:
        recovery_open(
            actor=official,
            application=application,
            reason="relocation",
            amount_cny=Decimal("20000.00"),
            basis="Full amount",
        )
    assert "amount_cny" in error.value.message_dict
    recovery = recovery_open(
        actor=official,
        application=application,
        reason="relocation",
        amount_cny=Decimal("9750.02"),
        basis="Pro rata: moved out after 18 of 36 months, 50 %.",
    )
    recovery_record_repayment(
        actor=official,
        recovery=recovery,
        amount_cny=Decimal("5000.00"),
        received_on=timezone.localdate(),
    )
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.PARTLY_REPAID
    assert programme_budget(procurement)["committed"] == Decimal("14500.03")
    recovery_record_repayment(
        actor=official,
        recovery=recovery,
        amount_cny=Decimal("4750.02"),
        received_on=timezone.localdate(),
    )
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.REPAID
    received = support_received_cny(
        application.applicant, since=timezone.now() - datetime.timedelta(days=365)
    )
    assert received == Decimal("9750.01")


def test_only_disbursed_awards_can_be_recovered(under_review, official):
    with pytest.raises(ValidationError, match="Only disbursed awards"):
        recovery_open(
            actor=official,
            application=under_review,
            reason="false_declaration",
            amount_cny=Decimal("1.00"),
            basis="x",
        )
