"""Officials see failed logins and lockouts in the admin (django-axes) and clear a lockout by
deleting its access attempt; they read the log of logins. Nobody adds or edits these records."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "view_accessattempt",
    "delete_accessattempt",
    "view_accesslog",
    "view_accessfailurelog",
]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="axes", codename__in=CODENAMES)


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


class Migration(migrations.Migration):
    dependencies = [
        ("ssb_portal", "0001_language_preference"),
        ("axes", "0010_accessattemptexpiration"),
        ("directory", "0003_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
