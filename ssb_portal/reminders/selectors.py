"""The reminder engine's reads: what one person is due, and which kinds they are mailed."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from ssb_portal.reminders.models import ReminderOptOut
from ssb_portal.reminders.registry import DueItem, collect_all


def due_for(user: AbstractBaseUser, *, today: date | None = None) -> list[DueItem]:
    """What `user` is due, overdue first, then by date: every kind, opted out of or not (an
    opt-out stops the mail, not the list). One or two queries per kind."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    items = [item for item in collect_all(today=today, user=user) if item.recipient.pk == user.pk]
    return sorted(items, key=lambda item: (not item.overdue, item.due_on, item.kind))


def opted_out_kinds(user: AbstractBaseUser) -> set[str]:
    return set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))
