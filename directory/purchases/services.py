"""Purchase lines: validating and importing them (all or nothing, idempotent, corrections
kept as revisions) and the background import of uploaded files."""

import dataclasses
import datetime
import functools
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.access import require_member
from directory.audit import to_json
from directory.bulk import chunks, write_rows
from directory.lcr.ledger import lcr_ledger_batch, pair_of, refresh_lcr_ledger
from directory.models import (
    Enterprise,
    Product,
    PurchaseImport,
    PurchaseImportSource,
    PurchaseImportStatus,
    PurchaseItemCategory,
    PurchaseLine,
    PurchaseLineRevision,
    SupplyCategory,
)
from directory.purchases import column_mappings, credit_notes, review
from directory.purchases import files as purchase_files
from directory.purchases.frozen import held_line_ids, purchase_corrections_keep_pending
from directory.purchases.rows import CleanLine, Lookups, clean_row, invoice_label, seller_key
from directory.validators import normalise_uscc
from ssb_portal.ids import MAX_ID
from ssb_portal.stored_files import store_file
from ssb_portal.tabular import RowError

# --- purchase records ----------------------------------------------------------------------

PURCHASE_BATCH_SIZE = 2000
PURCHASE_PROGRESS_EVERY = 2000
PURCHASE_COMPARED_FIELDS = (
    "supplier_id",
    "supplier_name",
    "invoice_date",
    "category_id",
    "product_id",
    "quantity",
    "unit",
    "amount",
    "original_invoice_code",
    "original_invoice_no",
    "description",
)


