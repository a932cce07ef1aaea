"""The applicant's moves: submit, withdraw, appeal a rejection, and the conversation
with the officials.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.access import member_emails
from ssb_portal.audit_chain.chain import Receipt, audit_append
from ssb_portal.audit_chain.heads import audit_receipt, receipt_text
from ssb_portal.mail import send_mail_on_commit
from ssb_portal.models import AuditEntry
from ssb_portal.roles import is_official
from subsidies.models import Appeal, Application, Message
from subsidies.models import ApplicationStatus as S
from subsidies.selectors.eligibility import application_eligibility
from subsidies.services.guards import lock_application, require_applicant, require_note
from subsidies.services.notifications import application_url, notify_applicant, notify_officials
from subsidies.services.transitions import transition_application
from subsidies.workflow import APPLICANT


def application_submit(*, actor: AbstractBaseUser, application: Application) -> Application:
    """Check eligibility, compute the amount by the programme's rule, and submit."""
    with transaction.atomic():
        application = lock_application(application)
        require_applicant(actor, application)
        # Amounts of purchase lines may have been corrected since they were picked.
        for claim in application.claimed_lines.select_related("purchase_line"):
            if claim.amount_cny != claim.purchase_line.amount:
                claim.amount_cny = claim.purchase_line.amount
                claim.save(update_fields=["amount_cny"])
        eligibility = application_eligibility(application)
        if not eligibility.ok:
            raise ValidationError(eligibility.problems)
        application.computed_amount_cny = eligibility.amount_cny
        application.granted_quota_tce = eligibility.granted_quota_tce
        application.save(update_fields=["computed_amount_cny", "granted_quota_tce"])
        audit_append(
            actor=actor,
            action="amount_computed",
            subject=application,
            data={
                "amount_cny": eligibility.amount_cny,
                "granted_quota_tce": eligibility.granted_quota_tce,
                "lines": [
                    [claim.purchase_line_id, claim.amount_cny]
                    for claim in application.claimed_lines.all()
                ],
                "rate_percent": application.programme.rate_percent,
            },
        )
        transition_application(application, actor=actor, to_status=S.SUBMITTED, role=APPLICANT)
        notify_officials(application, gettext_lazy("a new application to review"))
        application.receipt = audit_receipt(
            AuditEntry.objects.filter(
                object_type=application._meta.label_lower, object_id=str(application.pk)
            ).latest("sequence")
        )
        _send_receipt(application, application.receipt)
    return application


def _send_receipt(application: Application, receipt: Receipt) -> None:
    """The applicant's eReceipt of a submission: its place in the audit chain."""
    send_mail_on_commit(
        lambda: _("SSB Portal: application #%(pk)s submitted, your receipt")
        % {"pk": application.pk},
        lambda: receipt_text(receipt) + "\n\n" + application_url(application),
        member_emails(application.applicant),
    )


def application_withdraw(
    *, actor: AbstractBaseUser, application: Application, note: str = ""
) -> Application:
    with transaction.atomic():
        application = lock_application(application)
        require_applicant(actor, application)
        transition_application(
            application, actor=actor, to_status=S.WITHDRAWN, role=APPLICANT, note=note
        )
    return application


def appeal_file(*, actor: AbstractBaseUser, application: Application, grounds: str) -> Appeal:
    """Appeal a rejection, once per rejection."""
    grounds = require_note(grounds, _("the appeal"), field="grounds")
    with transaction.atomic():
        application = lock_application(application)
        require_applicant(actor, application)
        # The move first (it refuses anything but a rejected application); what follows
        # rolls it back when the rejection cannot be appealed.
        transition_application(
            application, actor=actor, to_status=S.APPEALED, role=APPLICANT, note=grounds
        )
        # The rejection is the official's decision; a dismissed appeal is not a new one.
        rejection = (
            application.transitions.filter(to_status=S.REJECTED)
            .exclude(from_status=S.APPEALED)
            .order_by("-created_at", "-pk")
            .first()
        )
        if rejection is None:
            raise ValidationError(_("Only a rejection by an official can be appealed."))
        if Appeal.objects.filter(rejection=rejection).exists():
            raise ValidationError(_("This rejection has already been appealed."))
        appeal = Appeal.objects.create(
            application=application, rejection=rejection, grounds=grounds, filed_by=actor
        )
        notify_officials(application, gettext_lazy("an appeal to decide"))
    return appeal


def message_post(
    *, actor: AbstractBaseUser, application: Application, body: str, internal: bool = False
) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    official = is_official(actor)
    if not official:
        require_applicant(actor, application)
        if internal:
            raise PermissionDenied(_("Only officials may write internal notes."))
    with transaction.atomic():
        message = Message.objects.create(
            application=application, author=actor, body=body, internal=internal
        )
    if not internal:
        if official:
            notify_applicant(application, gettext_lazy("a new message from the officials"), body)
        else:
            notify_officials(application, gettext_lazy("a new message from the applicant"))
    return message
