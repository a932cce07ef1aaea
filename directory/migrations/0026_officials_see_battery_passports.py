"""Officials read every battery passport, its versions and evidence in the admin (issue 19)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_batterypassport", "view_passportversion", "view_passportdocument"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Official").first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="directory", codename__in=CODENAMES)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Official").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="directory", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0025_battery_passports")]

    operations = [migrations.RunPython(grant, revoke)]
