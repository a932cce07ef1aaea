"""An official accepts, with a reason, a purchase line its supplier has not confirmed, so that
the local-procurement subsidy may count it; the acceptance joins the audit chain."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import ConfirmationStatus, PurchaseLine
from directory.purchases.confirmation_selectors import confirmation_status
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.roles import require_official
from subsidies.models import UnconfirmedLineAcceptance


def purchase_line_accept_unconfirmed(
    *, actor: AbstractBaseUser, line_id: int, reason: str
) -> UnconfirmedLineAcceptance:
    """Accept the line at the amount it has now. A confirmed line needs no acceptance; a
    disputed one is settled with its supplier, never accepted over the supplier's word."""
    require_official(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this line may count without its supplier.")})
    with transaction.atomic():
        line = (
            PurchaseLine.objects.select_for_update(of=("self",))
            .annotate(confirmation_status=confirmation_status())
            .select_related("buyer")
            .filter(pk=line_id)
            .first()
        )
        if line is None:
            raise ValidationError({"line": _("There is no purchase line of this number.")})
        if line.confirmation_status == ConfirmationStatus.CONFIRMED:
            raise ValidationError({"line": _("Its supplier has confirmed this line already.")})
        if line.confirmation_status == ConfirmationStatus.DISPUTED:
            raise ValidationError(
                {"line": _("Its supplier disputes this line: settle it with the supplier first.")}
            )
        acceptance, _created = UnconfirmedLineAcceptance.objects.update_or_create(
            purchase_line=line,
            defaults={
                "amount_cny": line.amount,
                "reason": reason,
                "accepted_by": actor,
                "accepted_at": timezone.now(),
            },
        )
        audit_append(
            actor=actor,
            action="unconfirmed_line_accepted",
            subject=acceptance,
            data={
                "purchase_line": line.pk,
                "buyer": line.buyer.uscc,
                "supplier": line.supplier_id,
                "invoice_no": line.invoice_no,
                "line_no": line.line_no,
                "amount_cny": line.amount,
                "reason": reason,
            },
        )
    return acceptance
