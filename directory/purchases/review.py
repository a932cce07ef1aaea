"""Imports that wait for an official (issue 15: public figures are reviewed figures).

An import is measured while it is written: for each year its lines fall in, the buyer's total
and local value and LCR before it and with it. If it adds more than a set share of the
buyer's value of a year, or moves its LCR of a year by more than a set number of points (and
moves more than a floor), the writing is undone and the import waits for an official: nothing
of it counts anywhere meanwhile, and the firm sees its figures with and without it. An
official accepts it (it runs again, in the background, without the check) or rejects it (it
never counts). Each decision is recorded (who, when, from, to, why) and told to the buyer's
members.
"""

import datetime
import functools
import json
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.access import member_emails
from directory.lcr.selectors import InvoiceYear, local_value_expression
from directory.models import (
    Enterprise,
    PurchaseImport,
    PurchaseImportReview,
    PurchaseImportReviewChange,
    PurchaseImportStatus,
    PurchaseLine,
    PurchaseReviewPolicy,
)
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.formulas import local_content_ratio_percent, quantize_cny
from ssb_portal.mail import absolute_url, send_mail_on_commit, with_reason
from ssb_portal.roles import require_official
from ssb_portal.workflow import Workflow, transition

OFFICIAL = "official"
#: The import itself, when its measured effect crosses a threshold.
SYSTEM = "system"

REVIEW_WORKFLOW = Workflow(
    statuses=PurchaseImportReview,
    moves={
        PurchaseImportReview.NOT_NEEDED: {PurchaseImportReview.AWAITING: SYSTEM},
        PurchaseImportReview.AWAITING: {
            PurchaseImportReview.ACCEPTED: OFFICIAL,
            PurchaseImportReview.REJECTED: OFFICIAL,
        },
    },
    refusal=gettext_lazy("An import whose review is “%(current)s” cannot become “%(target)s”."),
)

#: The stored rows of an API or command import that waits (uploads keep their file).
ROWS_FILE_SUFFIX = ".json"


# --- the thresholds -------------------------------------------------------------------------


def review_policy() -> PurchaseReviewPolicy:
    """The thresholds officials set last, else the programme's defaults (settings)."""
    configured = PurchaseReviewPolicy.objects.order_by("-updated_at", "-pk").first()
    if configured is not None:
        return configured
    return PurchaseReviewPolicy(
        max_share_percent=Decimal(settings.PURCHASE_REVIEW_MAX_SHARE_PERCENT),
        max_lcr_points=Decimal(settings.PURCHASE_REVIEW_MAX_LCR_POINTS),
        floor_cny=Decimal(settings.PURCHASE_REVIEW_FLOOR_CNY),
    )


@transaction.atomic
def purchase_review_policy_set(
    *,
    actor: AbstractBaseUser,
    max_share_percent: Decimal,
    max_lcr_points: Decimal,
    floor_cny: Decimal,
) -> PurchaseReviewPolicy:
    """Set the review thresholds (officials only). Every setting is kept as its own row
    (who, when); the newest one counts. A bad value is refused naming its field."""
    require_official(actor)
    policy = PurchaseReviewPolicy(
        max_share_percent=max_share_percent,
        max_lcr_points=max_lcr_points,
        floor_cny=floor_cny,
        updated_by=actor,
    )
    policy.full_clean()
    policy.save()
    return policy


# --- measuring an import --------------------------------------------------------------------


