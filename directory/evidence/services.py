"""Measured datasets: uploaded with their lab report and fitted, then accepted or rejected by
an official."""

import datetime
import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from directory.access import require_member
from directory.audit import notify_members_of_decision, record_status_change
from directory.models import DatasetKind, DatasetStatus, MeasurementDataset, Product
from directory.workflow import DATASET_WORKFLOW, OFFICIAL
from ssb_portal import measurements
from ssb_portal.mail import absolute_url, official_emails, send_mail_on_commit
from ssb_portal.private_files import require_pdf_upload
from ssb_portal.roles import is_official
from ssb_portal.stored_files import store_file
from ssb_portal.workflow import transition

#: before the dataset is flagged to officials as contradicting the spec.
SPEC_CONTRADICTION_TOLERANCE = 0.20

#: File name endings accepted for each data file format (the content decides the format).
DATASET_EXTENSIONS = {
    measurements.FORMAT_CSV: (".csv", ".txt"),
    measurements.FORMAT_XLSX: (".xlsx",),
}


def _read_dataset_upload(upload) -> bytes:
    if upload.size > measurements.DATASET_MAX_BYTES:
        raise ValidationError(
            {
                "data_file": _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
                % {"size": upload.size, "limit": measurements.DATASET_MAX_BYTES}
            }
        )
    content = b"".join(upload.chunks())
    upload.seek(0)
    return content


def _check_report(upload) -> None:
    """The report must be a PDF, by content and name; errors on the field "report"."""
    require_pdf_upload(upload, field="report", not_pdf=_("The report must be a PDF file."))


def dataset_contradiction(product: Product, kind: str, fit: dict) -> str:
    """Why the fitted value contradicts the product's typed spec, or "" when it does not.

    σ at 25 °C is compared with the typed ionic conductivity, D (% per cycle) with the typed
    decay rate; they contradict when they differ by more than SPEC_CONTRADICTION_TOLERANCE of
    the typed value. A spec that is not typed cannot be contradicted.
    """
    if kind == DatasetKind.CONDUCTIVITY:
        typed, fitted = product.ionic_conductivity, fit.get("conductivity_25c_s_per_cm")
        label, unit = _("ionic conductivity"), "S/cm"
    else:
        typed, fitted = product.decay_rate, fit.get("decay_percent_per_cycle")
        label, unit = _("capacity decay"), "%/cycle"
    if typed is None or fitted is None:
        return ""
    if typed == 0:
        differs = abs(fitted) > 0
    else:
        differs = abs(fitted - typed) > SPEC_CONTRADICTION_TOLERANCE * abs(typed)
    if not differs:
        return ""
    return _(
        "The typed %(spec)s is %(typed).4g %(unit)s but its data fit %(fitted).4g %(unit)s "
        "(more than %(tolerance)s %% apart)."
    ) % {
        "spec": label,
        "typed": typed,
        "fitted": fitted,
        "unit": unit,
        "tolerance": round(SPEC_CONTRADICTION_TOLERANCE * 100),
    }


