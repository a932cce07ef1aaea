"""Demonstration projects (issue 6): solid-state battery systems in real use, and what their
field reports measured.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Enterprise


class DemonstrationScenario(models.TextChoices):
    """The seed's three application scenarios, each judged against its own targets."""

    GRID_STORAGE = "grid_storage", _("Grid-side energy storage")
    DRONES = "drones", _("Low-altitude drones")
    HUMANOID_ROBOTS = "humanoid_robots", _("Humanoid robots")


class DemonstrationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPERATING = "operating", _("Operating")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class DemonstrationProject(models.Model):
    """A solid-state battery system in real use, shown publicly with its field results."""

    scenario = models.CharField(_("scenario"), max_length=20, choices=DemonstrationScenario.choices)
    name = models.CharField(_("project name"), max_length=200)
    site = models.CharField(_("site"), max_length=200, help_text=_("Where the system runs."))
    operator = models.ForeignKey(
        Enterprise,
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        related_name="demonstrations_operated",
    )
    suppliers = models.ManyToManyField(
        Enterprise,
        verbose_name=_("battery suppliers"),
        related_name="demonstrations_supplied",
        blank=True,
    )
    system_size_kwh = models.DecimalField(
        _("system size (kWh)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    start_date = models.DateField(_("start date"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DemonstrationStatus.choices,
        default=DemonstrationStatus.PLANNED,
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("demonstration project")
        verbose_name_plural = _("demonstration projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(system_size_kwh__gt=0), name="alliance_demonstration_size_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


REPORT_PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
#: Operating temperatures a report may state, °C.
TEMPERATURE_RANGE_C = (-100, 200)
REPORT_TEMPERATURE = [
    MinValueValidator(TEMPERATURE_RANGE_C[0]),
    MaxValueValidator(TEMPERATURE_RANGE_C[1]),
]
REPORT_NOT_NEGATIVE = [MinValueValidator(0)]


class FieldReport(models.Model):
    """What a demonstration project measured in the field up to a day.

    Every measurement is optional: a report gives what the operator measured. Percentages are
    0–100; capacity retention is the share of the initial capacity left after `cycles_done`.
    """

    project = models.ForeignKey(
        DemonstrationProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    reported_on = models.DateField(_("reported on"))
    cycles_done = models.PositiveIntegerField(_("cycles done"))
    capacity_retention_percent = models.DecimalField(
        _("capacity retention (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=REPORT_PERCENT,
    )
    round_trip_efficiency_percent = models.DecimalField(
        _("round-trip efficiency (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=REPORT_PERCENT,
    )
    specific_energy_wh_per_kg = models.DecimalField(
        _("specific energy (Wh/kg)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=REPORT_NOT_NEGATIVE,
    )
    volumetric_energy_wh_per_l = models.DecimalField(
        _("volumetric energy density (Wh/L)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=REPORT_NOT_NEGATIVE,
    )
    peak_discharge_c_rate = models.DecimalField(
        _("peak discharge rate (C)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=REPORT_NOT_NEGATIVE,
    )
    lowest_temperature_c = models.DecimalField(
        _("lowest operating temperature (°C)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=REPORT_TEMPERATURE,
    )
    highest_temperature_c = models.DecimalField(
        _("highest operating temperature (°C)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=REPORT_TEMPERATURE,
    )
    incident_count = models.PositiveIntegerField(_("incidents (count)"), default=0)
    incidents = models.TextField(_("incidents"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)

    class Meta:
        ordering = ["reported_on", "cycles_done", "pk"]
        verbose_name = _("field report")
        verbose_name_plural = _("field reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_retention_percent__isnull=True)
                | Q(capacity_retention_percent__gte=0, capacity_retention_percent__lte=100),
                name="alliance_report_retention_percent",
            ),
            models.CheckConstraint(
                condition=Q(round_trip_efficiency_percent__isnull=True)
                | Q(round_trip_efficiency_percent__gte=0, round_trip_efficiency_percent__lte=100),
                name="alliance_report_efficiency_percent",
            ),
            models.CheckConstraint(
                condition=Q(lowest_temperature_c__isnull=True)
                | Q(highest_temperature_c__isnull=True)
                | Q(lowest_temperature_c__lte=models.F("highest_temperature_c")),
                name="alliance_report_temperatures_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.reported_on}"
