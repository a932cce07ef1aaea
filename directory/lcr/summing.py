"""Writing the LCR's summary tables (the ledger, the rollup, the year table) from a grouped
query, without the rows passing through Python.

Each level is summed from the one below it with a query that groups and sums; a refresh of
some (buyer, year) pairs deletes their rows and inserts the grouped sums again, a rebuild
does the same for the whole table."""

from collections.abc import Sequence

from django.db import connection, models
from django.db.models import Q, QuerySet

#: (column of the table, alias in the grouped query), in the order they are inserted.
Columns = Sequence[tuple[str, str]]


def insert_sums(model: type[models.Model], sums: QuerySet, columns: Columns) -> None:
    """INSERT INTO the model's table SELECT the grouped sums: one statement."""
    select_sql, params = sums.query.sql_with_params()
    quote = connection.ops.quote_name
    into = ", ".join(quote(column) for column, _alias in columns)
    picked = ", ".join(quote(alias) for _column, alias in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({into}) "
            f"SELECT {picked} FROM ({select_sql}) grouped",
            params,
        )


def replace_sums(
    model: type[models.Model], rows: Q | None, sums: QuerySet, columns: Columns
) -> None:
    """Delete the model's rows matching `rows` (all of them for None) and insert `sums`, which
    must group exactly what those rows held (in the caller's transaction)."""
    stale = model.objects.all() if rows is None else model.objects.filter(rows)
    stale.delete()
    insert_sums(model, sums, columns)
