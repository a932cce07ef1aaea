"""Claimed purchase lines are frozen: an application that holds its claims (submitted, under
review, decided, noticed, disbursed, appealed) holds its lines in the directory, so that a
later import keeps its corrections pending; what a pending correction would do to the award
is put before the officials and recorded in the audit chain. Nothing about the award changes
by itself.

Before the money is paid, the application is flagged to its officials (an internal note):
under review, so that the decision takes the correction into account; approved or in public
notice, so that the award is re-decided before it is paid (the payment waits, see
`correction_decisions`). Only once the money is paid is a recovery review opened for what
the corrections would take away: a clawback is for money that left the treasury.

When an application releases its lines (returned, withdrawn, rejected), the pending
corrections of lines nobody holds any more are applied, and the release records which.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import (
    CorrectionStatus,
    PurchaseLineCorrection,
    PurchaseLineHold,
)
from directory.purchases.frozen import purchase_line_holds_set
from ssb_portal.audit_chain.chain import audit_append
from subsidies import rules
from subsidies.models import (
    AWARDED_STATUSES,
    Application,
    Message,
    Recovery,
    RecoveryReason,
    RecoveryStatus,
)
from subsidies.models import ApplicationStatus as S
from subsidies.selectors.corrections import claim_counts, local_suppliers
from subsidies.selectors.eligibility import eligible_category_ids
from subsidies.services.notifications import notify_officials

#: The holder name of an application's holds on purchase lines.
HOLDER = "application"
#: States in which the claimed lines may not change under the application.
FROZEN_STATUSES = (
    S.SUBMITTED,
    S.UNDER_REVIEW,
    S.AWAITING_CONFIRMATION,
    S.APPEALED,
    *AWARDED_STATUSES,
)
ZERO = Decimal("0.00")


def application_hold_lines(
    application: Application, *, actor: AbstractBaseUser | None = None
) -> None:
    """Hold the claimed lines while the application is in a frozen state, else release them.

    The pending corrections of lines it releases (that nobody else holds) are applied by the
    directory; the audit chain records which, on the application.
    """
    frozen = application.status in FROZEN_STATUSES
    line_ids = (
        application.claimed_lines.values_list("purchase_line_id", flat=True) if frozen else ()
    )
    applied = purchase_line_holds_set(holder=HOLDER, holder_id=application.pk, line_ids=line_ids)
    if applied:
        audit_append(
            actor=actor,
            action="purchase_corrections_released",
            subject=application,
            data={
                "status": application.status,
                "corrections": [correction.pk for correction in applied],
                "lines": [correction.line_id for correction in applied],
            },
        )


def corrected_amount_cny(application: Application) -> tuple[Decimal, Decimal]:
    """The award as approved (or as computed before the decision) and what the programme's
    rule would give if the pending corrections of its claimed lines were applied."""
    claims = list(application.claimed_lines.all())
    pending: dict[int, dict] = {}
    for correction in PurchaseLineCorrection.objects.filter(
        line_id__in=[claim.purchase_line_id for claim in claims],
        status=CorrectionStatus.PENDING,
    ).order_by("proposed_at", "pk"):
        pending[correction.line_id] = correction.proposed_values  # the newest wins
    proposed_usccs = {values["supplier_id"] for values in pending.values() if values["supplier_id"]}
    local_usccs = local_suppliers(proposed_usccs)
    category_ids = eligible_category_ids(application.programme)
    amounts = []
    for claim in claims:
        values = pending.get(claim.purchase_line_id)
        if values is None:
            amounts.append(claim.amount_cny)
        elif claim_counts(values, application, local_usccs=local_usccs, category_ids=category_ids):
            amounts.append(Decimal(values["amount"]))
    rate = application.programme.rate_percent
    current = application.awarded_amount_cny or application.computed_amount_cny or ZERO
    return current, rules.procurement_subsidy_cny(amounts, rate)


def purchase_corrections_review(
    *, actor: AbstractBaseUser | None, corrections: Sequence[PurchaseLineCorrection]
) -> None:
    """Put pending corrections of held lines before the officials of each holding application.

    Until the award is paid the application is flagged to its officials (an internal note;
    an approved award then waits for the decision before it is paid); once paid, a recovery
    review is opened for the subsidy the corrections would take away. Both are recorded in
    the audit chain; the award, the claims and the approved figures stay as they are until
    an official decides (`correction_decisions`).
    """
    line_ids = {correction.line_id for correction in corrections}
    application_ids = sorted(
        set(
            PurchaseLineHold.objects.filter(holder=HOLDER, line_id__in=line_ids).values_list(
                "holder_id", flat=True
            )
        )
    )
    with transaction.atomic():
        # One query reads and locks them all, in the order of their ids (as every lock of
        # applications is taken), with what lock_application reads beside each.
        locked = (
            Application.objects.select_for_update()
            .select_related("programme", "applicant__district")
            .filter(pk__in=application_ids)
            .order_by("pk")
        )
        for application in locked:
            lines = sorted(
                line_ids & set(application.claimed_lines.values_list("purchase_line_id", flat=True))
            )
            _review(application, actor=actor, line_ids=lines, corrections=corrections)


def _review(
    application: Application,
    *,
    actor: AbstractBaseUser | None,
    line_ids: list[int],
    corrections: Sequence[PurchaseLineCorrection],
) -> None:
    current, corrected = corrected_amount_cny(application)
    difference = current - corrected
    data = {
        "lines": line_ids,
        "corrections": [c.pk for c in corrections if c.line_id in set(line_ids)],
        "amount_cny": current,
        "corrected_amount_cny": corrected,
        "difference_cny": difference,
    }
    if application.status != S.DISBURSED:
        body = _(
            "A purchase line claimed here was corrected by a later import (lines %(lines)s); "
            "the correction is kept pending. Applied, it would change the computed amount "
            "from %(current)s to %(corrected)s CNY."
        ) % {
            "lines": ", ".join(map(str, line_ids)),
            "current": f"{current:,.2f}",
            "corrected": f"{corrected:,.2f}",
        }
        if application.status in AWARDED_STATUSES:
            body += " " + _(
                "The award is not paid until the correction is applied (the award re-decided) "
                "or dismissed."
            )
        Message.objects.create(application=application, internal=True, body=body)
        audit_append(
            actor=actor, action="purchase_correction_flagged", subject=application, data=data
        )
        notify_officials(
            application,
            gettext_lazy("a claimed purchase line was corrected, before the decision")
            if application.status not in AWARDED_STATUSES
            else gettext_lazy("a claimed purchase line was corrected before payment"),
        )
        return
    recovery = _recovery_open(application, difference=difference, data=data)
    audit_append(
        actor=actor,
        action="purchase_correction_recovery",
        subject=application,
        data={**data, "recovery": recovery.pk if recovery else None},
    )
    notify_officials(
        application,
        gettext_lazy("a claimed purchase line was corrected after approval"),
    )


def _recovery_open(application: Application, *, difference: Decimal, data: dict) -> Recovery | None:
    """A recovery review of what the corrections take away, within what is not yet recovered;
    None when they take nothing away."""
    already = sum(
        (r.amount_cny for r in application.recoveries.exclude(status=RecoveryStatus.WRITTEN_OFF)),
        ZERO,
    )
    amount = min(difference, (application.awarded_amount_cny or ZERO) - already)
    if amount <= 0:
        return None
    return Recovery.objects.create(
        application=application,
        reason=RecoveryReason.PURCHASE_CORRECTION,
        amount_cny=amount,
        basis=_(
            "A later import corrected claimed purchase lines %(lines)s: the programme's rule "
            "gives %(corrected)s CNY instead of the %(current)s CNY awarded."
        )
        % {
            "lines": ", ".join(map(str, data["lines"])),
            "corrected": f"{data['corrected_amount_cny']:,.2f}",
            "current": f"{data['amount_cny']:,.2f}",
        },
    )
