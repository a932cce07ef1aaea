"""Every change of state in the support programmes: one function per user action.

Each runs in one transaction, checks who may act, records the change (a Transition row for
the application's history and an entry in the hash-chained audit log) and sends email only
after commit. Money moves (approval, notice, payment, recovery) lock the programme's row and
the enterprise's (or its group's) row, always in that order, so concurrent decisions can
neither overspend a budget nor pass a cap, nor deadlock each other.
"""

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import Enterprise, EnterpriseGroup, PurchaseLine, SupplyCategory
from directory.selectors import member_emails
from ssb_portal import measurements
from ssb_portal.mail import absolute_url, official_emails, send_mail_on_commit
from ssb_portal.private_files import document_fill
from ssb_portal.roles import is_official
from subsidies import rules, selectors
from subsidies.audit import audit_append
from subsidies.kpi import FITTED, REPORTED, fitted_kpi_values, value_problem
from subsidies.models import (
    AWARDED_STATUSES,
    EDITABLE_STATUSES,
    RELEASED_STATUSES,
    Appeal,
    AppealOutcome,
    Application,
    ApplicationStatus,
    ClaimedLine,
    ConflictDeclaration,
    DisbursementBatch,
    Document,
    DocumentKind,
    KpiTarget,
    Message,
    Milestone,
    MilestoneKpiValue,
    MilestoneReport,
    Notice,
    Objection,
    ObjectionStatus,
    Programme,
    ProgrammeKind,
    Recovery,
    RecoveryReason,
    RecoveryStatus,
    Repayment,
    Review,
    StandardRole,
    SupportCap,
    Transition,
)
from subsidies.workflow import APPLICANT, OFFICIAL, allowed_role

S = ApplicationStatus
#: While an application is in these states its reviewers may fill in or change their scores.
REVIEWABLE_STATUSES = (S.SUBMITTED, S.UNDER_REVIEW, S.AWAITING_CONFIRMATION)

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


# --- helpers ----------------------------------------------------------------------------------


def _application_url(application: Application) -> str:
    return absolute_url(reverse("subsidies:application", args=[application.pk]))


def _notify_applicant(application: Application, what: Promise, note: str = "") -> None:
    """`what` is a lazy translation, so that each reader gets it in their language."""

    def body() -> str:
        text = _("%(programme)s, application #%(pk)s: %(what)s") % {
            "programme": application.programme.name_zh,
            "pk": application.pk,
            "what": what,
        }
        return "\n\n".join(part for part in (text, note, _application_url(application)) if part)

    send_mail_on_commit(
        lambda: _("SSB Portal: application #%(pk)s %(what)s")
        % {"pk": application.pk, "what": what},
        body,
        member_emails(application.applicant),
    )


def _notify_officials(application: Application, what: Promise) -> None:
    """`what` is a lazy translation, so that each official gets it in their language."""
    send_mail_on_commit(
        lambda: _("SSB Portal: waiting for you: %(what)s") % {"what": what},
        lambda: _("%(applicant)s, application #%(pk)s: %(what)s")
        % {"applicant": application.applicant.name_zh, "pk": application.pk, "what": what}
        + "\n\n"
        + _application_url(application),
        official_emails(),
    )


def _require_applicant(actor: AbstractBaseUser, application: Application) -> None:
    if not selectors.is_applicant_member(actor, application):
        raise PermissionDenied(_("Only members of the applicant may do this."))


def _require_official(actor: AbstractBaseUser) -> None:
    if not is_official(actor):
        raise PermissionDenied(_("Only officials may do this."))


def _require_no_conflict(actor: AbstractBaseUser, application: Application) -> None:
    """Separation of duties: nobody decides on their own organisation or a declared conflict."""
    reason = selectors.conflict_of_interest(actor, application.applicant)
    if reason:
        raise PermissionDenied(
            _("You may not review or decide this application. %(reason)s") % {"reason": reason}
        )


def _require_note(note: str, what: str, *, field: str = "note") -> str:
    """The stripped text, or a ValidationError on `field` asking for it."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({field: _("Give the reason for %(what)s.") % {"what": what}})
    return note


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("programme", "applicant__district")
        .get(pk=application.pk)
    )


def _lock_programme(programme_id: int) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme_id)


def _lock_recipient(enterprise: Enterprise) -> None:
    """Lock the row whose awards one cap counts: the group's, or the enterprise's own."""
    if enterprise.group_id is not None:
        EnterpriseGroup.objects.select_for_update().get(pk=enterprise.group_id)
    else:
        Enterprise.objects.select_for_update().only("pk").get(pk=enterprise.pk)


def _claims_follow(application: Application) -> None:
    """Keep the claimed lines' mirror of "this application still holds its claims" in step."""
    holds = application.status not in RELEASED_STATUSES
    try:
        with transaction.atomic():
            application.claimed_lines.exclude(holds_claim=holds).update(holds_claim=holds)
    except IntegrityError as error:
        raise ValidationError(
            _("A purchase line of this application has been claimed in another application since.")
        ) from error


