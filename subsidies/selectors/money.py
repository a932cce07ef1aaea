"""Money figures, summed in SQL: awards held net of recoveries per programme and per
enterprise, budgets, and the support cap in force.
"""

import datetime
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from directory.models import Enterprise
from ssb_portal.formulas import quantize_cny
from subsidies.models import RESERVED_STATUSES, Application, Programme, Recovery, SupportCap
from subsidies.selectors.access import related_enterprise_ids

ZERO = Decimal("0.00")


def _money_sum(expression) -> Coalesce:
    return Coalesce(Sum(expression), Value(ZERO))


def _net_awards(applications: QuerySet[Application]) -> Decimal:
    """Awards held (approved up to disbursed) less what recoveries brought back."""
    reserved = applications.filter(status__in=RESERVED_STATUSES).aggregate(
        total=_money_sum("awarded_amount_cny")
    )["total"]
    repaid = Recovery.objects.filter(application__in=applications).aggregate(
        total=_money_sum("repaid_cny")
    )["total"]
    # SQLite sums decimals as floats; the fen is the unit every check compares in.
    return quantize_cny(Decimal(reserved) - Decimal(repaid))


def programme_committed_cny(programme: Programme) -> Decimal:
    return _net_awards(Application.objects.filter(programme=programme))


def programme_budget(programme: Programme) -> dict[str, Decimal | None]:
    committed = programme_committed_cny(programme)
    budget = programme.budget_cny
    return {
        "budget": budget,
        "committed": committed,
        "remaining": None if budget is None else budget - committed,
    }


def subquery_sum(queryset: QuerySet, group_field: str, value_field: str) -> Coalesce:
    """A correlated subquery summing `value_field` over the queryset's rows of one
    `group_field` (filter the queryset by OuterRef), zero when there are none."""
    totals = queryset.values(group_field).annotate(total=Sum(value_field)).values("total")
    return Coalesce(Subquery(totals), Value(ZERO))


def programmes_with_money() -> QuerySet[Programme]:
    """Programmes with their awards held, repaid recoveries and what is left, in one query.

    Subqueries, not joins: a join of applications and recoveries would count an award once
    per recovery.
    """
    held = subquery_sum(
        Application.objects.filter(programme=OuterRef("pk"), status__in=RESERVED_STATUSES),
        "programme",
        "awarded_amount_cny",
    )
    repaid = subquery_sum(
        Recovery.objects.filter(application__programme=OuterRef("pk")),
        "application__programme",
        "repaid_cny",
    )
    return Programme.objects.annotate(held_cny=held, repaid_cny=repaid).annotate(
        committed_cny=F("held_cny") - F("repaid_cny"),
        remaining_cny=F("budget_cny") - F("held_cny") + F("repaid_cny"),
    )


def support_by_enterprise() -> QuerySet[Enterprise]:
    """Enterprises that hold awards, with awards held, repaid recoveries and net support (CNY).

    The same net rule as budgets and caps: awards from approval to payment, less repayments.
    """
    held = subquery_sum(
        Application.objects.filter(applicant=OuterRef("pk"), status__in=RESERVED_STATUSES),
        "applicant",
        "awarded_amount_cny",
    )
    repaid = subquery_sum(
        Recovery.objects.filter(application__applicant=OuterRef("pk")),
        "application__applicant",
        "repaid_cny",
    )
    return (
        Enterprise.objects.filter(
            Exists(
                Application.objects.filter(applicant=OuterRef("pk"), status__in=RESERVED_STATUSES)
            )
        )
        .select_related("group")
        .annotate(held_cny=held, repaid_cny=repaid)
        .annotate(net_cny=F("held_cny") - F("repaid_cny"))
        .order_by("-net_cny", "name_zh")
    )


def support_cap_in_force(today: datetime.date | None = None) -> SupportCap | None:
    today = today or timezone.localdate()
    return SupportCap.objects.filter(effective_from__lte=today).order_by("-effective_from").first()


def support_received_cny(enterprise: Enterprise, *, since: datetime.datetime) -> Decimal:
    """Net support held by the enterprise and its group from awards approved since `since`."""
    related = related_enterprise_ids(enterprise)
    return _net_awards(Application.objects.filter(applicant_id__in=related, decided_at__gte=since))
