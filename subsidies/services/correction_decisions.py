"""An official decides a pending correction of a line claimed in an application: applies it
or dismisses it, in the audit chain.

**Applied** (the line takes the proposed values, see `directory.purchases.frozen`):

- before the money is paid (submitted, under review, awaiting confirmation, appealed,
  approved, in public notice) the claim follows the programme's rule: a line that no longer
  counts (not positive, not a verified local supplier, not the programme's year or
  categories) drops out of the claim and its hold is released; one that counts is claimed at
  its new amount; the computed amount is recomputed and recorded. An award already decided
  but not paid is re-decided to the recomputed amount when that is lower (a recorded
  re-decision, the applicant told); it is never raised here, since the approval reserved
  that much against the budget and the cap and only a new decision can reserve more.
- once paid (disbursed), the claim stays the record of what was paid for, and the recovery
  review opened when the correction arrived is what follows: no second one is opened.

**Dismissed** (the line keeps its values): the reason is recorded and the applicant (the
buyer) told. Once paid, a recovery review opened only for corrections that are all dismissed
is written off, saying why; one with repayments recorded is left to the officials.

**Why not a recovery before payment.** A recovery (clawback) claims money back; an award
that is approved or in public notice has not been paid, and recovering unpaid money would
show a debt that never was and pay out the full award regardless. So the payment waits
(`disbursement_batch_prepare` and `disbursement_batch_mark_paid` refuse an award with a
pending correction of its claimed lines) until an official applies the correction (the
award re-decided before it is paid) or dismisses it.
"""

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import CorrectionStatus, PurchaseLine, PurchaseLineCorrection
from directory.purchases.frozen import purchase_correction_apply, purchase_correction_dismiss
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.models import AuditEntry
from ssb_portal.roles import require_official
from subsidies import rules
from subsidies.models import Application, Message, Recovery, RecoveryStatus
from subsidies.models import ApplicationStatus as S
from subsidies.selectors.corrections import claim_counts, local_suppliers
from subsidies.selectors.eligibility import eligible_category_ids
from subsidies.services.corrections import FROZEN_STATUSES, application_hold_lines
from subsidies.services.guards import lock_application, lock_programme, require_no_conflict
from subsidies.services.notifications import notify_applicant
from subsidies.services.recoveries import recovery_write_off


def _lock(actor: AbstractBaseUser, application: Application) -> Application:
    require_official(actor)
    application = Application.objects.only("programme_id").get(pk=application.pk)
    lock_programme(application.programme_id)
    application = lock_application(application)
    require_no_conflict(actor, application)
    if application.status not in FROZEN_STATUSES:
        raise ValidationError(
            _("This application holds no purchase lines now (“%(status)s”).")
            % {"status": application.get_status_display()}
        )
    return application


def _note(application: Application, actor: AbstractBaseUser, body: str) -> None:
    """The decision in the officials' internal notes, beside the note that flagged it."""
    Message.objects.create(application=application, author=actor, internal=True, body=body.strip())


def _correction_of(application: Application, correction_id: int) -> PurchaseLineCorrection:
    """The correction, if it concerns a line this application claims; else a refusal."""
    correction = PurchaseLineCorrection.objects.filter(pk=correction_id).first()
    if (
        correction is None
        or not application.claimed_lines.filter(purchase_line_id=correction.line_id).exists()
    ):
        raise ValidationError(
            {"correction": _("This correction does not concern a line claimed here.")}
        )
    if correction.status != CorrectionStatus.PENDING:
        raise ValidationError(
            {
                "correction": _("This correction was decided already: %(status)s.")
                % {"status": correction.get_status_display()}
            }
        )
    return correction


def _claim_follows(application: Application, line: PurchaseLine) -> dict:
    """The claim and the computed amount follow the corrected line; returns the figures."""
    claim = application.claimed_lines.get(purchase_line=line)
    values = {
        "amount": line.amount,
        "supplier_id": line.supplier_id,
        "invoice_date": line.invoice_date.isoformat(),
        "category_id": line.category_id,
    }
    counts = claim_counts(
        values,
        application,
        local_usccs=local_suppliers({line.supplier_id} - {None, ""}),
        category_ids=eligible_category_ids(application.programme),
    )
    if counts:
        claim.amount_cny = line.amount
        claim.supplier_uscc = line.supplier_id
        claim.invoice_date = line.invoice_date
        claim.save(update_fields=["amount_cny", "supplier_uscc", "invoice_date"])
    else:
        claim.delete()
    amounts = list(application.claimed_lines.values_list("amount_cny", flat=True))
    before = application.computed_amount_cny
    application.computed_amount_cny = rules.procurement_subsidy_cny(
        amounts, application.programme.rate_percent
    )
    application.save(update_fields=["computed_amount_cny", "updated_at"])
    if not counts:
        application_hold_lines(application)  # the line is no longer claimed here
    return {
        "line_still_claimed": counts,
        "computed_before_cny": before,
        "computed_cny": application.computed_amount_cny,
    }