def _transition(
    application: Application,
    *,
    actor: AbstractBaseUser,
    to_status: str,
    role: str,
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> Transition:
    """The one place an application changes state: check the table, change, record."""
    from_status = application.status
    required = allowed_role(from_status, to_status)
    if required is None:
        raise ValidationError(
            _("An application that is “%(current)s” cannot become “%(target)s”.")
            % {"current": S(from_status).label, "target": S(to_status).label}
        )
    if required != role:
        raise PermissionDenied(_("You may not make this change."))
    application.status = to_status
    now = timezone.now()
    update_fields = ["status", "updated_at"]
    if to_status == S.SUBMITTED:
        application.submitted_at = now
        update_fields.append("submitted_at")
    if to_status == S.DISBURSED:
        application.disbursed_at = now
        update_fields.append("disbursed_at")
    try:
        with transaction.atomic():
            application.save(update_fields=update_fields)
    except IntegrityError as error:
        # The database refuses a second live claim of the same standard or national project.
        raise ValidationError(
            _("What this application claims is already claimed in another application.")
        ) from error
    _claims_follow(application)
    transition = Transition.objects.create(
        application=application,
        actor=actor if actor.is_authenticated else None,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    audit_append(
        actor=actor,
        action="status",
        subject=application,
        data={"from": from_status, "to": to_status, "note": note, **(data or {})},
    )
    return transition


# --- drafting ---------------------------------------------------------------------------------


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
    if not selectors.is_applicant_member(actor, Application(applicant=applicant)):
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
    _require_applicant(actor, application)
    if application.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Only a draft or a returned application can be changed; this one is “%(status)s”.")
            % {"status": application.get_status_display()}
        )


def application_update(
    *, actor: AbstractBaseUser, application: Application, data: Mapping[str, Any]
) -> Application:
    with transaction.atomic():
        application = _lock(application)
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
        application = _lock(application)
        _require_editable(actor, application)
        if not application.programme.claims_lines:
            raise ValidationError(_("This programme does not pay for purchase lines."))
        claimable = {
            line.pk: line for line in selectors.claimable_lines(application).filter(pk__in=wanted)
        }
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
                        "local supplier in an eligible category and the programme year, or "
                        "already claimed): %(lines)s"
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
        application = _lock(application)
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
        application = _lock(application)
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
        application = _lock(document.application)
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


# --- the applicant's moves --------------------------------------------------------------------


def application_submit(*, actor: AbstractBaseUser, application: Application) -> Application:
    """Check eligibility, compute the amount by the programme's rule, and submit."""
    with transaction.atomic():
        application = _lock(application)
        _require_applicant(actor, application)
        # Amounts of purchase lines may have been corrected since they were picked.
        for claim in application.claimed_lines.select_related("purchase_line"):
            if claim.amount_cny != claim.purchase_line.amount:
                claim.amount_cny = claim.purchase_line.amount
                claim.save(update_fields=["amount_cny"])
        eligibility = selectors.application_eligibility(application)
        if not eligibility.ok:
            raise ValidationError(eligibility.problems)
        application.computed_amount_cny = eligibility.amount_cny
        application.granted_quota_tce = eligibility.granted_quota_tce
        application.save(update_fields=["computed_amount_cny", "granted_quota_tce"])
        audit_append(
            actor=actor,
            action="amount_computed",
            subject=application,
            data={
                "amount_cny": eligibility.amount_cny,
                "granted_quota_tce": eligibility.granted_quota_tce,
                "lines": [
                    [claim.purchase_line_id, claim.amount_cny]
                    for claim in application.claimed_lines.all()
                ],
                "rate_percent": application.programme.rate_percent,
            },
        )
        _transition(application, actor=actor, to_status=S.SUBMITTED, role=APPLICANT)
        _notify_officials(application, gettext_lazy("a new application to review"))
    return application


def application_withdraw(
    *, actor: AbstractBaseUser, application: Application, note: str = ""
) -> Application:
    with transaction.atomic():
        application = _lock(application)
        _require_applicant(actor, application)
        _transition(application, actor=actor, to_status=S.WITHDRAWN, role=APPLICANT, note=note)
    return application


def appeal_file(*, actor: AbstractBaseUser, application: Application, grounds: str) -> Appeal:
    """Appeal a rejection, once per rejection."""
    grounds = _require_note(grounds, _("the appeal"), field="grounds")
    with transaction.atomic():
        application = _lock(application)
        _require_applicant(actor, application)
        # The move first (it refuses anything but a rejected application); what follows
        # rolls it back when the rejection cannot be appealed.
        _transition(application, actor=actor, to_status=S.APPEALED, role=APPLICANT, note=grounds)
        # The rejection is the official's decision; a dismissed appeal is not a new one.
        rejection = (
            application.transitions.filter(to_status=S.REJECTED)
            .exclude(from_status=S.APPEALED)
            .order_by("-created_at", "-pk")
            .first()
        )
        if rejection is None:
            raise ValidationError(_("Only a rejection by an official can be appealed."))
        if Appeal.objects.filter(rejection=rejection).exists():
            raise ValidationError(_("This rejection has already been appealed."))
        appeal = Appeal.objects.create(
            application=application, rejection=rejection, grounds=grounds, filed_by=actor
        )
        _notify_officials(application, gettext_lazy("an appeal to decide"))
    return appeal


def message_post(
    *, actor: AbstractBaseUser, application: Application, body: str, internal: bool = False
) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    official = is_official(actor)
    if not official:
        _require_applicant(actor, application)
        if internal:
            raise PermissionDenied(_("Only officials may write internal notes."))
    with transaction.atomic():
        message = Message.objects.create(
            application=application, author=actor, body=body, internal=internal
        )
    if not internal:
        if official:
            _notify_applicant(application, gettext_lazy("a new message from the officials"), body)
        else:
            _notify_officials(application, gettext_lazy("a new message from the applicant"))
    return message


# --- the officials' moves ---------------------------------------------------------------------


def application_start_review(
    *, actor: AbstractBaseUser, application: Application, note: str = ""
) -> Application:
    _require_official(actor)
    with transaction.atomic():
        application = _lock(application)
        _require_no_conflict(actor, application)
        _transition(application, actor=actor, to_status=S.UNDER_REVIEW, role=OFFICIAL, note=note)
    return application


def application_return(
    *, actor: AbstractBaseUser, application: Application, note: str
) -> Application:
    """Send back for changes; the note tells the applicant exactly what to change."""
    _require_official(actor)
    note = _require_note(note, _("returning the application"))
    with transaction.atomic():
        application = _lock(application)
        _require_no_conflict(actor, application)
        _transition(application, actor=actor, to_status=S.RETURNED, role=OFFICIAL, note=note)
        _notify_applicant(application, gettext_lazy("returned for changes"), note)
    return application


def application_reject(
    *, actor: AbstractBaseUser, application: Application, note: str
) -> Application:
    _require_official(actor)
    note = _require_note(note, _("the rejection"))
    with transaction.atomic():
        application = _lock(application)
        _require_no_conflict(actor, application)
        _transition(application, actor=actor, to_status=S.REJECTED, role=OFFICIAL, note=note)
        _notify_applicant(application, gettext_lazy("rejected"), note)
    return application


def _check_money_room(application: Application, programme: Programme, amount: Decimal) -> dict:
    """Refuse an award past the programme's budget or the enterprise's cap.

    Called with the programme's and the recipient's rows locked, so the sums cannot move
    under us. Returns the figures for the audit record.
    """
    figures: dict[str, Any] = {}
    if programme.budget_cny is not None:
        remaining = programme.budget_cny - selectors.programme_committed_cny(programme)
        figures["budget_remaining_before_cny"] = remaining
        if amount > remaining:
            raise ValidationError(
                _(
                    "Approving %(amount)s CNY would exceed the programme's budget: "
                    "%(remaining)s CNY remain."
                )
                % {"amount": f"{amount:,.2f}", "remaining": f"{remaining:,.2f}"}
            )
    cap = selectors.support_cap_in_force()
    if cap is not None:
        since = timezone.now() - datetime.timedelta(days=365 * cap.years)
        received = selectors.support_received_cny(application.applicant, since=since)
        room = cap.amount_cny - received
        figures["cap_room_before_cny"] = room
        if amount > room:
            raise ValidationError(
                _(
                    "Approving %(amount)s CNY would pass the cap of %(cap)s CNY per enterprise "
                    "and group over %(years)s years: %(room)s CNY of room remain."
                )
                % {
                    "amount": f"{amount:,.2f}",
                    "cap": f"{cap.amount_cny:,.2f}",
                    "years": cap.years,
                    "room": f"{max(room, Decimal(0)):,.2f}",
                }
            )
    return figures


def application_approve(
    *,
    actor: AbstractBaseUser,
    application: Application,
    note: str = "",
    amount_cny: Decimal | None = None,
) -> Application:
    """Approve: reserve the award against the budget and the cap, or ask for confirmation.

    The award is the computed amount; for R&D proposals the official sets the approved amount,
    at most the requested one. Above the programme's threshold the application waits for a
    second official's confirmation, with the money already reserved.
    """
    _require_official(actor)
    with transaction.atomic():
        application = Application.objects.only("programme_id").get(pk=application.pk)
        programme = _lock_programme(application.programme_id)
        application = _lock(application)
        _require_no_conflict(actor, application)
        if application.status != S.UNDER_REVIEW:
            raise ValidationError(
                _("Only an application under review can be approved; this one is “%(status)s”.")
                % {"status": application.get_status_display()}
            )
        award = _award_amount(application, amount_cny)
        figures: dict[str, Any] = {}
        if award is not None:
            _lock_recipient(application.applicant)
            figures = _check_money_room(application, programme, award)
        application.awarded_amount_cny = award
        application.decided_at = timezone.now()
        needs_second = (
            award is not None
            and programme.second_approval_above_cny is not None
            and award > programme.second_approval_above_cny
        )
        target = S.AWAITING_CONFIRMATION if needs_second else S.APPROVED
        if needs_second:
            application.first_approved_by = actor
        application.save(update_fields=["awarded_amount_cny", "decided_at", "first_approved_by"])
        _transition(
            application,
            actor=actor,
            to_status=target,
            role=OFFICIAL,
            note=note,
            data={"awarded_cny": award, **figures},
        )
        if needs_second:
            _notify_officials(application, gettext_lazy("an approval to confirm"))
        else:
            _notify_applicant(application, gettext_lazy("approved"), note)
    return application


def _award_amount(application: Application, amount_cny: Decimal | None) -> Decimal | None:
    if not application.programme.is_monetary:
        return None
    if application.kind == ProgrammeKind.RD_FUND:
        requested = application.computed_amount_cny or Decimal(0)
        award = requested if amount_cny is None else Decimal(amount_cny)
        if award <= 0 or award > requested:
            raise ValidationError(
                {
                    "amount_cny": _(
                        "The approved amount must be above 0 and at most %(requested)s CNY."
                    )
                    % {"requested": f"{requested:,.2f}"}
                }
            )
        return award.quantize(Decimal("0.01"))
    if amount_cny is not None and Decimal(amount_cny) != application.computed_amount_cny:
        raise ValidationError(
            {"amount_cny": _("This programme's award is computed by its rule and cannot be set.")}
        )
    return application.computed_amount_cny


def application_confirm(
    *, actor: AbstractBaseUser, application: Application, note: str = ""
) -> Application:
    """The second official's confirmation of a large award."""
    _require_official(actor)
    with transaction.atomic():
        application = _lock(application)
        _require_no_conflict(actor, application)
        if application.first_approved_by_id == actor.pk:
            raise PermissionDenied(
                _("A second official must confirm: you made the first approval.")
            )
        _transition(application, actor=actor, to_status=S.APPROVED, role=OFFICIAL, note=note)
        _notify_applicant(application, gettext_lazy("approved"), note)
    return application


def application_decline_confirmation(
    *, actor: AbstractBaseUser, application: Application, note: str
) -> Application:
    """The second official does not confirm: back to review, the reservation released."""
    _require_official(actor)
    note = _require_note(note, _("declining the confirmation"))
    with transaction.atomic():
        application = _lock(application)
        _require_no_conflict(actor, application)
        if application.first_approved_by_id == actor.pk:
            raise PermissionDenied(_("A second official must decide: you made the first approval."))
        _release_award(application)
        _transition(application, actor=actor, to_status=S.UNDER_REVIEW, role=OFFICIAL, note=note)
    return application


def _release_award(application: Application) -> None:
    application.awarded_amount_cny = None
    application.decided_at = None
    application.first_approved_by = None
    application.notice = None
    application.save(
        update_fields=["awarded_amount_cny", "decided_at", "first_approved_by", "notice"]
    )


def appeal_decide(*, actor: AbstractBaseUser, appeal: Appeal, upheld: bool, note: str) -> Appeal:
    """Another official than the one who rejected decides the appeal."""
    _require_official(actor)
    note = _require_note(note, _("the appeal decision"))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("rejection").get(pk=appeal.pk)
        application = _lock(appeal.application)
        _require_no_conflict(actor, application)
        if appeal.outcome:
            raise ValidationError(_("This appeal has already been decided."))
        if appeal.rejection is not None and appeal.rejection.actor_id == actor.pk:
            raise PermissionDenied(
                _("Another official must decide an appeal against your rejection.")
            )
        target = S.UNDER_REVIEW if upheld else S.REJECTED
        _transition(application, actor=actor, to_status=target, role=OFFICIAL, note=note)
        appeal.outcome = AppealOutcome.UPHELD if upheld else AppealOutcome.DISMISSED
        appeal.decided_by = actor
        appeal.decided_at = timezone.now()
        appeal.decision_note = note
        appeal.save(update_fields=["outcome", "decided_by", "decided_at", "decision_note"])
        _notify_applicant(
            application,
            gettext_lazy("appeal upheld") if upheld else gettext_lazy("appeal dismissed"),
            note,
        )
    return appeal


def review_assign(
    *, actor: AbstractBaseUser, application: Application, reviewer: AbstractBaseUser
) -> Review:
    _require_official(actor)
    if selectors.conflict_of_interest(reviewer, application.applicant):
        raise ValidationError(
            {"reviewer": _("This reviewer has a conflict of interest with the applicant.")}
        )
    if application.status not in (S.SUBMITTED, S.UNDER_REVIEW):
        raise ValidationError(_("Reviewers are assigned while an application is being reviewed."))
    with transaction.atomic():
        review, created = Review.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"assigned_by": actor}
        )
        if not created:
            raise ValidationError({"reviewer": _("This reviewer is already assigned.")})
        audit_append(
            actor=actor,
            action="reviewer_assigned",
            subject=application,
            data={"reviewer": reviewer.pk},
        )
    send_mail_on_commit(
        lambda: _("SSB Portal: an application to review"),
        lambda: _("You have been asked to review application #%(pk)s.") % {"pk": application.pk}
        + "\n\n"
        + _application_url(application),
        [reviewer.email],
    )
    return review


