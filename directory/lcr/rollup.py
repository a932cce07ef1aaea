"""The LCR rollup and its year table, kept in step with the ledger and with which suppliers
are local.

A buyer's and the city's figures by category, quarter and basis read `LcrRollupRow`: the
ledger's rows of a (buyer, year) summed again without the supplier, the local value counted
for the suppliers that are local (verified, registered in the municipality). The yearly
figures (the city's table by firm, the series by year, the headline) read `LcrYearRow`: the
rollup summed again per buyer, year and word of the suppliers. A read is then proportional
to buyers × years, not to lines or suppliers.

Two kinds of write move them, each inside its own transaction:
- whatever refreshes a (buyer, year) of the ledger refreshes its rollup and year rows right
  after it (`refresh_lcr_rollup`, called by `directory.lcr.ledger.refresh_lcr_ledger`);
- a supplier verified or withdrawn, moved to another district, given another code or deleted,
  or a district counted in or out of the municipality, adds the local value of the ledger
  rows naming those suppliers to their rollup and year rows, or takes it away
  (`move_rollup_of_suppliers`): one UPDATE ... FROM per table, by the ledger's supplier index.
"""

import contextlib
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, models, transaction
from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, Value, When

from directory.bulk import chunks
from directory.lcr.cache import lcr_cache_invalidate
from directory.lcr.summing import replace_sums
from directory.models import LcrLedgerRow, LcrRollupRow, LcrYearRow
from directory.purchases.selectors import LOCAL_SUPPLIER

#: (buyer id, year): the slice of the ledger, the rollup and the year table a write replaces.
LedgerPair = tuple[int, int]

#: Pairs refreshed in one statement (each adds an OR to the WHERE).
PAIRS_PER_STATEMENT = 200

EXACT = DecimalField(max_digits=26, decimal_places=6)

#: What a row of the rollup and of the year table stands for.
ROLLUP_KEY = ("buyer_id", "year", "quarter", "category_id", "confirmation", "basis")
YEAR_KEY = ("buyer_id", "year", "confirmation")


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
        rows.values(*ROLLUP_KEY)
        .annotate(
            rollup_lines=Sum("line_count"),
            rollup_total=Sum("total_value"),
            rollup_local=ledger_local_value(),
        )
        .order_by()
    )


def year_sums_of_rollup(rows: QuerySet[LcrRollupRow]) -> QuerySet[LcrRollupRow]:
    """The rollup rows grouped as the year table keeps them, with its sums."""
    return (
        rows.values(*YEAR_KEY)
        .annotate(
            year_lines=Sum("line_count"),
            year_total=Sum("total_value"),
            year_local=Sum("local_value", output_field=EXACT),
        )
        .order_by()
    )


def _columns(key: tuple[str, ...], prefix: str) -> tuple[tuple[str, str], ...]:
    """The columns a level's grouped query fills: its key, then its three sums."""
    sums = (("line_count", "lines"), ("total_value", "total"), ("local_value", "local"))
    return (
        *((name, name) for name in key),
        *((column, f"{prefix}_{alias}") for column, alias in sums),
    )


def refresh_lcr_rollup(pairs: Iterable[LedgerPair]) -> None:
    """Sum the ledger rows of these pairs into the rollup again, and the rollup rows into the
    year table (in the caller's transaction: the ledger's refresh)."""
    for chunk in chunks(sorted(set(pairs)), PAIRS_PER_STATEMENT):
        of_pairs = rows_of_pairs(chunk)
        replace_sums(
            LcrRollupRow,
            of_pairs,
            rollup_sums_of_ledger(LcrLedgerRow.objects.filter(of_pairs)),
            _columns(ROLLUP_KEY, "rollup"),
        )
        replace_sums(
            LcrYearRow,
            of_pairs,
            year_sums_of_rollup(LcrRollupRow.objects.filter(of_pairs)),
            _columns(YEAR_KEY, "year"),
        )


