"""Reads of the support programmes that carry rules: who sees what, eligibility, money figures."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import ParticipationStatus
from directory.models import Enterprise, ListingStatus, Membership, PurchaseLine
from directory.selectors import is_member_of
from ssb_portal.formulas import energy_quota_granted_tce, quantize_cny
from ssb_portal.roles import is_official
from subsidies import rules
from subsidies.kpi import KpiStatus, KpiValue, kpi_status
from subsidies.models import (
    AWARDED_STATUSES,
    RESERVED_STATUSES,
    Application,
    ApplicationStatus,
    ClaimedLine,
    ConflictDeclaration,
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
    Review,
    StandardRole,
    SupportCap,
    Transition,
)

ZERO = Decimal("0.00")
#: Invoices of the same supplier and amount this many days apart are flagged to reviewers.
NEAR_DUPLICATE_DAYS = 5


def _money_sum(expression) -> Coalesce:
    return Coalesce(Sum(expression), Value(ZERO))


# --- visibility ------------------------------------------------------------------------------


def programmes_open(today: datetime.date | None = None) -> QuerySet[Programme]:
    today = today or timezone.localdate()
    return Programme.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by(
        "closes_on", "pk"
    )


def programmes_public() -> QuerySet[Programme]:
    return Programme.objects.prefetch_related("eligible_categories").order_by("-year", "kind", "pk")


def applications_visible_to(
    user: AbstractBaseUser | AnonymousUser, *, official: bool | None = None
) -> QuerySet[Application]:
    """Officials see every application; members see their organisations' ones; others none.

    `official` spares the role query when the caller has already asked.
    """
    applications = Application.objects.select_related("programme", "applicant")
    if is_official(user) if official is None else official:
        return applications
    if not user.is_authenticated:
        return applications.none()
    # Assigned reviewers read what they score (but not the officials' internal notes).
    mine = Membership.objects.filter(user=user, enterprise=OuterRef("applicant"))
    reviewing = Review.objects.filter(reviewer=user, application=OuterRef("pk"))
    return applications.filter(Exists(mine) | Exists(reviewing))


def application_for(user: AbstractBaseUser, pk: int) -> Application:
    """One application the user may see, or 404 (never 403: its existence is not revealed)."""
    return get_object_or_404(applications_visible_to(user), pk=pk)


def application_detail(user: AbstractBaseUser, pk: int) -> Application:
    """An application with everything its page shows, in a fixed number of queries."""
    official = is_official(user)
    messages = Message.objects.select_related("author")
    if not official:
        messages = messages.filter(internal=False)
    queryset = (
        applications_visible_to(user, official=official)
        .select_related("applicant__district", "notice")
        .prefetch_related(
            Prefetch(
                "claimed_lines",
                queryset=ClaimedLine.objects.select_related(
                    "purchase_line__category", "purchase_line__supplier"
                ),
            ),
            "kpi_targets",
            "milestones",
            "documents",
            Prefetch("transitions", queryset=Transition.objects.select_related("actor")),
            Prefetch("messages", queryset=messages),
            "appeals",
            Prefetch("objections", queryset=Objection.objects.order_by("lodged_at", "pk")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def is_applicant_member(user: AbstractBaseUser, application: Application) -> bool:
    return is_member_of(user, application.applicant_id)


def last_return_note(application: Application) -> str:
    """What the official asked to change the last time the application was returned."""
    returned = (
        application.transitions.filter(to_status=ApplicationStatus.RETURNED)
        .order_by("-created_at", "-pk")
        .first()
    )
    return returned.note if returned else ""


def claimable_lines(application: Application) -> QuerySet[PurchaseLine]:
    """The applicant's purchase lines that this programme could pay for and nobody holds."""
    programme = application.programme
    held = ClaimedLine.objects.filter(purchase_line=OuterRef("pk"), holds_claim=True).exclude(
        application=application
    )
    category_ids = list(programme.eligible_categories.values_list("pk", flat=True))
    return (
        PurchaseLine.objects.filter(
            buyer_id=application.applicant_id,
            invoice_date__year=programme.year,
            amount__gt=0,
            supplier__status=ListingStatus.VERIFIED,
            supplier__district__is_local=True,
        )
        .filter(Q(category_id__in=category_ids) | Q(category__parent_id__in=category_ids))
        .exclude(Exists(held))
        .select_related("category", "supplier")
        .order_by("-invoice_date", "invoice_no", "line_no")
    )


# --- conflicts of interest --------------------------------------------------------------------