def review_submit(
    *,
    actor: AbstractBaseUser,
    review: Review,
    scores: Mapping[str, Any],
    recommendation: str,
    comment: str = "",
) -> Review:
    with transaction.atomic():
        review = (
            Review.objects.select_for_update()
            .select_related("application__programme")
            .get(pk=review.pk)
        )
        if review.reviewer_id != actor.pk:
            raise PermissionDenied(_("Only the assigned reviewer may fill in this review."))
        if review.application.status not in REVIEWABLE_STATUSES:
            raise ValidationError(
                _("The decision on this application is made; reviews can no longer change.")
            )
        _require_no_conflict(actor, review.application)
        criteria = review.application.programme.scoring_criteria
        try:
            total = rules.weighted_score(criteria, scores)
        except rules.ScoreError as error:
            raise ValidationError(
                {
                    "scores": _("%(criterion)s: give a score from 0 to %(max)s.")
                    % {"criterion": error.criterion, "max": rules.SCORE_MAX}
                }
            ) from error
        review.scores = {str(c["key"]): str(scores[str(c["key"])]) for c in criteria}
        review.total_score = total
        review.recommendation = recommendation
        review.comment = comment
        review.submitted_at = timezone.now()
        review.full_clean(exclude=["application", "reviewer", "assigned_by"])
        review.save(
            update_fields=["scores", "total_score", "recommendation", "comment", "submitted_at"]
        )
        audit_append(
            actor=actor,
            action="review",
            subject=review.application,
            data={"total": total, "recommendation": recommendation},
        )
    return review


