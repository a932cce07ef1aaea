"""One reminder engine for every app (issue 18): each app registers the kinds of reminder it
knows (who is due what, when, with a link); `send_reminders` mails each reminder once, in its
reader's language, unless they opted out of its kind; the home page lists what is due."""

from ssb_portal.reminders.registry import (
    Chore,
    DueItem,
    ReminderKind,
    chores,
    kinds,
    name_in_language,
    register,
    register_chore,
)

__all__ = [
    "Chore",
    "DueItem",
    "ReminderKind",
    "chores",
    "kinds",
    "name_in_language",
    "register",
    "register_chore",
]
