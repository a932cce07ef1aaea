"""Technical evidence: measurement datasets behind product specs, their reports and fits."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.listings import Product
from ssb_portal.storage import private_storage


class DatasetKind(models.TextChoices):
    CONDUCTIVITY = "conductivity", _("Ionic conductivity against temperature")
    CAPACITY = "capacity", _("Discharge capacity against cycle number")


class TemperatureUnit(models.TextChoices):
    CELSIUS = "C", _("°C")
    KELVIN = "K", _("K")


class DatasetStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


def _dataset_file_name(instance: "MeasurementDataset", filename: str) -> str:
    return f"datasets/{instance.product_id}/{instance.sha256[:16]}-{instance.token}"


def _dataset_report_name(instance: "MeasurementDataset", filename: str) -> str:
    return f"datasets/{instance.product_id}/report-{instance.report_sha256[:16]}-{instance.token}"


class MeasurementDataset(models.Model):
    """Measured data (CSV/XLSX) behind a product's typed spec, its lab report and its fit.

    The data file and the report PDF are stored privately (no URL; a view serves them to the
    enterprise's members and officials). The parsed series and the fit are kept as JSON so
    pages show them without reading the file again.
    """

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="datasets"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DatasetKind.choices)
    temperature_unit = models.CharField(
        _("temperature unit"),
        max_length=1,
        choices=TemperatureUnit.choices,
        blank=True,
        help_text=_("The unit of the temperature column of a conductivity dataset."),
    )
    lab = models.CharField(_("laboratory"), max_length=160)
    method = models.CharField(_("method"), max_length=255)
    measured_on = models.DateField(_("measured on"))
    file = models.FileField(
        _("data file"), upload_to=_dataset_file_name, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    token = models.CharField(max_length=32, editable=False, verbose_name=_("download token"))
    report = models.FileField(
        _("report (PDF)"), upload_to=_dataset_report_name, storage=private_storage, max_length=200
    )
    report_name = models.CharField(_("report file name"), max_length=255)
    report_size_bytes = models.PositiveIntegerField(_("report size (bytes)"))
    report_sha256 = models.CharField(_("report SHA-256"), max_length=64)
    series = models.JSONField(_("measured series"), default=dict)
    fit = models.JSONField(_("fit results"), default=dict)
    contradicts_spec = models.BooleanField(
        _("contradicts the typed spec"),
        default=False,
        help_text=_("The fitted value differs from the product's typed spec beyond the tolerance."),
    )
    contradiction_note = models.TextField(_("contradiction"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DatasetStatus.choices, default=DatasetStatus.SUBMITTED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("measurement dataset")
        verbose_name_plural = _("measurement datasets")
        indexes = [
            models.Index(fields=["product", "kind", "status"], name="dataset_product_kind_status")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="conductivity") | Q(temperature_unit__in=["C", "K"]),
                name="dataset_conductivity_has_temperature_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.get_kind_display()} · {self.measured_on}"

    @property
    def fitted_value(self) -> float | None:
        """The fitted counterpart of the typed spec: σ at 25 °C (S/cm) or D (% per cycle)."""
        if self.kind == DatasetKind.CONDUCTIVITY:
            return self.fit.get("conductivity_25c_s_per_cm")
        return self.fit.get("decay_percent_per_cycle")

    @property
    def spec_field(self) -> str:
        """The product spec this dataset backs."""
        return "ionic_conductivity" if self.kind == DatasetKind.CONDUCTIVITY else "decay_rate"
