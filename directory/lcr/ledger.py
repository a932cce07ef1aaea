"""The LCR ledger, kept in step with the purchase lines.

Every write that changes what a (buyer, year) of lines sums to calls `refresh_lcr_ledger`
with the pairs it touched, inside its own transaction: the ledger rows of those pairs are
deleted and summed again from the lines in two statements (DELETE, then INSERT ... SELECT
... GROUP BY), so the ledger never holds a figure the lines do not; the rollup of the same
pairs (directory.lcr.rollup, and its year table) is summed again from the ledger right after.
Writes of single rows through the ORM (a line, a confirmation, a verified share, a product's
deletion) refresh through signals (`directory.lcr.ledger_signals`); bulk writes call it
themselves (the bills of materials' recomputed shares among them). A service that saves many
rows one by one wraps them in `lcr_ledger_batch()` to refresh once.

The sums use the LCR's own definitions (`local_share_percent`, `share_basis_in_force`,
`confirmation_status`), so the ledger and a GROUP BY over the lines agree to the fen; a share
whose basis changes (a bill verified, expired) moves its lines' value to the other basis.
`rebuild_lcr_ledger` sums everything again (the command of the same name, and the migration
that last changed the tables).
"""

import contextlib
import contextvars
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractQuarter, ExtractYear

from directory.bulk import chunks
from directory.lcr.cache import lcr_cache_invalidate
from directory.lcr.rollup import (
    PAIRS_PER_STATEMENT,
    LedgerPair,
    in_transaction,
    refresh_lcr_rollup,
    rollup_matches_ledger,
    rows_of_pairs,
    sum_ledger_into_rollup,
)
from directory.lcr.summing import replace_sums
from directory.models import LcrLedgerRow, PurchaseLine
from directory.purchases.confirmation_selectors import confirmation_status
from directory.purchases.selectors import local_share_percent, share_basis_in_force


class InvoiceYear(ExtractYear):
    """The year of a date; on SQLite in SQL rather than Django's per-row Python function,
    which took a third of the per-firm-per-year table's time there (bench/lcr.py)."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%Y', {sql}) AS INTEGER)", params


class InvoiceQuarter(ExtractQuarter):
    """The quarter (1-4) of a date; on SQLite in SQL, like `InvoiceYear`."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"((CAST(strftime('%%m', {sql}) AS INTEGER) + 2) / 3)", params


def _year_range(year: int) -> Q:
    start = datetime.date(year, 1, 1)
    return Q(invoice_date__gte=start, invoice_date__lt=start.replace(year=year + 1))


def _lines_of_pairs(pairs: Iterable[LedgerPair]) -> Q:
    """The lines of the pairs, by the (buyer, invoice date) index."""
    years_of: dict[int, set[int]] = defaultdict(set)
    for buyer_id, year in pairs:
        years_of[buyer_id].add(year)
    condition = Q(pk__in=[])
    for buyer_id, years in years_of.items():
        of_years = Q(pk__in=[])
        for year in sorted(years):
            of_years |= _year_range(year)
        condition |= Q(buyer_id=buyer_id) & of_years
    return condition


def ledger_sums_of_lines(lines: QuerySet[PurchaseLine]) -> QuerySet[PurchaseLine]:
    """The lines grouped as the ledger keeps them, with the ledger's sums."""
    local_if_local = ExpressionWrapper(
        F("amount") * local_share_percent() / Value(Decimal(100)),
        output_field=DecimalField(max_digits=26, decimal_places=6),
    )
    return (
        lines.annotate(
            ledger_year=InvoiceYear("invoice_date"),
            ledger_quarter=InvoiceQuarter("invoice_date"),
            ledger_confirmation=confirmation_status(),
            ledger_basis=share_basis_in_force(),
        )
        .values(
            "buyer_id",
            "ledger_year",
            "ledger_quarter",
            "category_id",
            "supplier_id",
            "supplier_name",
            "ledger_confirmation",
            "ledger_basis",
        )
        .annotate(
            ledger_lines=Count("pk"),
            ledger_total=Sum("amount"),
            ledger_local_if_local=Sum(
                local_if_local, output_field=DecimalField(max_digits=26, decimal_places=6)
            ),
        )
        .order_by()
    )