def _award_redecided(
    application: Application, *, actor: AbstractBaseUser, correction: PurchaseLineCorrection
) -> Decimal | None:
    """An award decided but not paid follows a lower computed amount; returns the old award
    when it changed."""
    award = application.awarded_amount_cny
    computed = application.computed_amount_cny
    if award is None or computed is None or computed >= award:
        return None
    application.awarded_amount_cny = computed
    application.save(update_fields=["awarded_amount_cny", "updated_at"])
    audit_append(
        actor=actor,
        action="award_redecided",
        subject=application,
        data={"from_cny": award, "to_cny": computed, "correction": correction.pk},
    )
    notify_applicant(
        application,
        gettext_lazy("award re-decided after a purchase line was corrected"),
        _("The award is now %(amount)s CNY instead of %(before)s CNY.")
        % {"amount": f"{computed:,.2f}", "before": f"{award:,.2f}"},
    )
    return award


def _recoveries_of(application: Application, correction_id: int) -> list[tuple[int, list[int]]]:
    """(recovery, its corrections) of the recovery reviews opened for this correction."""
    found = []
    for data in AuditEntry.objects.filter(
        action="purchase_correction_recovery",
        object_type=application._meta.label_lower,
        object_id=str(application.pk),
    ).values_list("data", flat=True):
        if data.get("recovery") and correction_id in data.get("corrections", []):
            found.append((data["recovery"], data["corrections"]))
    return found


def application_correction_apply(
    *, actor: AbstractBaseUser, application: Application, correction_id: int, note: str = ""
) -> PurchaseLineCorrection:
    """Apply a pending correction of a claimed line; see the module's docstring."""
    with transaction.atomic():
        application = _lock(actor, application)
        correction = _correction_of(application, correction_id)
        correction = purchase_correction_apply(actor=actor, correction_id=correction.pk, note=note)
        data = {
            "correction": correction.pk,
            "line": correction.line_id,
            "values_before": correction.current_values,
            "values_applied": correction.proposed_values,
            "note": correction.decision_note,
        }
        if application.status == S.DISBURSED:
            data["recoveries"] = [pk for pk, _rest in _recoveries_of(application, correction.pk)]
        else:
            data.update(_claim_follows(application, correction.line))
            previous_award = _award_redecided(application, actor=actor, correction=correction)
            if previous_award is not None:
                data["award_before_cny"] = previous_award
                data["award_cny"] = application.awarded_amount_cny
        _note(
            application,
            actor,
            _("Correction %(pk)s of line %(line)s applied. %(note)s")
            % {"pk": correction.pk, "line": correction.line, "note": correction.decision_note},
        )
        audit_append(
            actor=actor, action="purchase_correction_applied", subject=application, data=data
        )
    return correction


def application_correction_dismiss(
    *, actor: AbstractBaseUser, application: Application, correction_id: int, reason: str
) -> PurchaseLineCorrection:
    """Dismiss a pending correction of a claimed line with a reason; the applicant is told."""
    with transaction.atomic():
        application = _lock(actor, application)
        correction = _correction_of(application, correction_id)
        correction = purchase_correction_dismiss(
            actor=actor, correction_id=correction.pk, note=reason
        )
        _note(
            application,
            actor,
            _("Correction %(pk)s of line %(line)s dismissed: %(reason)s")
            % {"pk": correction.pk, "line": correction.line, "reason": correction.decision_note},
        )
        written_off = []
        if application.status == S.DISBURSED:
            written_off = _write_off_dismissed(application, actor=actor, correction=correction)
        audit_append(
            actor=actor,
            action="purchase_correction_dismissed",
            subject=application,
            data={
                "correction": correction.pk,
                "line": correction.line_id,
                "values_proposed": correction.proposed_values,
                "reason": correction.decision_note,
                "recoveries_written_off": written_off,
            },
        )
        notify_applicant(
            application,
            gettext_lazy("a correction of a claimed purchase line was dismissed"),
            correction.decision_note,
        )
    return correction


def _write_off_dismissed(
    application: Application, *, actor: AbstractBaseUser, correction: PurchaseLineCorrection
) -> list[int]:
    """Write off the recovery reviews opened only for corrections now all dismissed, before
    anything was repaid."""
    written_off = []
    for recovery_id, correction_ids in _recoveries_of(application, correction.pk):
        undismissed = (
            PurchaseLineCorrection.objects.filter(pk__in=correction_ids)
            .exclude(status=CorrectionStatus.DISMISSED)
            .exists()
        )
        recovery = Recovery.objects.get(pk=recovery_id)
        if undismissed or recovery.status != RecoveryStatus.OPEN or recovery.repaid_cny:
            continue
        recovery_write_off(
            actor=actor,
            recovery=recovery,
            note=_("The purchase line corrections it was opened for were dismissed: %(reason)s")
            % {"reason": correction.decision_note},
        )
        written_off.append(recovery_id)
    return written_off
