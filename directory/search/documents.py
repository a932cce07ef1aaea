"""Stored search documents of enterprise and product names, one design per database.

PostgreSQL: a stored generated `tsvector` column on each table with a GIN index (words in
any order, `websearch` syntax), and `pg_trgm` GIN indexes on the names so that a substring
(`ILIKE '%固态电池%'`) is found from the index: Chinese has no word boundaries.

SQLite: an FTS5 table with the trigram tokenizer per table, external content (the names are
not stored twice), kept in step by triggers. A phrase query on it finds any substring of at
least three characters; shorter ones are found through the gram documents (grams.py).

Django's SQLite schema editor rebuilds a table to alter it (copy, drop, rename), which drops
the table's triggers; `ensure_sqlite_triggers` (run after every `migrate`) puts back missing
triggers and rebuilds the index from the tables when it had to.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

from directory.search import grams

# (FTS5 table, content table, indexed columns)
SQLITE_INDEXES = (
    ("directory_enterprise_search", "directory_enterprise", ("name_zh", "name_en")),
    ("directory_product_search", "directory_product", ("name",)),
)

POSTGRESQL_CREATE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE directory_enterprise ADD COLUMN search_document tsvector
       GENERATED ALWAYS AS (to_tsvector('simple'::regconfig,
           COALESCE(name_zh, '') || ' ' || COALESCE(name_en, ''))) STORED""",
    """CREATE INDEX directory_enterprise_search_document
       ON directory_enterprise USING gin (search_document)""",
    """CREATE INDEX directory_enterprise_name_zh_trgm
       ON directory_enterprise USING gin (name_zh gin_trgm_ops)""",
    """CREATE INDEX directory_enterprise_name_en_trgm
       ON directory_enterprise USING gin (name_en gin_trgm_ops)""",
    """ALTER TABLE directory_product ADD COLUMN search_document tsvector
       GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(name, ''))) STORED""",
    # Partial: only verified products are ever searched.
    """CREATE INDEX directory_product_search_document
       ON directory_product USING gin (search_document) WHERE status = 'verified'""",
    """CREATE INDEX directory_product_name_trgm
       ON directory_product USING gin (name gin_trgm_ops) WHERE status = 'verified'""",
)

POSTGRESQL_DROP = (
    "DROP INDEX IF EXISTS directory_product_name_trgm",
    "DROP INDEX IF EXISTS directory_enterprise_name_en_trgm",
    "DROP INDEX IF EXISTS directory_enterprise_name_zh_trgm",
    "ALTER TABLE directory_product DROP COLUMN IF EXISTS search_document",
    "ALTER TABLE directory_enterprise DROP COLUMN IF EXISTS search_document",
)


def sqlite_triggers(fts: str, table: str, columns: tuple[str, ...]) -> dict[str, str]:
    """Trigger name -> CREATE TRIGGER keeping the external-content FTS table `fts` in step."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
    return {
        f"{fts}_insert": f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"{fts}_delete": f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"{fts}_update": (
            f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {names} ON {table} "
            f"BEGIN {delete} {insert} END"
        ),
    }


def create(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in POSTGRESQL_CREATE:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            for fts, table, columns in SQLITE_INDEXES:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(columns)}, "
                    f"content='{table}', content_rowid='id', tokenize='trigram')"
                )
                for statement in sqlite_triggers(fts, table, columns).values():
                    cursor.execute(statement)
                sqlite_rebuild(cursor, fts, table, columns)


def sqlite_rebuild(cursor, fts: str, table: str, columns: tuple[str, ...]) -> None:
    """Index the content table afresh (the arguments match grams.sqlite_rebuild's)."""
    cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def drop(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in POSTGRESQL_DROP:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            for fts, table, columns in SQLITE_INDEXES:
                for trigger in sqlite_triggers(fts, table, columns):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
                cursor.execute(f"DROP TABLE IF EXISTS {fts}")


# Each kind of SQLite search table: (its tables, the triggers keeping one, its rebuild).
SQLITE_KINDS = (
    (SQLITE_INDEXES, sqlite_triggers, sqlite_rebuild),
    (grams.SQLITE_TABLES, grams.sqlite_triggers, grams.sqlite_rebuild),
)


def ensure_sqlite_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """Put back the triggers a table rebuild dropped, of the trigram and the gram tables
    alike, and rebuild those tables; the names of the triggers put back. Nothing to do
    before the search tables exist or on PostgreSQL."""
    if connection.vendor != "sqlite":
        return []
    restored = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {name for _type, name in cursor.fetchall()}
        for tables, triggers, rebuild in SQLITE_KINDS:
            for search_table, table, columns in tables:
                if search_table not in present:
                    continue
                missing = {
                    name: statement
                    for name, statement in triggers(search_table, table, columns).items()
                    if name not in present
                }
                for statement in missing.values():
                    cursor.execute(statement)
                if missing:
                    rebuild(cursor, search_table, table, columns)
                    restored.extend(missing)
    return restored
