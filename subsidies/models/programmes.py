"""The support programmes and the choices that describe them: the programme kinds, the
documents a programme asks for, the R&D materials and KPIs, the standards roles.

One engine serves every programme kind of the seed: the kind decides which claim fields an
application uses and which rule computes its amount (see `subsidies.rules`).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import SupplyCategory
from subsidies.models.fields import PERCENT, money_field


class ProgrammeKind(models.TextChoices):
    LOCAL_PROCUREMENT = "local_procurement", _("Local procurement subsidy")
    STANDARDS_REWARD = "standards_reward", _("Standards reward")
    NATIONAL_MATCHING = "national_matching", _("National major project matching")
    RD_FUND = "rd_fund", _("R&D special fund")
    ENERGY_QUOTA = "energy_quota", _("Energy quota uplift")
    LAND_PRIORITY = "land_priority", _("Industrial land priority")
    DEMONSTRATION_PROCUREMENT = "demonstration_procurement", _("Demonstration procurement subsidy")


#: Kinds that pay money (and so have a budget, a public notice and disbursement).
MONETARY_KINDS = frozenset(
    {
        ProgrammeKind.LOCAL_PROCUREMENT,
        ProgrammeKind.STANDARDS_REWARD,
        ProgrammeKind.NATIONAL_MATCHING,
        ProgrammeKind.RD_FUND,
        ProgrammeKind.DEMONSTRATION_PROCUREMENT,
    }
)
#: Kinds whose claim is a set of the applicant's purchase lines.
LINE_KINDS = frozenset({ProgrammeKind.LOCAL_PROCUREMENT, ProgrammeKind.DEMONSTRATION_PROCUREMENT})


class DocumentKind(models.TextChoices):
    INVOICES = "invoices", _("Invoices or purchase contracts")
    STANDARD_EVIDENCE = "standard_evidence", _("Evidence of the standards work")
    PROJECT_APPROVAL = "project_approval", _("Project approval document")
    PROPOSAL = "proposal", _("Project proposal")
    ENERGY_ASSESSMENT = "energy_assessment", _("Energy assessment report")
    INVESTMENT_PLAN = "investment_plan", _("Investment plan")
    SCENARIO_EVIDENCE = "scenario_evidence", _("Demonstration scenario registration")
    OTHER = "other", _("Other")


class RdMaterial(models.TextChoices):
    """The rows of the seed's table of material bottlenecks; an R&D call targets one."""

    SULFIDE_ELECTROLYTE = "sulfide_electrolyte", _("Sulfide solid electrolyte")
    OXIDE_ELECTROLYTE = "oxide_electrolyte", _("Oxide solid electrolyte / interface")
    CATHODE = "cathode", _("High-capacity cathode")
    LITHIUM_METAL_ANODE = "lithium_metal_anode", _("Lithium metal anode")
    CURRENT_COLLECTOR = "current_collector", _("Composite current collector")
    ELECTROLYTE_COST = "electrolyte_cost", _("Electrolyte cost reduction")


class Kpi(models.TextChoices):
    """What an R&D proposal promises to move; the unit is part of the name."""

    IONIC_CONDUCTIVITY = "ionic_conductivity", _("Ionic conductivity at 25 °C (S/cm)")
    ASR = "asr", _("Interfacial ASR (Ω·cm²)")
    SPECIFIC_CAPACITY = "specific_capacity", _("Specific capacity (mAh/g)")
    DECAY_RATE = "decay_rate", _("Capacity decay (% per cycle)")
    COULOMBIC_EFFICIENCY = "coulombic_efficiency", _("Coulombic efficiency over 500 cycles (%)")
    WEIGHT_REDUCTION = "weight_reduction", _("Weight reduction versus Cu foil (%)")
    COST = "cost", _("Material cost (CNY/kg)")


class StandardRole(models.TextChoices):
    LEAD = "lead", _("Leading")
    PARTICIPATE = "participate", _("Participating")


class Programme(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=ProgrammeKind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("For procurement subsidies, only purchases invoiced in this year count."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("The last day to submit."))
    budget_cny = money_field(
        _("budget (CNY)"),
        null=True,
        blank=True,
        help_text=_("Required for programmes that pay money; empty for quota and land."),
    )
    rate_percent = models.DecimalField(
        _("rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_(
            "Procurement subsidies: share of the claimed purchases (5 % under the programme); "
            "national matching: share of the total investment (15 %)."
        ),
    )
    lead_reward_cny = money_field(_("reward for leading (CNY)"), null=True, blank=True)
    participate_reward_cny = money_field(_("reward for participating (CNY)"), null=True, blank=True)
    max_award_cny = money_field(
        _("largest award (CNY)"),
        null=True,
        blank=True,
        help_text=_("R&D calls: the most one proposal may request."),
    )
    rd_material = models.CharField(
        _("R&D call material"), max_length=32, choices=RdMaterial.choices, blank=True
    )
    eligible_categories = models.ManyToManyField(
        SupplyCategory,
        verbose_name=_("eligible supply categories"),
        blank=True,
        related_name="+",
        help_text=_("Procurement subsidies: purchase lines in these categories may be claimed."),
    )
    required_documents = models.JSONField(
        _("required documents"),
        default=list,
        blank=True,
        help_text=_("Document kinds an application must attach before it can be submitted."),
    )
    scoring_criteria = models.JSONField(
        _("scoring criteria"),
        default=list,
        blank=True,
        help_text=_("Each criterion: a key, a label and a weight; reviewers score 0–10."),
    )
    second_approval_above_cny = money_field(
        _("second confirmation above (CNY)"),
        null=True,
        blank=True,
        help_text=_("Awards above this need a second official's confirmation."),
    )
    review_required = models.BooleanField(
        _("a completed review is required before approval"),
        default=False,
        help_text=_(
            "When ticked, an application is approved only once at least one assigned reviewer "
            "has submitted their review."
        ),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("public notice (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "How long approved awards stay on public notice before payment; the notice ends at "
            "the end of its last day, moved to the next working day when that is a weekend."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-year", "kind", "pk"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="programme_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(budget_cny__isnull=True) | Q(budget_cny__gte=0),
                name="programme_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(rate_percent__isnull=True)
                | (Q(rate_percent__gte=0) & Q(rate_percent__lte=100)),
                name="programme_rate_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.with_year(self.name_zh)} / {self.with_year(self.name_en)}"

    def with_year(self, name: str) -> str:
        """The name with the programme's year before it, unless the name already says it
        ("2026年本地采购补贴" stays as it is)."""
        return name if str(self.year) in name else f"{self.year} {name}"

    @property
    def is_monetary(self) -> bool:
        return self.kind in MONETARY_KINDS

    @property
    def claims_lines(self) -> bool:
        return self.kind in LINE_KINDS

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on
