"""The officials' to-do list: what waits for an official, counted, the longest-waiting first.

Each app declares what of its own waits for an official as `Waiting` items in its admin
package (`register_waiting`), so the kit imports no app. The admin index (the official's
landing) shows each item with something waiting: how many, since when, and a link to the
admin list filtered to exactly those rows. All items of one model are counted in one
aggregate query, so the list costs one query per model whatever the number of rows.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import groupby

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, Count, F, IntegerField, Min, Model, Q, Value, When
from django.db.models.expressions import OrderBy
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise


@dataclass(frozen=True, kw_only=True)
class Waiting:
    """Rows of `model` matching `condition` wait for an official.

    `since` names the field (a moment or a day) whose smallest value among them is when the
    longest wait began. `query` is the admin list's own filter for the same rows (a
    `list_filter` parameter), so that the link shows what was counted.
    """

    label: str | Promise
    model: type[Model]
    condition: Q
    since: str
    query: str

    @property
    def view_permission(self) -> str:
        meta = self.model._meta
        return f"{meta.app_label}.view_{meta.model_name}"

    @property
    def url(self) -> str:
        meta = self.model._meta
        return f"{reverse(f'admin:{meta.app_label}_{meta.model_name}_changelist')}?{self.query}"


@dataclass(frozen=True)
class WaitingCount:
    label: str | Promise
    count: int
    oldest: datetime | None
    url: str


_REGISTERED: list[Waiting] = []


def register_waiting(*items: Waiting) -> None:
    """Add what waits for an official in one app (once per item, however often imported)."""
    for item in items:
        if item not in _REGISTERED:
            _REGISTERED.append(item)


def _moment(value: date | datetime | None) -> datetime | None:
    """A day (a `since` that is a date) as the start of that day, to sort among moments."""
    if value is None or isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, time.min))


def waiting_for(user: AbstractBaseUser) -> list[WaitingCount]:
    """What waits for `user` among the rows they may see in the admin, longest wait first;
    items with nothing waiting are left out."""
    visible = [item for item in _REGISTERED if user.has_perm(item.view_permission)]
    counts: list[WaitingCount] = []

    def model_key(item: Waiting) -> str:
        return item.model._meta.label

    for _label, group in groupby(sorted(visible, key=model_key), key=model_key):
        items = list(group)
        aggregates = {}
        for index, item in enumerate(items):
            aggregates[f"count_{index}"] = Count("pk", filter=item.condition)
            aggregates[f"oldest_{index}"] = Min(item.since, filter=item.condition)
        figures = items[0].model._default_manager.aggregate(**aggregates)
        counts.extend(
            WaitingCount(
                item.label, figures[f"count_{index}"], _moment(figures[f"oldest_{index}"]), item.url
            )
            for index, item in enumerate(items)
            if figures[f"count_{index}"]
        )
    return sorted(counts, key=lambda waiting: (waiting.oldest is None, waiting.oldest or 0))


def waiting_first(waits: Sequence[tuple[Q, str]], *then: str | OrderBy) -> list[str | OrderBy]:
    """An admin list's default order: the rows that wait first, the longest-waiting of them
    first, then the others in the order `then` gives.

    `waits` pairs each condition with the field its wait began at (a pending registration
    waits since it was made, a pending change since it was last edited); the first condition a
    row meets decides.
    """
    return [
        Case(
            *(When(condition, then=Value(0)) for condition, _since in waits),
            default=Value(1),
            output_field=IntegerField(),
        ).asc(),
        Case(*(When(condition, then=F(since)) for condition, since in waits)).asc(nulls_last=True),
        *then,
    ]