def year_values(buyer: Enterprise, years: Collection[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """The buyer's (local, total) value of each of `years`: one aggregate on its lines of
    those years, found through the (buyer, invoice date) index."""
    if not years:
        return {}
    rows = (
        PurchaseLine.objects.filter(
            buyer=buyer,
            invoice_date__gte=datetime.date(min(years), 1, 1),
            invoice_date__lt=datetime.date(max(years) + 1, 1, 1),
        )
        .annotate(year=InvoiceYear("invoice_date"))
        .values("year")
        .annotate(local=local_value_expression(), total=Sum("amount"))
        .order_by()
    )
    zero = Decimal(0)
    values = {year: (zero, zero) for year in years}
    for row in rows:
        if row["year"] in values:
            values[row["year"]] = (
                quantize_cny(Decimal(row["local"] or 0)),
                quantize_cny(Decimal(row["total"] or 0)),
            )
    return values


def _ratio(local: Decimal, total: Decimal) -> Decimal | None:
    return local_content_ratio_percent(local, total) if total > 0 and local <= total else None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def year_effect(
    year: int,
    before: tuple[Decimal, Decimal],
    after: tuple[Decimal, Decimal],
    policy: PurchaseReviewPolicy,
) -> dict[str, Any]:
    """An import's effect on one year of the buyer, and the thresholds it crosses (`crossed`:
    "share", "points"; none when it moves less than the floor)."""
    (local_before, total_before), (local_after, total_after) = before, after
    lcr_before, lcr_after = _ratio(local_before, total_before), _ratio(local_after, total_after)
    added = total_after - total_before
    moved = max(abs(added), abs(local_after - local_before))
    crossed = []
    if moved >= Decimal(policy.floor_cny):
        if abs(added) > abs(total_before) * Decimal(policy.max_share_percent) / 100:
            crossed.append("share")
        if lcr_before is None or lcr_after is None:
            if lcr_before != lcr_after:
                crossed.append("points")
        elif abs(lcr_after - lcr_before) > Decimal(policy.max_lcr_points):
            crossed.append("points")
    return {
        "year": year,
        "total_before": str(total_before),
        "total_after": str(total_after),
        "local_before": str(local_before),
        "local_after": str(local_after),
        "lcr_before": _text(lcr_before),
        "lcr_after": _text(lcr_after),
        "crossed": crossed,
    }


@dataclass
class ImportMeasure:
    """The buyer's years an import touches, measured before it is written."""

    buyer: Enterprise
    before: dict[int, tuple[Decimal, Decimal]]
    policy: PurchaseReviewPolicy

    @classmethod
    def start(cls, buyer: Enterprise, years: Collection[int]) -> "ImportMeasure":
        return cls(buyer=buyer, before=year_values(buyer, years), policy=review_policy())

    def effect(self) -> list[dict[str, Any]]:
        """Each year's effect, measured now (with the lines written)."""
        after = year_values(self.buyer, self.before)
        return [
            year_effect(year, self.before[year], after[year], self.policy)
            for year in sorted(self.before)
        ]


def needs_review(effect: Sequence[Mapping[str, Any]]) -> bool:
    return any(year["crossed"] for year in effect)


def review_applies(purchase_import: PurchaseImport | None) -> bool:
    """An import is measured unless an official accepted it (its run after acceptance)."""
    return purchase_import is None or purchase_import.review_status != PurchaseImportReview.ACCEPTED


# --- holding, accepting, rejecting ----------------------------------------------------------


def _record(
    purchase_import: PurchaseImport, actor: AbstractBaseUser | None, reason: str
) -> Callable[[str, str], PurchaseImportReviewChange]:
    def record(from_status: str, to_status: str) -> PurchaseImportReviewChange:
        change = PurchaseImportReviewChange.objects.create(
            purchase_import=purchase_import,
            actor=actor if actor is not None and actor.is_authenticated else None,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
        )
        if actor is not None:  # an official's decision (holding is the system's)
            audit_append(
                actor=actor,
                action="purchase_import_review",
                subject=purchase_import,
                data={"from": from_status, "to": to_status, "reason": reason},
            )
        return change

    return record


def purchase_import_hold(
    *,
    purchase_import: PurchaseImport,
    effect: list[dict[str, Any]],
    raw_rows: Sequence[Mapping[str, Any]],
    first_row: int,
) -> None:
    """Keep an import whose writing was undone as awaiting review, with its measured effect.

    An upload keeps its file; the rows of an API or command import are kept as JSON in its
    `file`, so that it can run when accepted. The caller holds the transaction.
    """
    purchase_import.review_effect = effect
    fields = ["review_effect"]
    if not purchase_import.file:
        content = json.dumps(
            {"first_row": first_row, "rows": list(raw_rows)},
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
        )
        purchase_import.file.save(
            f"{uuid.uuid4().hex}{ROWS_FILE_SUFFIX}", ContentFile(content.encode()), save=False
        )
        fields.append("file")
    transition(
        purchase_import,
        REVIEW_WORKFLOW,
        target=PurchaseImportReview.AWAITING,
        roles=SYSTEM,
        record=_record(purchase_import, None, ""),
        status_field="review_status",
        also_update=fields,
    )


def stored_rows(purchase_import: PurchaseImport, content: bytes) -> tuple[list[dict], int] | None:
    """The rows kept as JSON for an API or command import, with its first row number; None
    for an uploaded file (read as a purchase file)."""
    if not purchase_import.file.name.endswith(ROWS_FILE_SUFFIX):
        return None
    stored = json.loads(content)
    return stored["rows"], stored["first_row"]


def _locked_import(purchase_import: PurchaseImport) -> PurchaseImport:
    return (
        PurchaseImport.objects.select_for_update()
        .select_related("buyer")
        .get(pk=purchase_import.pk)
    )


def _notify_buyer(purchase_import: PurchaseImport, decision: str, reason: str) -> None:
    buyer = purchase_import.buyer
    link = absolute_url(reverse("purchases:import", args=[buyer.uscc, purchase_import.pk]))

    def subject() -> str:
        return _("SSB Portal: your purchase import of %(date)s") % {
            "date": purchase_import.created_at.date().isoformat()
        }

    def body() -> str:
        text = _("Your purchase import of %(date)s (%(name)s): %(decision)s.") % {
            "date": purchase_import.created_at.date().isoformat(),
            "name": purchase_import.filename or purchase_import.get_source_display(),
            "decision": decision,
        }
        return with_reason(text, reason) + "\n\n" + link

    send_mail_on_commit(subject, body, member_emails(buyer))


ACCEPTED_TEXT = gettext_lazy("accepted by an official; it is being imported and will count")
REJECTED_TEXT = gettext_lazy("rejected by an official; none of its lines counts")


def _enqueue(import_id: int) -> None:
    # Imported here: the task module imports the services, which import this one.
    from directory.purchases.tasks import process_purchase_import

    process_purchase_import.enqueue(import_id)


@transaction.atomic
def purchase_import_accept(
    *, actor: AbstractBaseUser, purchase_import: PurchaseImport, reason: str = ""
) -> PurchaseImport:
    """Accept an import awaiting review (officials only): it runs again in the background
    without the threshold check; rows that the data on record now refuses fail it as usual."""
    require_official(actor)
    locked = _locked_import(purchase_import)
    locked.status = PurchaseImportStatus.QUEUED
    locked.rows_done = 0
    transition(
        locked,
        REVIEW_WORKFLOW,
        target=PurchaseImportReview.ACCEPTED,
        roles=OFFICIAL,
        record=_record(locked, actor, reason.strip()),
        status_field="review_status",
        also_update=["status", "rows_done"],
    )
    transaction.on_commit(functools.partial(_enqueue, locked.pk))
    _notify_buyer(locked, ACCEPTED_TEXT, reason.strip())
    return locked


@transaction.atomic
def purchase_import_reject(
    *, actor: AbstractBaseUser, purchase_import: PurchaseImport, reason: str
) -> PurchaseImport:
    """Reject an import awaiting review (officials only, with a reason): it never counts."""
    require_official(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the import is rejected.")})
    locked = _locked_import(purchase_import)
    transition(
        locked,
        REVIEW_WORKFLOW,
        target=PurchaseImportReview.REJECTED,
        roles=OFFICIAL,
        record=_record(locked, actor, reason),
        status_field="review_status",
    )
    _notify_buyer(locked, REJECTED_TEXT, reason)
    return locked


# --- what waits -----------------------------------------------------------------------------


def imports_awaiting_review(buyer: Enterprise | None = None) -> QuerySet[PurchaseImport]:
    """Imports awaiting review, oldest first (of one buyer, when given)."""
    imports = PurchaseImport.objects.filter(review_status=PurchaseImportReview.AWAITING)
    if buyer is not None:
        imports = imports.filter(buyer=buyer)
    return imports.select_related("buyer").order_by("created_at", "pk")


def imports_awaiting_year(year: int) -> list[PurchaseImport]:
    """Imports awaiting review with lines in `year` (few: scanned here, not in SQL, as JSON
    queries differ between the databases)."""
    return [
        held
        for held in imports_awaiting_review()
        if any(effect["year"] == year for effect in held.review_effect)
    ]


def awaiting_with_and_without(
    buyer: Enterprise, held: Sequence[PurchaseImport] | None = None
) -> list[dict[str, Any]]:
    """The buyer's imports awaiting review (or those given), each with, per year it touches,
    the figure that counts (without it, measured now) and the figure with it (as measured when
    it was held). Two queries (one when the imports are given)."""
    held = list(imports_awaiting_review(buyer)) if held is None else held
    years = {effect["year"] for purchase_import in held for effect in purchase_import.review_effect}
    counting = year_values(buyer, years)
    shown = []
    for purchase_import in held:
        rows = []
        for effect in purchase_import.review_effect:
            local, total = counting[effect["year"]]
            rows.append(
                {
                    "year": effect["year"],
                    "lcr_without": _ratio(local, total),
                    "total_without": total,
                    "lcr_with": _decimal(effect["lcr_after"]),
                    "total_with": Decimal(effect["total_after"]),
                    "added": Decimal(effect["total_after"]) - Decimal(effect["total_before"]),
                    "crossed": effect["crossed"],
                }
            )
        shown.append({"import": purchase_import, "years": rows})
    return shown


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def last_decision(purchase_import: PurchaseImport) -> PurchaseImportReviewChange | None:
    """The latest review decision on an import (an official's), for its page."""
    return purchase_import.review_changes.exclude(actor=None).order_by("-changed_at", "-pk").first()
