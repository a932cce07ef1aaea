"""Officials see the outgoing e-mail in the admin and resend what was not delivered (the
resend action needs the change permission; the rows themselves are never edited there)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_outgoingmail", "change_outgoingmail"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="ssb_portal", codename__in=CODENAMES)


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
        ("ssb_portal", "0009_outgoing_mail"),
        ("directory", "0003_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