def land_round_rank(
    *, actor: AbstractBaseUser, programme: Programme, ordered_ids: Sequence[int]
) -> None:
    """Rank a land round's requests: the first id gets rank 1."""
    _require_official(actor)
    if programme.kind != ProgrammeKind.LAND_PRIORITY:
        raise ValidationError(_("Only land priority rounds are ranked."))
    with transaction.atomic():
        _lock_programme(programme.pk)
        candidates = programme.applications.exclude(status__in=(S.DRAFT, S.WITHDRAWN, S.REJECTED))
        known = set(candidates.values_list("pk", flat=True))
        if set(ordered_ids) != known or len(ordered_ids) != len(known):
            raise ValidationError(
                {"ranking": _("Rank every submitted request of the round exactly once.")}
            )
        for rank, pk in enumerate(ordered_ids, start=1):
            Application.objects.filter(pk=pk).update(land_rank=rank)
        audit_append(
            actor=actor, action="land_ranked", subject=programme, data={"order": list(ordered_ids)}
        )


# --- public notice, objections, payment -------------------------------------------------------


def notice_publish(*, actor: AbstractBaseUser, programme: Programme) -> Notice:
    """Publish every approved award of the programme together for the notice period."""
    _require_official(actor)
    with transaction.atomic():
        programme = _lock_programme(programme.pk)
        approved = list(
            programme.applications.select_for_update()
            .filter(status=S.APPROVED, awarded_amount_cny__isnull=False)
            .order_by("pk")
        )
        if not approved:
            raise ValidationError(_("This programme has no approved awards waiting for notice."))
        now = timezone.now()
        notice = Notice.objects.create(
            programme=programme,
            published_by=actor,
            published_at=now,
            ends_at=now + datetime.timedelta(days=programme.notice_days),
        )
        for application in approved:
            application.notice = notice
            application.save(update_fields=["notice"])
            _transition(
                application,
                actor=actor,
                to_status=S.IN_NOTICE,
                role=OFFICIAL,
                note=_("Public notice until %(end)s.")
                % {"end": f"{notice.ends_at:%Y-%m-%d %H:%M}"},
            )
            _notify_applicant(application, gettext_lazy("published for public notice"))
        audit_append(
            actor=actor,
            action="notice_published",
            subject=notice,
            data={"applications": [a.pk for a in approved], "ends_at": notice.ends_at},
        )
    return notice


