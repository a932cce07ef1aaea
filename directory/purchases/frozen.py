"""Frozen purchase lines: the holds placed on lines another part of the portal relies on,
and the corrections an import makes to them, kept pending instead of applied in place.

A pending correction is decided by whoever holds the line: applied (the line takes the
proposed values, its previous ones kept as a `PurchaseLineRevision`) or dismissed (the line
stays); either way the correction records who decided, when and why. A line that nobody
holds any more takes its newest pending correction: the import said so, and only the hold
kept it back. Older pending corrections of a line that takes a newer one are superseded
(dismissed, saying by which).
"""

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.audit import to_json
from directory.bulk import chunks
from directory.lcr.ledger import lcr_ledger_batch
from directory.models import (
    CorrectionStatus,
    PurchaseImport,
    PurchaseLine,
    PurchaseLineCorrection,
    PurchaseLineHold,
    PurchaseLineRevision,
)
from directory.purchases.signals import purchase_corrections_pending


def purchase_line_holds_set(
    *, holder: str, holder_id: int, line_ids: Iterable[int]
) -> list[PurchaseLineCorrection]:
    """Make the lines `holder` `holder_id` holds exactly `line_ids` (none releases them all).

    Called inside the holder's own recorded transaction (an application's status change).
    The pending corrections of the lines it releases that nobody else holds are applied
    (`purchase_corrections_apply_released`); returns those corrections for the holder to
    record.
    """
    wanted = set(line_ids)
    with transaction.atomic():
        held = PurchaseLineHold.objects.filter(holder=holder, holder_id=holder_id)
        released = set(held.exclude(line_id__in=wanted).values_list("line_id", flat=True))
        if released:
            held.filter(line_id__in=released).delete()
        present = set(held.values_list("line_id", flat=True))
        PurchaseLineHold.objects.bulk_create(
            PurchaseLineHold(line_id=line_id, holder=holder, holder_id=holder_id)
            for line_id in sorted(wanted - present)
        )
        if not released:
            return []
        return purchase_corrections_apply_released(
            line_ids=released - held_line_ids(released),
            note=_("Applied as the line was released by %(holder)s %(id)s.")
            % {"holder": holder, "id": holder_id},
        )


def held_line_ids(line_ids: Iterable[int]) -> set[int]:
    """Which of these lines are held by anyone, their holds locked to the end of the caller's
    transaction: a holder releasing them meanwhile waits, then finds (and applies) the
    corrections kept pending for them; one that released them first is seen as released."""
    held: set[int] = set()
    for chunk in chunks(sorted(set(line_ids)), 500):
        held.update(
            PurchaseLineHold.objects.select_for_update()
            .filter(line_id__in=chunk)
            .values_list("line_id", flat=True)
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


def _line_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The proposed values (JSON, by attribute name) as the line's fields take them."""
    fields = {field.attname: field for field in PurchaseLine._meta.concrete_fields}
    return {name: fields[name].to_python(value) for name, value in values.items()}


def _decide(
    correction: PurchaseLineCorrection,
    *,
    status: str,
    actor: AbstractBaseUser | None,
    note: str,
    now,
) -> None:
    correction.status = status
    correction.decided_by = actor if actor is not None and actor.is_authenticated else None
    correction.decided_at = now
    correction.decision_note = note
    correction.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def _lock_pending(correction_id: int) -> PurchaseLineCorrection:
    correction = (
        PurchaseLineCorrection.objects.select_for_update(of=("self",))
        .select_related("line")
        .filter(pk=correction_id)
        .first()
    )
    if correction is None:
        raise ValidationError({"correction": _("There is no correction of this number.")})
    if correction.status != CorrectionStatus.PENDING:
        raise ValidationError(
            {
                "correction": _("This correction was decided already: %(status)s.")
                % {"status": correction.get_status_display()}
            }
        )
    return correction


def _apply(
    correction: PurchaseLineCorrection, *, actor: AbstractBaseUser | None, note: str, now
) -> None:
    line = PurchaseLine.objects.select_for_update().get(pk=correction.line_id)
    values = _line_values(correction.proposed_values)
    previous = {name: to_json(getattr(line, name)) for name in values}
    for name, value in values.items():
        setattr(line, name, value)
    line.last_import_id = correction.purchase_import_id
    try:
        with transaction.atomic():
            line.save(update_fields=[*values, "last_import", "updated_at"])
    except IntegrityError as error:
        raise ValidationError(
            {"correction": _("The line cannot take these values: %(error)s") % {"error": error}}
        ) from error
    PurchaseLineRevision.objects.create(
        line=line,
        purchase_import_id=correction.purchase_import_id,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        changed_at=now,
        previous_values=previous,
    )
    _decide(correction, status=CorrectionStatus.APPLIED, actor=actor, note=note, now=now)
    correction.line = line
    # What was proposed before it is superseded: the line has newer values now.
    for older in PurchaseLineCorrection.objects.filter(
        line_id=line.pk, status=CorrectionStatus.PENDING
    ).filter(
        Q(proposed_at__lt=correction.proposed_at)
        | Q(proposed_at=correction.proposed_at, pk__lt=correction.pk)
    ):
        _decide(
            older,
            status=CorrectionStatus.DISMISSED,
            actor=actor,
            note=_("Superseded by correction %(pk)s.") % {"pk": correction.pk},
            now=now,
        )


def purchase_correction_apply(
    *, actor: AbstractBaseUser | None, correction_id: int, note: str = ""
) -> PurchaseLineCorrection:
    """Apply a pending correction: the line takes its values, the values it had are kept as
    a revision, the correction records who applied it, when and why. The caller (the line's
    holder) checks who may decide and records what follows for it."""
    with transaction.atomic():
        correction = _lock_pending(correction_id)
        _apply(correction, actor=actor, note=(note or "").strip(), now=timezone.now())
    return correction


def purchase_correction_dismiss(
    *, actor: AbstractBaseUser | None, correction_id: int, note: str
) -> PurchaseLineCorrection:
    """Dismiss a pending correction with a reason: the line keeps the values on record."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"reason": _("Say why the line keeps the values on record.")})
    with transaction.atomic():
        correction = _lock_pending(correction_id)
        _decide(
            correction,
            status=CorrectionStatus.DISMISSED,
            actor=actor,
            note=note,
            now=timezone.now(),
        )
    return correction


def purchase_corrections_apply_released(
    *, line_ids: Iterable[int], note: str
) -> list[PurchaseLineCorrection]:
    """Apply the newest pending correction of each of these lines (nobody holds them any
    more); the older ones are superseded. Returns the corrections applied."""
    wanted = sorted(set(line_ids))
    if not wanted:
        return []
    newest: dict[int, PurchaseLineCorrection] = {}
    for chunk in chunks(wanted, 500):
        for correction in (
            PurchaseLineCorrection.objects.select_for_update()
            .filter(line_id__in=chunk, status=CorrectionStatus.PENDING)
            .order_by("proposed_at", "pk")
        ):
            newest[correction.line_id] = correction
    now = timezone.now()
    applied = []
    with transaction.atomic(), lcr_ledger_batch():
        for line_id in sorted(newest):
            _apply(newest[line_id], actor=None, note=note, now=now)
            applied.append(newest[line_id])
    return applied