@dataclasses.dataclass
class PurchaseImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Corrections of lines claimed in a support application: kept pending, not applied.
    pending: int = 0
    errors: list[dict] = dataclasses.field(default_factory=list)
    #: Per year, the import's effect on the buyer's figures, when it waits for review.
    effect: list[dict] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def held(self) -> bool:
        """Written, measured and undone: it waits for an official and counts nowhere yet."""
        return bool(self.effect)

    def summary(self) -> str:
        summary = _("%(new)d new, %(updated)d updated, %(unchanged)d unchanged") % {
            "new": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.pending:
            summary += "; " + pending_summary(self.pending)
        if self.held:
            summary = _(
                "Awaiting an official's review: the import changes the firm's figures "
                "more than the programme lets one import do at once, so none of its lines "
                "counts until it is accepted (%(summary)s)."
            ) % {"summary": summary}
        return summary


def pending_summary(count: int) -> str:
    return ngettext(
        "%(count)d correction kept pending: the line is claimed in a support application",
        "%(count)d corrections kept pending: the line is claimed in a support application",
        count,
    ) % {"count": count}


def _require_buyer_member(actor: AbstractBaseUser | None, buyer: Enterprise) -> None:
    """Members record their own firm's purchases; the command line (no actor) is trusted."""
    if actor is not None:
        require_member(actor, buyer)


def _purchase_lookups(
    raw_rows: Sequence[Mapping[str, Any]], buyer: Enterprise | None = None
) -> Lookups:
    usccs = {
        normalise_uscc(str(row.get("supplier_uscc") or ""))
        for row in raw_rows
        if row.get("supplier_uscc")
    }
    product_ids = set()
    for row in raw_rows:
        text = str(row.get("product") or "").strip().removesuffix(".0")
        if text.isascii() and text.isdigit() and int(text) <= MAX_ID:
            product_ids.add(int(text))
    # Rows without a category take it from their product, named or matched by its name.
    by_name = any(not str(row.get("category") or "").strip() for row in raw_rows)
    supplier_names: dict[str, str] = {}
    products: dict[int, tuple[str, int]] = {}
    products_by_name: dict[tuple[str, str], int] = {}
    for chunk in chunks(sorted(usccs), 500):
        supplier_names.update(
            Enterprise.objects.filter(uscc__in=chunk).values_list("uscc", "name_zh")
        )
        if by_name:
            for pk, uscc, name, category_id in Product.objects.filter(
                enterprise__uscc__in=chunk
            ).values_list("pk", "enterprise__uscc", "name", "category_id"):
                products[pk] = (uscc, category_id)
                products_by_name[(uscc, name.casefold())] = pk
    for chunk in chunks(sorted(product_ids - products.keys()), 500):
        products.update(
            (pk, (uscc, category_id))
            for pk, uscc, category_id in Product.objects.filter(pk__in=chunk).values_list(
                "pk", "enterprise__uscc", "category_id"
            )
        )
    category_ids: dict[str, int] = {}
    for pk, slug, name_zh, name_en in SupplyCategory.objects.values_list(
        "pk", "slug", "name_zh", "name_en"
    ):
        category_ids.update({name_en.casefold(): pk, name_zh: pk, slug: pk})
    # Then the buyer's own saved mapping of its item names (one query, only when needed).
    item_categories: dict[str, int] = {}
    if by_name and buyer is not None:
        item_categories.update(
            PurchaseItemCategory.objects.filter(buyer=buyer).values_list("item_key", "category_id")
        )
    return Lookups(
        category_ids=category_ids,
        supplier_names=supplier_names,
        products=products,
        products_by_name=products_by_name,
        item_categories=item_categories,
    )


def _line_values(line: CleanLine) -> dict[str, Any]:
    return {
        "supplier_id": line.supplier_uscc,
        "supplier_name": line.supplier_name,
        "invoice_date": line.invoice_date,
        "category_id": line.category_id,
        "product_id": line.product_id,
        "quantity": line.quantity,
        "unit": line.unit,
        "amount": line.amount,
        "original_invoice_code": line.original_invoice_code,
        "original_invoice_no": line.original_invoice_no,
        "description": line.description,
    }


def purchase_lines_validate(
    raw_rows: Sequence[Mapping[str, Any]],
    *,
    first_row: int = 1,
    on_progress: Callable[[int], None] | None = None,
    buyer: Enterprise | None = None,
) -> tuple[list[CleanLine], list[dict]]:
    """Every row cleaned, or every problem of every row (row numbers from `first_row`).

    A row without category takes its product's, else the `buyer`'s saved category of its
    item name, else none (uncategorised).

    `on_progress(rows_checked)` is called every PURCHASE_PROGRESS_EVERY rows and at the end.
    """
    lookups = _purchase_lookups(raw_rows, buyer)
    # Rows without line numbers (a file without the column) are numbered in file order
    # within each invoice.
    numbered = not any("line_no" in raw for raw in raw_rows)
    lines_of_invoice: Counter[tuple[str, str, str, str]] = Counter()
    clean: list[CleanLine] = []
    errors: list[RowError] = []
    first_seen: dict[tuple[str, str, str, str, int], int] = {}
    for offset, raw in enumerate(raw_rows):
        if on_progress is not None and offset and offset % PURCHASE_PROGRESS_EVERY == 0:
            on_progress(offset)
        row_number = first_row + offset
        line, row_errors = clean_row(raw, row=row_number, lookups=lookups, numbered=numbered)
        errors.extend(row_errors)
        if line is None:
            continue
        if numbered:
            lines_of_invoice[line.invoice] += 1
            line.line_no = lines_of_invoice[line.invoice]
        if line.key in first_seen:
            errors.append(
                RowError(
                    row_number,
                    "line_no",
                    _("Invoice %(invoice)s line %(line)d appears twice (first in row %(row)d).")
                    % {
                        "invoice": invoice_label(line.invoice_code, line.invoice_no),
                        "line": line.line_no,
                        "row": first_seen[line.key],
                    },
                )
            )
            continue
        first_seen[line.key] = row_number
        clean.append(line)
    if on_progress is not None:
        on_progress(len(raw_rows))
    return clean, [error.as_dict() for error in errors]


def purchase_lines_import(
    *,
    actor: AbstractBaseUser | None,
    buyer: Enterprise,
    raw_rows: Sequence[Mapping[str, Any]],
    source: str,
    filename: str = "",
    purchase_import: PurchaseImport | None = None,
    first_row: int = 1,
    on_progress: Callable[[int], None] | None = None,
    review_large: bool = True,
) -> tuple[PurchaseImport, PurchaseImportOutcome]:
    """Record a firm's purchase lines: all or nothing, idempotent, corrections kept in history.

    The key of a line is (buyer, seller, invoice code, invoice number, line number), the
    seller being its USCC, else its name: lines of different invoice codes never overwrite
    each other. A line sent again with the same values changes nothing; with other values it
    is a correction: updated, and its earlier values kept as a revision. If any row is bad,
    nothing is saved and every problem is reported with its row, column and reason. A credit
    note (negative amount) names its original invoice, which it reduces at most to zero, and
    no year of the buyer totals below zero (`credit_notes`). The PurchaseImport row is the
    audit record.

    `on_progress(rows_checked)` reports the checking of the rows, which only reads and so
    runs before the transaction: what it records is visible to others (the result page)
    while the import runs. The writing that follows is one transaction.

    An import that moves a year of the buyer more than the review thresholds allow is undone
    and kept awaiting an official's review (`review`); `review_large=False` only for the
    demo's seeding. An import an official accepted runs without the check.
    """
    _require_buyer_member(actor, buyer)
    lines, errors = purchase_lines_validate(
        raw_rows, first_row=first_row, on_progress=on_progress, buyer=buyer
    )
    with transaction.atomic():
        # One import at a time per buyer: a second one waits, then finds the first one's
        # lines and counts them as unchanged instead of inserting them twice.
        Enterprise.objects.select_for_update().filter(pk=buyer.pk).values_list("pk").first()
        if purchase_import is None:
            purchase_import = PurchaseImport.objects.create(
                buyer=buyer,
                submitted_by=actor,
                source=source,
                filename=filename,
                status=PurchaseImportStatus.RUNNING,
            )
        outcome = PurchaseImportOutcome(errors=errors)
        if not outcome.errors:
            # A savepoint: credit notes and year totals are checked on what is on record
            # with the lines written, and a refusal undoes the writing.
            # An import is measured on the buyer's years it touches, before and with it.
            measure = (
                review.ImportMeasure.start(buyer, {line.invoice_date.year for line in lines})
                if review_large and review.review_applies(purchase_import)
                else None
            )
            with transaction.atomic():
                # The ledger is summed once, when the writing ends, before the checks.
                with lcr_ledger_batch():
                    _purchase_lines_write(
                        actor=actor,
                        buyer=buyer,
                        lines=lines,
                        purchase_import=purchase_import,
                        outcome=outcome,
                    )
                refusals = credit_notes.purchase_totals_problems(buyer=buyer, lines=lines)
                if refusals:
                    transaction.set_rollback(True)
                    outcome = PurchaseImportOutcome(
                        errors=[problem.as_dict() for problem in refusals]
                    )
                elif measure is not None:
                    effect = measure.effect()
                    if review.needs_review(effect):
                        # Too large to count at once: undone, it waits for an official.
                        transaction.set_rollback(True)
                        outcome.effect = effect
        _purchase_import_finish(purchase_import, outcome, total=len(raw_rows))
        if outcome.held:
            review.purchase_import_hold(
                purchase_import=purchase_import,
                effect=outcome.effect,
                raw_rows=raw_rows,
                first_row=first_row,
            )
    return purchase_import, outcome


def _purchase_lines_write(
    *,
    actor: AbstractBaseUser | None,
    buyer: Enterprise,
    lines: list[CleanLine],
    purchase_import: PurchaseImport,
    outcome: PurchaseImportOutcome,
) -> None:
    now = timezone.now()
    by_key = {line.key: line for line in lines}
    stored_keys: set[tuple[str, str, str, str, int]] = set()
    changed_lines: list[PurchaseLine] = []
    revisions: list[PurchaseLineRevision] = []
    for invoices in chunks(sorted({line.invoice_no for line in lines}), 500):
        stored_rows = (
            PurchaseLine.objects.filter(buyer=buyer, invoice_no__in=invoices)
            # Unordered: the model's default order would lead the database to walk the
            # buyer's date index instead of the (buyer, invoice number) one (a hundredfold slower).
            .order_by()
            .values_list("pk", "invoice_code", "invoice_no", "line_no", *PURCHASE_COMPARED_FIELDS)
        )
        for pk, invoice_code, invoice_no, line_no, *stored in stored_rows:
            seller = seller_key(stored[0], stored[1])
            line = by_key.get((*seller, invoice_code, invoice_no, line_no))
            if line is None:
                continue
            stored_keys.add(line.key)
            values = _line_values(line)
            previous = dict(zip(PURCHASE_COMPARED_FIELDS, stored, strict=True))
            if previous == values:
                outcome.unchanged += 1
                continue
            changed = PurchaseLine(pk=pk, last_import=purchase_import, updated_at=now, **values)
            changed_lines.append(changed)
            revisions.append(
                PurchaseLineRevision(
                    line=changed,
                    purchase_import=purchase_import,
                    changed_by=actor,
                    changed_at=now,
                    previous_values={k: to_json(v) for k, v in previous.items()},
                )
            )
    # A line held elsewhere (claimed in a support application) is frozen: its correction
    # is kept pending for whoever holds it to decide, and the line stays as it is.
    held = held_line_ids(changed.pk for changed in changed_lines)
    outcome.pending = purchase_corrections_keep_pending(
        actor=actor,
        purchase_import=purchase_import,
        changes=[
            (
                revision.line.pk,
                revision.previous_values,
                {name: getattr(revision.line, name) for name in PURCHASE_COMPARED_FIELDS},
            )
            for revision in revisions
            if revision.line.pk in held
        ],
    )
    changed_lines = [changed for changed in changed_lines if changed.pk not in held]
    revisions = [revision for revision in revisions if revision.line.pk not in held]
    new_lines = [line for line in lines if line.key not in stored_keys]
    _purchase_lines_insert(buyer=buyer, lines=new_lines, purchase_import=purchase_import, now=now)
    PurchaseLine.objects.bulk_update(
        changed_lines,
        [*PURCHASE_COMPARED_FIELDS, "last_import", "updated_at"],
        batch_size=PURCHASE_BATCH_SIZE,
    )
    PurchaseLineRevision.objects.bulk_create(revisions, batch_size=PURCHASE_BATCH_SIZE)
    outcome.created = len(new_lines)
    outcome.updated = len(changed_lines)
    # The years the lines are in now and, for corrections, the years they left.
    refresh_lcr_ledger(
        {pair_of(buyer.pk, line.invoice_date) for line in lines}
        | {pair_of(buyer.pk, revision.previous_values["invoice_date"]) for revision in revisions}
    )


PURCHASE_INSERTED_FIELDS = (
    "buyer",
    "invoice_code",
    "invoice_no",
    "line_no",
    "supplier",
    "supplier_name",
    "invoice_date",
    "category",
    "description",
    "product",
    "quantity",
    "unit",
    "amount",
    "original_invoice_code",
    "original_invoice_no",
    "last_import",
    "created_at",
    "updated_at",
)


def _purchase_lines_insert(
    *,
    buyer: Enterprise,
    lines: list[CleanLine],
    purchase_import: PurchaseImport,
    now: datetime.datetime,
) -> None:
    """New lines written straight to the table: COPY on PostgreSQL, else one prepared INSERT.

    bulk_create builds a model instance per row and prepares every field through the field
    API: for the 100,000 lines of a large file that was most of the import's time. The
    values here are clean already and only need adapting to the database's types.
    """
    if not lines:
        return
    fields = [PurchaseLine._meta.get_field(name) for name in PURCHASE_INSERTED_FIELDS]
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    adapt_date = ops.adapt_datefield_value
    adapt_decimal = ops.adapt_decimalfield_value
    rows = [
        (
            buyer.pk,
            line.invoice_code,
            line.invoice_no,
            line.line_no,
            line.supplier_uscc,
            line.supplier_name,
            adapt_date(line.invoice_date),
            line.category_id,
            line.description,
            line.product_id,
            None if line.quantity is None else adapt_decimal(line.quantity, 16, 3),
            line.unit,
            adapt_decimal(line.amount, 16, 2),
            line.original_invoice_code,
            line.original_invoice_no,
            purchase_import.pk,
            stamp,
            stamp,
        )
        for line in lines
    ]
    write_rows(PurchaseLine, fields, rows, batch_size=PURCHASE_BATCH_SIZE)


def _purchase_import_finish(
    purchase_import: PurchaseImport, outcome: PurchaseImportOutcome, *, total: int
) -> None:
    if outcome.held:
        purchase_import.status = PurchaseImportStatus.HELD
    else:
        purchase_import.status = (
            PurchaseImportStatus.SUCCEEDED if outcome.ok else PurchaseImportStatus.FAILED
        )
    purchase_import.rows_total = total
    purchase_import.rows_done = total
    purchase_import.created_count = outcome.created
    purchase_import.updated_count = outcome.updated
    purchase_import.unchanged_count = outcome.unchanged
    purchase_import.pending_count = outcome.pending
    purchase_import.errors = outcome.errors
    purchase_import.finished_at = timezone.now()
    purchase_import.save()


def _enqueue_purchase_import(import_id: int) -> None:
    # Imported here: the task module calls back into this one.
    from directory.purchases.tasks import process_purchase_import

    process_purchase_import.enqueue(import_id)


def purchase_import_submit(
    *,
    actor: AbstractBaseUser,
    buyer: Enterprise,
    content: bytes,
    filename: str,
    column_mapping_id: int | None = None,
) -> tuple[PurchaseImport, list[str]]:
    """Queue an uploaded purchase file for import in the background.

    The file's kind, size and header are checked at once, so that a file that cannot be
    imported at all is refused on the spot; its rows are checked by the task. The buyer's
    column mapping chosen (else the best fitting of its mappings, if any fits) is applied
    before the standard aliases and recorded on the import. Returns the queued import and
    the headers that will be ignored.
    """
    require_member(actor, buyer)
    try:
        mapping = column_mappings.column_mapping_for_upload(
            buyer=buyer,
            headers=purchase_files.file_headers(content),
            chosen_id=column_mapping_id,
        )
        kind, ignored = purchase_files.inspect_purchase_file(
            content, mapping.columns if mapping else None
        )
    except purchase_files.PurchaseFileError as error:
        raise ValidationError({"file": [problem.message for problem in error.errors]}) from None
    purchase_import = PurchaseImport(
        column_mapping=mapping,
        buyer=buyer,
        submitted_by=actor,
        source=PurchaseImportSource.UPLOAD,
        filename=filename[:255],
        status=PurchaseImportStatus.QUEUED,
    )
    # A neutral stored name: the user's own file name is kept in `filename`.
    store_file(
        purchase_import.file, f"{uuid.uuid4().hex}.{kind}", ContentFile(content), field="file"
    )
    with transaction.atomic():
        purchase_import.save()
        transaction.on_commit(functools.partial(_enqueue_purchase_import, purchase_import.pk))
    return purchase_import, ignored


def purchase_import_claim(*, purchase_import: PurchaseImport) -> bool:
    """Mark a queued import as running; False when it is not queued (a repeated delivery)."""
    claimed = PurchaseImport.objects.filter(
        pk=purchase_import.pk, status=PurchaseImportStatus.QUEUED
    ).update(status=PurchaseImportStatus.RUNNING)
    if claimed:
        purchase_import.status = PurchaseImportStatus.RUNNING
    return bool(claimed)


def purchase_import_requeue(*, import_id: int) -> None:
    """Put a running import whose worker died back in the queue, to be run again from the
    start: nothing of it was saved (its lines are written in one transaction)."""
    PurchaseImport.objects.filter(pk=import_id, status=PurchaseImportStatus.RUNNING).update(
        status=PurchaseImportStatus.QUEUED, rows_done=0
    )


def purchase_import_progress(
    *, purchase_import: PurchaseImport, rows_done: int, rows_total: int | None = None
) -> None:
    """Record how far a running import got, for its result page."""
    purchase_import.rows_done = rows_done
    fields = ["rows_done"]
    if rows_total is not None:
        purchase_import.rows_total = rows_total
        fields.append("rows_total")
    purchase_import.save(update_fields=fields)


def purchase_import_fail(*, purchase_import: PurchaseImport, errors: list[dict]) -> None:
    """End an import that could not run (unreadable file, lost access): nothing was saved."""
    purchase_import.status = PurchaseImportStatus.FAILED
    purchase_import.errors = errors
    purchase_import.finished_at = timezone.now()
    purchase_import.save(update_fields=["status", "errors", "finished_at"])
