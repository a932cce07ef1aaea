"""Stored search documents of enterprise and product names: a generated tsvector and pg_trgm
indexes on PostgreSQL, FTS5 trigram tables kept by triggers on SQLite (issue 17). Nothing the
models describe: the columns, tables and triggers live in the database only."""

from django.db import migrations

from directory.search import documents


def create(apps, schema_editor):
    documents.create(schema_editor.connection)


def drop(apps, schema_editor):
    documents.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0019_purchase_imports_wait_for_review"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