def _related_enterprise_ids(enterprise: Enterprise) -> list[int]:
    if enterprise.group_id is None:
        return [enterprise.pk]
    return list(
        Enterprise.objects.filter(group_id=enterprise.group_id).values_list("pk", flat=True)
    )


def conflict_of_interest(user: AbstractBaseUser, enterprise: Enterprise) -> str | None:
    """Why the user may not review or decide for this enterprise, or None when they may.

    A conflict is declared, or detected: a membership in the enterprise or in any enterprise
    of its group.
    """
    related = _related_enterprise_ids(enterprise)
    if Membership.objects.filter(user=user, enterprise_id__in=related).exists():
        return _("You are a member of the applicant's organisation or its group.")
    declared = ConflictDeclaration.objects.filter(user=user, enterprise_id__in=related).first()
    if declared is not None:
        return _("You declared a conflict of interest: %(reason)s") % {"reason": declared.reason}
    return None


# --- eligibility ------------------------------------------------------------------------------


@dataclass
class Check:
    code: str
    label: str
    ok: bool
    problems: list[str] = field(default_factory=list)


@dataclass
class Eligibility:
    checks: list[Check]
    amount_cny: Decimal | None
    granted_quota_tce: Decimal | None

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def problems(self) -> list[str]:
        return [problem for check in self.checks for problem in check.problems]


def _line_problems(application: Application) -> list[str]:
    programme = application.programme
    category_ids = set(programme.eligible_categories.values_list("pk", flat=True))
    claimed = list(
        application.claimed_lines.select_related(
            "purchase_line__category", "purchase_line__supplier__district"
        )
    )
    if not claimed:
        return [_("Pick at least one purchase line to claim.")]
    problems = []
    for claim in claimed:
        line = claim.purchase_line
        label = _("Invoice %(invoice)s line %(line)s") % {
            "invoice": line.invoice_no,
            "line": line.line_no,
        }
        supplier = line.supplier
        if line.buyer_id != application.applicant_id:
            problems.append(_("%(label)s: not a purchase of the applicant.") % {"label": label})
        if supplier is None or supplier.status != ListingStatus.VERIFIED:
            problems.append(
                _("%(label)s: the supplier is not a verified enterprise of the directory.")
                % {"label": label}
            )
        elif not supplier.district.is_local:
            problems.append(_("%(label)s: the supplier is not local.") % {"label": label})
        if line.category_id not in category_ids and line.category.parent_id not in category_ids:
            problems.append(
                _("%(label)s: its category is not one this programme pays for.") % {"label": label}
            )
        if line.invoice_date.year != programme.year:
            problems.append(
                _("%(label)s: invoiced in %(year)s, not in the programme year %(programme)s.")
                % {"label": label, "year": line.invoice_date.year, "programme": programme.year}
            )
        if line.amount <= 0:
            problems.append(_("%(label)s: credit notes cannot be claimed.") % {"label": label})
    return problems


def _required(application: Application, names: list[str]) -> list[str]:
    problems = []
    for name in names:
        value = getattr(application, name)
        if value in (None, ""):
            verbose = Application._meta.get_field(name).verbose_name
            problems.append(_("Fill in “%(field)s”.") % {"field": verbose})
    return problems


def _positive(application: Application, name: str) -> list[str]:
    value = getattr(application, name)
    if value is not None and value <= 0:
        verbose = Application._meta.get_field(name).verbose_name
        return [_("“%(field)s” must be more than zero.") % {"field": verbose}]
    return []


def _claim_problems(application: Application) -> list[str]:
    kind = application.kind
    if kind in (ProgrammeKind.LOCAL_PROCUREMENT, ProgrammeKind.DEMONSTRATION_PROCUREMENT):
        problems = _line_problems(application)
        if kind == ProgrammeKind.DEMONSTRATION_PROCUREMENT:
            problems += _required(application, ["scenario", "scenario_site"])
        return problems
    if kind == ProgrammeKind.STANDARDS_REWARD:
        participation = application.standard_participation
        if participation is None:
            return [_("Choose your organisation's confirmed participation in the standard.")]
        problems = []
        if participation.status != ParticipationStatus.CONFIRMED:
            problems.append(_("An official has not confirmed this participation."))
        if not application.standard_is_international:
            problems.append(_("Only international standards are rewarded."))
        return problems
    if kind == ProgrammeKind.NATIONAL_MATCHING:
        return _required(
            application,
            ["project_name", "approving_ministry", "document_number", "total_investment_cny"],
        ) + _positive(application, "total_investment_cny")
    if kind == ProgrammeKind.RD_FUND:
        problems = _required(application, ["summary", "requested_amount_cny"])
        problems += _positive(application, "requested_amount_cny")
        cap = application.programme.max_award_cny
        requested = application.requested_amount_cny
        if cap is not None and requested is not None and requested > cap:
            problems.append(
                _("The call funds at most %(cap)s CNY per proposal.") % {"cap": f"{cap:,.2f}"}
            )
        if not application.kpi_targets.exists():
            problems.append(_("Give the baseline and target of at least one KPI."))
        if not application.milestones.exists():
            problems.append(_("Give at least one milestone."))
        return problems
    if kind == ProgrammeKind.ENERGY_QUOTA:
        return _required(application, ["standard_quota_tce"]) + _positive(
            application, "standard_quota_tce"
        )
    if kind == ProgrammeKind.LAND_PRIORITY:
        return (
            _required(
                application, ["land_area_m2", "land_use", "planned_investment_cny", "planned_jobs"]
            )
            + _positive(application, "land_area_m2")
            + _positive(application, "planned_investment_cny")
        )
    return []


