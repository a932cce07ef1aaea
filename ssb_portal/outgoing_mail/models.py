"""An e-mail on its way out, with what happened at each try (see ssb_portal.outgoing_mail)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    UNDELIVERED = "undelivered", _("Undelivered")


class OutgoingMail(models.Model):
    subject = models.TextField(_("subject"))
    body = models.TextField(_("body"))
    from_email = models.CharField(_("from"), max_length=254)
    # The envelope as Django's EmailMessage has it: to, cc, bcc, reply_to (lists of
    # addresses), headers (a dict) and alternatives (pairs of content and MIME type).
    envelope = models.JSONField(_("envelope"))
    recipients = models.TextField(_("recipients"), help_text=_("Every address, for searching."))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OutgoingMailStatus.choices,
        default=OutgoingMailStatus.QUEUED,
    )
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_try_at = models.DateTimeField(_("last try"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "created_at"], name="outgoingmail_status")]

    def __str__(self) -> str:
        return f"{self.recipients}: {self.subject}"
