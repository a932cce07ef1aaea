"""The portal's roles as groups with their permissions.

Officials work in the Django admin: they view and change listings (status only through the
admin actions). Enterprise members work in the portal's own pages, where access is checked
per object; their model permissions let them edit their own profile, products and
certificates.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MEMBER_PERMISSIONS = [
    "view_enterprise",
    "change_enterprise",
    "add_product",
    "change_product",
    "delete_product",
    "view_product",
    "add_certification",
    "change_certification",
    "delete_certification",
    "view_certification",
    "add_invitation",
    "view_membership",
    "delete_membership",
]
GROUP_PERMISSIONS = {
    "SME": MEMBER_PERMISSIONS,
    "Anchor enterprise": MEMBER_PERMISSIONS,
    "Official": [
        "view_enterprise",
        "change_enterprise",
        "view_product",
        "change_product",
        "view_certification",
        "view_statuschange",
        "view_membership",
        "view_invitation",
        "view_district",
        "view_supplycategory",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to assign them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="directory", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_load_districts_and_categories"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
