"""Queuing, delivering and resending e-mail (see ssb_portal.outgoing_mail)."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task, task_backends

from ssb_portal.outgoing_mail.models import OutgoingMail, OutgoingMailStatus
from ssb_portal.task_recovery.services import on_stall

logger = logging.getLogger(__name__)


def mail_queue(message: EmailMessage) -> OutgoingMail:
    """Keep `message` and queue its delivery, in the caller's transaction."""
    if message.attachments:
        raise ValueError("E-mail with attachments cannot be queued; the portal sends none.")
    with transaction.atomic():
        mail = OutgoingMail.objects.create(
            subject=message.subject,
            body=message.body,
            from_email=message.from_email,
            envelope={
                "to": list(message.to),
                "cc": list(message.cc),
                "bcc": list(message.bcc),
                "reply_to": list(message.reply_to),
                "headers": dict(message.extra_headers),
                "alternatives": [list(part) for part in getattr(message, "alternatives", [])],
            },
            recipients=", ".join(message.recipients()),
        )
        deliver_mail.enqueue(mail.pk)
    return mail


@task()
def deliver_mail(mail_id: int) -> None:
    mail_deliver(mail_id=mail_id)


def mail_deliver(*, mail_id: int) -> None:
    """One try at sending a queued mail. On failure the error is kept and, while tries are
    left, another try is queued MAIL_RETRY_SECONDS × 2^(tries − 1) later; else the mail is
    undelivered, for an official to resend."""
    claimed = OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMailStatus.QUEUED).update(
        status=OutgoingMailStatus.SENDING
    )
    if not claimed:
        return  # sent already, or another delivery has it
    mail = OutgoingMail.objects.get(pk=mail_id)
    mail.tries += 1
    mail.last_try_at = timezone.now()
    try:
        _message(mail).send()
    except Exception as error:  # the mail server down, refusing, timing out
        _failed(mail, f"{type(error).__name__}: {error}")
        return
    mail.status = OutgoingMailStatus.SENT
    mail.sent_at = timezone.now()
    mail.last_error = ""
    mail.save(update_fields=["status", "tries", "last_try_at", "sent_at", "last_error"])


def _message(mail: OutgoingMail) -> EmailMultiAlternatives:
    envelope = mail.envelope
    return EmailMultiAlternatives(
        mail.subject,
        mail.body,
        mail.from_email,
        to=envelope["to"],
        cc=envelope["cc"],
        bcc=envelope["bcc"],
        reply_to=envelope["reply_to"],
        headers=envelope["headers"],
        alternatives=[tuple(part) for part in envelope["alternatives"]],
        connection=get_connection(settings.MAIL_DELIVERY_BACKEND),
    )


def _failed(mail: OutgoingMail, error: str) -> None:
    # A backend that runs tasks at once (tests) cannot wait: the mail waits for a resend.
    retry = (
        mail.tries < settings.MAIL_MAX_TRIES and task_backends[deliver_mail.backend].supports_defer
    )
    mail.status = OutgoingMailStatus.QUEUED if retry else OutgoingMailStatus.UNDELIVERED
    mail.last_error = error
    with transaction.atomic():
        mail.save(update_fields=["status", "tries", "last_try_at", "last_error"])
        if retry:
            delay = datetime.timedelta(seconds=settings.MAIL_RETRY_SECONDS * 2 ** (mail.tries - 1))
            deliver_mail.using(run_after=mail.last_try_at + delay).enqueue(mail.pk)
    logger.warning("Mail %s to %s, try %d: %s", mail.pk, mail.recipients, mail.tries, error)


def mail_resend(*, mail: OutgoingMail) -> None:
    """Queue an undelivered mail again (its mail server is back): one more try."""
    with transaction.atomic():
        queued = OutgoingMail.objects.filter(
            pk=mail.pk, status=OutgoingMailStatus.UNDELIVERED
        ).update(status=OutgoingMailStatus.QUEUED)
        if not queued:
            raise ValidationError(_("Only undelivered e-mail can be resent."))
        transaction.on_commit(lambda: deliver_mail.enqueue(mail.pk))


def _requeue(mail_id: int) -> None:
    OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMailStatus.SENDING).update(
        status=OutgoingMailStatus.QUEUED
    )


def _give_up(mail_id: int) -> None:
    OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMailStatus.SENDING).update(
        status=OutgoingMailStatus.UNDELIVERED,
        last_error=_("The worker stopped while sending, on every try."),
    )


on_stall(deliver_mail, requeue=_requeue, give_up=_give_up)
