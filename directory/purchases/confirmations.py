"""The supplier's confirmation of purchase lines: a member of the supplier confirms or
disputes a line naming it, or every line of one invoice at once; each move goes through the
confirmation workflow and is recorded; the buyer's members hear of a dispute by email."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.access import is_member_of, member_emails
from directory.lcr.ledger import lcr_ledger_batch
from directory.models import (
    ConfirmationStatus,
    Enterprise,
    ListingStatus,
    PurchaseLine,
    PurchaseLineConfirmation,
    PurchaseLineConfirmationChange,
)
from directory.purchases.confirmation_selectors import lines_naming_supplier
from directory.workflow import CONFIRMATION_WORKFLOW, SUPPLIER
from ssb_portal.mail import absolute_url, send_mail_on_commit, with_reason
from ssb_portal.workflow import transition

DECISIONS = (ConfirmationStatus.CONFIRMED, ConfirmationStatus.DISPUTED)
DECIDED_FIELDS = ("amount", "invoice_date", "supplier_uscc", "category", "reason")


def _check_decision(*, actor: AbstractBaseUser, supplier: Enterprise, status: str, reason: str):
    if not is_member_of(actor, supplier.pk):
        raise PermissionDenied(_("Only members of the supplier may confirm its sales."))
    if supplier.status != ListingStatus.VERIFIED:
        raise PermissionDenied(
            _("An official must verify your enterprise before it confirms its buyers' invoices.")
        )
    if status not in DECISIONS:
        raise ValidationError({"status": _("Choose “confirmed” or “disputed”.")})
    if status == ConfirmationStatus.DISPUTED and not reason.strip():
        raise ValidationError({"reason": _("Say what is wrong with the line: the buyer reads it.")})


def _locked(lines) -> list[PurchaseLine]:
    """The lines, locked so that their values cannot change while the supplier decides."""
    ids = list(lines.values_list("pk", flat=True))
    return list(PurchaseLine.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _decide(
    *, actor: AbstractBaseUser, lines: list[PurchaseLine], status: str, reason: str
) -> list[PurchaseLineConfirmation]:
    """Move each line to `status`, skipping lines already there; refuse a move the workflow
    does not have. Each decision keeps the line's values and a change record."""
    if any(is_member_of(actor, buyer_id) for buyer_id in {line.buyer_id for line in lines}):
        raise PermissionDenied(
            _("You are also a member of the buyer: nobody confirms their own firm's purchases.")
        )
    existing = PurchaseLineConfirmation.objects.select_for_update().in_bulk(
        [line.pk for line in lines]
    )
    # Each decision saves a confirmation; the ledger sums their lines once, at the end.
    with lcr_ledger_batch():
        return _decide_each(
            actor=actor, lines=lines, existing=existing, status=status, reason=reason
        )


def _decide_each(
    *,
    actor: AbstractBaseUser,
    lines: list[PurchaseLine],
    existing: dict[int, PurchaseLineConfirmation],
    status: str,
    reason: str,
) -> list[PurchaseLineConfirmation]:
    decided = []
    now = timezone.now()
    for line in lines:
        confirmation = existing.get(line.pk)
        if confirmation is None:
            confirmation = PurchaseLineConfirmation.of_line(line)
            confirmation.save()
        if _decided_on(confirmation) != _values_of(line):
            # Decided on values the line no longer has: it is unconfirmed now.
            confirmation.status = ConfirmationStatus.UNCONFIRMED
        elif confirmation.status == status:
            continue

        def prepare(_current: str, target: str, confirmation=confirmation, line=line) -> None:
            as_now = PurchaseLineConfirmation.of_line(line)
            for name in ("amount", "invoice_date", "supplier_uscc", "category_id"):
                setattr(confirmation, name, getattr(as_now, name))
            confirmation.reason = reason.strip() if target == ConfirmationStatus.DISPUTED else ""
            confirmation.decided_by = actor
            confirmation.decided_at = now

        def record(current: str, target: str, line=line) -> PurchaseLineConfirmationChange:
            return PurchaseLineConfirmationChange.objects.create(
                line=line,
                actor=actor,
                changed_at=now,
                from_status=current,
                to_status=target,
                reason=reason.strip() if target == ConfirmationStatus.DISPUTED else "",
                amount=line.amount,
            )

        transition(
            confirmation,
            CONFIRMATION_WORKFLOW,
            target=status,
            roles=SUPPLIER,
            record=record,
            prepare=prepare,
            also_update=(*DECIDED_FIELDS, "decided_by", "decided_at"),
        )
        decided.append(confirmation)
    return decided


