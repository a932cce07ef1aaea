"""Reads of the talent programme: who may see which person, and the programme's figures.

Personal data is scoped here: officials see everything; a university's members see its own
students, internships and graduates; a host enterprise's members see the internships it
hosts and the graduates it hired; a student sees their own record and applications.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone

from directory.models import Enterprise, ListingStatus, Membership
from ssb_portal.formulas import (
    EXPERTS_TARGET_MAX,
    EXPERTS_TARGET_MIN,
    EXPERTS_TARGET_YEARS,
    GRADUATES_TARGET_PER_YEAR,
    RETENTION_TARGET,
    SCHOLARSHIPS_TARGET_PER_YEAR,
    retention_rate,
    scholarship_fund_cny,
    talent_influx,
)
from ssb_portal.roles import is_official
from talent.models import (
    RECRUITED_STATUSES,
    Destination,
    Graduate,
    Internship,
    InternshipOutcome,
    InternshipStatus,
    OverseasExpert,
    ScholarshipApplication,
    ScholarshipFund,
    ScholarshipStatus,
    Student,
)


def _mine(user: AbstractBaseUser) -> QuerySet:
    return Membership.objects.filter(user=user).values("enterprise_id")


# --- who sees whom ----------------------------------------------------------------------------


def students_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Student]:
    students = Student.objects.select_related("university")
    if is_official(user):
        return students
    if not user.is_authenticated:
        return students.none()
    return students.filter(Q(university_id__in=_mine(user)) | Q(user=user))


def student_for(user: AbstractBaseUser, pk: int) -> Student:
    return get_object_or_404(students_visible_to(user), pk=pk)


def internships_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Internship]:
    internships = Internship.objects.select_related("student__university", "host", "training_base")
    if is_official(user):
        return internships
    if not user.is_authenticated:
        return internships.none()
    mine = _mine(user)
    return internships.filter(
        Q(student__university_id__in=mine) | Q(host_id__in=mine) | Q(student__user=user)
    )


def internship_for(user: AbstractBaseUser, pk: int) -> Internship:
    return get_object_or_404(internships_visible_to(user), pk=pk)


def graduates_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Graduate]:
    graduates = Graduate.objects.select_related("university", "employer")
    if is_official(user):
        return graduates
    if not user.is_authenticated:
        return graduates.none()
    mine = _mine(user)
    return graduates.filter(Q(university_id__in=mine) | Q(employer_id__in=mine))


def experts_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[OverseasExpert]:
    experts = OverseasExpert.objects.select_related("host").prefetch_related("benefits")
    if is_official(user):
        return experts
    if not user.is_authenticated:
        return experts.none()
    return experts.filter(host_id__in=_mine(user))


def scholarship_applications_visible_to(
    user: AbstractBaseUser | AnonymousUser,
) -> QuerySet[ScholarshipApplication]:
    """Officials see all; a student only their own (universities do not see them)."""
    applications = ScholarshipApplication.objects.select_related("fund", "student__university")
    if is_official(user):
        return applications
    if not user.is_authenticated:
        return applications.none()
    return applications.filter(student__user=user)


def universities_of(user: AbstractBaseUser) -> QuerySet[Enterprise]:
    """The universities and institutes whose staff the user is."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(
        memberships__user=user, kind__in=("university", "research_institute")
    ).order_by("name_zh")


def funds_open(today: datetime.date | None = None) -> QuerySet[ScholarshipFund]:
    today = today or timezone.localdate()
    return ScholarshipFund.objects.filter(opens_on__lte=today, closes_on__gte=today)


def scholarship_ranking(fund: ScholarshipFund) -> list[ScholarshipApplication]:
    """Applications awaiting a decision, best average review score first."""
    applications = (
        fund.applications.filter(status=ScholarshipStatus.SUBMITTED)
        .select_related("student__university")
        .prefetch_related("reviews")
    )
    ranked = []
    for application in applications:
        scores = [review.score for review in application.reviews.all()]
        application.average_score = Decimal(sum(scores)) / len(scores) if scores else None
        ranked.append(application)
    ranked.sort(key=lambda a: (a.average_score is None, -(a.average_score or 0), a.pk))
    return ranked


# --- figures ----------------------------------------------------------------------------------


def _retention(graduates: int, retained: int) -> dict[str, Any]:
    rate = retention_rate(retained, graduates)
    return {
        "graduates": graduates,
        "retained": retained,
        "p_retain": rate,
        "influx": talent_influx(graduates, rate) if rate is not None else Decimal(0),
        "meets_retention": rate is not None and rate > RETENTION_TARGET,
    }


