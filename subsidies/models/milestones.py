"""R&D fund milestone reports (issue 6): what an awarded project reports at each
milestone, its measurement dataset and the KPI values reached.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ssb_portal.private_files import PrivateDocument
from ssb_portal.storage import private_storage
from subsidies.models.applications import KpiTarget, Milestone


class DatasetKind(models.TextChoices):
    CONDUCTIVITY = "conductivity", _("Ionic conductivity against temperature")
    CAPACITY = "capacity", _("Discharge capacity against cycle number")


class TemperatureUnit(models.TextChoices):
    CELSIUS = "C", _("°C")
    KELVIN = "K", _("K")


class KpiValueSource(models.TextChoices):
    FITTED = "fitted", _("Fitted from the dataset")
    REPORTED = "reported", _("Reported")


def _dataset_stored_name(instance: "MilestoneReport", filename: str) -> str:
    # Random like the evidence's name: the uploader's file name is kept in a field only.
    return f"{instance.folder()}/{instance.dataset_sha256[:16]}-{instance.token}-data"


class MilestoneReport(PrivateDocument):
    """What an awarded R&D project reports at one milestone: a summary, the evidence (the
    PDF inherited as `file`), an optional measurement dataset and the KPI values reached."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_on = models.DateField(_("reported on"))
    summary = models.TextField(_("summary"))
    dataset = models.FileField(
        _("measurement dataset"),
        upload_to=_dataset_stored_name,
        storage=private_storage,
        blank=True,
        help_text=_("CSV or XLSX of the measurements behind the values."),
    )
    dataset_name = models.CharField(_("dataset file name"), max_length=255, blank=True)
    dataset_content_type = models.CharField(
        max_length=80, blank=True, verbose_name=_("dataset content type")
    )
    dataset_sha256 = models.CharField(_("dataset SHA-256"), max_length=64, blank=True)
    dataset_kind = models.CharField(
        _("dataset kind"), max_length=16, choices=DatasetKind.choices, blank=True
    )
    temperature_unit = models.CharField(
        _("temperature unit"), max_length=1, choices=TemperatureUnit.choices, blank=True
    )
    fit = models.JSONField(
        _("fit"),
        null=True,
        blank=True,
        help_text=_(
            "The fit of the dataset (ssb_portal.measurements.fit_series), points left out."
        ),
    )

    class Meta:
        ordering = ["reported_on", "pk"]
        verbose_name = _("milestone report")
        verbose_name_plural = _("milestone reports")

    def folder(self) -> str:
        return f"applications/{self.milestone.application_id}/milestones"


class MilestoneKpiValue(models.Model):
    """One KPI's value at a milestone report, measured from its dataset or typed."""

    report = models.ForeignKey(
        MilestoneReport,
        on_delete=models.CASCADE,
        related_name="kpi_values",
        verbose_name=_("report"),
    )
    kpi_target = models.ForeignKey(
        KpiTarget, verbose_name=_("KPI"), on_delete=models.CASCADE, related_name="reported_values"
    )
    value = models.FloatField(_("value"))
    source = models.CharField(_("source"), max_length=16, choices=KpiValueSource.choices)

    class Meta:
        ordering = ["report", "kpi_target"]
        verbose_name = _("reported KPI value")
        verbose_name_plural = _("reported KPI values")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kpi_target"], name="milestonekpivalue_once_per_report"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi_target.get_kpi_display()}: {self.value:g}"
