"""Every change of state in the talent programme: one function per user action.

Who may act: a university's members manage its programmes, students, internships and
graduate reports; a host enterprise's members confirm internships and hires; a student
submits their own scholarship applications; officials run funds, reviews and awards and
record overseas experts (so may the host enterprise's members). Each action runs in one
transaction and is kept in TalentEvent.
"""

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.access import is_member_of
from directory.models import Enterprise, EnterpriseKind, ListingStatus
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.audit_chain.heads import audit_receipt, receipt_text
from ssb_portal.formulas import expert_total_compensation_cny, scholarship_fund_cny
from ssb_portal.mail import send_mail_on_commit
from ssb_portal.records import record_action
from ssb_portal.roles import is_official, require_official
from ssb_portal.workflow import transition
from talent.models import (
    Destination,
    ExpertBenefit,
    Graduate,
    Internship,
    InternshipOutcome,
    InternshipStatus,
    OverseasExpert,
    ScholarshipApplication,
    ScholarshipFund,
    ScholarshipReview,
    ScholarshipStatus,
    Student,
    StudyProgramme,
    TalentEvent,
    TrainingBase,
)
from talent.workflow import (
    HOST,
    INTERNSHIP_WORKFLOW,
    OFFICIAL,
    SCHOLARSHIP_WORKFLOW,
    STUDENT,
    UNIVERSITY,
)

UNIVERSITY_KINDS = (EnterpriseKind.UNIVERSITY, EnterpriseKind.RESEARCH_INSTITUTE)
STUDENT_FIELDS = ("student_number", "name", "email", "degree", "field", "expected_graduation_year")
EXPERT_FIELDS = (
    "name",
    "country",
    "field",
    "years_experience",
    "status",
    "signed_on",
    "base_salary_cny",
    "housing_benefit_cny",
    "school_priority",
    "relocation_support",
)


# --- helpers ----------------------------------------------------------------------------------


def _record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    subject: models.Model,
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> TalentEvent:
    return record_action(
        TalentEvent, actor=actor, action=action, subject=subject, note=note, data=data
    )


def _is_member(user: AbstractBaseUser, enterprise_id: int) -> bool:
    return is_member_of(user, enterprise_id)


def _require_university_member(actor: AbstractBaseUser, university: Enterprise) -> None:
    if university.kind not in UNIVERSITY_KINDS:
        raise ValidationError({"university": _("Choose a university or research institute.")})
    if not (_is_member(actor, university.pk) or is_official(actor)):
        raise PermissionDenied(_("Only the university's staff may do this."))


def _clean(instance: models.Model, exclude: Sequence[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude), validate_constraints=False)


def _save(instance: models.Model, errors: Mapping[str, str]) -> None:
    """Save, turning a broken unique constraint into the field error the caller names."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ValidationError(dict(errors)) from error


# --- universities -----------------------------------------------------------------------------


def study_programme_add(
    *, actor: AbstractBaseUser, university: Enterprise, data: Mapping[str, Any]
) -> StudyProgramme:
    _require_university_member(actor, university)
    programme = StudyProgramme(
        university=university, **{k: data.get(k) for k in ("name", "degree", "field")}
    )
    _clean(programme, ["university"])
    with transaction.atomic():
        _save(programme, {"name": _("The university has this programme already.")})
        _record(actor=actor, action="programme_added", subject=programme)
    return programme


def training_base_create(
    *,
    actor: AbstractBaseUser,
    university: Enterprise,
    enterprise: Enterprise,
    data: Mapping[str, Any],
) -> TrainingBase:
    """A university and an enterprise open a training base together."""
    _require_university_member(actor, university)
    if enterprise.status != ListingStatus.VERIFIED:
        raise ValidationError({"enterprise": _("Choose a verified enterprise of the directory.")})
    base = TrainingBase(university=university, enterprise=enterprise)
    for name in ("name", "capacity", "started_on", "status"):
        if name in data:
            setattr(base, name, data[name])
    _clean(base, ["university", "enterprise"])
    with transaction.atomic():
        base.save()
        _record(actor=actor, action="training_base_opened", subject=base)
    return base


def student_add(
    *, actor: AbstractBaseUser, university: Enterprise, data: Mapping[str, Any]
) -> Student:
    _require_university_member(actor, university)
    student = Student(
        university=university, **{k: data.get(k) for k in STUDENT_FIELDS if k in data}
    )
    _clean(student, ["university", "user"])
    with transaction.atomic():
        _save(student, {"student_number": _("A student with this number is recorded already.")})
        _record(actor=actor, action="student_added", subject=student)
    return student


def student_update(
    *, actor: AbstractBaseUser, student: Student, data: Mapping[str, Any]
) -> Student:
    _require_university_member(actor, student.university)
    unknown = sorted(set(data) - set(STUDENT_FIELDS))
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    for name, value in data.items():
        setattr(student, name, value)
    _clean(student, ["university", "user"])
    with transaction.atomic():
        _save(student, {"student_number": _("A student with this number is recorded already.")})
        _record(actor=actor, action="student_changed", subject=student, data={"fields": list(data)})
    return student


def student_link_account(*, actor: AbstractBaseUser, student: Student, email: str) -> Student:
    """Link the student's own login (found by its email) so they can apply for scholarships."""
    _require_university_member(actor, student.university)
    users = list(
        get_user_model().objects.filter(email__iexact=(email or "").strip(), is_active=True)[:2]
    )
    if len(users) != 1:
        raise ValidationError({"email": _("No single active account uses this email.")})
    student.user = users[0]
    with transaction.atomic():
        _save(student, {"email": _("This account belongs to another student already.")})
        _record(actor=actor, action="student_linked", subject=student)
    return student