@transaction.atomic
def dataset_upload(
    *,
    actor: AbstractBaseUser,
    product: Product,
    kind: str,
    temperature_unit: str = "",
    lab: str,
    method: str,
    measured_on: datetime.date,
    data_file,
    report,
) -> MeasurementDataset:
    """A member attaches measured data and its lab report to a product; the data are fitted.

    Bad data are refused with every row error on "data_file"; nothing is stored unless the
    file reads, fits and the report is a PDF. A fit that contradicts the typed spec is saved,
    flagged and reported to the officials by email.
    """
    require_member(actor, product.enterprise)
    if kind not in DatasetKind.values:
        raise ValidationError({"kind": _("Choose what the data measure.")})
    if kind == DatasetKind.CONDUCTIVITY and temperature_unit not in ("C", "K"):
        raise ValidationError(
            {"temperature_unit": _("State whether the temperatures are in °C or K.")}
        )
    if kind == DatasetKind.CAPACITY:
        temperature_unit = ""
    content = _read_dataset_upload(data_file)
    try:
        series = measurements.parse_dataset(content, kind, temperature_unit or None)
        fit = measurements.fit_series(series)
    except measurements.DatasetError as error:
        raise ValidationError({"data_file": error.messages}) from error
    if not data_file.name.lower().endswith(DATASET_EXTENSIONS[series["format"]]):
        raise ValidationError(
            {
                "data_file": _("“%(name)s” is a %(format)s file but its name says otherwise.")
                % {"name": data_file.name, "format": series["format"].upper()}
            }
        )
    _check_report(report)
    contradiction = dataset_contradiction(product, kind, fit)
    dataset = MeasurementDataset(
        product=product,
        kind=kind,
        temperature_unit=temperature_unit,
        lab=lab.strip(),
        method=method.strip(),
        measured_on=measured_on,
        original_name=data_file.name[-255:],
        file_format=series["format"],
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        token=secrets.token_hex(16),
        report_name=report.name[-255:],
        report_size_bytes=report.size,
        report_sha256=_sha256_of(report),
        series=series,
        fit=fit,
        contradicts_spec=bool(contradiction),
        contradiction_note=contradiction,
        uploaded_by=actor,
    )
    dataset.full_clean(exclude=["file", "report"])
    store_file(dataset.file, "data", ContentFile(content), field="data_file")
    try:
        store_file(dataset.report, "report", report, field="report")
    except ValidationError:
        dataset.file.storage.delete(dataset.file.name)
        raise
    dataset.save()
    record_status_change(
        enterprise=product.enterprise,
        product=product,
        actor=actor,
        from_status=product.status,
        to_status=product.status,
        reason=_("Measurement data attached to %(name)s: %(kind)s")
        % {"name": product.name, "kind": dataset.get_kind_display()},
    )
    if contradiction:
        send_mail_on_commit(
            lambda: _("SSB Portal: data contradict the spec of %(name)s") % {"name": product.name},
            # Worded again for each reader: the stored note is in the uploader's language.
            lambda: _("%(enterprise)s uploaded data for %(name)s. %(contradiction)s")
            % {
                "enterprise": product.enterprise.name_zh,
                "name": product.name,
                "contradiction": dataset_contradiction(product, kind, fit),
            }
            + "\n\n"
            + absolute_url(reverse("admin:directory_measurementdataset_change", args=[dataset.pk])),
            official_emails(),
        )
    return dataset


def _sha256_of(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _dataset_decide(
    *, actor: AbstractBaseUser, dataset: MeasurementDataset, target: str, reason: str
) -> MeasurementDataset:
    if not is_official(actor):
        raise PermissionDenied(_("Only officials may accept or reject measurement data."))
    dataset = (
        MeasurementDataset.objects.select_for_update()
        .select_related("product__enterprise")
        .get(pk=dataset.pk)
    )

    def decide(_current: str, _target: str) -> None:
        dataset.decided_by = actor
        dataset.decided_at = timezone.now()
        dataset.decision_reason = reason

    product = dataset.product
    transition(
        dataset,
        DATASET_WORKFLOW,
        target=target,
        roles=OFFICIAL,
        prepare=decide,
        also_update=["decided_by", "decided_at", "decision_reason"],
        record=lambda _current, _target: record_status_change(
            enterprise=product.enterprise,
            product=product,
            actor=actor,
            from_status=product.status,
            to_status=product.status,
            reason=_("Measurement data of %(name)s (%(kind)s) %(decision)s. %(reason)s")
            % {
                "name": product.name,
                "kind": dataset.get_kind_display(),
                "decision": DatasetStatus(target).label.lower(),
                "reason": reason,
            },
        ),
    )
    notify_members_of_decision(
        product.enterprise,
        lazy(lambda: _("Measurement data of %(name)s") % {"name": product.name}, str)(),
        DatasetStatus(target).label,
        reason,
    )
    return dataset


@transaction.atomic
def dataset_accept(
    *, actor: AbstractBaseUser, dataset: MeasurementDataset, reason: str = ""
) -> MeasurementDataset:
    """An official accepts the data: the fit now backs the product's spec."""
    return _dataset_decide(
        actor=actor, dataset=dataset, target=DatasetStatus.ACCEPTED, reason=reason.strip()
    )


@transaction.atomic
def dataset_reject(
    *, actor: AbstractBaseUser, dataset: MeasurementDataset, reason: str
) -> MeasurementDataset:
    """An official rejects the data, saying why (the members are told)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the data are rejected.")})
    return _dataset_decide(
        actor=actor, dataset=dataset, target=DatasetStatus.REJECTED, reason=reason.strip()
    )
