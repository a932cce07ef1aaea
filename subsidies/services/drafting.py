"""Drafting an application: its claim fields, purchase lines, R&D plan and documents."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Enterprise, PurchaseLine
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.private_files import document_fill
from subsidies import rules
from subsidies.models import (
    EDITABLE_STATUSES,
    Application,
    ClaimedLine,
    Document,
    DocumentKind,
    KpiTarget,
    Milestone,
    Programme,
    ProgrammeKind,
    StandardRole,
)
from subsidies.selectors.access import is_applicant_member
from subsidies.selectors.eligibility import claimable_lines
from subsidies.services.guards import lock_application, require_applicant

#: What an applicant may set on an application, by programme kind (summary is common).
CLAIM_FIELDS: dict[str, tuple[str, ...]] = {
    ProgrammeKind.LOCAL_PROCUREMENT: (),
    ProgrammeKind.DEMONSTRATION_PROCUREMENT: ("scenario", "scenario_site"),
    ProgrammeKind.STANDARDS_REWARD: ("standard_participation",),
    ProgrammeKind.NATIONAL_MATCHING: (
        "project_name",
        "approving_ministry",
        "document_number",
        "total_investment_cny",
    ),
    ProgrammeKind.RD_FUND: ("requested_amount_cny",),
    ProgrammeKind.ENERGY_QUOTA: ("standard_quota_tce",),
    ProgrammeKind.LAND_PRIORITY: (
        "land_area_m2",
        "land_use",
        "planned_investment_cny",
        "planned_jobs",
    ),
}

#: Copied from the standards participation a claim points to.
DERIVED_STANDARD_FIELDS = (
    "standard_body",
    "standard_number",
    "standard_title",
    "standard_is_international",
    "standard_role",
    "standard_key",
)
#: The alliance's participation roles -> the reward rule's roles.
REWARD_ROLE = {"lead": StandardRole.LEAD, "participant": StandardRole.PARTICIPATE}


def _copy_standard(application: Application) -> None:
    """Fill the standard's fields from the confirmed participation the claim points to."""
    participation = application.standard_participation
    if participation is None:
        application.standard_body = application.standard_number = ""
        application.standard_title = application.standard_role = application.standard_key = ""
        application.standard_is_international = False
        return
    if participation.enterprise_id != application.applicant_id:
        raise ValidationError(
            {"standard_participation": _("Choose a participation of the applicant itself.")}
        )
    standard = participation.standard
    application.standard_body = standard.body
    application.standard_number = standard.number
    application.standard_title = standard.title
    application.standard_is_international = standard.is_international
    application.standard_role = REWARD_ROLE[participation.role]
    application.standard_key = standard.key


def _clean_claim_fields(application: Application) -> None:
    if application.kind == ProgrammeKind.STANDARDS_REWARD:
        _copy_standard(application)
    application.document_key = (
        rules.document_key(application.document_number)
        if application.kind == ProgrammeKind.NATIONAL_MATCHING and application.document_number
        else ""
    )
    # The claim constraints are left to the database: _save_claim names the field they guard.
    application.full_clean(
        exclude=["programme", "applicant", "created_by"], validate_constraints=False
    )


def _save_claim(application: Application, update_fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            application.save(update_fields=update_fields)
    except IntegrityError as error:
        if application.kind == ProgrammeKind.STANDARDS_REWARD:
            raise ValidationError(
                {
                    "standard_participation": _(
                        "Your enterprise has already claimed a reward for this standard."
                    )
                }
            ) from error
        raise ValidationError(
            {"document_number": _("This national project has already been claimed.")}
        ) from error


def _apply_fields(application: Application, data: Mapping[str, Any]) -> list[str]:
    allowed = ("summary", *CLAIM_FIELDS[application.kind])
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(
            {name: _("This programme does not use this field.") for name in unknown}
        )
    for name, value in data.items():
        setattr(application, name, value)
    return list(data)


def application_create(
    *,
    actor: AbstractBaseUser,
    programme: Programme,
    applicant: Enterprise,
    data: Mapping[str, Any] | None = None,
) -> Application:
    """Start a draft. Anyone of the applicant may; eligibility is checked at submission."""
    if not is_applicant_member(actor, Application(applicant=applicant)):
        raise PermissionDenied(_("Only members of the applicant may do this."))
    if timezone.localdate() > programme.closes_on:
        raise ValidationError(
            {"programme": _("This programme closed on %(day)s.") % {"day": programme.closes_on}}
        )
    with transaction.atomic():
        application = Application(
            programme=programme, kind=programme.kind, applicant=applicant, created_by=actor
        )
        _apply_fields(application, data or {})
        _clean_claim_fields(application)
        _save_claim(application)
        audit_append(
            actor=actor,
            action="created",
            subject=application,
            data={"programme": programme.pk, "applicant": applicant.uscc},
        )
    return application


def _require_editable(actor: AbstractBaseUser, application: Application) -> None:
    require_applicant(actor, application)
    if application.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Only a draft or a returned application can be changed; this one is “%(status)s”.")
            % {"status": application.get_status_display()}
        )


def application_update(
    *, actor: AbstractBaseUser, application: Application, data: Mapping[str, Any]
) -> Application:
    with transaction.atomic():
        application = lock_application(application)
        _require_editable(actor, application)
        fields = _apply_fields(application, data)
        _clean_claim_fields(application)
        derived = [*DERIVED_STANDARD_FIELDS, "document_key", "updated_at"]
        _save_claim(application, update_fields=[*fields, *derived])
    return application