# --- internships ------------------------------------------------------------------------------


def internship_offer(
    *,
    actor: AbstractBaseUser,
    student: Student,
    host: Enterprise,
    starts_on: datetime.date,
    ends_on: datetime.date,
    training_base: TrainingBase | None = None,
) -> Internship:
    """The university (or the host) records an internship offer; the host confirms it."""
    if not (
        _is_member(actor, student.university_id) or _is_member(actor, host.pk) or is_official(actor)
    ):
        raise PermissionDenied(_("Only the university or the host enterprise may record this."))
    if host.status != ListingStatus.VERIFIED:
        raise ValidationError({"host": _("Choose a verified enterprise of the directory.")})
    if training_base is not None and (
        training_base.university_id != student.university_id
        or training_base.enterprise_id != host.pk
    ):
        raise ValidationError(
            {"training_base": _("The training base must be run by this university and this host.")}
        )
    internship = Internship(
        student=student,
        host=host,
        training_base=training_base,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if ends_on and starts_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The internship ends before it starts.")})
    _clean(internship, ["student", "host", "training_base"])
    with transaction.atomic():
        internship.save()
        _record(actor=actor, action="internship_offered", subject=internship)
    return internship


def _internship_side(actor: AbstractBaseUser, internship: Internship) -> str:
    if _is_member(actor, internship.host_id):
        return HOST
    if _is_member(actor, internship.student.university_id):
        return UNIVERSITY
    raise PermissionDenied(_("Only the university or the host enterprise may do this."))


def internship_move(
    *,
    actor: AbstractBaseUser,
    internship: Internship,
    to_status: str,
    outcome: str = "",
) -> Internship:
    """Confirm (host), complete with its outcome, or cancel an internship."""
    with transaction.atomic():
        internship = (
            Internship.objects.select_for_update().select_related("student").get(pk=internship.pk)
        )
        side = _internship_side(actor, internship)

        def prepare(current: str, target: str) -> None:
            if target == InternshipStatus.COMPLETED:
                if outcome not in (
                    InternshipOutcome.JOB_OFFERED,
                    InternshipOutcome.HIRED,
                    InternshipOutcome.NOT_HIRED,
                ):
                    raise ValidationError({"outcome": _("Say how the internship ended.")})
                if outcome == InternshipOutcome.HIRED and side != HOST:
                    raise PermissionDenied(_("Only the host enterprise confirms a hire."))
                internship.outcome = outcome
            if target == InternshipStatus.ONGOING:
                internship.host_confirmed_at = timezone.now()

        transition(
            internship,
            INTERNSHIP_WORKFLOW,
            target=to_status,
            roles=side,
            record=lambda current, target: _record(
                actor=actor,
                action=f"internship_{target}",
                subject=internship,
                data={"outcome": outcome},
            ),
            also_update=("outcome", "host_confirmed_at"),
            prepare=prepare,
        )
    return internship


# --- graduates --------------------------------------------------------------------------------


def graduates_import(
    *,
    actor: AbstractBaseUser,
    university: Enterprise,
    year: int,
    rows: Sequence[Mapping[str, Any]],
) -> tuple[int, int]:
    """Record a year's graduates, all or nothing; rows are already cleaned (see
    `talent.graduate_rows`). A graduate already reported (same student number and year) is
    updated, so sending the report again changes nothing. Returns (created, updated)."""
    _require_university_member(actor, university)
    created = updated = 0
    with transaction.atomic():
        existing = {
            graduate.student_number: graduate
            for graduate in Graduate.objects.select_for_update().filter(
                university=university, year=year
            )
        }
        students = {
            student.student_number: student
            for student in Student.objects.filter(
                university=university, student_number__in=[row["student_number"] for row in rows]
            )
        }
        for row in rows:
            values = {
                "degree": row["degree"],
                "field": row["field"],
                "destination": row["destination"],
                "employer": row.get("employer"),
                "student": students.get(row["student_number"]),
            }
            graduate = existing.get(row["student_number"])
            if graduate is None:
                Graduate.objects.create(
                    university=university, year=year, student_number=row["student_number"], **values
                )
                created += 1
            else:
                changed = {k: v for k, v in values.items() if getattr(graduate, k) != v}
                if changed:
                    if "employer" in changed or "destination" in changed:
                        changed["employer_confirmed_at"] = None
                    for name, value in changed.items():
                        setattr(graduate, name, value)
                    graduate.save(update_fields=list(changed))
                    updated += 1
        _record(
            actor=actor,
            action="graduates_reported",
            subject=university,
            data={"year": year, "created": created, "updated": updated},
        )
    return created, updated


def graduate_confirm_hire(*, actor: AbstractBaseUser, graduate: Graduate) -> Graduate:
    """The employer confirms it hired the graduate the university reported."""
    if graduate.destination != Destination.LOCAL_SSB or graduate.employer_id is None:
        raise ValidationError(
            _("Only a hire by a local solid-state battery enterprise can be confirmed.")
        )
    if not _is_member(actor, graduate.employer_id):
        raise PermissionDenied(_("Only the employer confirms a hire."))
    with transaction.atomic():
        graduate.employer_confirmed_at = timezone.now()
        graduate.save(update_fields=["employer_confirmed_at"])
        _record(actor=actor, action="hire_confirmed", subject=graduate)
    return graduate


# --- overseas experts -------------------------------------------------------------------------


def expert_save(
    *,
    actor: AbstractBaseUser,
    host: Enterprise,
    data: Mapping[str, Any],
    benefits: Sequence[Mapping[str, Any]] = (),
    expert: OverseasExpert | None = None,
) -> OverseasExpert:
    """Record or update an expert's recruitment and package; C_total is computed here."""
    if not (is_official(actor) or _is_member(actor, host.pk)):
        raise PermissionDenied(
            _("Only officials and the recruiting enterprise record its experts.")
        )
    expert = expert or OverseasExpert(host=host)
    unknown = sorted(set(data) - set(EXPERT_FIELDS))
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    for name, value in data.items():
        setattr(expert, name, value)
    extras = [
        ExpertBenefit(label=row.get("label", ""), amount_cny=row.get("amount_cny"))
        for row in benefits
    ]
    errors: dict[str, Any] = {}
    for index, extra in enumerate(extras):
        try:
            extra.full_clean(exclude=["expert"])
        except ValidationError as error:
            errors[f"benefits[{index}]"] = error.messages
    if expert.status in ("signed", "arrived", "left") and expert.signed_on is None:
        errors["signed_on"] = [_("Give the date the contract was signed.")]
    try:
        _clean(expert, ["host", "total_package_cny"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    # Only once every amount is known to be a valid, non-negative sum of money.
    expert.total_package_cny = expert_total_compensation_cny(
        Decimal(expert.base_salary_cny),
        Decimal(expert.housing_benefit_cny),
        [Decimal(extra.amount_cny) for extra in extras],
    )
    # The sum itself must fit its field too.
    others = [field.name for field in expert._meta.fields if field.name != "total_package_cny"]
    expert.clean_fields(exclude=others)
    with transaction.atomic():
        expert.save()
        expert.benefits.all().delete()
        for extra in extras:
            extra.expert = expert
        ExpertBenefit.objects.bulk_create(extras)
        _record(
            actor=actor,
            action="expert_saved",
            subject=expert,
            data={"status": expert.status, "total_package_cny": str(expert.total_package_cny)},
        )
    return expert


# --- scholarships -----------------------------------------------------------------------------


def fund_save(*, actor: AbstractBaseUser, fund: ScholarshipFund) -> ScholarshipFund:
    """An official sets a year's fund; industry and government must cover F = n × A."""
    require_official(actor)
    fund.full_clean(validate_constraints=False)
    if fund.closes_on < fund.opens_on:
        raise ValidationError({"closes_on": _("Applications cannot close before they open.")})
    if fund.pk is not None:
        awarded = fund.applications.filter(status=ScholarshipStatus.AWARDED).count()
        if fund.awards < awarded:
            raise ValidationError(
                {
                    "awards": _("%(n)s awards are made already; the number cannot be lower.")
                    % {"n": awarded}
                }
            )
    needed = scholarship_fund_cny(fund.awards, Decimal(fund.award_cny))
    covered = Decimal(fund.industry_contribution_cny or 0) + Decimal(
        fund.government_contribution_cny or 0
    )
    if covered < needed:
        raise ValidationError(
            {
                "industry_contribution_cny": _(
                    "Industry and government give %(covered)s CNY; %(awards)s awards of "
                    "%(award)s CNY need %(needed)s CNY."
                )
                % {
                    "covered": f"{covered:,.2f}",
                    "awards": fund.awards,
                    "award": f"{Decimal(fund.award_cny or 0):,.2f}",
                    "needed": f"{needed:,.2f}",
                }
            }
        )
    with transaction.atomic():
        _save(fund, {"year": _("This year has a fund already.")})
        _record(actor=actor, action="fund_saved", subject=fund, data={"needed_cny": str(needed)})
    return fund


def scholarship_apply(
    *,
    actor: AbstractBaseUser,
    fund: ScholarshipFund,
    data: Mapping[str, Any],
) -> ScholarshipApplication:
    """A student applies to the year's fund; a renewal names last year's award."""
    student = (
        Student.objects.filter(user=actor).select_related("university").first()
        if actor.is_authenticated
        else None
    )
    if student is None:
        raise PermissionDenied(_("Only students with a linked account apply for scholarships."))
    today = timezone.localdate()
    if not fund.opens_on <= today <= fund.closes_on:
        raise ValidationError(
            _("Applications are taken from %(opens)s to %(closes)s.")
            % {"opens": fund.opens_on, "closes": fund.closes_on}
        )
    application = ScholarshipApplication(
        fund=fund,
        student=student,
        degree=data.get("degree") or student.degree,
        field=data.get("field") or student.field,
        grade_average=data.get("grade_average"),
        statement=(data.get("statement") or "").strip(),
        progress_report=(data.get("progress_report") or "").strip(),
    )
    renewal_of = data.get("renewal_of")
    if renewal_of is not None:
        if renewal_of.student_id != student.pk or renewal_of.status != ScholarshipStatus.AWARDED:
            raise ValidationError({"renewal_of": _("Choose one of your own earlier awards.")})
        if renewal_of.fund.year != fund.year - 1:
            raise ValidationError(
                {"renewal_of": _("A renewal must follow an award of last year's fund.")}
            )
        if not application.progress_report:
            raise ValidationError({"progress_report": _("Report your progress since the award.")})
        application.renewal_of = renewal_of
    _clean(application, ["fund", "student", "renewal_of"])
    with transaction.atomic():
        _save(application, {"fund": _("You have applied to this year's fund already.")})
        _record(actor=actor, action="scholarship_applied", subject=application)
        entry = audit_append(
            actor=actor,
            action="scholarship_applied",
            subject=application,
            data={"fund": fund.pk, "student": student.pk, "renewal_of": application.renewal_of_id},
        )
        receipt = application.receipt = audit_receipt(entry)
        send_mail_on_commit(
            lambda: _("SSB Portal: your %(year)s scholarship application, your receipt")
            % {"year": fund.year},
            lambda: receipt_text(receipt),
            [actor.email],
        )
    return application


def scholarship_withdraw(
    *, actor: AbstractBaseUser, application: ScholarshipApplication
) -> ScholarshipApplication:
    if application.student.user_id != actor.pk:
        raise PermissionDenied(_("Only the student withdraws their application."))
    with transaction.atomic():
        transition(
            application,
            SCHOLARSHIP_WORKFLOW,
            target=ScholarshipStatus.WITHDRAWN,
            roles=STUDENT,
            record=lambda current, target: _record(
                actor=actor, action="scholarship_withdrawn", subject=application
            ),
        )
    return application


def scholarship_review(
    *,
    actor: AbstractBaseUser,
    application: ScholarshipApplication,
    score: int,
    comment: str = "",
    progress_satisfactory: bool | None = None,
) -> ScholarshipReview:
    require_official(actor)
    if application.status != ScholarshipStatus.SUBMITTED:
        raise ValidationError(_("Only applications awaiting a decision are reviewed."))
    if application.renewal_of_id and progress_satisfactory is None:
        raise ValidationError(
            {"progress_satisfactory": _("Say whether the progress justifies renewal.")}
        )
    review = ScholarshipReview(
        application=application,
        reviewer=actor,
        score=score,
        comment=comment,
        progress_satisfactory=progress_satisfactory,
    )
    _clean(review, ["application", "reviewer"])
    with transaction.atomic():
        _save(review, {"score": _("You have reviewed this application already.")})
        _record(
            actor=actor, action="scholarship_reviewed", subject=application, data={"score": score}
        )
    return review


def scholarships_award(
    *, actor: AbstractBaseUser, fund: ScholarshipFund, application_ids: Sequence[int]
) -> list[ScholarshipApplication]:
    """Award the chosen applications, never more than the fund's number of awards; a renewal
    needs a review that found the progress satisfactory. The rest stay submitted until
    `scholarships_close` marks them not awarded."""
    require_official(actor)
    with transaction.atomic():
        fund = ScholarshipFund.objects.select_for_update().get(pk=fund.pk)
        already = fund.applications.filter(status=ScholarshipStatus.AWARDED).count()
        awardable = SCHOLARSHIP_WORKFLOW.sources(ScholarshipStatus.AWARDED, role=OFFICIAL)
        chosen = list(
            fund.applications.select_for_update()
            .filter(pk__in=application_ids, status__in=awardable)
            .prefetch_related("reviews")
        )
        if len(chosen) != len(set(application_ids)):
            raise ValidationError(_("Choose applications of this fund that await a decision."))
        if already + len(chosen) > fund.awards:
            raise ValidationError(
                _("The fund has %(n)s awards; %(left)s remain.")
                % {"n": fund.awards, "left": fund.awards - already}
            )
        for application in chosen:
            reviews = list(application.reviews.all())
            if not reviews:
                raise ValidationError(
                    _("%(student)s has no review yet.") % {"student": application.student}
                )
            if application.renewal_of_id and not all(r.progress_satisfactory for r in reviews):
                raise ValidationError(
                    _("%(student)s: the progress was not found satisfactory; no renewal.")
                    % {"student": application.student}
                )
        now = timezone.now()
        audit_append(
            actor=actor,
            action="scholarships_awarded",
            subject=fund,
            data={"year": fund.year, "applications": sorted(a.pk for a in chosen)},
        )
        for application in chosen:
            application.decided_at = now
            application.decided_by = actor
            transition(
                application,
                SCHOLARSHIP_WORKFLOW,
                target=ScholarshipStatus.AWARDED,
                roles=OFFICIAL,
                record=lambda current, target, application=application: _record(
                    actor=actor, action="scholarship_awarded", subject=application
                ),
                also_update=("decided_at", "decided_by"),
            )
    return chosen


def scholarships_close(*, actor: AbstractBaseUser, fund: ScholarshipFund) -> int:
    """After the awards: every application still waiting is not awarded, in one update (a
    round closes at once, kept as one event of the fund)."""
    require_official(actor)
    waiting_statuses = SCHOLARSHIP_WORKFLOW.sources(ScholarshipStatus.NOT_AWARDED, role=OFFICIAL)
    with transaction.atomic():
        waiting = fund.applications.filter(status__in=waiting_statuses)
        count = waiting.update(
            status=ScholarshipStatus.NOT_AWARDED, decided_at=timezone.now(), decided_by=actor
        )
        _record(
            actor=actor, action="scholarships_closed", subject=fund, data={"not_awarded": count}
        )
    return count
