"""The audit chain moves down to `ssb_portal.audit_chain`, so that every app (directory,
alliance, talent) can append its decisions to it. Only Django's picture of the models moves:
the tables keep their names, rows and triggers (ssb_portal's 0002 takes the models over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("subsidies", "0012_officials_accept_unconfirmed_purchase_lines"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditChainHead"),
                migrations.DeleteModel(name="AuditEntry"),
            ],
            database_operations=[],
        ),
    ]