def application_set_lines(
    *, actor: AbstractBaseUser, application: Application, line_ids: Iterable[int]
) -> list[ClaimedLine]:
    """Replace the claimed purchase lines. Only lines the programme could pay for are taken."""
    wanted = sorted(set(line_ids))
    with transaction.atomic():
        application = lock_application(application)
        _require_editable(actor, application)
        if not application.programme.claims_lines:
            raise ValidationError(_("This programme does not pay for purchase lines."))
        claimable = {line.pk: line for line in claimable_lines(application).filter(pk__in=wanted)}
        refused = [pk for pk in wanted if pk not in claimable]
        if refused:
            lines = PurchaseLine.objects.filter(pk__in=refused, buyer_id=application.applicant_id)
            named = ", ".join(f"{line.invoice_no}/{line.line_no}" for line in lines) or ", ".join(
                str(pk) for pk in refused
            )
            raise ValidationError(
                {
                    "lines": _(
                        "These lines cannot be claimed here (not yours, not from a verified "
                        "local supplier in an eligible category and the programme year, not "
                        "confirmed by the supplier, or already claimed): %(lines)s"
                    )
                    % {"lines": named}
                }
            )
        application.claimed_lines.exclude(purchase_line_id__in=wanted).delete()
        present = set(application.claimed_lines.values_list("purchase_line_id", flat=True))
        new = [
            ClaimedLine(
                application=application,
                purchase_line=line,
                amount_cny=line.amount,
                supplier_uscc=line.supplier_id,
                # As stored: every way in checks a code as 10 or 12 ASCII digits.
                invoice_code=line.invoice_code,
                invoice_key=rules.invoice_key(line.invoice_no),
                line_no=line.line_no,
                invoice_date=line.invoice_date,
            )
            for pk, line in claimable.items()
            if pk not in present
        ]
        try:
            with transaction.atomic():
                ClaimedLine.objects.bulk_create(new)
        except IntegrityError as error:
            raise ValidationError(
                {
                    "lines": _(
                        "One of these invoice lines is already claimed, possibly under a "
                        "differently written invoice number."
                    )
                }
            ) from error
        audit_append(actor=actor, action="lines", subject=application, data={"lines": wanted})
    return list(application.claimed_lines.all())


def application_set_plan(
    *,
    actor: AbstractBaseUser,
    application: Application,
    kpis: Sequence[Mapping[str, Any]],
    milestones: Sequence[Mapping[str, Any]],
) -> None:
    """Replace an R&D proposal's KPI targets and milestones."""
    with transaction.atomic():
        application = lock_application(application)
        _require_editable(actor, application)
        if application.kind != ProgrammeKind.RD_FUND:
            raise ValidationError(_("Only R&D proposals have KPIs and milestones."))
        if application.milestones.filter(reports__isnull=False).exists():
            # Reported milestones are evidence of public money spent: the plan stays as it was.
            raise ValidationError(
                _("Milestones have been reported on; the plan can no longer be replaced.")
            )
        targets = [
            KpiTarget(
                application=application,
                kpi=row.get("kpi"),
                baseline_value=row.get("baseline_value"),
                target_value=row.get("target_value"),
            )
            for row in kpis
        ]
        plan = [
            Milestone(
                application=application,
                title=row.get("title", ""),
                due_on=row.get("due_on"),
                deliverable=row.get("deliverable", ""),
            )
            for row in milestones
        ]
        errors = {}
        for index, item in enumerate(targets):
            try:
                item.full_clean(exclude=["application"])
            except ValidationError as error:
                errors[f"kpis[{index}]"] = error.messages
        for index, item in enumerate(plan):
            try:
                item.full_clean(exclude=["application"])
            except ValidationError as error:
                errors[f"milestones[{index}]"] = error.messages
        if len({item.kpi for item in targets}) != len(targets):
            errors["kpis"] = [_("Each KPI may appear once.")]
        if errors:
            raise ValidationError(errors)
        application.kpi_targets.all().delete()
        application.milestones.all().delete()
        KpiTarget.objects.bulk_create(targets)
        Milestone.objects.bulk_create(plan)


def document_add(
    *, actor: AbstractBaseUser, application: Application, kind: str, upload: UploadedFile
) -> Document:
    """Attach a PDF, JPEG or PNG after checking its content and size; stored privately."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose what kind of document this is.")})
    with transaction.atomic():
        application = lock_application(application)
        _require_editable(actor, application)
        document = Document(application=application, kind=kind)
        document_fill(document, upload=upload, actor=actor)
        try:
            document.save()
            audit_append(
                actor=actor,
                action="document",
                subject=application,
                data={"kind": kind, "sha256": document.sha256, "name": document.original_name},
            )
        except BaseException:
            document.file.storage.delete(document.file.name)
            raise
    return document


def document_delete(*, actor: AbstractBaseUser, document: Document) -> None:
    with transaction.atomic():
        application = lock_application(document.application)
        _require_editable(actor, application)
        stored = document.file.name
        storage = document.file.storage
        document.delete()
        audit_append(
            actor=actor,
            action="document_removed",
            subject=application,
            data={"kind": document.kind, "sha256": document.sha256},
        )
        transaction.on_commit(lambda: storage.delete(stored))
