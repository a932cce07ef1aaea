"""Which enterprises a text search finds, from the stored search documents, and how they rank.

An enterprise is found when its Chinese or English name, or the name of one of its verified
products, contains the text (any case); on PostgreSQL also when one of these names has all
the words of the text (`websearch` syntax: quotes, `or`, `-word`). Enterprises found by
their own name rank before those found by a product only.

Each part is a semi-join (`id IN (...)`) on a set the indexes of documents.py yield.
"""

from django.db import connection
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

#: The trigram index finds substrings of at least this many characters.
TRIGRAM = 3


def like_pattern(text: str) -> str:
    """`%text%` with LIKE's wildcards in the text matched literally (escape character `\\`)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts5_phrase(text: str) -> str:
    """The text as one FTS5 phrase: with the trigram tokenizer, a substring match."""
    return '"' + text.replace('"', '""') + '"'


def enterprises_named(text: str) -> RawSQL:
    """Ids of enterprises whose own names match."""
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT id FROM directory_enterprise"
            " WHERE search_document @@ websearch_to_tsquery('simple', %s)"
            " OR name_zh ILIKE %s OR name_en ILIKE %s",
            (text, like_pattern(text), like_pattern(text)),
        )
    if len(text) >= TRIGRAM:
        return RawSQL(
            "SELECT rowid FROM directory_enterprise_search"
            " WHERE directory_enterprise_search MATCH %s",
            (fts5_phrase(text),),
        )
    return RawSQL(
        "SELECT id FROM directory_enterprise"
        " WHERE name_zh LIKE %s ESCAPE '\\' OR name_en LIKE %s ESCAPE '\\'",
        (like_pattern(text), like_pattern(text)),
    )


def enterprises_with_product_named(text: str) -> RawSQL:
    """Ids of enterprises with a verified product whose name matches."""
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT enterprise_id FROM directory_product WHERE status = 'verified'"
            " AND (search_document @@ websearch_to_tsquery('simple', %s) OR name ILIKE %s)",
            (text, like_pattern(text)),
        )
    if len(text) >= TRIGRAM:
        return RawSQL(
            "SELECT enterprise_id FROM directory_product WHERE status = 'verified'"
            " AND id IN (SELECT rowid FROM directory_product_search"
            " WHERE directory_product_search MATCH %s)",
            (fts5_phrase(text),),
        )
    return RawSQL(
        "SELECT enterprise_id FROM directory_product"
        " WHERE status = 'verified' AND name LIKE %s ESCAPE '\\'",
        (like_pattern(text),),
    )


def named_here(text: str) -> Q | RawSQL:
    """The test of enterprises_named on the enterprise row itself: where the names are
    scanned anyway (PostgreSQL, short terms on SQLite), ranking the matches this way reads
    only them, not the table a second time."""
    if connection.vendor == "postgresql":
        return RawSQL(
            '("directory_enterprise"."search_document" @@ websearch_to_tsquery(\'simple\', %s)'
            ' OR "directory_enterprise"."name_zh" ILIKE %s'
            ' OR "directory_enterprise"."name_en" ILIKE %s)',
            (text, like_pattern(text), like_pattern(text)),
            output_field=BooleanField(),
        )
    return Q(name_zh__icontains=text) | Q(name_en__icontains=text)


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """The enterprises of `queryset` the text finds, annotated with `text_rank` (0: by name,
    1: by a product's name only)."""
    named = enterprises_named(text)
    by_product = enterprises_with_product_named(text)
    # One id set (a UNION) rather than two IN tests joined by OR: the database reads the
    # matches and then the enterprises by primary key, instead of testing every enterprise.
    found = RawSQL(f"{named.sql} UNION {by_product.sql}", (*named.params, *by_product.params))
    # The trigram index finds the named ones at once; otherwise test the rows found.
    by_name = Q(pk__in=named) if uses_fts5(text) else named_here(text)
    return queryset.filter(pk__in=found).annotate(
        text_rank=Case(When(by_name, then=Value(0)), default=Value(1))
    )


def uses_fts5(text: str) -> bool:
    return connection.vendor == "sqlite" and len(text) >= TRIGRAM