def objection_lodge(
    *,
    actor: AbstractBaseUser,
    application: Application,
    author_name: str,
    organisation: str,
    reason: str,
) -> Objection:
    """A signed objection to an award in notice, while the notice runs."""
    if not actor.is_authenticated:
        raise PermissionDenied(
            _("Sign in to lodge an objection; anonymous objections are not accepted.")
        )
    errors = {}
    for name, value in (
        ("author_name", author_name),
        ("organisation", organisation),
        ("reason", reason),
    ):
        if not (value or "").strip():
            errors[name] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = _lock(application)
        notice = application.notice
        if application.status != S.IN_NOTICE or notice is None:
            raise ValidationError(_("Only awards in public notice can be objected to."))
        if not notice.is_open_at(timezone.now()):
            raise ValidationError(
                _("The notice period ended on %(end)s.")
                % {"end": f"{notice.ends_at:%Y-%m-%d %H:%M}"}
            )
        objection = Objection.objects.create(
            application=application,
            notice=notice,
            author=actor,
            author_name=author_name.strip(),
            organisation=organisation.strip(),
            reason=reason.strip(),
        )
        audit_append(
            actor=actor,
            action="objection_lodged",
            subject=objection,
            data={"application": application.pk, "reason": objection.reason},
        )
        _notify_officials(application, gettext_lazy("an objection to resolve"))
    return objection


