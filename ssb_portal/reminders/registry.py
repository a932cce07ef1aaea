"""The kinds of reminder the apps register, and what each says is due; and the chores the
reminders' run does for them first.

The kit imports no app: each app describes its kinds here (in its `reminders` module, loaded by
its AppConfig), so that dependencies keep pointing from the apps to ssb_portal.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.utils.functional import Promise
from django.utils.translation import get_language


@dataclass(frozen=True)
class DueItem:
    """One thing one person is due to do (or to know), by `due_on`.

    `occasion` names the moment a reminder is mailed for ("60-days", "overdue", ...): each
    (kind, object, recipient, occasion) is mailed once. None: listed as due, not mailed yet.
    `text` writes the sentence in the active language, so that a mail can be written in its
    reader's language and a page in its viewer's.
    """

    kind: str
    object_id: str
    recipient: AbstractBaseUser
    due_on: date
    overdue: bool
    occasion: str | None
    text: Callable[[], str]
    path: str


# A kind's collector: what is due on `today`, for everyone (user None) or for one user only.
Collect = Callable[..., Iterable[DueItem]]


@dataclass(frozen=True)
class ReminderKind:
    key: str
    label: Promise
    collect: Collect


_KINDS: dict[str, ReminderKind] = {}


def _add_once(registry: dict, key: str, item, what: str):
    if key in registry and registry[key] is not item:
        raise ValueError(f"{what} {key!r} is registered twice.")
    registry[key] = item
    return item


def register(kind: ReminderKind) -> ReminderKind:
    """Add a kind (once per key: an app's module registers its kinds when it is loaded)."""
    return _add_once(_KINDS, kind.key, kind, "Reminder kind")


def kinds() -> list[ReminderKind]:
    """Every registered kind, in a stable order (by key)."""
    return [_KINDS[key] for key in sorted(_KINDS)]


def collect_all(*, today: date, user: AbstractBaseUser | None = None) -> Iterable[DueItem]:
    for kind in kinds():
        yield from kind.collect(today=today, user=user)


def name_in_language(name_zh: str, name_en: str) -> str:
    """A name as the reader reads it: English where the language active is English and the
    English name is known, else the Chinese one (the legal name)."""
    if name_en and (get_language() or "").startswith("en"):
        return name_en
    return name_zh


@dataclass(frozen=True)
class Chore:
    """Something the calendar does that is no reminder (a validity runs out), done by each
    reminders' run before it mails: `run(today)` returns how many things it changed, said
    after the number as `done` in the command's output."""

    key: str
    done: str
    run: Callable[[date], int]


_CHORES: dict[str, Chore] = {}


def register_chore(chore: Chore) -> Chore:
    """Add a chore (once per key, as `register`)."""
    return _add_once(_CHORES, chore.key, chore, "Chore")


def chores() -> list[Chore]:
    """Every registered chore, in a stable order (by key)."""
    return [_CHORES[key] for key in sorted(_CHORES)]
