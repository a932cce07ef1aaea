"""Officials run the scholarship funds and follow the talent programme in the admin.

They view every talent table, set the funds and record experts; the admin's forms call the
services, which check the role again. Universities and enterprises work on the pages.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "studyprogramme",
    "trainingbase",
    "student",
    "internship",
    "graduate",
    "overseasexpert",
    "expertbenefit",
    "scholarshipfund",
    "scholarshipapplication",
    "scholarshipreview",
    "talentevent",
]
CODENAMES = [f"view_{name}" for name in MODELS] + [
    "add_scholarshipfund",
    "change_scholarshipfund",
    "change_scholarshipapplication",
    "add_scholarshipreview",
    "add_overseasexpert",
    "change_overseasexpert",
]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="talent", codename__in=CODENAMES)


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
        ("talent", "0001_universities_internships_graduates_experts_scholarships"),
        ("directory", "0003_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