def computed_amount(application: Application) -> tuple[Decimal | None, Decimal | None]:
    """The award the programme's rule gives this claim (CNY) and, for quotas, the tce/year.

    Returns (None, None) when the claim is not complete enough to compute.
    """
    programme = application.programme
    kind = application.kind
    if kind in (ProgrammeKind.LOCAL_PROCUREMENT, ProgrammeKind.DEMONSTRATION_PROCUREMENT):
        amounts = [claim.amount_cny for claim in application.claimed_lines.all()]
        if not amounts or programme.rate_percent is None:
            return None, None
        return rules.procurement_subsidy_cny(amounts, programme.rate_percent), None
    if kind == ProgrammeKind.STANDARDS_REWARD:
        if application.standard_role not in StandardRole.values:
            return None, None
        return (
            rules.standards_reward_cny(
                application.standard_role,
                programme.lead_reward_cny or ZERO,
                programme.participate_reward_cny or ZERO,
            ),
            None,
        )
    if kind == ProgrammeKind.NATIONAL_MATCHING:
        if application.total_investment_cny is None or programme.rate_percent is None:
            return None, None
        return (
            rules.national_matching_cny(application.total_investment_cny, programme.rate_percent),
            None,
        )
    if kind == ProgrammeKind.RD_FUND:
        return application.requested_amount_cny, None
    if kind == ProgrammeKind.ENERGY_QUOTA:
        if application.standard_quota_tce is None:
            return None, None
        return None, energy_quota_granted_tce(application.standard_quota_tce)
    return None, None


def application_eligibility(
    application: Application, today: datetime.date | None = None
) -> Eligibility:
    """Every condition for submitting, each with what to do when it fails."""
    today = today or timezone.localdate()
    programme = application.programme
    applicant = application.applicant
    checks = [
        Check(
            "verified",
            _("The enterprise is verified in the directory"),
            applicant.status == ListingStatus.VERIFIED,
            []
            if applicant.status == ListingStatus.VERIFIED
            else [_("An official must verify the enterprise before it can apply.")],
        ),
        Check(
            "local",
            _("The enterprise is registered in the municipality"),
            applicant.district.is_local,
            [] if applicant.district.is_local else [_("Only local enterprises may apply.")],
        ),
        Check(
            "open",
            _("The programme is open"),
            programme.is_open_on(today),
            []
            if programme.is_open_on(today)
            else [
                _("The programme takes applications from %(opens)s to %(closes)s.")
                % {"opens": programme.opens_on, "closes": programme.closes_on}
            ],
        ),
    ]
    attached = set(application.documents.values_list("kind", flat=True))
    missing = [kind for kind in programme.required_documents if kind not in attached]
    checks.append(
        Check(
            "documents",
            _("The required documents are attached"),
            not missing,
            [
                _("Attach: %(kind)s.") % {"kind": DocumentKind(kind).label}
                for kind in missing
                if kind in DocumentKind.values
            ],
        )
    )
    claim_problems = _claim_problems(application)
    checks.append(
        Check("claim", _("The claim is complete and valid"), not claim_problems, claim_problems)
    )
    amount, quota = computed_amount(application)
    if programme.is_monetary:
        positive = amount is not None and amount > 0
        checks.append(
            Check(
                "amount",
                _("The programme's rule gives an amount"),
                positive,
                [] if positive else [_("The claim gives no amount yet.")],
            )
        )
    return Eligibility(checks=checks, amount_cny=amount, granted_quota_tce=quota)


