"""Claiming money back from disbursed awards: open a recovery, record repayments,
write off what cannot be recovered.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.roles import require_official
from ssb_portal.workflow import transition
from subsidies.models import Application, Recovery, RecoveryReason, RecoveryStatus, Repayment
from subsidies.models import ApplicationStatus as S
from subsidies.services.guards import lock_application, lock_programme, require_note
from subsidies.services.notifications import notify_applicant
from subsidies.workflow import OFFICIAL, RECOVERY_WORKFLOW


def recovery_open(
    *,
    actor: AbstractBaseUser,
    application: Application,
    reason: str,
    amount_cny: Decimal,
    basis: str,
) -> Recovery:
    """Claim money back from a disbursed award: the whole award or a stated share of it."""
    require_official(actor)
    basis = require_note(basis, _("the amount"), field="basis")
    if reason not in RecoveryReason.values:
        raise ValidationError({"reason": _("Choose why the money is recovered.")})
    amount = Decimal(amount_cny).quantize(Decimal("0.01"))
    with transaction.atomic():
        application = lock_application(application)
        if application.status != S.DISBURSED:
            raise ValidationError(_("Only disbursed awards can be recovered."))
        already = sum(
            (
                r.amount_cny
                for r in application.recoveries.exclude(status=RecoveryStatus.WRITTEN_OFF)
            ),
            Decimal("0.00"),
        )
        room = application.awarded_amount_cny - already
        if amount <= 0 or amount > room:
            raise ValidationError(
                {
                    "amount_cny": _("Recover more than 0 and at most %(room)s CNY.")
                    % {"room": f"{room:,.2f}"}
                }
            )
        recovery = Recovery.objects.create(
            application=application, reason=reason, basis=basis, amount_cny=amount, opened_by=actor
        )
        audit_append(
            actor=actor,
            action="recovery_opened",
            subject=recovery,
            data={
                "application": application.pk,
                "reason": reason,
                "amount_cny": amount,
                "basis": basis,
            },
        )
        notify_applicant(
            application,
            lazy(
                lambda: _("recovery of %(amount)s CNY opened") % {"amount": f"{amount:,.2f}"}, str
            )(),
            basis,
        )
    return recovery


def recovery_record_repayment(
    *, actor: AbstractBaseUser, recovery: Recovery, amount_cny: Decimal, received_on: datetime.date
) -> Repayment:
    require_official(actor)
    amount = Decimal(amount_cny).quantize(Decimal("0.01"))
    with transaction.atomic():
        application = Application.objects.only("programme_id").get(pk=recovery.application_id)
        lock_programme(application.programme_id)
        recovery = Recovery.objects.select_for_update().get(pk=recovery.pk)
        # A repayment moves an open recovery on; a closed one refuses before the amount.
        RECOVERY_WORKFLOW.check(
            current=recovery.status, target=RecoveryStatus.REPAID, roles=OFFICIAL
        )
        outstanding = recovery.amount_cny - recovery.repaid_cny
        if amount <= 0 or amount > outstanding:
            raise ValidationError(
                {
                    "amount_cny": _("Enter more than 0 and at most the %(left)s CNY outstanding.")
                    % {"left": f"{outstanding:,.2f}"}
                }
            )
        repayment = Repayment.objects.create(
            recovery=recovery, amount_cny=amount, received_on=received_on, recorded_by=actor
        )
        recovery.repaid_cny += amount
        if recovery.repaid_cny == recovery.amount_cny:
            target = RecoveryStatus.REPAID
            recovery.closed_at = timezone.now()
        else:
            target = RecoveryStatus.PARTLY_REPAID
        transition(
            recovery,
            RECOVERY_WORKFLOW,
            target=target,
            roles=OFFICIAL,
            also_update=["repaid_cny", "closed_at"],
            record=lambda _current, _target: audit_append(
                actor=actor,
                action="recovery_repaid",
                subject=recovery,
                data={"amount_cny": amount, "received_on": received_on, "status": target},
            ),
        )
    return repayment


def recovery_write_off(*, actor: AbstractBaseUser, recovery: Recovery, note: str) -> Recovery:
    require_official(actor)
    note = require_note(note, _("writing off"))
    with transaction.atomic():
        recovery = Recovery.objects.select_for_update().get(pk=recovery.pk)

        def close(_current: str, _target: str) -> None:
            recovery.closed_at = timezone.now()
            recovery.note = note

        transition(
            recovery,
            RECOVERY_WORKFLOW,
            target=RecoveryStatus.WRITTEN_OFF,
            roles=OFFICIAL,
            prepare=close,
            also_update=["closed_at", "note"],
            record=lambda _current, _target: audit_append(
                actor=actor,
                action="recovery_written_off",
                subject=recovery,
                data={"outstanding_cny": recovery.amount_cny - recovery.repaid_cny, "note": note},
            ),
        )
    return recovery