def move_rollup_of_suppliers(local_before: set[str], local_after: set[str]) -> None:
    """Suppliers became local (in `local_after` only) or stopped being (in `local_before`
    only): add their ledger rows' local value to the rollup and year rows they fall in, or
    take it away, in one UPDATE ... FROM the sums of their ledger rows per table (found by the
    ledger's supplier index). The rest of each row is untouched, so the cost follows the
    suppliers' rows, not the buyers'."""
    became = sorted(local_after - local_before)
    stopped = sorted(local_before - local_after)
    if not became and not stopped:
        return
    with in_transaction():
        moved = _add_moved(LcrRollupRow, ROLLUP_KEY, became, stopped)
        moved += _add_moved(LcrYearRow, YEAR_KEY, became, stopped)
        if moved:
            lcr_cache_invalidate()


def _add_moved(
    model: type[models.Model], key: tuple[str, ...], became: list[str], stopped: list[str]
) -> int:
    """Add the moved local value to the rows of one level (`key`); returns how many rows."""
    select_sql, params = ledger_local_moved(became, stopped, key).query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    # No category matches no category (ids start at 1): an equality, so the join is hashed.
    same = " AND ".join(
        f"COALESCE({table}.{quote(column)}, 0) = COALESCE(moved.{quote(column)}, 0)"
        if column == "category_id"
        else f"{table}.{quote(column)} = moved.{quote(column)}"
        for column in key
    )
    local = quote("local_value")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {local} = {table}.{local} + moved.{quote('moved_value')} "
            f"FROM ({select_sql}) moved WHERE {same}",
            params,
        )
        return cursor.rowcount


def ledger_local_moved(
    became: list[str], stopped: list[str], key: tuple[str, ...]
) -> QuerySet[LcrLedgerRow]:
    """The ledger rows of these suppliers summed per row of a level (`key`): their local
    value counted in (became local) or out (stopped being)."""
    return (
        LcrLedgerRow.objects.filter(supplier_id__in=[*became, *stopped])
        .values(*key)
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
    """Replace the whole rollup by the sums of the ledger, and the year table by the sums of
    the rollup; returns the rollup's number of rows. (The migration that last changed the
    tables runs this.)"""
    with transaction.atomic():
        replace_sums(
            LcrRollupRow,
            None,
            rollup_sums_of_ledger(LcrLedgerRow.objects.all()),
            _columns(ROLLUP_KEY, "rollup"),
        )
        replace_sums(
            LcrYearRow,
            None,
            year_sums_of_rollup(LcrRollupRow.objects.all()),
            _columns(YEAR_KEY, "year"),
        )
        return LcrRollupRow.objects.count()


def _snapshot(model: type[models.Model], key: tuple[str, ...]) -> dict[tuple, tuple]:
    rows = model.objects.values_list(*key, "line_count", "total_value", "local_value")
    return {tuple(values): (count, total, local) for *values, count, total, local in rows}


def rollup_snapshot() -> dict[tuple, tuple]:
    """The rollup as {key: (lines, total, local)}, for comparing."""
    return _snapshot(LcrRollupRow, ROLLUP_KEY)


def year_snapshot() -> dict[tuple, tuple]:
    """The year table as {key: (lines, total, local)}, for comparing."""
    return _snapshot(LcrYearRow, YEAR_KEY)


def _exact(value) -> Decimal:
    """A sum as the rollup's column holds it (SQLite hands a float back for an aggregate)."""
    return Decimal(value).quantize(Decimal("0.000001"))


def _matches(sums: QuerySet, key: tuple[str, ...], prefix: str, kept: dict) -> bool:
    expected = {
        tuple(row[name] for name in key): (
            row[f"{prefix}_lines"],
            _exact(row[f"{prefix}_total"]).quantize(Decimal("0.01")),
            _exact(row[f"{prefix}_local"]),
        )
        for row in sums
    }
    return expected == {
        stored: (count, Decimal(total), _exact(local))
        for stored, (count, total, local) in kept.items()
    }


def rollup_matches_ledger() -> bool:
    """Whether the rollup holds exactly what summing the ledger again would give, and the year
    table what summing the rollup again would."""
    return _matches(
        rollup_sums_of_ledger(LcrLedgerRow.objects.all()), ROLLUP_KEY, "rollup", rollup_snapshot()
    ) and _matches(
        year_sums_of_rollup(LcrRollupRow.objects.all()), YEAR_KEY, "year", year_snapshot()
    )
