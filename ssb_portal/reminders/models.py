"""What the reminder engine keeps: each reminder sent (so it is sent once) and each person's
opt-outs by kind."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SentReminder(models.Model):
    """One reminder mailed: a kind, its object, its recipient and the occasion, at most once."""

    kind = models.CharField(_("kind of reminder"), max_length=48)
    object_id = models.CharField(_("object"), max_length=64)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="sent_reminders",
    )
    occasion = models.CharField(
        _("occasion"), max_length=32, help_text=_("The moment reminded of, such as 30 days left.")
    )
    due_on = models.DateField(_("due on"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "recipient", "occasion"],
                name="sentreminder_once_per_occasion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} → {self.recipient} ({self.occasion})"


class ReminderOptOut(models.Model):
    """A person who asked not to be mailed reminders of one kind (they are still listed)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_opt_outs",
    )
    kind = models.CharField(_("kind of reminder"), max_length=48)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("reminder opt-out")
        verbose_name_plural = _("reminder opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminderoptout_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"
