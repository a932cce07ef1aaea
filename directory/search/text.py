"""Which enterprises a text search finds, from the stored search documents, and how they rank.

An enterprise is found when its Chinese or English name, or the name of one of its verified
products, contains the text (any case); on PostgreSQL also when one of these names has all
the words of the text (`websearch` syntax: quotes, `or`, `-word`). Enterprises found by
their own name rank before those found by a product only.

Texts of one or two characters are found through the gram documents (grams.py), longer ones
through the trigram and word documents (documents.py). Each part is a semi-join
(`id IN (...)`) on a set the indexes of these documents yield.
"""

from django.db import connection
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from directory.search import grams


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
        if short(text):
            return RawSQL(
                "SELECT id FROM directory_enterprise"
                " WHERE search_document @@ websearch_to_tsquery('simple', %s)"
                " OR (search_grams @> ARRAY[lower(%s)] AND (name_zh ILIKE %s OR name_en ILIKE %s))",
                (text, text, like_pattern(text), like_pattern(text)),
            )
        return RawSQL(
            "SELECT id FROM directory_enterprise"
            " WHERE search_document @@ websearch_to_tsquery('simple', %s)"
            " OR name_zh ILIKE %s OR name_en ILIKE %s",
            (text, like_pattern(text), like_pattern(text)),
        )
    if short(text):
        token, params = grams.sqlite_token(text)
        return RawSQL(
            "SELECT rowid FROM directory_enterprise_grams"
            f" WHERE directory_enterprise_grams MATCH {token}",
            params,
        )
    return RawSQL(
        "SELECT rowid FROM directory_enterprise_search WHERE directory_enterprise_search MATCH %s",
        (fts5_phrase(text),),
    )


def enterprises_with_product_named(text: str) -> RawSQL:
    """Ids of enterprises with a verified product whose name matches."""
    if connection.vendor == "postgresql":
        if short(text):
            return RawSQL(
                "SELECT enterprise_id FROM directory_product WHERE status = 'verified'"
                " AND (search_document @@ websearch_to_tsquery('simple', %s)"
                " OR (search_grams @> ARRAY[lower(%s)] AND name ILIKE %s))",
                (text, text, like_pattern(text)),
            )
        return RawSQL(
            "SELECT enterprise_id FROM directory_product WHERE status = 'verified'"
            " AND (search_document @@ websearch_to_tsquery('simple', %s) OR name ILIKE %s)",
            (text, like_pattern(text)),
        )
    if short(text):
        token, params = grams.sqlite_token(text)
        fts = "directory_product_grams"
    else:
        token, params = "%s", (fts5_phrase(text),)
        fts = "directory_product_search"
    return RawSQL(
        "SELECT enterprise_id FROM directory_product WHERE status = 'verified'"
        f" AND id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH {token})",
        params,
    )


def named_here(text: str) -> RawSQL:
    """The test of enterprises_named on the enterprise row itself (PostgreSQL): the names
    are read anyway, so ranking the matches this way reads only them, not the table twice."""
    return RawSQL(
        '("directory_enterprise"."search_document" @@ websearch_to_tsquery(\'simple\', %s)'
        ' OR "directory_enterprise"."name_zh" ILIKE %s'
        ' OR "directory_enterprise"."name_en" ILIKE %s)',
        (text, like_pattern(text), like_pattern(text)),
        output_field=BooleanField(),
    )


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """The enterprises of `queryset` the text finds, annotated with `text_rank` (0: by name,
    1: by a product's name only)."""
    named = enterprises_named(text)
    by_product = enterprises_with_product_named(text)
    # One id set (a UNION) rather than two IN tests joined by OR: the database reads the
    # matches and then the enterprises by primary key, instead of testing every enterprise.
    found = RawSQL(f"{named.sql} UNION {by_product.sql}", (*named.params, *by_product.params))
    # SQLite's search tables find the named ones at once; PostgreSQL tests the rows found.
    by_name = named_here(text) if connection.vendor == "postgresql" else Q(pk__in=named)
    return queryset.filter(pk__in=found).annotate(
        text_rank=Case(When(by_name, then=Value(0)), default=Value(1))
    )


def short(text: str) -> bool:
    """Too short for a trigram: searched through the gram documents (grams.py)."""
    return len(text) <= grams.LONGEST
