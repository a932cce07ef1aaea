"""Applications and what they hold: their statuses, claimed purchase lines, R&D plan
(KPI targets and milestones), documents, status history and conversation.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliance.models import DemonstrationScenario
from directory.models import Enterprise, PurchaseLine
from directory.purchases.rows import invoice_label
from ssb_portal.private_files import PrivateDocument
from subsidies.models.fields import NOT_NEGATIVE, money_field
from subsidies.models.programmes import DocumentKind, Kpi, Programme, ProgrammeKind, StandardRole


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
#: An R&D project reports its milestones once it is awarded.
AWARDED_STATUSES = (
    ApplicationStatus.APPROVED,
    ApplicationStatus.IN_NOTICE,
    ApplicationStatus.DISBURSED,
)

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
    total_investment_cny = money_field(_("total project investment (CNY)"), null=True, blank=True)

    # R&D special fund
    requested_amount_cny = money_field(_("requested amount (CNY)"), null=True, blank=True)

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
    planned_investment_cny = money_field(_("planned investment (CNY)"), null=True, blank=True)
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
    computed_amount_cny = money_field(
        _("computed amount (CNY)"), null=True, blank=True, editable=False
    )
    awarded_amount_cny = money_field(
        _("awarded amount (CNY)"), null=True, blank=True, editable=False
    )
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
    amount_cny = money_field(_("amount (CNY excl. VAT)"))
    supplier_uscc = models.CharField(_("supplier USCC"), max_length=18)
    # Two legacy VAT invoices of one seller may share the 8-digit number under two codes.
    invoice_code = models.CharField(
        _("invoice code"),
        max_length=12,
        blank=True,
        default="",
        help_text=_("As on the purchase line: 10 or 12 digits, none on a fully digital invoice."),
    )
    invoice_key = models.CharField(
        _("normalised invoice number"),
        max_length=64,
        help_text=_(
            "Letters and digits only, after Unicode NFKC (full-width forms made plain), "
            "upper-cased, without the leading zeros of the number."
        ),
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
                fields=["supplier_uscc", "invoice_code", "invoice_key", "line_no"],
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
        return f"{self.supplier_uscc} {self.invoice_label}/{self.line_no}"

    @property
    def invoice_label(self) -> str:
        """The invoice as the claim identifies it: code and normalised number."""
        return invoice_label(self.invoice_code, self.invoice_key)


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
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


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
