"""Officials publish LCR years and set the LCR trajectory in the admin.

They also see every firm's purchase lines and imports. The admin forms call
services.lcr_trajectory_set and lcr_year_publish, which check the role again.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "view_lcrtrajectory",
    "add_lcrtrajectory",
    "view_lcrpublication",
    "add_lcrpublication",
    "view_lcrpublishedfigure",
    "view_purchaseline",
    "view_purchaselinerevision",
    "view_purchaseimport",
]


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
    dependencies = [("directory", "0004_purchase_lines_and_lcr")]

    operations = [migrations.RunPython(grant, revoke)]