# --- near-duplicate claims --------------------------------------------------------------------


def near_duplicate_lines(application: Application) -> list[dict[str, Any]]:
    """Claimed lines that look like another held claim: same supplier and amount, invoice
    dates within NEAR_DUPLICATE_DAYS, a different invoice. Shown to reviewers, not refused.

    Two queries whatever the number of lines: the candidates are fetched at once and paired
    here.
    """
    claims = list(application.claimed_lines.all())
    if not claims:
        return []
    window = datetime.timedelta(days=NEAR_DUPLICATE_DAYS)
    candidates = (
        ClaimedLine.objects.filter(
            holds_claim=True,
            supplier_uscc__in={claim.supplier_uscc for claim in claims},
            amount_cny__in={claim.amount_cny for claim in claims},
            invoice_date__range=(
                min(claim.invoice_date for claim in claims) - window,
                max(claim.invoice_date for claim in claims) + window,
            ),
        )
        .select_related("purchase_line", "application__applicant")
        .order_by("invoice_date", "pk")
    )
    by_supplier_and_amount: dict[tuple, list[ClaimedLine]] = {}
    for candidate in candidates:
        key = (candidate.supplier_uscc, candidate.amount_cny)
        by_supplier_and_amount.setdefault(key, []).append(candidate)
    found = []
    for claim in claims:
        for other in by_supplier_and_amount.get((claim.supplier_uscc, claim.amount_cny), []):
            same_line = (other.invoice_key, other.line_no) == (claim.invoice_key, claim.line_no)
            close = abs(other.invoice_date - claim.invoice_date) <= window
            if other.pk != claim.pk and not same_line and close:
                found.append({"claim": claim, "other": other})
    return found


# --- money ------------------------------------------------------------------------------------


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


def _subquery_sum(queryset: QuerySet, group_field: str, value_field: str) -> Coalesce:
    totals = queryset.values(group_field).annotate(total=Sum(value_field)).values("total")
    return Coalesce(Subquery(totals), Value(ZERO))


