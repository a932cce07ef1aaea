"""The reminder engine's writes: mail what is due (each reminder once) and a person's choice of
the kinds they are mailed."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ssb_portal.mail import absolute_url, send_mail_on_commit
from ssb_portal.reminders.models import ReminderOptOut, SentReminder
from ssb_portal.reminders.registry import DueItem, ReminderKind, kinds


def reminders_send(*, today: date | None = None) -> int:
    """Mail every reminder that is due on `today` and was not mailed before: each (kind, object,
    recipient, occasion) once, in the recipient's language, except to those who opted out of
    its kind. Running it again sends nothing new. Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for kind in kinds():
        sent += _send_kind(kind, today)
    return sent


def _send_kind(kind: ReminderKind, today: date) -> int:
    items = [
        item
        for item in kind.collect(today=today)
        if item.occasion and item.recipient.is_active and item.recipient.email
    ]
    if not items:
        return 0
    opted_out = set(ReminderOptOut.objects.filter(kind=kind.key).values_list("user_id", flat=True))
    already = set(
        SentReminder.objects.filter(
            kind=kind.key, object_id__in={item.object_id for item in items}
        ).values_list("object_id", "recipient_id", "occasion")
    )
    sent = 0
    for item in items:
        key = (item.object_id, item.recipient.pk, item.occasion)
        if item.recipient.pk in opted_out or key in already:
            continue
        already.add(key)
        sent += _send_once(kind, item)
    return sent


def _send_once(kind: ReminderKind, item: DueItem) -> int:
    """Record the reminder and mail it when the record commits; another run that recorded it
    first (the unique constraint) wins and this one sends nothing."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                kind=kind.key,
                object_id=item.object_id,
                recipient=item.recipient,
                occasion=item.occasion,
                due_on=item.due_on,
            )
            send_mail_on_commit(
                lambda: _("SSB Portal reminder: %(kind)s") % {"kind": kind.label},
                lambda: _reminder_body(item),
                [item.recipient.email],
                one_message_each=True,
            )
    except IntegrityError:
        return 0
    return 1


def _reminder_body(item: DueItem) -> str:
    return "\n\n".join(
        [
            item.text(),
            absolute_url(item.path),
            _("To choose which reminders you receive: %(url)s")
            % {"url": absolute_url(reverse("reminders:settings"))},
        ]
    )


def reminder_preferences_set(*, actor: AbstractBaseUser, receive: set[str]) -> set[str]:
    """Mail `actor` the reminders of the kinds in `receive` only; every other registered kind
    is opted out of. Returns the kinds opted out of."""
    known = {kind.key for kind in kinds()}
    unknown = set(receive) - known
    if unknown:
        raise ValidationError(
            {"receive": _("Unknown kind of reminder: %(kinds)s") % {"kinds": ", ".join(unknown)}}
        )
    opted_out = known - set(receive)
    with transaction.atomic():
        ReminderOptOut.objects.filter(user=actor).exclude(kind__in=opted_out).delete()
        existing = set(ReminderOptOut.objects.filter(user=actor).values_list("kind", flat=True))
        ReminderOptOut.objects.bulk_create(
            [ReminderOptOut(user=actor, kind=key) for key in sorted(opted_out - existing)]
        )
    return opted_out
