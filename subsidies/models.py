"""Support programmes, the applications made to them and everything that guards public money.

One engine serves every programme kind of the seed: the kind decides which claim fields an
application uses and which rule computes its amount (see `subsidies.rules`). Amounts are in
CNY, Decimal, two places; quotas in tce per year.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliance.models import DemonstrationScenario
from directory.models import Enterprise, PurchaseLine, SupplyCategory
from ssb_portal.private_files import PrivateDocument
from ssb_portal.storage import private_storage

NOT_NEGATIVE = [MinValueValidator(0)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def _money(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=16, decimal_places=2, validators=NOT_NEGATIVE, **kwargs
    )


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
    budget_cny = _money(
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
            "Procurement subsidies: share of the claimed purchases (5 % in the seed); "
            "national matching: share of the total investment (15 %)."
        ),
    )
    lead_reward_cny = _money(_("reward for leading (CNY)"), null=True, blank=True)
    participate_reward_cny = _money(_("reward for participating (CNY)"), null=True, blank=True)
    max_award_cny = _money(
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
    second_approval_above_cny = _money(
        _("second confirmation above (CNY)"),
        null=True,
        blank=True,
        help_text=_("Awards above this need a second official's confirmation."),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("public notice (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("How long approved awards stay on public notice before payment."),
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
        return f"{self.year} {self.name_zh} / {self.name_en}"

    @property
    def is_monetary(self) -> bool:
        return self.kind in MONETARY_KINDS

    @property
    def claims_lines(self) -> bool:
        return self.kind in LINE_KINDS

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # A context: "Submitted" alone already means "submitted at" on the purchase pages.
    SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Approved, awaiting confirmation")
    APPROVED = "approved", _("Approved")
    IN_NOTICE = "in_notice", _("In public notice")
    DISBURSED = "disbursed", _("Disbursed")
    RETURNED = "returned", _("Returned for changes")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    APPEALED = "appealed", _("Appealed")


#: A claim made in an application in one of these states no longer blocks another claim.
RELEASED_STATUSES = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
#: States in which an award holds money against a programme's budget and the enterprise's cap.
RESERVED_STATUSES = (
    ApplicationStatus.AWAITING_CONFIRMATION,
    ApplicationStatus.APPROVED,
    ApplicationStatus.IN_NOTICE,
    ApplicationStatus.DISBURSED,
)
#: States in which the applicant may still change the application.
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)

_CLAIM_HELD = ~Q(status__in=RELEASED_STATUSES)


class Application(models.Model):
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=ProgrammeKind.choices,
        editable=False,
        help_text=_("The programme's kind, kept here so that constraints can use it."),
    )
    applicant = models.ForeignKey(
        Enterprise,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("What the support is for."))

    # Standards reward: the claim points to a confirmed participation of the alliance's
    # standards records; the fields below are copied from it when the claim is saved.
    standard_participation = models.ForeignKey(
        "alliance.StandardParticipation",
        verbose_name=_("standards participation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reward_claims",
        help_text=_("Your organisation's confirmed role in an international standard."),
    )
    standard_body = models.CharField(_("standards body"), max_length=16, blank=True, editable=False)
    standard_number = models.CharField(
        _("standard number"), max_length=64, blank=True, editable=False
    )
    standard_title = models.CharField(
        _("standard title"), max_length=255, blank=True, editable=False
    )
    standard_is_international = models.BooleanField(
        _("international standard"), default=False, editable=False
    )
    standard_role = models.CharField(
        _("role in the standard"),
        max_length=12,
        choices=StandardRole.choices,
        blank=True,
        editable=False,
    )
    standard_key = models.CharField(
        max_length=80,
        blank=True,
        editable=False,
        help_text=_("Body and number without spaces or punctuation, upper-cased."),
        verbose_name=_("standard key"),
    )

    # National major project matching
    project_name = models.CharField(_("project name"), max_length=255, blank=True)
    approving_ministry = models.CharField(_("approving ministry"), max_length=160, blank=True)
    document_number = models.CharField(_("approval document number"), max_length=80, blank=True)
    document_key = models.CharField(
        max_length=80, blank=True, editable=False, verbose_name=_("document key")
    )
    total_investment_cny = _money(_("total project investment (CNY)"), null=True, blank=True)

    # R&D special fund
    requested_amount_cny = _money(_("requested amount (CNY)"), null=True, blank=True)

    # Energy quota uplift
    standard_quota_tce = models.DecimalField(
        _("standard annual energy quota (tce)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    granted_quota_tce = models.DecimalField(
        _("granted annual energy quota (tce)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        editable=False,
    )

    # Industrial land priority
    land_area_m2 = models.DecimalField(
        _("land area (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    land_use = models.CharField(_("intended use"), max_length=255, blank=True)
    planned_investment_cny = _money(_("planned investment (CNY)"), null=True, blank=True)
    planned_jobs = models.PositiveIntegerField(_("jobs created"), null=True, blank=True)
    land_rank = models.PositiveIntegerField(
        _("rank in the round"), null=True, blank=True, editable=False
    )

    # Demonstration procurement
    scenario = models.CharField(
        _("demonstration scenario"),
        max_length=24,
        choices=DemonstrationScenario.choices,
        blank=True,
    )
    scenario_site = models.CharField(
        _("demonstration project and site"), max_length=255, blank=True
    )

    # Computed by the server, never typed by the applicant
    computed_amount_cny = _money(_("computed amount (CNY)"), null=True, blank=True, editable=False)
    awarded_amount_cny = _money(_("awarded amount (CNY)"), null=True, blank=True, editable=False)
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    notice = models.ForeignKey(
        "Notice",
        verbose_name=_("public notice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        editable=False,
    )
    disbursement_batch = models.ForeignKey(
        "DisbursementBatch",
        verbose_name=_("disbursement batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        editable=False,
    )

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(
        _("approved at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the award was approved; caps count awards from this date."),
    )
    disbursed_at = models.DateTimeField(_("disbursed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["programme", "status"], name="application_programme_status"),
            models.Index(fields=["applicant", "status"], name="application_applicant_status"),
            # The public list of awards, newest first.
            models.Index(fields=["-decided_at", "-id"], name="application_decided_newest"),
        ]
        constraints = [
            # One reward per enterprise per standard, across every programme that pays for it.
            models.UniqueConstraint(
                fields=["applicant", "standard_key"],
                condition=_CLAIM_HELD & ~Q(standard_key=""),
                name="application_one_claim_per_standard",
            ),
            # A national project is matched once, whoever claims it.
            models.UniqueConstraint(
                fields=["document_key"],
                condition=_CLAIM_HELD & ~Q(document_key=""),
                name="application_one_claim_per_national_project",
            ),
            models.CheckConstraint(
                condition=Q(awarded_amount_cny__isnull=True) | Q(awarded_amount_cny__gte=0),
                name="application_award_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(computed_amount_cny__isnull=True) | Q(computed_amount_cny__gte=0),
                name="application_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.applicant.name_zh} · {self.programme.name_zh}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ClaimedLine(models.Model):
    """A purchase line claimed in a procurement-subsidy application.

    `holds_claim` mirrors whether the application still holds its claims (it is neither
    rejected nor withdrawn); the unique constraints below cannot look through to the
    application, so the transition service keeps the mirror in step.
    """

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="claimed_lines",
        verbose_name=_("application"),
    )
    purchase_line = models.ForeignKey(
        PurchaseLine, verbose_name=_("purchase line"), on_delete=models.PROTECT, related_name="+"
    )
    amount_cny = _money(_("amount (CNY excl. VAT)"))
    supplier_uscc = models.CharField(_("supplier USCC"), max_length=18)
    invoice_key = models.CharField(
        _("normalised invoice number"),
        max_length=64,
        help_text=_("Without spaces, dashes and leading zeros, upper-cased."),
    )
    line_no = models.PositiveIntegerField(_("line number"))
    invoice_date = models.DateField(_("invoice date"))
    holds_claim = models.BooleanField(default=True, verbose_name=_("holds claim"))

    class Meta:
        ordering = ["invoice_date", "pk"]
        verbose_name = _("claimed purchase line")
        verbose_name_plural = _("claimed purchase lines")
        constraints = [
            models.UniqueConstraint(
                fields=["purchase_line"],
                condition=Q(holds_claim=True),
                name="claimedline_one_claim_per_purchase_line",
            ),
            models.UniqueConstraint(
                fields=["supplier_uscc", "invoice_key", "line_no"],
                condition=Q(holds_claim=True),
                name="claimedline_one_claim_per_invoice_line",
            ),
            models.UniqueConstraint(
                fields=["application", "purchase_line"], name="claimedline_once_per_application"
            ),
            models.CheckConstraint(
                condition=Q(amount_cny__gt=0), name="claimedline_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_uscc} {self.invoice_key}/{self.line_no}"


class KpiTarget(models.Model):
    """One KPI an R&D proposal commits to: where it stands and where it will get."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="kpi_targets",
        verbose_name=_("application"),
    )
    kpi = models.CharField(_("KPI"), max_length=32, choices=Kpi.choices)
    baseline_value = models.FloatField(_("baseline value"))
    target_value = models.FloatField(_("target value"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        constraints = [
            models.UniqueConstraint(fields=["application", "kpi"], name="kpitarget_once_per_kpi")
        ]

    def __str__(self) -> str:
        return f"{self.get_kpi_display()}: {self.baseline_value} → {self.target_value}"


class Milestone(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("application"),
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    deliverable = models.CharField(_("deliverable"), max_length=255, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class Document(PrivateDocument):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("document kind"), max_length=24, choices=DocumentKind.choices)

    class Meta:
        ordering = ["kind", "uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def folder(self) -> str:
        return f"applications/{self.application_id}"


class Transition(models.Model):
    """Who moved an application from which state to which, when, and why."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("application"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=24, choices=ApplicationStatus.choices)
    to_status = models.CharField(_("to"), max_length=24, choices=ApplicationStatus.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Message(models.Model):
    """The thread of an application; internal notes are seen by officials only."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("application"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"))
    internal = models.BooleanField(
        _("internal note"), default=False, help_text=_("Seen by officials only.")
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.body[:60]


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Approve")
    APPROVE_WITH_CHANGES = "approve_with_changes", _("Approve with changes")
    REJECT = "reject", _("Reject")


class Review(models.Model):
    """A reviewer's assignment to an application and, once filled in, their scores."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="subsidy_reviews",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    total_score = models.DecimalField(
        _("weighted score (0–100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=24, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="review_once_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · #{self.application_id}"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld: reviewed again")
    DISMISSED = "dismissed", _("Dismissed: rejection stands")


class Appeal(models.Model):
    """The applicant's appeal against one rejection, decided by another official."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("application")
    )
    rejection = models.OneToOneField(
        Transition,
        verbose_name=_("rejection"),
        on_delete=models.PROTECT,
        related_name="appeal",
        help_text=_("One appeal per rejection."),
    )
    grounds = models.TextField(_("grounds"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=AppealOutcome.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"#{self.application_id} {self.filed_at:%Y-%m-%d}"


class Notice(models.Model):
    """A public notice (公示) of a programme's approved awards before they may be paid."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="notices"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    ends_at = models.DateTimeField(_("objections close at"))

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("published_at")), name="notice_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.published_at:%Y-%m-%d}"

    def is_open_at(self, moment) -> bool:
        return self.published_at <= moment < self.ends_at


class ObjectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("objection status", "Open")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """A signed objection to one award in notice; public, with its outcome."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("application"),
    )
    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="objections", verbose_name=_("notice")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("name"), max_length=128)
    organisation = models.CharField(_("organisation"), max_length=160)
    reason = models.TextField(_("reason"))
    lodged_at = models.DateTimeField(_("lodged at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["lodged_at", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.author_name} ({self.organisation}) · #{self.application_id}"


class DisbursementBatch(models.Model):
    """Awards handed to finance together; marking the batch paid disburses them."""

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    total_cny = _money(_("total (CNY)"), default=0)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("paid by"),
    )
    payment_reference = models.CharField(_("bank payment reference"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("disbursement batch")
        verbose_name_plural = _("disbursement batches")

    def __str__(self) -> str:
        return self.reference


class RecoveryReason(models.TextChoices):
    TARGETS_NOT_MET = "targets_not_met", _("Targets not met")
    FALSE_DECLARATION = "false_declaration", _("False declaration")
    RELOCATION = "relocation", _("Relocation out of the municipality")


class RecoveryStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("recovery status", "Open")
    PARTLY_REPAID = "partly_repaid", _("Partly repaid")
    REPAID = "repaid", _("Repaid")
    WRITTEN_OFF = "written_off", _("Written off")


class Recovery(models.Model):
    """Money claimed back from a disbursed award (clawback)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="recoveries",
        verbose_name=_("application"),
    )
    reason = models.CharField(_("reason"), max_length=24, choices=RecoveryReason.choices)
    basis = models.TextField(
        _("how the amount was set"),
        help_text=_("Full amount, or the pro-rata rule and its figures."),
    )
    amount_cny = _money(_("amount to recover (CNY)"))
    repaid_cny = _money(_("repaid so far (CNY)"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=RecoveryStatus.choices, default=RecoveryStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cny__gt=0), name="recovery_amount_positive"),
            models.CheckConstraint(
                condition=Q(repaid_cny__gte=0) & Q(repaid_cny__lte=models.F("amount_cny")),
                name="recovery_repaid_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.application_id} {self.amount_cny} CNY"


class Repayment(models.Model):
    recovery = models.ForeignKey(
        Recovery, on_delete=models.PROTECT, related_name="repayments", verbose_name=_("recovery")
    )
    amount_cny = _money(_("amount (CNY)"))
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cny__gt=0), name="repayment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount_cny} CNY {self.received_on}"


class ConflictDeclaration(models.Model):
    """An official or reviewer's declared conflict with an enterprise (and so its group)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official or reviewer"),
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="conflict_once")]

    def __str__(self) -> str:
        return f"{self.user} ⟂ {self.enterprise}"


class SupportCap(models.Model):
    """The most one enterprise (with its group) may receive over a rolling period.

    The newest cap in force on a day applies; earlier rows stay as the record of past rules.
    """

    amount_cny = _money(_("cap (CNY)"))
    years = models.PositiveSmallIntegerField(
        _("rolling period (years)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    effective_from = models.DateField(_("in force from"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-effective_from", "-pk"]
        verbose_name = _("support cap per enterprise")
        verbose_name_plural = _("support caps per enterprise")
        constraints = [
            models.UniqueConstraint(fields=["effective_from"], name="supportcap_one_per_day"),
            models.CheckConstraint(condition=Q(years__gte=1), name="supportcap_years_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_cny} CNY / {self.years} y"


class AuditEntry(models.Model):
    """One link of the append-only, hash-chained record of public-money decisions.

    `entry_hash` is SHA-256 over the previous entry's hash and this entry's content (see
    `subsidies.audit`), so editing or deleting any entry breaks every hash after it.
    The actor is kept by id and name, not by foreign key, so that no later change to users
    can rewrite an entry.
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("at"))
    actor_id = models.IntegerField(_("actor id"), null=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=40)
    data = models.JSONField(_("data"))
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.sequence} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are append-only.")


class AuditChainHead(models.Model):
    """The single row that appends lock, so that entries join the chain one at a time."""

    last_sequence = models.PositiveBigIntegerField(default=0, verbose_name=_("last sequence"))
    last_hash = models.CharField(max_length=64, verbose_name=_("last hash"))

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.last_sequence} {self.last_hash[:12]}"


# --- R&D fund milestone reports (issue 6) -----------------------------------------------------

#: An R&D project reports its milestones once it is awarded.
AWARDED_STATUSES = (
    ApplicationStatus.APPROVED,
    ApplicationStatus.IN_NOTICE,
    ApplicationStatus.DISBURSED,
)


class DatasetKind(models.TextChoices):
    CONDUCTIVITY = "conductivity", _("Ionic conductivity against temperature")
    CAPACITY = "capacity", _("Discharge capacity against cycle number")


class TemperatureUnit(models.TextChoices):
    CELSIUS = "C", _("°C")
    KELVIN = "K", _("K")


class KpiValueSource(models.TextChoices):
    FITTED = "fitted", _("Fitted from the dataset")
    REPORTED = "reported", _("Reported")


def _dataset_stored_name(instance: "MilestoneReport", filename: str) -> str:
    # Random like the evidence's name: the uploader's file name is kept in a field only.
    return f"{instance.folder()}/{instance.dataset_sha256[:16]}-{instance.token}-data"


class MilestoneReport(PrivateDocument):
    """What an awarded R&D project reports at one milestone: a summary, the evidence (the
    PDF inherited as `file`), an optional measurement dataset and the KPI values reached."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_on = models.DateField(_("reported on"))
    summary = models.TextField(_("summary"))
    dataset = models.FileField(
        _("measurement dataset"),
        upload_to=_dataset_stored_name,
        storage=private_storage,
        blank=True,
        help_text=_("CSV or XLSX of the measurements behind the values."),
    )
    dataset_name = models.CharField(_("dataset file name"), max_length=255, blank=True)
    dataset_content_type = models.CharField(
        max_length=80, blank=True, verbose_name=_("dataset content type")
    )
    dataset_sha256 = models.CharField(_("dataset SHA-256"), max_length=64, blank=True)
    dataset_kind = models.CharField(
        _("dataset kind"), max_length=16, choices=DatasetKind.choices, blank=True
    )
    temperature_unit = models.CharField(
        _("temperature unit"), max_length=1, choices=TemperatureUnit.choices, blank=True
    )
    fit = models.JSONField(
        _("fit"),
        null=True,
        blank=True,
        help_text=_(
            "The fit of the dataset (ssb_portal.measurements.fit_series), points left out."
        ),
    )

    class Meta:
        ordering = ["reported_on", "pk"]
        verbose_name = _("milestone report")
        verbose_name_plural = _("milestone reports")

    def folder(self) -> str:
        return f"applications/{self.milestone.application_id}/milestones"


class MilestoneKpiValue(models.Model):
    """One KPI's value at a milestone report, measured from its dataset or typed."""

    report = models.ForeignKey(
        MilestoneReport,
        on_delete=models.CASCADE,
        related_name="kpi_values",
        verbose_name=_("report"),
    )
    kpi_target = models.ForeignKey(
        KpiTarget, verbose_name=_("KPI"), on_delete=models.CASCADE, related_name="reported_values"
    )
    value = models.FloatField(_("value"))
    source = models.CharField(_("source"), max_length=16, choices=KpiValueSource.choices)

    class Meta:
        ordering = ["report", "kpi_target"]
        verbose_name = _("reported KPI value")
        verbose_name_plural = _("reported KPI values")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kpi_target"], name="milestonekpivalue_once_per_report"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi_target.get_kpi_display()}: {self.value:g}"
