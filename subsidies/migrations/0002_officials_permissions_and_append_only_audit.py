"""Officials run the programmes in the admin; the audit log refuses edits in the database.

Officials may view every table of the programmes and act through the admin's actions, which
call the services (and these check the role again). Nobody is given change or delete on
audit entries. On PostgreSQL a trigger also refuses UPDATE and DELETE of audit entries, so
not even a raw SQL session of the application can rewrite the record; on SQLite (one machine,
development) the model's own guard and `verify_audit_log` stand in for it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "programme",
    "application",
    "claimedline",
    "kpitarget",
    "milestone",
    "document",
    "transition",
    "message",
    "review",
    "appeal",
    "notice",
    "objection",
    "disbursementbatch",
    "recovery",
    "repayment",
    "conflictdeclaration",
    "supportcap",
    "auditentry",
]
SUBSIDIES_CODENAMES = [f"view_{name}" for name in MODELS] + [
    "add_programme",
    "change_programme",
    "change_application",
    "add_message",
    "add_review",
    "change_review",
    "change_appeal",
    "add_notice",
    "change_objection",
    "add_disbursementbatch",
    "change_disbursementbatch",
    "add_recovery",
    "change_recovery",
    "add_conflictdeclaration",
    "add_supportcap",
]
DIRECTORY_CODENAMES = ["view_enterprisegroup", "add_enterprisegroup", "change_enterprisegroup"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.filter(
            content_type__app_label="subsidies", codename__in=SUBSIDIES_CODENAMES
        )
    ) + list(
        Permission.objects.filter(
            content_type__app_label="directory", codename__in=DIRECTORY_CODENAMES
        )
    )


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Official").first()
    if group is not None:
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Official").first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


APPEND_ONLY_SQL = """
CREATE FUNCTION subsidies_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'subsidies_auditentry is append-only';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER subsidies_auditentry_append_only
    BEFORE UPDATE OR DELETE ON subsidies_auditentry
    FOR EACH ROW EXECUTE FUNCTION subsidies_audit_append_only();
"""
DROP_APPEND_ONLY_SQL = """
DROP TRIGGER IF EXISTS subsidies_auditentry_append_only ON subsidies_auditentry;
DROP FUNCTION IF EXISTS subsidies_audit_append_only();
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_ONLY_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("subsidies", "0001_programmes_applications_and_safeguards"),
        ("directory", "0007_enterprise_groups"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
        migrations.RunPython(append_only, drop_append_only),
    ]