def retention_by_university(year: int) -> list[dict[str, Any]]:
    """N_grad, retained, p_retain and I_talent per university for a year, one GROUP BY."""
    rows = (
        Graduate.objects.filter(year=year)
        .values("university_id", "university__name_zh", "university__name_en")
        .annotate(
            graduates=Count("pk"),
            retained=Count("pk", filter=Q(destination=Destination.LOCAL_SSB)),
        )
        .order_by("university__name_zh")
    )
    return [
        {
            "university_id": row["university_id"],
            "name_zh": row["university__name_zh"],
            "name_en": row["university__name_en"],
            **_retention(row["graduates"], row["retained"]),
        }
        for row in rows
    ]


def hires_by_enterprise(year: int) -> list[dict[str, Any]]:
    """Per local enterprise: graduates of the year hired, internships completed and hires
    from them (the internship-to-hire conversion)."""
    graduates = {
        row["employer_id"]: row["hired"]
        for row in Graduate.objects.filter(year=year, destination=Destination.LOCAL_SSB)
        .values("employer_id")
        .annotate(hired=Count("pk"))
    }
    internships = {
        row["host_id"]: row
        for row in Internship.objects.filter(status=InternshipStatus.COMPLETED, ends_on__year=year)
        .values("host_id")
        .annotate(
            completed=Count("pk"),
            hired=Count("pk", filter=Q(outcome=InternshipOutcome.HIRED)),
        )
    }
    ids = set(graduates) | set(internships)
    names = {
        e.pk: e
        for e in Enterprise.objects.filter(pk__in=ids).only("pk", "uscc", "name_zh", "name_en")
    }
    rows = []
    for pk in ids:
        completed = internships.get(pk, {}).get("completed", 0)
        hired_from = internships.get(pk, {}).get("hired", 0)
        rows.append(
            {
                "enterprise": names[pk],
                "graduates_hired": graduates.get(pk, 0),
                "internships_completed": completed,
                "hired_from_internships": hired_from,
                "conversion": retention_rate(hired_from, completed),
            }
        )
    rows.sort(key=lambda row: (-row["graduates_hired"], row["enterprise"].name_zh))
    return rows


def talent_dashboard(year: int) -> dict[str, Any]:
    """The year's figures against the seed's targets."""
    totals = Graduate.objects.filter(year=year).aggregate(
        graduates=Count("pk"),
        retained=Count("pk", filter=Q(destination=Destination.LOCAL_SSB)),
    )
    retention = _retention(totals["graduates"], totals["retained"])
    since = datetime.date(year - EXPERTS_TARGET_YEARS + 1, 1, 1)
    experts = OverseasExpert.objects.filter(
        status__in=RECRUITED_STATUSES,
        signed_on__gte=since,
        signed_on__lte=datetime.date(year, 12, 31),
    ).count()
    fund = ScholarshipFund.objects.filter(year=year).first()
    internships = Internship.objects.filter(
        status=InternshipStatus.COMPLETED, ends_on__year=year
    ).aggregate(completed=Count("pk"), hired=Count("pk", filter=Q(outcome=InternshipOutcome.HIRED)))
    return {
        "year": year,
        **_judged_against_targets(
            retention,
            experts=experts,
            recipients=(
                fund.applications.filter(status=ScholarshipStatus.AWARDED).count() if fund else 0
            ),
            award_cny=fund.award_cny if fund else None,
        ),
        "graduates_target": GRADUATES_TARGET_PER_YEAR,
        "retention_target": RETENTION_TARGET,
        "experts_years": EXPERTS_TARGET_YEARS,
        "experts_target_min": EXPERTS_TARGET_MIN,
        "experts_target_max": EXPERTS_TARGET_MAX,
        "scholarships_target": SCHOLARSHIPS_TARGET_PER_YEAR,
        "internships_completed": internships["completed"],
        "internships_hired": internships["hired"],
        "internship_conversion": retention_rate(internships["hired"], internships["completed"]),
        "by_university": retention_by_university(year),
        "by_enterprise": hires_by_enterprise(year),
    }


