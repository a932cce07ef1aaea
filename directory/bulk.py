"""Bulk loading: many rows written the fastest way each database takes them, COPY on
PostgreSQL and one prepared INSERT run by executemany elsewhere. The purchase import writes
its new lines with it, and seed_demo its demo city."""

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, models

from ssb_portal.page_cache import tables as page_cache_tables

BATCH_SIZE = 2000


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """The items in lists of at most `size`, in order."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def write_rows(
    model: type[models.Model],
    fields: Sequence[models.Field],
    rows: Iterable[tuple],
    *,
    batch_size: int = BATCH_SIZE,
) -> None:
    """Rows of values the database takes as they are (in the order of `fields`), written
    straight to the model's table."""
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: statements with thousands of parameters spend their time in the
            # driver's parsing of the placeholders; COPY has none.
            copy_sql = f"COPY {table} ({columns}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            # COPY goes through the driver's own cursor, past the page cache's watch.
            page_cache_tables.written({model._meta.db_table.lower()})
            return
        placeholders = ", ".join(["%s"] * len(fields))
        for batch in chunks(rows, batch_size):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", batch)


def insert_rows(model: type[models.Model], objects: Iterable[models.Model]) -> None:
    """What bulk_create does (every field's pre_save and database preparation, so auto_now
    and JSON work), written the fastest way each database takes many rows: COPY on
    PostgreSQL, one prepared INSERT run by executemany on SQLite. bulk_create compiles the
    SQL of every value in Python and loads 100,000 enterprises several times slower."""
    fields = model._meta.local_concrete_fields
    prepare = [database_value(f) for f in fields]
    rows = (
        tuple(to_db(f.pre_save(obj, True)) for f, to_db in zip(fields, prepare, strict=True))
        for obj in objects
    )
    write_rows(model, fields, rows)


def database_value(model_field: models.Field) -> Callable[[Any], Any]:
    """The field's own preparation where the driver needs one (dates, decimals, JSON)."""
    if model_field.get_internal_type() in {
        "DateTimeField",
        "DateField",
        "DecimalField",
        "JSONField",
    }:
        return lambda value: model_field.get_db_prep_save(value, connection)
    return lambda value: value
