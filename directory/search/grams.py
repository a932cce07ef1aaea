"""Gram documents: every one- and two-character piece of the names, indexed, so that a search
for one or two characters (`固态`, `锂`) is found from an index too. A trigram index cannot
serve it (documents.py): Chinese product words are often two characters long.

A name's grams are its characters and its pairs of neighbouring characters, lower-cased (the
way each database folds case for LIKE). A name contains a one- or two-character text exactly
when the text (lower-cased) is one of its grams; the grams of each name are taken apart, so a
pair across two names of an enterprise is no gram.

PostgreSQL: a stored generated `text[]` column per table (an immutable SQL function computes
it) with a GIN index; the search asks `search_grams @> ARRAY[lower(text)]` and keeps the
`ILIKE` test beside it, so what is found stays exactly what `ILIKE` finds.

SQLite: a contentless FTS5 table per table, kept by triggers, whose one column holds each gram
hex-encoded (`hex()` of its UTF-8), so that any character, punctuation and spaces included,
is one token to the default tokenizer; the search asks for the token `hex(lower(text))`.
The triggers compute the grams in SQL alone (`json_each` over as many positions as the name
has characters), so the index is kept whoever writes the table.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

#: Texts up to this many characters are searched through the grams.
LONGEST = 2

# (gram table, content table, name columns)
SQLITE_TABLES = (
    ("directory_enterprise_grams", "directory_enterprise", ("name_zh", "name_en")),
    ("directory_product_grams", "directory_product", ("name",)),
)

POSTGRESQL_FUNCTION = "directory_name_grams"

POSTGRESQL_CREATE = (
    f"""CREATE FUNCTION {POSTGRESQL_FUNCTION}(name text) RETURNS text[]
       LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
       AS $$ SELECT COALESCE(array_agg(DISTINCT substr(lower(name), position, size)), '{{}}')
             FROM generate_series(1, length(name)) AS position,
                  generate_series(1, {LONGEST}) AS size
             WHERE position + size - 1 <= length(name) $$""",
    f"""ALTER TABLE directory_enterprise ADD COLUMN search_grams text[]
       GENERATED ALWAYS AS ({POSTGRESQL_FUNCTION}(COALESCE(name_zh, ''))
           || {POSTGRESQL_FUNCTION}(COALESCE(name_en, ''))) STORED""",
    """CREATE INDEX directory_enterprise_search_grams
       ON directory_enterprise USING gin (search_grams)""",
    f"""ALTER TABLE directory_product ADD COLUMN search_grams text[]
       GENERATED ALWAYS AS ({POSTGRESQL_FUNCTION}(COALESCE(name, ''))) STORED""",
    # Partial, like the product's other search indexes: only verified products are searched.
    """CREATE INDEX directory_product_search_grams
       ON directory_product USING gin (search_grams) WHERE status = 'verified'""",
)

POSTGRESQL_DROP = (
    "ALTER TABLE directory_product DROP COLUMN IF EXISTS search_grams",
    "ALTER TABLE directory_enterprise DROP COLUMN IF EXISTS search_grams",
    f"DROP FUNCTION IF EXISTS {POSTGRESQL_FUNCTION}(text)",
)


def sqlite_grams(column: str) -> str:
    """SQL of the grams of `column` as space-separated hex tokens ('' for no name)."""
    name = f"lower({column})"
    # One JSON array element per character: its key (0, 1, ...) is the position less one.
    positions = (
        f"json_each('[' || substr(replace(hex(zeroblob(length({column}))), '00', ',0'), 2) || ']')"
    )
    grams = " || ' ' || ".join(
        f"hex(substr({name}, position.key + 1, {size}))" for size in range(1, LONGEST + 1)
    )
    return f"COALESCE((SELECT group_concat({grams}, ' ') FROM {positions} AS position), '')"


def sqlite_document(prefix: str, columns: tuple[str, ...]) -> str:
    return " || ' ' || ".join(sqlite_grams(f"{prefix}{column}") for column in columns)


def sqlite_triggers(grams: str, table: str, columns: tuple[str, ...]) -> dict[str, str]:
    """Trigger name -> CREATE TRIGGER keeping the contentless gram table `grams` in step (a
    contentless table forgets a row when told the values it was given)."""
    names = ", ".join(columns)
    insert = (
        f"INSERT INTO {grams}(rowid, grams) VALUES (new.id, {sqlite_document('new.', columns)});"
    )
    delete = (
        f"INSERT INTO {grams}({grams}, rowid, grams)"
        f" VALUES ('delete', old.id, {sqlite_document('old.', columns)});"
    )
    return {
        f"{grams}_insert": (
            f"CREATE TRIGGER {grams}_insert AFTER INSERT ON {table} BEGIN {insert} END"
        ),
        f"{grams}_delete": (
            f"CREATE TRIGGER {grams}_delete AFTER DELETE ON {table} BEGIN {delete} END"
        ),
        f"{grams}_update": (
            f"CREATE TRIGGER {grams}_update AFTER UPDATE OF {names} ON {table} "
            f"BEGIN {delete} {insert} END"
        ),
    }


def sqlite_rebuild(cursor, grams: str, table: str, columns: tuple[str, ...]) -> None:
    cursor.execute(f"INSERT INTO {grams}({grams}) VALUES ('delete-all')")
    cursor.execute(
        f"INSERT INTO {grams}(rowid, grams) SELECT id, {sqlite_document('', columns)} FROM {table}"
    )


def create(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in POSTGRESQL_CREATE:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            for grams, table, columns in SQLITE_TABLES:
                cursor.execute(f"CREATE VIRTUAL TABLE {grams} USING fts5(grams, content='')")
                for statement in sqlite_triggers(grams, table, columns).values():
                    cursor.execute(statement)
                sqlite_rebuild(cursor, grams, table, columns)


def drop(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in POSTGRESQL_DROP:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            for grams, table, columns in SQLITE_TABLES:
                for trigger in sqlite_triggers(grams, table, columns):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
                cursor.execute(f"DROP TABLE IF EXISTS {grams}")


def sqlite_token(text: str) -> tuple[str, tuple[str]]:
    """SQL (with its parameters) of the FTS5 query finding the gram `text` on SQLite."""
    return "'\"' || hex(lower(%s)) || '\"'", (text,)