def _judged_against_targets(
    retention: dict[str, Any], *, experts: int, recipients: int, award_cny: Decimal | None
) -> dict[str, Any]:
    """A year's retention, experts and scholarships with the seed's targets judged: one rule
    for the year's dashboard and for the programme's run of years. `award_cny` is None in a
    year without a scholarship fund."""
    return {
        **retention,
        "meets_graduates": retention["influx"] > GRADUATES_TARGET_PER_YEAR,
        "experts": experts,
        "meets_experts": experts >= EXPERTS_TARGET_MIN,
        "scholarship_recipients": recipients,
        "scholarship_money_cny": (
            scholarship_fund_cny(recipients, award_cny)
            if award_cny is not None
            else Decimal("0.00")
        ),
        "meets_scholarships": recipients >= SCHOLARSHIPS_TARGET_PER_YEAR,
    }


def talent_years() -> list[int]:
    years = set(Graduate.objects.order_by().values_list("year", flat=True).distinct())
    years |= set(ScholarshipFund.objects.values_list("year", flat=True))
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def students_with_internships(university: Enterprise) -> QuerySet[Student]:
    return Student.objects.filter(university=university).annotate(
        internships_count=Count("internships"),
        awarded=Exists(
            ScholarshipApplication.objects.filter(
                student=OuterRef("pk"), status=ScholarshipStatus.AWARDED
            )
        ),
    )


def local_employers(codes: set[str] | list[str]) -> dict[str, Enterprise]:
    """The verified enterprises in a local district among these USCCs, by code: those a
    graduate report may name as a local solid-state battery employer."""
    return {
        enterprise.uscc: enterprise
        for enterprise in Enterprise.objects.filter(
            uscc__in=list(codes), status=ListingStatus.VERIFIED, district__is_local=True
        )
    }


def graduate_reports_of(university: Enterprise) -> list[dict[str, Any]]:
    """A university's reported graduates per year: N_grad, retained, p_retain, I_talent and
    the hires their employers confirmed; one GROUP BY."""
    rows = (
        Graduate.objects.filter(university=university)
        .values("year")
        .annotate(
            graduates=Count("pk"),
            retained=Count("pk", filter=Q(destination=Destination.LOCAL_SSB)),
            confirmed=Count("pk", filter=Q(employer_confirmed_at__isnull=False)),
        )
        .order_by("-year")
    )
    return [
        {
            "year": row["year"],
            "confirmed": row["confirmed"],
            **_retention(row["graduates"], row["retained"]),
        }
        for row in rows
    ]


def retention_by_year() -> list[dict[str, Any]]:
    """The city's N_grad, retained and p_retain for every year with graduates, oldest first."""
    rows = (
        Graduate.objects.values("year")
        .annotate(
            graduates=Count("pk"),
            retained=Count("pk", filter=Q(destination=Destination.LOCAL_SSB)),
        )
        .order_by("year")
    )
    return [{"year": row["year"], **_retention(row["graduates"], row["retained"])} for row in rows]


def talent_by_year() -> list[dict[str, Any]]:
    """The figures of `talent_dashboard` against the same targets, for every year at once.

    The years run from the first with graduates, a signed expert or a scholarship fund to the
    later of the last such year and this one (experts count over the three years ending with
    each); none when there is nothing. Three GROUP BYs.
    """
    retention = {row["year"]: row for row in retention_by_year()}
    signed = dict(
        OverseasExpert.objects.filter(status__in=RECRUITED_STATUSES, signed_on__isnull=False)
        .annotate(year=ExtractYear("signed_on"))
        .values("year")
        .annotate(experts=Count("pk"))
        .order_by()
        .values_list("year", "experts")
    )
    funds = {
        row["year"]: row
        for row in ScholarshipFund.objects.values("year", "award_cny").annotate(
            recipients=Count(
                "applications", filter=Q(applications__status=ScholarshipStatus.AWARDED)
            )
        )
    }
    years = set(retention) | set(signed) | set(funds)
    if not years:
        return []
    rows = []
    for year in range(min(years), max(*years, timezone.localdate().year) + 1):
        figures = retention.get(year) or {"year": year, **_retention(0, 0)}
        experts = sum(signed.get(y, 0) for y in range(year - EXPERTS_TARGET_YEARS + 1, year + 1))
        fund = funds.get(year)
        rows.append(
            {
                **_judged_against_targets(
                    figures,
                    experts=experts,
                    recipients=fund["recipients"] if fund else 0,
                    award_cny=fund["award_cny"] if fund else None,
                ),
                "has_scholarship_fund": fund is not None,
            }
        )
    return rows