_LEDGER_COLUMNS = (
    ("buyer_id", "buyer_id"),
    ("year", "ledger_year"),
    ("quarter", "ledger_quarter"),
    ("category_id", "category_id"),
    ("supplier_uscc", "supplier_id"),
    ("supplier_name", "supplier_name"),
    ("confirmation", "ledger_confirmation"),
    ("basis", "ledger_basis"),
    ("line_count", "ledger_lines"),
    ("total_value", "ledger_total"),
    ("local_if_local_value", "ledger_local_if_local"),
)


_pending: contextvars.ContextVar[set[LedgerPair] | None] = contextvars.ContextVar(
    "lcr_ledger_pending", default=None
)


def refresh_lcr_ledger(pairs: Iterable[LedgerPair]) -> None:
    """Sum the lines of these (buyer id, year) pairs into the ledger again, in the caller's
    transaction (inside `lcr_ledger_batch()`: when the batch ends)."""
    wanted = {(int(buyer_id), int(year)) for buyer_id, year in pairs}
    if not wanted:
        return
    pending = _pending.get()
    if pending is not None:
        pending.update(wanted)
        return
    with in_transaction():
        for chunk in chunks(sorted(wanted), PAIRS_PER_STATEMENT):
            replace_sums(
                LcrLedgerRow,
                rows_of_pairs(chunk),
                ledger_sums_of_lines(PurchaseLine.objects.filter(_lines_of_pairs(chunk))),
                _LEDGER_COLUMNS,
            )
            refresh_lcr_rollup(chunk)
        lcr_cache_invalidate()


@contextlib.contextmanager
def lcr_ledger_batch() -> Iterator[None]:
    """Collect the refreshes asked for inside the block and make them once, at its end (call
    it inside the transaction, so that they commit with the writes). A batch inside a batch
    joins the outer one. When the block raises, nothing is refreshed: its transaction is
    being undone."""
    if _pending.get() is not None:
        yield
        return
    collected: set[LedgerPair] = set()
    token = _pending.set(collected)
    try:
        yield
    finally:
        _pending.reset(token)
    refresh_lcr_ledger(collected)


def sum_every_line_into_ledger() -> int:
    """Replace the whole ledger by the sums of every line; returns the number of rows. (The
    migration that created the ledger runs this before the cache's table may exist.)"""
    with transaction.atomic():
        replace_sums(
            LcrLedgerRow, None, ledger_sums_of_lines(PurchaseLine.objects.all()), _LEDGER_COLUMNS
        )
        return LcrLedgerRow.objects.count()


def rebuild_lcr_ledger() -> int:
    """Sum every line into the ledger again, and the ledger into the rollup; returns the
    number of ledger rows."""
    with transaction.atomic():
        rows = sum_every_line_into_ledger()
        sum_ledger_into_rollup()
        lcr_cache_invalidate()
    return rows


def pairs_of_lines(lines: QuerySet[PurchaseLine]) -> set[LedgerPair]:
    """The (buyer id, year) pairs of these lines, in one query."""
    return set(
        lines.annotate(ledger_year=InvoiceYear("invoice_date"))
        .order_by()
        .values_list("buyer_id", "ledger_year")
        .distinct()
    )


def pair_of(buyer_id: int, invoice_date: datetime.date | str) -> LedgerPair:
    if isinstance(invoice_date, str):
        invoice_date = datetime.date.fromisoformat(invoice_date)
    return (buyer_id, invoice_date.year)


LEDGER_KEY = (
    "buyer_id",
    "year",
    "quarter",
    "category_id",
    "supplier_id",
    "supplier_name",
    "confirmation",
    "basis",
)


def ledger_snapshot() -> dict[tuple, tuple]:
    """The ledger as {key: (lines, total, local if local)}, for comparing."""
    return {
        tuple(key): (count, total, local)
        for *key, count, total, local in LcrLedgerRow.objects.values_list(
            *LEDGER_KEY, "line_count", "total_value", "local_if_local_value"
        )
    }


def ledger_matches_lines() -> bool:
    """Whether the ledger holds exactly what summing the lines again would give, and the
    rollup what summing the ledger again would."""
    expected = {
        (
            row["buyer_id"],
            row["ledger_year"],
            row["ledger_quarter"],
            row["category_id"],
            row["supplier_id"],
            row["supplier_name"],
            row["ledger_confirmation"],
            row["ledger_basis"],
        ): (row["ledger_lines"], row["ledger_total"], row["ledger_local_if_local"])
        for row in ledger_sums_of_lines(PurchaseLine.objects.all())
    }
    return expected == ledger_snapshot() and rollup_matches_ledger()
