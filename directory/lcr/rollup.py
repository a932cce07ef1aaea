"""The LCR rollup, kept in step with the ledger and with which suppliers are local.

The yearly figures of a buyer and of the city read `LcrRollupRow`: the ledger's rows of a
(buyer, year) summed again without the supplier, the local value counted for the suppliers
that are local (verified, registered in the municipality). A read is then proportional to
buyers × years, not to lines or suppliers.

Two kinds of write move it, each inside its own transaction:
- whatever refreshes a (buyer, year) of the ledger refreshes its rollup right after it
  (`refresh_lcr_rollup`, called by `directory.lcr.ledger.refresh_lcr_ledger`);
- a supplier verified or withdrawn, moved to another district, given another code or deleted,
  or a district counted in or out of the municipality, adds the local value of the ledger
  rows naming those suppliers to their rollup rows, or takes it away
  (`move_rollup_of_suppliers`): one UPDATE ... FROM, by the ledger's supplier index.
"""

import contextlib
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, Value, When

from directory.bulk import chunks
from directory.lcr.cache import lcr_cache_invalidate
from directory.models import LcrLedgerRow, LcrRollupRow
from directory.purchases.selectors import LOCAL_SUPPLIER

#: (buyer id, year): the slice of the ledger and of the rollup a write replaces.
LedgerPair = tuple[int, int]

#: Pairs refreshed in one statement (each adds an OR to the WHERE).
PAIRS_PER_STATEMENT = 200

EXACT = DecimalField(max_digits=26, decimal_places=6)


def in_transaction() -> contextlib.AbstractContextManager:
    """The caller's transaction, or one of its own outside any: no savepoint per refresh."""
    return contextlib.nullcontext() if connection.in_atomic_block else transaction.atomic()


def rows_of_pairs(pairs: Iterable[LedgerPair]) -> Q:
    """The ledger's or the rollup's rows of these (buyer id, year) pairs."""
    condition = Q(pk__in=[])
    for buyer_id, year in pairs:
        condition |= Q(buyer_id=buyer_id, year=year)
    return condition


def ledger_local_value(only: Q | None = None, output_field: DecimalField = EXACT) -> Sum:
    """The local value of ledger rows (of those matching `only`): their value counted as local
    where the supplier is local now, as `local_value_expression` does for the lines."""
    return Sum(
        Case(
            When(
                LOCAL_SUPPLIER if only is None else LOCAL_SUPPLIER & only,
                then=F("local_if_local_value"),
            ),
            default=Value(Decimal(0)),
            output_field=output_field,
        )
    )


def rollup_sums_of_ledger(rows: QuerySet[LcrLedgerRow]) -> QuerySet[LcrLedgerRow]:
    """The ledger rows grouped as the rollup keeps them, with the rollup's sums."""
    return (
        rows.values("buyer_id", "year", "quarter", "category_id", "confirmation")
        .annotate(
            rollup_lines=Sum("line_count"),
            rollup_total=Sum("total_value"),
            rollup_local=ledger_local_value(),
        )
        .order_by()
    )


_ROLLUP_COLUMNS = (
    ("buyer_id", "buyer_id"),
    ("year", "year"),
    ("quarter", "quarter"),
    ("category_id", "category_id"),
    ("confirmation", "confirmation"),
    ("line_count", "rollup_lines"),
    ("total_value", "rollup_total"),
    ("local_value", "rollup_local"),
)


def _insert_sums_of(rows: QuerySet[LcrLedgerRow]) -> None:
    """INSERT INTO the rollup SELECT the ledger rows' sums: one statement."""
    select_sql, params = rollup_sums_of_ledger(rows).query.sql_with_params()
    quote = connection.ops.quote_name
    into = ", ".join(quote(column) for column, _ in _ROLLUP_COLUMNS)
    picked = ", ".join(quote(alias) for _, alias in _ROLLUP_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(LcrRollupRow._meta.db_table)} ({into}) "
            f"SELECT {picked} FROM ({select_sql}) grouped",
            params,
        )


