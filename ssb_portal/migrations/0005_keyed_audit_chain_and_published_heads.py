"""The audit chain cannot be rolled back or forged (issue 16).

- Entries record the id of the secret that keyed their HMAC (empty for the plain-hash entries
  written before).
- Published heads: the chain's head as made public (daily, with notices and receipts).
- PostgreSQL: TRUNCATE of the entries, the head or the published heads is refused; published
  heads are append-only; the head row changes only by one append (the sequence grows by one
  and the hash is that of the entry of that sequence, chained to the old head).
- SQLite (development) has no TRUNCATE; it gets the head rule for UPDATE and INSERT. (A
  DELETE rule would stop the test suite's flush; deleted heads are caught by verification.)
"""

import django.utils.timezone
from django.db import migrations, models

POSTGRESQL = """
CREATE FUNCTION ssb_audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% may not be truncated: the audit chain is append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER subsidies_auditentry_no_truncate BEFORE TRUNCATE ON subsidies_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION ssb_audit_refuse_truncate();
CREATE TRIGGER subsidies_auditchainhead_no_truncate BEFORE TRUNCATE ON subsidies_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION ssb_audit_refuse_truncate();
CREATE TRIGGER ssb_portal_publishedhead_no_truncate BEFORE TRUNCATE ON ssb_portal_publishedhead
    FOR EACH STATEMENT EXECUTE FUNCTION ssb_audit_refuse_truncate();

CREATE FUNCTION ssb_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER ssb_portal_publishedhead_append_only
    BEFORE UPDATE OR DELETE ON ssb_portal_publishedhead
    FOR EACH ROW EXECUTE FUNCTION ssb_audit_refuse_change();

CREATE FUNCTION ssb_audit_head_only_appends() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the audit chain head cannot be deleted';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM subsidies_auditchainhead) THEN
            RAISE EXCEPTION 'the audit chain has one head';
        END IF;
        IF NEW.last_sequence = 0 AND NEW.last_hash = repeat('0', 64) THEN
            RETURN NEW;
        END IF;
        IF NOT EXISTS (
            SELECT 1 FROM subsidies_auditentry
            WHERE sequence = NEW.last_sequence AND entry_hash = NEW.last_hash
        ) THEN
            RAISE EXCEPTION 'the audit chain head must name an entry of the chain';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.id <> OLD.id OR NEW.last_sequence <> OLD.last_sequence + 1 OR NOT EXISTS (
        SELECT 1 FROM subsidies_auditentry
        WHERE sequence = NEW.last_sequence AND entry_hash = NEW.last_hash
          AND previous_hash = OLD.last_hash
    ) THEN
        RAISE EXCEPTION 'the audit chain head moves only by one append (from % to %)',
            OLD.last_sequence, NEW.last_sequence;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER subsidies_auditchainhead_only_appends
    BEFORE INSERT OR UPDATE OR DELETE ON subsidies_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION ssb_audit_head_only_appends();
"""
DROP_POSTGRESQL = """
DROP TRIGGER IF EXISTS subsidies_auditchainhead_only_appends ON subsidies_auditchainhead;
DROP FUNCTION IF EXISTS ssb_audit_head_only_appends();
DROP TRIGGER IF EXISTS ssb_portal_publishedhead_append_only ON ssb_portal_publishedhead;
DROP FUNCTION IF EXISTS ssb_audit_refuse_change();
DROP TRIGGER IF EXISTS ssb_portal_publishedhead_no_truncate ON ssb_portal_publishedhead;
DROP TRIGGER IF EXISTS subsidies_auditchainhead_no_truncate ON subsidies_auditchainhead;
DROP TRIGGER IF EXISTS subsidies_auditentry_no_truncate ON subsidies_auditentry;
DROP FUNCTION IF EXISTS ssb_audit_refuse_truncate();
"""
SQLITE = [
    """
CREATE TRIGGER subsidies_auditchainhead_only_appends BEFORE UPDATE ON subsidies_auditchainhead
WHEN NEW.id != OLD.id OR NEW.last_sequence != OLD.last_sequence + 1 OR NOT EXISTS (
    SELECT 1 FROM subsidies_auditentry
    WHERE sequence = NEW.last_sequence AND entry_hash = NEW.last_hash
      AND previous_hash = OLD.last_hash
)
BEGIN
    SELECT RAISE(ABORT, 'the audit chain head moves only by one append');
END
""",
    """
CREATE TRIGGER subsidies_auditchainhead_starts_at_an_entry
BEFORE INSERT ON subsidies_auditchainhead
WHEN EXISTS (SELECT 1 FROM subsidies_auditchainhead) OR NOT (
    (NEW.last_sequence = 0 AND NEW.last_hash = '0000000000000000000000000000000000000000000000000000000000000000')
    OR EXISTS (
        SELECT 1 FROM subsidies_auditentry
        WHERE sequence = NEW.last_sequence AND entry_hash = NEW.last_hash
    )
)
BEGIN
    SELECT RAISE(ABORT, 'the audit chain head must name an entry of the chain');
END
""",
]
DROP_SQLITE = [
    "DROP TRIGGER IF EXISTS subsidies_auditchainhead_only_appends",
    "DROP TRIGGER IF EXISTS subsidies_auditchainhead_starts_at_an_entry",
]


def guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # Through a cursor without parameters: the trigger messages' % are PL/pgSQL's.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def unguard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(DROP_POSTGRESQL)
    elif vendor == "sqlite":
        for statement in DROP_SQLITE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("ssb_portal", "0004_audit_chain_moved_from_subsidies"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="key id"),
        ),
        migrations.CreateModel(
            name="PublishedHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.PositiveBigIntegerField(verbose_name="sequence")),
                ("entry_hash", models.CharField(max_length=64, verbose_name="hash")),
                (
                    "published_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="published at"
                    ),
                ),
                (
                    "where",
                    models.CharField(
                        choices=[
                            ("daily", "daily publication"),
                            ("notice", "public notice"),
                            ("receipt", "submission receipt"),
                        ],
                        max_length=10,
                        verbose_name="published with",
                    ),
                ),
                ("day", models.DateField(blank=True, null=True, verbose_name="day")),
            ],
            options={
                "verbose_name": "published audit head",
                "verbose_name_plural": "published audit heads",
                "ordering": ["-published_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("where", "daily")),
                        fields=("day",),
                        name="audit_head_once_a_day",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("where", "daily"), _negated=True),
                            ("day__isnull", False),
                            _connector="OR",
                        ),
                        name="audit_head_daily_has_day",
                    ),
                ],
            },
        ),
        migrations.RunPython(guard, unguard),
    ]
