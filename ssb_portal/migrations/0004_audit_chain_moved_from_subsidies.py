"""ssb_portal takes over the audit chain's models from subsidies (its 0013). The tables keep
their names and rows (nothing is created), and the content types move with their permissions,
so the officials' view permission on the audit log carries over."""

from django.db import migrations, models

MODELS = ["auditentry", "auditchainhead"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if ContentType.objects.filter(app_label="ssb_portal", model=model).exists():
            continue
        ContentType.objects.filter(app_label="subsidies", model=model).update(
            app_label="ssb_portal"
        )


def return_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="ssb_portal", model__in=MODELS).update(
        app_label="subsidies"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ssb_portal", "0003_shared_cache_table"),
        ("subsidies", "0013_audit_chain_moves_to_ssb_portal"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditChainHead",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "last_sequence",
                            models.PositiveBigIntegerField(default=0, verbose_name="last sequence"),
                        ),
                        ("last_hash", models.CharField(max_length=64, verbose_name="last hash")),
                    ],
                    options={
                        "verbose_name": "audit chain head",
                        "db_table": "subsidies_auditchainhead",
                    },
                ),
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "sequence",
                            models.PositiveBigIntegerField(unique=True, verbose_name="sequence"),
                        ),
                        ("created_at", models.DateTimeField(verbose_name="at")),
                        ("actor_id", models.IntegerField(null=True, verbose_name="actor id")),
                        (
                            "actor_name",
                            models.CharField(blank=True, max_length=150, verbose_name="actor"),
                        ),
                        ("action", models.CharField(max_length=40, verbose_name="action")),
                        (
                            "object_type",
                            models.CharField(max_length=40, verbose_name="object type"),
                        ),
                        ("object_id", models.CharField(max_length=40, verbose_name="object id")),
                        ("data", models.JSONField(verbose_name="data")),
                        (
                            "previous_hash",
                            models.CharField(max_length=64, verbose_name="previous hash"),
                        ),
                        (
                            "entry_hash",
                            models.CharField(max_length=64, unique=True, verbose_name="hash"),
                        ),
                    ],
                    options={
                        "verbose_name": "audit entry",
                        "verbose_name_plural": "audit log",
                        "db_table": "subsidies_auditentry",
                        "ordering": ["sequence"],
                        "indexes": [
                            models.Index(fields=["object_type", "object_id"], name="audit_object")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, return_content_types),
    ]
