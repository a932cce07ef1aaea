"""Officials read the record of reminders sent in the admin; nobody adds, edits or deletes it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def _permission(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="ssb_portal", codename="view_sentreminder"
    )


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Official").first()
    if group is not None:
        group.permissions.add(*_permission(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Official").first()
    if group is not None:
        group.permissions.remove(*_permission(apps))


class Migration(migrations.Migration):
    dependencies = [("ssb_portal", "0006_reminders_sent_once_and_opt_outs")]

    operations = [migrations.RunPython(grant, revoke)]