def objection_resolve(
    *, actor: AbstractBaseUser, objection: Objection, upheld: bool, resolution: str
) -> Objection:
    """Upheld: the award goes back to review with the objection attached. Dismissed: it stays."""
    _require_official(actor)
    resolution = _require_note(resolution, _("the ruling"), field="resolution")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.status != ObjectionStatus.OPEN:
            raise ValidationError(_("This objection has already been resolved."))
        application = Application.objects.only("programme_id").get(pk=objection.application_id)
        _lock_programme(application.programme_id)
        application = _lock(application)
        _require_no_conflict(actor, application)
        objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        objection.resolved_by = actor
        objection.resolved_at = timezone.now()
        objection.resolution = resolution
        objection.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])
        audit_append(
            actor=actor,
            action="objection_upheld" if upheld else "objection_dismissed",
            subject=objection,
            data={"application": application.pk, "resolution": resolution},
        )
        if upheld and application.status == S.IN_NOTICE:
            note = _("Objection upheld: %(resolution)s") % {"resolution": resolution}
            _release_award(application)
            _transition(
                application, actor=actor, to_status=S.UNDER_REVIEW, role=OFFICIAL, note=note
            )
            _notify_applicant(
                application, gettext_lazy("back under review after an objection"), note
            )
    return objection


def disbursable(now: datetime.datetime | None = None) -> Q:
    """Awards finance may pay: in notice, the period over, no objection open."""
    now = now or timezone.now()
    return Q(status=S.IN_NOTICE, notice__ends_at__lte=now) & ~Q(
        objections__status=ObjectionStatus.OPEN
    )


