"""What the portal keeps about a person beyond Django's user: the language they read it in."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LanguagePreference(models.Model):
    """The language a user last chose or logged in with; email to them is written in it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="language_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


# The audit chain's and the reminders' models live beside their services; Django finds them
# through this module.
from ssb_portal.audit_chain.models import (  # noqa: E402
    AuditChainHead,
    AuditEntry,
    HeadOccasion,
    PublishedHead,
)
from ssb_portal.outgoing_mail.models import OutgoingMail, OutgoingMailStatus  # noqa: E402
from ssb_portal.reminders.models import ReminderOptOut, SentReminder  # noqa: E402
from ssb_portal.task_recovery.models import TaskHeartbeat  # noqa: E402

__all__ = [
    "AuditChainHead",
    "AuditEntry",
    "HeadOccasion",
    "LanguagePreference",
    "OutgoingMail",
    "OutgoingMailStatus",
    "PublishedHead",
    "ReminderOptOut",
    "SentReminder",
    "TaskHeartbeat",
]
