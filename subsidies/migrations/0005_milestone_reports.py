"""Milestone reports of awarded R&D projects and the KPI values they report.

Officials may view both tables in the admin (the permission is granted here, after the tables
exist, like 0002 does for the first tables); nobody adds or changes them there: members report
through the service.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import ssb_portal.private_files
import ssb_portal.storage
import subsidies.models

CODENAMES = ["view_milestonereport", "view_milestonekpivalue"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("subsidies")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Official").first()
    if group is not None:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="subsidies", codename__in=CODENAMES)
        )


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Official").first()
    if group is not None:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="subsidies", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("subsidies", "0004_standards_claims_point_to_confirmed_participations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MilestoneReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        storage=ssb_portal.storage.PrivateStorage(),
                        upload_to=ssb_portal.private_files._stored_name,
                        verbose_name="file",
                    ),
                ),
                ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                ("content_type", models.CharField(max_length=40, verbose_name="content type")),
                ("size_bytes", models.PositiveIntegerField(verbose_name="size (bytes)")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("token", models.CharField(editable=False, max_length=32)),
                (
                    "uploaded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="uploaded at"
                    ),
                ),
                ("reported_on", models.DateField(verbose_name="reported on")),
                ("summary", models.TextField(verbose_name="summary")),
                (
                    "dataset",
                    models.FileField(
                        blank=True,
                        help_text="CSV or XLSX of the measurements behind the values.",
                        storage=ssb_portal.storage.PrivateStorage(),
                        upload_to=subsidies.models._dataset_stored_name,
                        verbose_name="measurement dataset",
                    ),
                ),
                (
                    "dataset_name",
                    models.CharField(blank=True, max_length=255, verbose_name="dataset file name"),
                ),
                ("dataset_content_type", models.CharField(blank=True, max_length=80)),
                (
                    "dataset_sha256",
                    models.CharField(blank=True, max_length=64, verbose_name="dataset SHA-256"),
                ),
                (
                    "dataset_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("conductivity", "Ionic conductivity against temperature"),
                            ("capacity", "Discharge capacity against cycle number"),
                        ],
                        max_length=16,
                        verbose_name="dataset kind",
                    ),
                ),
                (
                    "temperature_unit",
                    models.CharField(
                        blank=True,
                        choices=[("C", "°C"), ("K", "K")],
                        max_length=1,
                        verbose_name="temperature unit",
                    ),
                ),
                (
                    "fit",
                    models.JSONField(
                        blank=True,
                        help_text="The fit of the dataset (ssb_portal.measurements.fit_series), points left out.",
                        null=True,
                        verbose_name="fit",
                    ),
                ),
                (
                    "milestone",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="subsidies.milestone",
                        verbose_name="milestone",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "milestone report",
                "verbose_name_plural": "milestone reports",
                "ordering": ["reported_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="MilestoneKpiValue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.FloatField(verbose_name="value")),
                (
                    "source",
                    models.CharField(
                        choices=[("fitted", "Fitted from the dataset"), ("reported", "Reported")],
                        max_length=16,
                        verbose_name="source",
                    ),
                ),
                (
                    "kpi_target",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reported_values",
                        to="subsidies.kpitarget",
                        verbose_name="KPI",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="kpi_values",
                        to="subsidies.milestonereport",
                    ),
                ),
            ],
            options={
                "verbose_name": "reported KPI value",
                "verbose_name_plural": "reported KPI values",
                "ordering": ["report", "kpi_target"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("report", "kpi_target"), name="milestonekpivalue_once_per_report"
                    )
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
