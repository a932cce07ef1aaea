"""Writing the demo city: bulk inserts of the drafts, sequences and statistics, and emptying the
directory before a new city."""

from django.core.management.color import no_style
from django.db import connection

from directory.bulk import insert_rows
from directory.demo.city import City
from directory.demo.enterprises import Draft
from directory.models import (
    Certification,
    Enterprise,
    LocalContentShare,
    Product,
    StatusChange,
)

SEEDED_MODELS = [
    Enterprise,
    Enterprise.categories.through,
    Product,
    LocalContentShare,
    Certification,
    StatusChange,
]


def insert(city: City, drafts: list[Draft]) -> None:
    """Write a chunk of drafts, parents first."""
    through = Enterprise.categories.through
    insert_rows(Enterprise, [d.enterprise for d in drafts])
    insert_rows(
        through,
        [
            through(pk=city.new_id(through), enterprise_id=d.enterprise.pk, supplycategory_id=c)
            for d in drafts
            for c in d.category_ids
        ],
    )
    insert_rows(Product, [p for d in drafts for p in d.products])
    insert_rows(LocalContentShare, [s for d in drafts for s in d.shares])
    insert_rows(Certification, [c for d in drafts for c in d.certifications])
    insert_rows(StatusChange, [e for d in drafts for e in d.events + d.product_events])


def refresh_statistics() -> None:
    """What autovacuum does a while after a bulk load, at once: statistics for the planner
    and, outside a transaction, the visibility map that lets a COUNT read only an index."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def reset_sequences() -> None:
    """Rows were written with their ids: PostgreSQL's sequences must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), SEEDED_MODELS)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def delete_directory_data() -> None:
    """Empty the enterprises' table and every table that refers to it, as TRUNCATE ... CASCADE
    does; districts, categories and users stay."""
    tables = [model._meta.db_table for model in SEEDED_MODELS]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:  # TRUNCATE refuses while deferred checks of this transaction wait
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
