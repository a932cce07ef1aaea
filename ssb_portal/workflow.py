"""Workflows as data: which status may follow which, who may make each move, and the one
function that makes a move.

Each app declares its workflows in its own `workflow.py` as `Workflow` objects built from a
table `{from status: {to status: role or roles}}`. Services move a row with `transition`,
which checks the table, changes and saves the status and hands the move to the app's own
record (a status-change row, an audit entry, an event); the admin kit reads the same tables
so that it offers only the moves that exist.
"""

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Roles = str | Collection[str]
Recorded = TypeVar("Recorded")


def _as_roles(roles: Roles) -> frozenset[str]:
    return frozenset([roles]) if isinstance(roles, str) else frozenset(roles)


@dataclass(frozen=True)
class Workflow:
    """A table of allowed moves between the values of one `TextChoices` status field.

    `refusal` is the message for a move the table does not have; it receives the current and
    the target status labels as `%(current)s` and `%(target)s`; `refusals` may give a move
    to one target its own message instead, where the app has always said it better.
    `forbidden` is the message for a move that exists but belongs to another role.
    """

    statuses: type[models.TextChoices]
    moves: Mapping[str, Mapping[str, Roles]]
    refusal: str | Promise = _("“%(current)s” cannot become “%(target)s”.")
    refusals: Mapping[str, str | Promise] = field(default_factory=dict)
    forbidden: str | Promise = _("You may not make this change.")
    _roles: dict[tuple[str, str], frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = {
            status
            for current, targets in self.moves.items()
            for status in (current, *targets)
            if status not in self.statuses.values
        } | {status for status in self.refusals if status not in self.statuses.values}
        if unknown:
            raise ValueError(f"Statuses not in {self.statuses.__name__}: {sorted(unknown)}")
        roles = {
            (current, target): _as_roles(who)
            for current, targets in self.moves.items()
            for target, who in targets.items()
        }
        object.__setattr__(self, "_roles", roles)

    def roles_for(self, current: str, target: str) -> frozenset[str]:
        """The roles that may move a row from `current` to `target` (empty if none may)."""
        return self._roles.get((current, target), frozenset())

    def allows(self, current: str, target: str, role: str) -> bool:
        return role in self.roles_for(current, target)

    def next_statuses(self, current: str, role: str | None = None) -> list[str]:
        """The statuses a row may move to from `current` (by `role`, when given)."""
        return [
            target
            for target, who in self.moves.get(current, {}).items()
            if role is None or role in _as_roles(who)
        ]

    def sources(self, target: str, role: str | None = None) -> list[str]:
        """The statuses from which a row may move to `target` (by `role`, when given)."""
        return [
            current
            for (current, to), roles in self._roles.items()
            if to == target and (role is None or role in roles)
        ]

    def targets(self, role: str | None = None) -> list[str]:
        """Every status some move leads to (by `role`, when given), in the order of the table."""
        seen: dict[str, None] = {}
        for (_current, target), roles in self._roles.items():
            if role is None or role in roles:
                seen.setdefault(target)
        return list(seen)

    def check(self, *, current: str, target: str, roles: Roles) -> None:
        """Refuse a move the table does not have (ValidationError) or that belongs to another
        role than any of `roles` (PermissionDenied)."""
        allowed = self.roles_for(current, target)
        if not allowed:
            raise ValidationError(
                self.refusals.get(target, self.refusal)
                % {
                    "current": self.statuses(current).label,
                    "target": self.statuses(target).label,
                }
            )
        if not allowed & _as_roles(roles):
            raise PermissionDenied(self.forbidden)


def transition(
    subject: models.Model,
    workflow: Workflow,
    *,
    target: str,
    roles: Roles,
    record: Callable[[str, str], Recorded],
    status_field: str = "status",
    also_update: Iterable[str] = (),
    prepare: Callable[[str, str], None] | None = None,
) -> Recorded:
    """Move `subject` to `target` if the table lets one of `roles` do it, save the status
    (and the fields named in `also_update`, which the caller has set), and return what
    `record(from_status, to_status)` writes.

    `prepare(from_status, to_status)`, when given, runs once the table allows the move and
    before anything changes: it refuses the move on conditions beyond the table (by raising)
    and sets the other fields the move implies, which `also_update` names.

    The caller holds the row lock and the transaction: this is the one place a status
    changes, never the place that decides what else a move implies.
    """
    current = getattr(subject, status_field)
    workflow.check(current=current, target=target, roles=roles)
    if prepare is not None:
        prepare(current, target)
    setattr(subject, status_field, target)
    subject.save(update_fields=[status_field, *also_update])
    return record(current, target)
