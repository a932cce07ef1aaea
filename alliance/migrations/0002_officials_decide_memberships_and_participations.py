"""Officials decide alliance memberships and confirm standards participations in the admin.

They may view every alliance table; the admin's actions call the services, which check the
role again. Demands, responses and collaborations belong to their members: officials read
them but do not change them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "alliancemember",
    "demand",
    "demandresponse",
    "meeting",
    "collaboration",
    "collaborationparty",
    "collaborationmilestone",
    "collaborationdocument",
    "standard",
    "standardparticipation",
    "allianceevent",
]
CODENAMES = [f"view_{name}" for name in MODELS] + [
    "change_alliancemember",
    "change_standardparticipation",
]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="alliance", codename__in=CODENAMES)


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
        ("alliance", "0001_members_demands_collaborations_standards"),
        ("directory", "0003_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