def disbursement_batch_prepare(
    *, actor: AbstractBaseUser, applications: Iterable[Application]
) -> DisbursementBatch:
    """Put awards whose notice is over and that face no open objection into a payment batch."""
    _require_official(actor)
    wanted = sorted({application.pk for application in applications})
    if not wanted:
        raise ValidationError(_("Choose the awards to pay."))
    with transaction.atomic():
        locked = list(Application.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
        ready = set(
            Application.objects.filter(
                disbursable(), pk__in=wanted, disbursement_batch__isnull=True
            ).values_list("pk", flat=True)
        )
        not_ready = [application.pk for application in locked if application.pk not in ready]
        if not_ready:
            raise ValidationError(
                _(
                    "These awards cannot be paid yet (not in notice, notice still running, an "
                    "objection open, or already in a batch): %(ids)s"
                )
                % {"ids": ", ".join(f"#{pk}" for pk in not_ready)}
            )
        now = timezone.now()
        batch = DisbursementBatch.objects.create(
            reference=f"D{now:%Y%m%d%H%M%S}-{secrets.token_hex(2).upper()}",
            created_by=actor,
            created_at=now,
            total_cny=sum((a.awarded_amount_cny for a in locked), Decimal("0.00")),
        )
        Application.objects.filter(pk__in=wanted).update(disbursement_batch=batch)
        audit_append(
            actor=actor,
            action="batch_prepared",
            subject=batch,
            data={"applications": wanted, "total_cny": batch.total_cny},
        )
    return batch


def disbursement_batch_mark_paid(
    *, actor: AbstractBaseUser, batch: DisbursementBatch, payment_reference: str
) -> DisbursementBatch:
    """Finance confirms the transfer: every award of the batch becomes disbursed."""
    _require_official(actor)
    payment_reference = (payment_reference or "").strip()
    if not payment_reference:
        raise ValidationError({"payment_reference": _("Give the bank payment reference.")})
    with transaction.atomic():
        batch = DisbursementBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.paid_at is not None:
            raise ValidationError(_("This batch has already been marked paid."))
        applications = list(
            Application.objects.select_for_update()
            .filter(disbursement_batch=batch)
            .select_related("programme", "applicant")
            .order_by("pk")
        )
        blocked = [a.pk for a in applications if selectors.open_objections(a).exists()]
        if blocked:
            raise ValidationError(
                _("An objection was lodged against %(ids)s; resolve it first.")
                % {"ids": ", ".join(f"#{pk}" for pk in blocked)}
            )
        for application in applications:
            _transition(
                application,
                actor=actor,
                to_status=S.DISBURSED,
                role=OFFICIAL,
                note=_("Paid in batch %(ref)s.") % {"ref": batch.reference},
            )
            _notify_applicant(application, gettext_lazy("paid"))
        batch.paid_at = timezone.now()
        batch.paid_by = actor
        batch.payment_reference = payment_reference
        batch.save(update_fields=["paid_at", "paid_by", "payment_reference"])
        audit_append(
            actor=actor,
            action="batch_paid",
            subject=batch,
            data={"payment_reference": payment_reference, "total_cny": batch.total_cny},
        )
    return batch


# --- recovery ---------------------------------------------------------------------------------


def recovery_open(
    *,
    actor: AbstractBaseUser,
    application: Application,
    reason: str,
    amount_cny: Decimal,
    basis: str,
) -> Recovery:
    """Claim money back from a disbursed award: the whole award or a stated share of it."""
    _require_official(actor)
    basis = _require_note(basis, _("the amount"), field="basis")
    if reason not in RecoveryReason.values:
        raise ValidationError({"reason": _("Choose why the money is recovered.")})
    amount = Decimal(amount_cny).quantize(Decimal("0.01"))
    with transaction.atomic():
        application = _lock(application)
        if application.status != S.DISBURSED:
            raise ValidationError(_("Only disbursed awards can be recovered."))
        already = sum(
            (
                r.amount_cny
                for r in application.recoveries.exclude(status=RecoveryStatus.WRITTEN_OFF)
            ),
            Decimal("0.00"),
        )
        room = application.awarded_amount_cny - already
        if amount <= 0 or amount > room:
            raise ValidationError(
                {
                    "amount_cny": _("Recover more than 0 and at most %(room)s CNY.")
                    % {"room": f"{room:,.2f}"}
                }
            )
        recovery = Recovery.objects.create(
            application=application, reason=reason, basis=basis, amount_cny=amount, opened_by=actor
        )
        audit_append(
            actor=actor,
            action="recovery_opened",
            subject=recovery,
            data={
                "application": application.pk,
                "reason": reason,
                "amount_cny": amount,
                "basis": basis,
            },
        )
        _notify_applicant(
            application,
            lazy(
                lambda: _("recovery of %(amount)s CNY opened") % {"amount": f"{amount:,.2f}"}, str
            )(),
            basis,
        )
    return recovery


def recovery_record_repayment(
    *, actor: AbstractBaseUser, recovery: Recovery, amount_cny: Decimal, received_on: datetime.date
) -> Repayment:
    _require_official(actor)
    amount = Decimal(amount_cny).quantize(Decimal("0.01"))
    with transaction.atomic():
        application = Application.objects.only("programme_id").get(pk=recovery.application_id)
        _lock_programme(application.programme_id)
        recovery = Recovery.objects.select_for_update().get(pk=recovery.pk)
        if recovery.status not in (RecoveryStatus.OPEN, RecoveryStatus.PARTLY_REPAID):
            raise ValidationError(_("This recovery is closed."))
        outstanding = recovery.amount_cny - recovery.repaid_cny
        if amount <= 0 or amount > outstanding:
            raise ValidationError(
                {
                    "amount_cny": _("Enter more than 0 and at most the %(left)s CNY outstanding.")
                    % {"left": f"{outstanding:,.2f}"}
                }
            )
        repayment = Repayment.objects.create(
            recovery=recovery, amount_cny=amount, received_on=received_on, recorded_by=actor
        )
        recovery.repaid_cny += amount
        if recovery.repaid_cny == recovery.amount_cny:
            recovery.status = RecoveryStatus.REPAID
            recovery.closed_at = timezone.now()
        else:
            recovery.status = RecoveryStatus.PARTLY_REPAID
        recovery.save(update_fields=["repaid_cny", "status", "closed_at"])
        audit_append(
            actor=actor,
            action="recovery_repaid",
            subject=recovery,
            data={"amount_cny": amount, "received_on": received_on, "status": recovery.status},
        )
    return repayment


def recovery_write_off(*, actor: AbstractBaseUser, recovery: Recovery, note: str) -> Recovery:
    _require_official(actor)
    note = _require_note(note, _("writing off"))
    with transaction.atomic():
        recovery = Recovery.objects.select_for_update().get(pk=recovery.pk)
        if recovery.status not in (RecoveryStatus.OPEN, RecoveryStatus.PARTLY_REPAID):
            raise ValidationError(_("This recovery is closed."))
        recovery.status = RecoveryStatus.WRITTEN_OFF
        recovery.closed_at = timezone.now()
        recovery.note = note
        recovery.save(update_fields=["status", "closed_at", "note"])
        audit_append(
            actor=actor,
            action="recovery_written_off",
            subject=recovery,
            data={"outstanding_cny": recovery.amount_cny - recovery.repaid_cny, "note": note},
        )
    return recovery


# --- rules of the house -----------------------------------------------------------------------


def conflict_declare(
    *, actor: AbstractBaseUser, enterprise: Enterprise, reason: str
) -> ConflictDeclaration:
    reason = _require_note(reason, _("the conflict"), field="reason")
    with transaction.atomic():
        declaration, created = ConflictDeclaration.objects.get_or_create(
            user=actor, enterprise=enterprise, defaults={"reason": reason}
        )
        if not created:
            raise ValidationError(_("You have already declared a conflict with this enterprise."))
        audit_append(
            actor=actor,
            action="conflict_declared",
            subject=declaration,
            data={"enterprise": enterprise.uscc, "reason": reason},
        )
    return declaration


def support_cap_set(
    *, actor: AbstractBaseUser, amount_cny: Decimal, years: int, effective_from: datetime.date
) -> SupportCap:
    _require_official(actor)
    cap = SupportCap(
        amount_cny=amount_cny, years=years, effective_from=effective_from, set_by=actor
    )
    cap.full_clean(exclude=["set_by"])
    with transaction.atomic():
        cap.save()
        audit_append(
            actor=actor,
            action="cap_set",
            subject=cap,
            data={"amount_cny": cap.amount_cny, "years": years, "effective_from": effective_from},
        )
    return cap


def programme_save(
    *,
    actor: AbstractBaseUser,
    programme: Programme,
    changed: Sequence[str] = (),
    categories: Iterable[SupplyCategory] | None = None,
) -> Programme:
    """Create or change a programme; its rule's parameters are part of the audit record."""
    _require_official(actor)
    creating = programme.pk is None
    programme.full_clean()
    if programme.is_monetary and programme.budget_cny is None:
        raise ValidationError({"budget_cny": _("A programme that pays money needs a budget.")})
    with transaction.atomic():
        if not creating:
            _lock_programme(programme.pk)
            committed = selectors.programme_committed_cny(programme)
            if programme.budget_cny is not None and programme.budget_cny < committed:
                raise ValidationError(
                    {
                        "budget_cny": _(
                            "%(committed)s CNY is already awarded; the budget cannot be lower."
                        )
                        % {"committed": f"{committed:,.2f}"}
                    }
                )
        programme.save()
        if categories is not None:
            programme.eligible_categories.set(categories)
        audit_append(
            actor=actor,
            action="programme_created" if creating else "programme_changed",
            subject=programme,
            data={
                "changed": list(changed),
                "kind": programme.kind,
                "budget_cny": programme.budget_cny,
                "rate_percent": programme.rate_percent,
                "lead_reward_cny": programme.lead_reward_cny,
                "participate_reward_cny": programme.participate_reward_cny,
                "max_award_cny": programme.max_award_cny,
                "second_approval_above_cny": programme.second_approval_above_cny,
                "notice_days": programme.notice_days,
                "eligible_categories": sorted(
                    programme.eligible_categories.values_list("slug", flat=True)
                ),
                "required_documents": programme.required_documents,
            },
        )
    return programme


# --- R&D fund milestone reports (issue 6) -----------------------------------------------------

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
        application = _lock(application)
        _require_applicant(actor, application)
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
                report.dataset.save("dataset", dataset, save=False)
            report.save()
            MilestoneKpiValue.objects.bulk_create(
                MilestoneKpiValue(report=report, kpi_target=target, value=value, source=source)
                for target, value, source in cleaned
            )
            audit_append(
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
        except BaseException:
            report.file.storage.delete(report.file.name)
            if report.dataset:
                report.dataset.storage.delete(report.dataset.name)
            raise
    _notify_officials(application, gettext_lazy("milestone reported"))
    return report
