"""Frozen purchase lines: the holds placed on lines another part of the portal relies on,
and the corrections an import makes to them, kept pending instead of applied in place."""

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from directory.audit import to_json
from directory.bulk import chunks
from directory.models import (
    CorrectionStatus,
    PurchaseImport,
    PurchaseLineCorrection,
    PurchaseLineHold,
)
from directory.purchases.signals import purchase_corrections_pending


def purchase_line_holds_set(*, holder: str, holder_id: int, line_ids: Iterable[int]) -> None:
    """Make the lines `holder` `holder_id` holds exactly `line_ids` (none releases them all).

    Called inside the holder's own recorded transaction (an application's status change).
    """
    wanted = set(line_ids)
    with transaction.atomic():
        held = PurchaseLineHold.objects.filter(holder=holder, holder_id=holder_id)
        held.exclude(line_id__in=wanted).delete()
        present = set(held.values_list("line_id", flat=True))
        PurchaseLineHold.objects.bulk_create(
            PurchaseLineHold(line_id=line_id, holder=holder, holder_id=holder_id)
            for line_id in sorted(wanted - present)
        )


def held_line_ids(line_ids: Iterable[int]) -> set[int]:
    """Which of these lines are held by anyone."""
    held: set[int] = set()
    for chunk in chunks(sorted(set(line_ids)), 500):
        held.update(
            PurchaseLineHold.objects.filter(line_id__in=chunk).values_list("line_id", flat=True)
        )
    return held


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: to_json(value) for name, value in values.items()}


def _same(values: Mapping[str, Any]) -> str:
    return json.dumps(values, sort_keys=True)


def purchase_corrections_keep_pending(
    *,
    actor: AbstractBaseUser | None,
    purchase_import: PurchaseImport,
    changes: list[tuple[int, Mapping[str, Any], Mapping[str, Any]]],
) -> int:
    """Keep each (line id, values on record, proposed values) as a pending correction.

    A correction already pending with the same proposed values is not kept twice (a
    re-import changes nothing). The listeners of `purchase_corrections_pending` are told
    in the same transaction. Returns how many corrections are pending for these lines.
    """
    if not changes:
        return 0
    already: set[tuple[int, str]] = set()
    for chunk in chunks(sorted(line_id for line_id, _current, _proposed in changes), 500):
        already.update(
            (line_id, _same(proposed))
            for line_id, proposed in PurchaseLineCorrection.objects.filter(
                line_id__in=chunk, status=CorrectionStatus.PENDING
            ).values_list("line_id", "proposed_values")
        )
    new = [
        PurchaseLineCorrection(
            line_id=line_id,
            purchase_import=purchase_import,
            proposed_by=actor,
            current_values=_plain(current),
            proposed_values=_plain(proposed),
        )
        for line_id, current, proposed in changes
        if (line_id, _same(_plain(proposed))) not in already
    ]
    with transaction.atomic():
        corrections = PurchaseLineCorrection.objects.bulk_create(new)
        if corrections:
            purchase_corrections_pending.send(
                sender=PurchaseLineCorrection, corrections=corrections, actor=actor
            )
    return len(changes)
