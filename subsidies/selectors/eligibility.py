"""Whether an application may be submitted and what its programme's rule awards it:
the claimable purchase lines, every eligibility check, and near-duplicate claims.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import ParticipationStatus
from directory.models import ListingStatus, PurchaseLine, SupplyCategory
from directory.purchases.confirmation_selectors import confirmed_condition, undisputed_condition
from ssb_portal.formulas import energy_quota_granted_tce
from subsidies import rules
from subsidies.models import (
    Application,
    ClaimedLine,
    DocumentKind,
    Programme,
    ProgrammeKind,
    StandardRole,
)
from subsidies.selectors.money import ZERO


def counted_for_subsidy() -> Q:
    """SQL: a line the supplier confirmed as it is now, or one an official accepted unconfirmed
    (at the amount it still has) and its supplier does not dispute."""
    return confirmed_condition() | (
        Q(subsidy_acceptance__amount_cny=F("amount")) & undisputed_condition()
    )


def eligible_category_ids(programme: Programme) -> set[int]:
    """The categories a programme pays for: those it names and their subcategories."""
    named = programme.eligible_categories.all()
    return set(
        SupplyCategory.objects.filter(Q(pk__in=named) | Q(parent__in=named)).values_list(
            "pk", flat=True
        )
    )


def claimable_lines(application: Application) -> QuerySet[PurchaseLine]:
    """The applicant's purchase lines that this programme could pay for and nobody holds."""
    programme = application.programme
    held = ClaimedLine.objects.filter(purchase_line=OuterRef("pk"), holds_claim=True).exclude(
        application=application
    )
    return (
        PurchaseLine.objects.filter(
            buyer_id=application.applicant_id,
            invoice_date__year=programme.year,
            amount__gt=0,
            supplier__status=ListingStatus.VERIFIED,
            supplier__district__is_local=True,
        )
        .filter(category_id__in=eligible_category_ids(programme))
        .filter(counted_for_subsidy())
        .exclude(Exists(held))
        .select_related("category", "supplier")
        .order_by("-invoice_date", "invoice_no", "line_no")
    )


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
    counted = set(
        PurchaseLine.objects.filter(pk__in=[claim.purchase_line_id for claim in claimed])
        .filter(counted_for_subsidy())
        .values_list("pk", flat=True)
    )
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
        if line.category is None or (
            line.category_id not in category_ids and line.category.parent_id not in category_ids
        ):
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
        if line.pk not in counted:
            problems.append(
                _(
                    "%(label)s: its supplier has not confirmed it as it is, or disputes it; an "
                    "official may accept an unconfirmed line with a reason."
                )
                % {"label": label}
            )
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


#: Invoices of the same supplier and amount this many days apart are flagged to reviewers.
NEAR_DUPLICATE_DAYS = 5


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
            same_line = (other.invoice_code, other.invoice_key, other.line_no) == (
                claim.invoice_code,
                claim.invoice_key,
                claim.line_no,
            )
            close = abs(other.invoice_date - claim.invoice_date) <= window
            if other.pk != claim.pk and not same_line and close:
                found.append({"claim": claim, "other": other})
    return found
