"""Gram documents of enterprise and product names (every one- and two-character piece), so
that searches of one or two characters are served by an index too: a generated `text[]`
column with a GIN index on PostgreSQL, contentless FTS5 tables kept by triggers on SQLite
(issue 17). Nothing the models describe: the columns, tables and triggers live in the
database only."""

from django.db import migrations

from directory.search import grams


def create(apps, schema_editor):
    grams.create(schema_editor.connection)


def drop(apps, schema_editor):
    grams.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0021_lcr_ledger"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