def refresh_lcr_rollup(pairs: Iterable[LedgerPair]) -> None:
    """Sum the ledger rows of these pairs into the rollup again (in the caller's transaction:
    the ledger's refresh)."""
    for chunk in chunks(sorted(set(pairs)), PAIRS_PER_STATEMENT):
        of_pairs = rows_of_pairs(chunk)
        LcrRollupRow.objects.filter(of_pairs).delete()
        _insert_sums_of(LcrLedgerRow.objects.filter(of_pairs))


def move_rollup_of_suppliers(local_before: set[str], local_after: set[str]) -> None:
    """Suppliers became local (in `local_after` only) or stopped being (in `local_before`
    only): add their ledger rows' local value to the rollup rows they fall in, or take it
    away, in one UPDATE ... FROM the sums of their ledger rows (found by the ledger's supplier
    index). The rest of each rollup row is untouched, so the cost follows the suppliers'
    rows, not the buyers'."""
    became = sorted(local_after - local_before)
    stopped = sorted(local_before - local_after)
    if not became and not stopped:
        return
    moved = ledger_local_moved(became, stopped)
    select_sql, params = moved.query.sql_with_params()
    quote = connection.ops.quote_name
    rollup = quote(LcrRollupRow._meta.db_table)
    same = " AND ".join(
        f"{rollup}.{quote(column)} = moved.{quote(column)}"
        for column in ("buyer_id", "year", "quarter", "confirmation")
    )
    # No category matches no category (ids start at 1): an equality, so the join is hashed.
    category = quote("category_id")
    same += f" AND COALESCE({rollup}.{category}, 0) = COALESCE(moved.{category}, 0)"
    local = quote("local_value")
    with in_transaction(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {rollup} SET {local} = {rollup}.{local} + moved.{quote('moved_value')} "
            f"FROM ({select_sql}) moved WHERE {same}",
            params,
        )
        if cursor.rowcount:
            lcr_cache_invalidate()


def ledger_local_moved(became: list[str], stopped: list[str]) -> QuerySet[LcrLedgerRow]:
    """The ledger rows of these suppliers summed per rollup row: their local value counted
    in (became local) or out (stopped being)."""
    return (
        LcrLedgerRow.objects.filter(supplier_id__in=[*became, *stopped])
        .values("buyer_id", "year", "quarter", "category_id", "confirmation")
        .annotate(
            moved_value=Sum(
                Case(
                    When(supplier_id__in=became, then=F("local_if_local_value")),
                    default=-F("local_if_local_value"),
                    output_field=EXACT,
                )
            )
        )
        .order_by()
    )


def sum_ledger_into_rollup() -> int:
    """Replace the whole rollup by the sums of the ledger; returns its number of rows. (The
    migration that created the rollup runs this.)"""
    with transaction.atomic():
        LcrRollupRow.objects.all().delete()
        _insert_sums_of(LcrLedgerRow.objects.all())
        return LcrRollupRow.objects.count()


ROLLUP_KEY = ("buyer_id", "year", "quarter", "category_id", "confirmation")


def rollup_snapshot() -> dict[tuple, tuple]:
    """The rollup as {key: (lines, total, local)}, for comparing."""
    return {
        tuple(key): (count, total, local)
        for *key, count, total, local in LcrRollupRow.objects.values_list(
            *ROLLUP_KEY, "line_count", "total_value", "local_value"
        )
    }


def _exact(value) -> Decimal:
    """A sum as the rollup's column holds it (SQLite hands a float back for an aggregate)."""
    return Decimal(value).quantize(Decimal("0.000001"))


def rollup_matches_ledger() -> bool:
    """Whether the rollup holds exactly what summing the ledger again would give."""
    expected = {
        tuple(row[name] for name in ROLLUP_KEY): (
            row["rollup_lines"],
            _exact(row["rollup_total"]).quantize(Decimal("0.01")),
            _exact(row["rollup_local"]),
        )
        for row in rollup_sums_of_ledger(LcrLedgerRow.objects.all())
    }
    kept = {
        key: (count, Decimal(total), _exact(local))
        for key, (count, total, local) in rollup_snapshot().items()
    }
    return expected == kept