def _decided_on(confirmation: PurchaseLineConfirmation) -> tuple:
    return (
        confirmation.amount,
        confirmation.invoice_date,
        confirmation.supplier_uscc,
        confirmation.category_id,
    )


def _values_of(line: PurchaseLine) -> tuple:
    return (line.amount, line.invoice_date, line.supplier_id, line.category_id)


def _tell_buyer_of_dispute(
    *, supplier: Enterprise, buyer: Enterprise, lines: list[PurchaseLine], reason: str
) -> None:
    invoices = ", ".join(sorted({str(line) for line in lines}))
    link = absolute_url(reverse("purchases:upload", args=[buyer.uscc]))

    def subject() -> str:
        return _("SSB Portal: %(supplier)s disputes your purchase records") % {
            "supplier": supplier.name_zh
        }

    def body() -> str:
        text = _("%(supplier)s disputes these invoice lines of %(buyer)s: %(lines)s.") % {
            "supplier": supplier.name_zh,
            "buyer": buyer.name_zh,
            "lines": invoices,
        }
        return with_reason(text, reason) + "\n\n" + link

    send_mail_on_commit(subject, body, member_emails(buyer))


def _decide_and_tell(
    *,
    actor: AbstractBaseUser,
    supplier: Enterprise,
    lines: list[PurchaseLine],
    status: str,
    reason: str,
    already: dict[str, str],
) -> list[PurchaseLineConfirmation]:
    """Decide the lines (refusing with `already` when none changes) and tell the buyer of a
    dispute, naming the lines that changed."""
    decided = _decide(actor=actor, lines=lines, status=status, reason=reason)
    if not decided:
        raise ValidationError(already)
    if status == ConfirmationStatus.DISPUTED:
        changed = {confirmation.pk for confirmation in decided}
        _tell_buyer_of_dispute(
            supplier=supplier,
            buyer=lines[0].buyer,
            lines=[line for line in lines if line.pk in changed],
            reason=reason,
        )
    return decided


def purchase_line_decide(
    *, actor: AbstractBaseUser, supplier: Enterprise, line_id: int, status: str, reason: str = ""
) -> PurchaseLineConfirmation:
    """A member of the supplier confirms or disputes one line naming it."""
    _check_decision(actor=actor, supplier=supplier, status=status, reason=reason)
    with transaction.atomic():
        lines = _locked(lines_naming_supplier(supplier).filter(pk=line_id))
        if not lines:
            raise ValidationError(
                {"line": _("No purchase line of this number names your enterprise.")}
            )
        already = _("This line is already “%(status)s”.")
        decided = _decide_and_tell(
            actor=actor,
            supplier=supplier,
            lines=lines,
            status=status,
            reason=reason,
            already={"status": already % {"status": ConfirmationStatus(status).label}},
        )
    return decided[0]


def purchase_invoice_decide(
    *,
    actor: AbstractBaseUser,
    supplier: Enterprise,
    buyer_uscc: str,
    invoice_no: str,
    invoice_code: str = "",
    status: str,
    reason: str = "",
) -> int:
    """A member of the supplier confirms or disputes every line of one invoice of a buyer that
    names it (the invoice code and number: legacy invoices may share a number under different
    codes); lines already so are left as they are. Returns how many lines changed."""
    _check_decision(actor=actor, supplier=supplier, status=status, reason=reason)
    with transaction.atomic():
        lines = _locked(
            lines_naming_supplier(supplier).filter(
                buyer__uscc=buyer_uscc, invoice_code=invoice_code, invoice_no=invoice_no
            )
        )
        if not lines:
            raise ValidationError(
                {"invoice_no": _("No invoice of this buyer and number names your enterprise.")}
            )
        already = _("Every line of this invoice is already “%(status)s”.")
        decided = _decide_and_tell(
            actor=actor,
            supplier=supplier,
            lines=lines,
            status=status,
            reason=reason,
            already={"invoice_no": already % {"status": ConfirmationStatus(status).label}},
        )
    return len(decided)
