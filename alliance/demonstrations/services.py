"""Demonstration projects (issue 6): an operator records a project and files its field reports."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.demonstrations.models import DemonstrationProject, FieldReport
from alliance.services.common import record_event, require_member_of
from directory.models import Enterprise

#: Fields of a demonstration project its operator sets.
DEMONSTRATION_FIELDS = (
    "scenario",
    "name",
    "site",
    "system_size_kwh",
    "start_date",
    "status",
    "description",
)

#: Fields of a field report its operator files.
FIELD_REPORT_FIELDS = (
    "reported_on",
    "cycles_done",
    "capacity_retention_percent",
    "round_trip_efficiency_percent",
    "specific_energy_wh_per_kg",
    "volumetric_energy_wh_per_l",
    "peak_discharge_c_rate",
    "lowest_temperature_c",
    "highest_temperature_c",
    "incident_count",
    "incidents",
)


def demonstration_create(
    *,
    actor: AbstractBaseUser,
    operator: Enterprise,
    data: Mapping[str, Any],
    suppliers: Sequence[Enterprise] = (),
) -> DemonstrationProject:
    """A member of the operating organisation records a demonstration project (public)."""
    require_member_of(actor, operator.pk)
    project = DemonstrationProject(
        operator=operator,
        created_by=actor,
        **{name: data[name] for name in DEMONSTRATION_FIELDS if name in data},
    )
    project.name = (project.name or "").strip()
    project.site = (project.site or "").strip()
    if project.system_size_kwh is not None and project.system_size_kwh <= 0:
        raise ValidationError({"system_size_kwh": _("The system size must be above 0 kWh.")})
    project.full_clean(exclude=["operator", "created_by"])
    with transaction.atomic():
        project.save()
        project.suppliers.set(suppliers)
        record_event(actor=actor, action="demonstration_created", subject=project)
    return project


def field_report_file(
    *, actor: AbstractBaseUser, project: DemonstrationProject, data: Mapping[str, Any]
) -> FieldReport:
    """A member of the project's operator files what the system measured in the field."""
    require_member_of(actor, project.operator_id)
    report = FieldReport(
        project=project,
        filed_by=actor,
        **{name: data[name] for name in FIELD_REPORT_FIELDS if name in data},
    )
    report.incidents = (report.incidents or "").strip()
    if report.incident_count is None:
        report.incident_count = 0
    low, high = report.lowest_temperature_c, report.highest_temperature_c
    if low is not None and high is not None and low > high:
        raise ValidationError(
            {"highest_temperature_c": _("The highest temperature is below the lowest.")}
        )
    if report.incident_count and not report.incidents:
        raise ValidationError({"incidents": _("Describe the incidents you count.")})
    if report.reported_on is not None and report.reported_on < project.start_date:
        raise ValidationError({"reported_on": _("The report is dated before the project started.")})
    if report.reported_on is not None and report.reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("The report cannot be dated in the future.")})
    report.full_clean(exclude=["project", "filed_by"])
    with transaction.atomic():
        report.save()
        record_event(actor=actor, action="field_report_filed", subject=project)
    return report