def programmes_with_money() -> QuerySet[Programme]:
    """Programmes with their awards held, repaid recoveries and what is left, in one query.

    Subqueries, not joins: a join of applications and recoveries would count an award once
    per recovery.
    """
    held = _subquery_sum(
        Application.objects.filter(programme=OuterRef("pk"), status__in=RESERVED_STATUSES),
        "programme",
        "awarded_amount_cny",
    )
    repaid = _subquery_sum(
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
    held = _subquery_sum(
        Application.objects.filter(applicant=OuterRef("pk"), status__in=RESERVED_STATUSES),
        "applicant",
        "awarded_amount_cny",
    )
    repaid = _subquery_sum(
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
    related = _related_enterprise_ids(enterprise)
    return _net_awards(Application.objects.filter(applicant_id__in=related, decided_at__gte=since))


# --- public disclosure ------------------------------------------------------------------------


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
            recovered_cny=_subquery_sum(
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


def open_objections(application: Application) -> QuerySet[Objection]:
    return application.objections.filter(status=ObjectionStatus.OPEN)


# --- the officials' workbench (admin) ---------------------------------------------------------


def applications_workbench() -> QuerySet[Application]:
    """Applications as the officials' queues list them, in one query: with the number of open
    objections and whether a claimed line looks like another held claim (the rule of
    `near_duplicate_lines`: same supplier and amount, invoice dates within
    NEAR_DUPLICATE_DAYS, a different invoice line)."""
    from django.db.models import Count, DateField
    from django.db.models.functions import Cast

    window = datetime.timedelta(days=NEAR_DUPLICATE_DAYS)
    lookalike = (
        ClaimedLine.objects.filter(
            holds_claim=True,
            supplier_uscc=OuterRef("supplier_uscc"),
            amount_cny=OuterRef("amount_cny"),
            invoice_date__gte=Cast(OuterRef("invoice_date") - window, DateField()),
            invoice_date__lte=Cast(OuterRef("invoice_date") + window, DateField()),
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(invoice_key=OuterRef("invoice_key"), line_no=OuterRef("line_no"))
    )
    flagged = ClaimedLine.objects.filter(application=OuterRef("pk")).filter(Exists(lookalike))
    objections = (
        Objection.objects.filter(application=OuterRef("pk"), status=ObjectionStatus.OPEN)
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Application.objects.select_related("programme", "applicant").annotate(
        open_objection_count=Coalesce(Subquery(objections), Value(0)),
        has_near_duplicates=Exists(flagged),
    )


def land_round_requests(programme: Programme) -> QuerySet[Application]:
    """The requests of a land round that officials rank (the candidates of
    `services.land_round_rank`): ranked ones in their order, then the others as submitted."""
    return (
        programme.applications.exclude(
            status__in=(
                ApplicationStatus.DRAFT,
                ApplicationStatus.WITHDRAWN,
                ApplicationStatus.REJECTED,
            )
        )
        .select_related("applicant")
        .order_by(F("land_rank").asc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "pk")
    )


def disbursement_batch_awards(batch_ids: list[int]) -> QuerySet[Application]:
    """The awards of these disbursement batches, as finance's spreadsheet lists them."""
    return (
        Application.objects.filter(disbursement_batch_id__in=batch_ids)
        .select_related("disbursement_batch", "programme", "applicant", "notice")
        .order_by("disbursement_batch__created_at", "disbursement_batch_id", "pk")
    )


# --- the applicants' and the public's pages ---------------------------------------------------


def applications_of_member(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Application]:
    """Applications of the user's own organisations (officials see only their own here too)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.select_related("programme", "applicant").filter(
        applicant__memberships__user=user
    )


def application_for_member(user: AbstractBaseUser | AnonymousUser, pk: int) -> Application:
    """An application the user may change as its applicant's member, or 404 for everybody else
    (officials included: they decide in the admin, they do not act for the applicant)."""
    return get_object_or_404(applications_of_member(user), pk=pk)


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


def notices_listed() -> QuerySet[Notice]:
    """Public notices with how many awards and objections each has and the total awarded."""
    from django.db.models import Count

    total = _subquery_sum(
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


def application_messages(user: AbstractBaseUser, application: Application) -> QuerySet[Message]:
    """The application's thread as the user may read it: internal notes for officials only."""
    messages = application.messages.select_related("author")
    if not is_official(user):
        messages = messages.filter(internal=False)
    return messages


# --- R&D fund milestone reports and KPI status (issue 6) --------------------------------------


def _kpi_targets_with_values() -> Prefetch:
    values = MilestoneKpiValue.objects.select_related("report").order_by(
        "report__reported_on", "report_id"
    )
    return Prefetch(
        "kpi_targets",
        queryset=KpiTarget.objects.prefetch_related(Prefetch("reported_values", queryset=values)),
    )


def kpi_statuses_of(application: Application) -> list[KpiStatus]:
    """The KPI status of an application whose kpi_targets were fetched by
    `_kpi_targets_with_values` (else two queries more)."""
    return [
        kpi_status(
            kpi=target.kpi,
            baseline=target.baseline_value,
            target=target.target_value,
            values=[
                KpiValue(
                    value=item.value,
                    source=item.source,
                    reported_on=item.report.reported_on,
                    order=item.report_id,
                )
                for item in target.reported_values.all()
            ],
        )
        for target in application.kpi_targets.all()
    ]


def application_kpi_status(application: Application) -> list[KpiStatus]:
    """One project's KPIs: baseline, target, latest value, met or not (three queries)."""
    application = Application.objects.prefetch_related(_kpi_targets_with_values()).get(
        pk=application.pk
    )
    return kpi_statuses_of(application)


def milestones_with_reports(application: Application) -> list[Milestone]:
    """The project's milestones, each with its reports and their KPI values (three queries)."""
    reports = MilestoneReport.objects.prefetch_related(
        Prefetch("kpi_values", queryset=MilestoneKpiValue.objects.select_related("kpi_target"))
    )
    return list(application.milestones.prefetch_related(Prefetch("reports", queryset=reports)))


def milestone_report_for(user: AbstractBaseUser, pk: int, report_id: int) -> MilestoneReport:
    """A report of an application the user may see, or 404."""
    application = application_for(user, pk)
    return get_object_or_404(
        MilestoneReport.objects.select_related("milestone"),
        pk=report_id,
        milestone__application=application,
    )


def funded_rd_projects() -> QuerySet[Application]:
    """R&D projects awarded money: approved, in public notice or paid."""
    return (
        Application.objects.filter(kind=ProgrammeKind.RD_FUND, status__in=AWARDED_STATUSES)
        .select_related("programme", "applicant")
        .order_by("programme__year", "programme_id", "applicant__name_zh", "pk")
    )


def rd_kpi_table() -> list[tuple[Application, list[KpiStatus]]]:
    """Every funded R&D project with each KPI's status, in three queries whatever their number."""
    projects = funded_rd_projects().prefetch_related(_kpi_targets_with_values())
    return [(project, kpi_statuses_of(project)) for project in projects]
