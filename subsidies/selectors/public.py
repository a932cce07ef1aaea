"""The public's reads: programmes, the awards granted, and the public notices with their
objections.
"""

import datetime

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from subsidies.models import (
    Application,
    ApplicationStatus,
    Notice,
    Objection,
    ObjectionStatus,
    Programme,
    Recovery,
)
from subsidies.selectors.money import programmes_with_money, subquery_sum


def programmes_open(today: datetime.date | None = None) -> QuerySet[Programme]:
    today = today or timezone.localdate()
    return Programme.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by(
        "closes_on", "pk"
    )


def programmes_public() -> QuerySet[Programme]:
    return Programme.objects.prefetch_related("eligible_categories").order_by("-year", "kind", "pk")


def programmes_listed(today: datetime.date | None = None) -> QuerySet[Programme]:
    """Every programme with its money figures, open ones first, then upcoming, then closed."""
    from django.db.models import Case, IntegerField, When

    today = today or timezone.localdate()
    phase = Case(
        When(opens_on__lte=today, closes_on__gte=today, then=Value(0)),
        When(opens_on__gt=today, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        programmes_with_money()
        .prefetch_related("eligible_categories")
        .annotate(phase=phase)
        .order_by("phase", "-year", "closes_on", "pk")
    )


def awards_public() -> QuerySet[Application]:
    """Approved awards of public money, as published: programme, recipient, amount, date."""
    return (
        Application.objects.filter(
            status__in=(
                ApplicationStatus.APPROVED,
                ApplicationStatus.IN_NOTICE,
                ApplicationStatus.DISBURSED,
            ),
            awarded_amount_cny__isnull=False,
        )
        .select_related("programme", "applicant")
        # A subquery, not a join: a join would group every award before the page is cut.
        .annotate(
            recovered_cny=subquery_sum(
                Recovery.objects.filter(application=OuterRef("pk")),
                "application",
                "repaid_cny",
            )
        )
        .order_by("-decided_at", "-pk")
    )


def notices_public() -> QuerySet[Notice]:
    return Notice.objects.select_related("programme").order_by("-published_at", "-pk")


def notice_public(pk: int) -> Notice:
    queryset = notices_public().prefetch_related(
        Prefetch(
            "applications",
            queryset=Application.objects.select_related("applicant").order_by("pk"),
        ),
        Prefetch("objections", queryset=Objection.objects.order_by("lodged_at", "pk")),
    )
    return get_object_or_404(queryset, pk=pk)


def notices_listed() -> QuerySet[Notice]:
    """Public notices with how many awards and objections each has and the total awarded."""
    from django.db.models import Count

    total = subquery_sum(
        Application.objects.filter(notice=OuterRef("pk")), "notice", "awarded_amount_cny"
    )
    objections = Objection.objects.filter(notice=OuterRef("pk")).values("notice")
    return notices_public().annotate(
        award_count=Count("applications", distinct=True),
        objection_count=Coalesce(
            Subquery(objections.annotate(n=Count("pk")).values("n")), Value(0)
        ),
        awarded_cny=total,
    )


def open_objections(application: Application) -> QuerySet[Objection]:
    return application.objections.filter(status=ObjectionStatus.OPEN)
