"""Paying awards: payment batches of awards past their notice, and finance's confirmation."""

import datetime
import secrets
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.roles import require_official
from subsidies.models import Application, DisbursementBatch, ObjectionStatus
from subsidies.models import ApplicationStatus as S
from subsidies.selectors.corrections import awards_waiting_for_corrections
from subsidies.selectors.public import open_objections
from subsidies.services.notifications import notify_applicant
from subsidies.services.transitions import transition_application
from subsidies.workflow import OFFICIAL


def disbursable(now: datetime.datetime | None = None) -> Q:
    """Awards finance may pay: in notice, the period over, no objection open."""
    now = now or timezone.now()
    return Q(status=S.IN_NOTICE, notice__ends_at__lte=now) & ~Q(
        objections__status=ObjectionStatus.OPEN
    )


def _refuse_awards_waiting_for_corrections(application_ids: list[int]) -> None:
    """An award is not paid while a correction of a line it claims is pending: applied, it
    re-decides the award; dismissed, the award stands (see `correction_decisions`)."""
    waiting = awards_waiting_for_corrections(application_ids)
    if waiting:
        raise ValidationError(
            _(
                "A claimed purchase line of %(ids)s was corrected and the correction is "
                "pending: apply or dismiss it before the award is paid."
            )
            % {"ids": ", ".join(f"#{pk}" for pk in waiting)}
        )


def disbursement_batch_prepare(
    *, actor: AbstractBaseUser, applications: Iterable[Application]
) -> DisbursementBatch:
    """Put awards whose notice is over and that face no open objection into a payment batch."""
    require_official(actor)
    wanted = sorted({application.pk for application in applications})
    if not wanted:
        raise ValidationError(_("Choose the awards to pay."))
    with transaction.atomic():
        locked = list(Application.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
        ready = set(
            Application.objects.filter(
                disbursable(), pk__in=wanted, disbursement_batch__isnull=True
            ).values_list("pk", flat=True)
        )
        not_ready = [application.pk for application in locked if application.pk not in ready]
        if not not_ready:
            _refuse_awards_waiting_for_corrections(wanted)
        if not_ready:
            raise ValidationError(
                _(
                    "These awards cannot be paid yet (not in notice, notice still running, an "
                    "objection open, or already in a batch): %(ids)s"
                )
                % {"ids": ", ".join(f"#{pk}" for pk in not_ready)}
            )
        now = timezone.now()
        batch = DisbursementBatch.objects.create(
            reference=f"D{now:%Y%m%d%H%M%S}-{secrets.token_hex(2).upper()}",
            created_by=actor,
            created_at=now,
            total_cny=sum((a.awarded_amount_cny for a in locked), Decimal("0.00")),
        )
        Application.objects.filter(pk__in=wanted).update(disbursement_batch=batch)
        audit_append(
            actor=actor,
            action="batch_prepared",
            subject=batch,
            data={"applications": wanted, "total_cny": batch.total_cny},
        )
    return batch


def disbursement_batch_mark_paid(
    *, actor: AbstractBaseUser, batch: DisbursementBatch, payment_reference: str
) -> DisbursementBatch:
    """Finance confirms the transfer: every award of the batch becomes disbursed."""
    require_official(actor)
    payment_reference = (payment_reference or "").strip()
    if not payment_reference:
        raise ValidationError({"payment_reference": _("Give the bank payment reference.")})
    with transaction.atomic():
        batch = DisbursementBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.paid_at is not None:
            raise ValidationError(_("This batch has already been marked paid."))
        applications = list(
            Application.objects.select_for_update()
            .filter(disbursement_batch=batch)
            .select_related("programme", "applicant")
            .order_by("pk")
        )
        blocked = [a.pk for a in applications if open_objections(a).exists()]
        if blocked:
            raise ValidationError(
                _("An objection was lodged against %(ids)s; resolve it first.")
                % {"ids": ", ".join(f"#{pk}" for pk in blocked)}
            )
        _refuse_awards_waiting_for_corrections([a.pk for a in applications])
        for application in applications:
            transition_application(
                application,
                actor=actor,
                to_status=S.DISBURSED,
                role=OFFICIAL,
                note=_("Paid in batch %(ref)s.") % {"ref": batch.reference},
            )
            notify_applicant(application, gettext_lazy("paid"))
        batch.paid_at = timezone.now()
        batch.paid_by = actor
        batch.payment_reference = payment_reference
        batch.save(update_fields=["paid_at", "paid_by", "payment_reference"])
        audit_append(
            actor=actor,
            action="batch_paid",
            subject=batch,
            data={"payment_reference": payment_reference, "total_cny": batch.total_cny},
        )
    return batch
