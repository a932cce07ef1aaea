"""R&D fund milestone reports (issue 6): evidence, measurement datasets fitted by
ssb_portal.measurements, and the KPI values reached.
"""

import datetime
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ssb_portal import measurements
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.audit_chain.heads import audit_receipt
from ssb_portal.private_files import document_fill
from ssb_portal.stored_files import store_file
from subsidies.kpi import FITTED, REPORTED, fitted_kpi_values, value_problem
from subsidies.models import (
    AWARDED_STATUSES,
    Application,
    KpiTarget,
    Milestone,
    MilestoneKpiValue,
    MilestoneReport,
    ProgrammeKind,
)
from subsidies.services.guards import lock_application, require_applicant
from subsidies.services.notifications import notify_officials

DATASET_CONTENT_TYPES = {
    measurements.FORMAT_CSV: "text/csv",
    measurements.FORMAT_XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _read_dataset(
    upload: UploadedFile, kind: str, temperature_unit: str
) -> tuple[bytes, str, dict, dict[str, float]]:
    """The dataset's bytes, content type, fit and the KPI values the fit gives; a
    ValidationError on "dataset", "dataset_kind" or "temperature_unit" saying what is wrong."""
    if kind not in measurements.KINDS:
        raise ValidationError({"dataset_kind": _("Say what the dataset measures.")})
    if (
        kind == measurements.KIND_CONDUCTIVITY
        and temperature_unit not in measurements.TEMPERATURE_UNITS
    ):
        raise ValidationError(
            {"temperature_unit": _("Say whether the temperatures are in °C or K.")}
        )
    name = upload.name or ""
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError(
            {"dataset": _("“%(name)s” is not a CSV or XLSX file.") % {"name": name}}
        )
    if upload.size > measurements.DATASET_MAX_BYTES:
        raise ValidationError(
            {
                "dataset": _("The file is %(size)s; the limit is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(measurements.DATASET_MAX_BYTES),
                }
            }
        )
    content = upload.read()
    upload.seek(0)
    try:
        series = measurements.parse_dataset(content, kind, temperature_unit or None)
        fit = measurements.fit_series(series)
    except measurements.DatasetError as error:
        raise ValidationError({"dataset": error.messages}) from error
    return content, DATASET_CONTENT_TYPES[series["format"]], fit, fitted_kpi_values(fit)


def _clean_kpi_values(
    application: Application,
    values: Sequence[Mapping[str, Any]],
    fitted: dict[str, float] | None,
) -> list[tuple[KpiTarget, float, str]]:
    """Each KPI value of the report: a typed one as given, a fitted one as the dataset's fit
    gives it (whatever was typed), and the fit's values for the KPIs not typed at all."""
    targets = {target.kpi: target for target in application.kpi_targets.all()}
    errors: dict[str, list[str]] = {}
    cleaned = []
    seen: set[str] = set()
    for row in values:
        kpi = row.get("kpi")
        if kpi not in targets:
            errors.setdefault("values", []).append(
                _("“%(kpi)s” is not one of this project's KPIs.") % {"kpi": kpi}
            )
            continue
        if kpi in seen:
            errors.setdefault("values", []).append(
                _("“%(kpi)s” is reported twice.") % {"kpi": targets[kpi].get_kpi_display()}
            )
            continue
        seen.add(kpi)
        value, source = row.get("value"), row.get("source") or REPORTED
        problem = None
        if source not in (FITTED, REPORTED):
            problem = _("Say whether the value is fitted or reported.")
        elif source == FITTED and fitted is None:
            problem = _("A fitted value needs the measurement dataset it was fitted from.")
        elif source == FITTED and kpi not in fitted:
            problem = _("The dataset's fit gives no value for this KPI; report it as measured.")
        elif source == FITTED:
            value = fitted[kpi]
        problem = problem or value_problem(kpi, value)
        if problem:
            errors[kpi] = [problem]
        else:
            cleaned.append((targets[kpi], float(value), source))
    for kpi, value in (fitted or {}).items():
        if kpi in targets and kpi not in seen and value_problem(kpi, value) is None:
            cleaned.append((targets[kpi], value, FITTED))
    if errors:
        raise ValidationError(errors)
    return cleaned


def milestone_report_file(
    *,
    actor: AbstractBaseUser,
    application: Application,
    milestone: Milestone,
    reported_on: datetime.date | None,
    summary: str,
    evidence: UploadedFile | None,
    dataset: UploadedFile | None = None,
    dataset_kind: str = "",
    temperature_unit: str = "",
    values: Sequence[Mapping[str, Any]] = (),
) -> MilestoneReport:
    """An awarded R&D project's members report a milestone: summary, evidence PDF, optional
    measurement dataset (CSV/XLSX of conductivity or capacity, fitted by
    ssb_portal.measurements) and the KPI values reached. All or nothing: any bad part refuses
    the whole report and no file stays behind."""
    with transaction.atomic():
        application = lock_application(application)
        require_applicant(actor, application)
        if application.kind != ProgrammeKind.RD_FUND:
            raise ValidationError(_("Only R&D projects report milestones."))
        if application.status not in AWARDED_STATUSES:
            raise ValidationError(_("Milestones are reported once the application is approved."))
        if milestone.application_id != application.pk:
            raise ValidationError({"milestone": _("This milestone belongs to another project.")})
        errors: dict[str, list[str]] = {}
        summary = (summary or "").strip()
        if not summary:
            errors["summary"] = [_("Say what the milestone achieved.")]
        if reported_on is None:
            errors["reported_on"] = [_("Enter the date of the report.")]
        elif reported_on > timezone.localdate():
            errors["reported_on"] = [_("The date may not be in the future.")]
        if evidence is None:
            errors["evidence"] = [_("Attach the evidence as a PDF.")]
        content, content_type, fit, fitted = b"", "", None, None
        if dataset is not None:
            try:
                content, content_type, fit, fitted = _read_dataset(
                    dataset, dataset_kind, temperature_unit
                )
            except ValidationError as error:
                errors.update(error.message_dict)
        try:
            cleaned = _clean_kpi_values(application, values, fitted)
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)
        report = MilestoneReport(
            milestone=milestone,
            reported_on=reported_on,
            summary=summary,
            dataset_kind=dataset_kind if dataset is not None else "",
            temperature_unit=temperature_unit
            if dataset_kind == measurements.KIND_CONDUCTIVITY and dataset is not None
            else "",
            fit={key: value for key, value in fit.items() if key != "points"} if fit else None,
        )
        try:
            document_fill(report, upload=evidence, actor=actor)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from error
        if report.content_type != "application/pdf":
            report.file.storage.delete(report.file.name)
            raise ValidationError({"evidence": [_("The evidence must be a PDF.")]})
        try:
            if dataset is not None:
                report.dataset_sha256 = hashlib.sha256(content).hexdigest()
                report.dataset_name = dataset.name[-255:]
                report.dataset_content_type = content_type
                store_file(report.dataset, "dataset", dataset, field="dataset")
            report.save()
            MilestoneKpiValue.objects.bulk_create(
                MilestoneKpiValue(report=report, kpi_target=target, value=value, source=source)
                for target, value, source in cleaned
            )
            entry = audit_append(
                actor=actor,
                action="milestone_report",
                subject=application,
                data={
                    "milestone": milestone.pk,
                    "reported_on": reported_on.isoformat(),
                    "sha256": report.sha256,
                    "dataset_sha256": report.dataset_sha256,
                    "values": {t.kpi: [v, s] for t, v, s in cleaned},
                },
            )
            report.receipt = audit_receipt(entry)
        except BaseException:
            report.file.storage.delete(report.file.name)
            if report.dataset:
                report.dataset.storage.delete(report.dataset.name)
            raise
    notify_officials(application, gettext_lazy("milestone reported"))
    return report
