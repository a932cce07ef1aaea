"""The Industry Alliance: members, demands and their matchmaking, collaborations, standards.

Suggestion 2 of the seed: anchor firms and SMEs meet through "order + technology"
collaborations (licensing and joint development, long-term supply, standard co-creation).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.models import Enterprise, SupplyCategory
from ssb_portal.private_files import PrivateDocument
from ssb_portal.records import ActionRecord

NOT_NEGATIVE = [MinValueValidator(0)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class MemberStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Member")
    DECLINED = "declined", _("Declined")


class AllianceMember(models.Model):
    """An organisation's membership of the alliance; officials approve or decline it."""

    enterprise = models.OneToOneField(
        Enterprise,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="alliance_membership",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MemberStatus.choices, default=MemberStatus.APPLIED
    )
    motivation = models.TextField(_("why join"), blank=True)
    notify_new_demands = models.BooleanField(
        _("email me new demands that fit"),
        default=True,
        help_text=_("For SMEs: an email when an anchor member posts a demand you qualify for."),
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("applied by"),
    )
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    # The supplier's history, as matching ranks it: kept by the services that complete a
    # collaboration or answer an invitation (services.supplier_history_refresh), so that
    # ranking the whole directory reads them with the member's row instead of aggregating
    # every earlier invitation per candidate.
    completed_collaborations = models.PositiveIntegerField(
        _("collaborations completed as supplier"), default=0, editable=False
    )
    median_answer_hours = models.FloatField(
        _("median hours to answer an invitation"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["enterprise__name_zh"]
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")

    def __str__(self) -> str:
        return str(self.enterprise)

    @property
    def is_member(self) -> bool:
        return self.status == MemberStatus.APPROVED


class CollaborationModel(models.TextChoices):
    LICENSING_JOINT_DEVELOPMENT = "licensing", _("Technology licensing & joint development")
    LONG_TERM_SUPPLY = "supply", _("Long-term supply agreement")
    STANDARD_CO_CREATION = "standard", _("Standard co-creation")


class DemandVisibility(models.TextChoices):
    MEMBERS = "members", _("All alliance members")
    INVITED = "invited", _("Invited SMEs only")


class DemandStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("demand status", "Open")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", pgettext_lazy("demand status", "Closed")


class Demand(models.Model):
    """What an anchor member needs, with the technical thresholds a supplier must meet.

    The thresholds are the directory search's spec fields: a candidate qualifies when ONE of
    its verified products in the category meets every threshold given.
    """

    owner = models.ForeignKey(
        Enterprise,
        verbose_name=_("anchor enterprise"),
        on_delete=models.PROTECT,
        related_name="demands",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        SupplyCategory,
        verbose_name=_("supply category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ionic_conductivity_min = models.FloatField(
        _("ionic conductivity at least (S/cm at 25 °C)"),
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    asr_max = models.FloatField(
        _("area-specific resistance at most (Ω·cm²)"),
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    specific_capacity_min = models.FloatField(
        _("specific capacity at least (mAh/g)"), null=True, blank=True, validators=NOT_NEGATIVE
    )
    decay_rate_max = models.FloatField(
        _("capacity decay at most (% per cycle)"), null=True, blank=True, validators=PERCENT
    )
    coulombic_efficiency_min = models.FloatField(
        _("coulombic efficiency at least (%)"), null=True, blank=True, validators=PERCENT
    )
    weight_reduction_min = models.FloatField(
        _("weight reduction at least (%)"), null=True, blank=True, validators=PERCENT
    )
    required_certifications = models.JSONField(
        _("required certifications"),
        default=list,
        blank=True,
        help_text=_("Certification schemes a supplier must hold, valid today."),
    )
    annual_volume = models.DecimalField(
        _("annual volume"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    volume_unit = models.CharField(
        _("unit"),
        max_length=8,
        blank=True,
        help_text=_("The same units as production capacities (t, GWh, MWh, m², units) per year."),
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    preferred_model = models.CharField(
        _("preferred collaboration model"), max_length=12, choices=CollaborationModel.choices
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=12,
        choices=DemandVisibility.choices,
        default=DemandVisibility.MEMBERS,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DemandStatus.choices, default=DemandStatus.OPEN
    )
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        indexes = [models.Index(fields=["status", "-created_at"], name="demand_status_newest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_volume__isnull=True) | Q(annual_volume__gte=0),
                name="demand_volume_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.title


#: Demand field -> (product field, lookup): the same pairs as the directory search.
DEMAND_THRESHOLDS = {
    "ionic_conductivity_min": ("ionic_conductivity", "gte"),
    "asr_max": ("asr", "lte"),
    "specific_capacity_min": ("specific_capacity", "gte"),
    "decay_rate_max": ("decay_rate", "lte"),
    "coulombic_efficiency_min": ("coulombic_efficiency", "gte"),
    "weight_reduction_min": ("weight_reduction", "gte"),
}


class ResponseStatus(models.TextChoices):
    INTERESTED = "interested", _("Interest expressed")
    INVITED = "invited", _("Invited")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    ACCEPTED = "accepted", _("Invitation accepted")
    DECLINED = "declined", _("Declined")


class DemandResponse(models.Model):
    """One SME's thread with one demand: interest or invitation, shortlist, agreement."""

    demand = models.ForeignKey(
        Demand, on_delete=models.CASCADE, related_name="responses", verbose_name=_("demand")
    )
    supplier = models.ForeignKey(
        Enterprise,
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="demand_responses",
    )
    status = models.CharField(_("status"), max_length=12, choices=ResponseStatus.choices)
    message = models.TextField(_("message"), blank=True)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    answered_at = models.DateTimeField(
        _("answered at"),
        null=True,
        blank=True,
        help_text=_("When the SME answered an invitation; its speed counts in later matches."),
    )
    owner_terms = models.JSONField(
        _("terms proposed by the anchor"),
        default=dict,
        blank=True,
        help_text=_("Agreed value, dates and committed volume of the collaboration to be."),
    )
    owner_agreed_at = models.DateTimeField(_("anchor agreed at"), null=True, blank=True)
    supplier_agreed_at = models.DateTimeField(_("supplier agreed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("response to a demand")
        verbose_name_plural = _("responses to demands")
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "supplier"], name="response_once_per_supplier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier} → {self.demand}"


class MeetingStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("meeting status", "Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Meeting(models.Model):
    """A meeting one side proposes with time slots; the other side picks one."""

    response = models.ForeignKey(
        DemandResponse,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("response"),
    )
    proposed_by = models.ForeignKey(
        Enterprise, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    slots = models.JSONField(_("proposed slots"), help_text=_("Start times, ISO 8601."))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    location = models.CharField(_("place or video link"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PROPOSED
    )
    starts_at = models.DateTimeField(_("agreed start"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.response} @ {self.starts_at or '?'}"


class CollaborationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


class PartyRole(models.TextChoices):
    ANCHOR = "anchor", _("Anchor enterprise")
    SUPPLIER = "supplier", _("SME")
    UNIVERSITY = "university", _("University or institute")


class Collaboration(models.Model):
    title = models.CharField(_("title"), max_length=200)
    demand = models.OneToOneField(
        Demand,
        verbose_name=_("demand"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collaboration",
    )
    model = models.CharField(_("model"), max_length=12, choices=CollaborationModel.choices)
    agreed_value_cny = models.DecimalField(
        _("agreed value (CNY)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    committed_annual_volume = models.DecimalField(
        _("committed annual volume"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("Long-term supply agreements: what the supplier commits to deliver a year."),
    )
    volume_unit = models.CharField(_("unit"), max_length=8, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CollaborationStatus.choices,
        default=CollaborationStatus.ACTIVE,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="collaboration_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(agreed_value_cny__isnull=True) | Q(agreed_value_cny__gte=0),
                name="collaboration_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CollaborationParty(models.Model):
    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="parties",
        verbose_name=_("collaboration"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("party"),
        on_delete=models.PROTECT,
        related_name="collaboration_parties",
    )
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "enterprise"], name="party_once_per_collaboration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} ({self.get_role_display()})"


class CollaborationMilestone(models.Model):
    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("collaboration"),
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class CollaborationDocument(PrivateDocument):
    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("collaboration"),
    )
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("collaboration document")
        verbose_name_plural = _("collaboration documents")

    def __str__(self) -> str:
        return self.title

    def folder(self) -> str:
        return f"collaborations/{self.collaboration_id}"


class StandardStage(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal")
    WORKING_DRAFT = "working_draft", _("Working draft")
    COMMITTEE_DRAFT = "committee_draft", _("Committee draft")
    ENQUIRY = "enquiry", _("Enquiry / draft international standard")
    PUBLISHED = "published", pgettext_lazy("standard stage", "Published")


class Standard(models.Model):
    body = models.CharField(
        _("standards body"), max_length=16, help_text=_("ISO, IEC, IEEE, GB/T, …")
    )
    number = models.CharField(_("number"), max_length=64)
    key = models.CharField(
        max_length=80,
        unique=True,
        editable=False,
        help_text=_("Body and number without spaces or punctuation, upper-cased."),
        verbose_name=_("key"),
    )
    title = models.CharField(_("title"), max_length=255)
    is_international = models.BooleanField(_("international standard"), default=False)
    stage = models.CharField(_("stage"), max_length=16, choices=StandardStage.choices)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["body", "number"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self) -> str:
        return f"{self.body} {self.number}"


class StandardRole(models.TextChoices):
    LEAD = "lead", _("Leading")
    PARTICIPANT = "participant", _("Participating")


class ParticipationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not confirmed")


class StandardParticipation(models.Model):
    """An organisation's role in a standard's work; officials confirm it.

    A confirmed participation is what a standards-reward claim points to.
    """

    standard = models.ForeignKey(
        Standard,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("standard"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="standard_participations",
    )
    role = models.CharField(_("role"), max_length=12, choices=StandardRole.choices)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    evidence = models.TextField(
        _("evidence"), help_text=_("Working-group letter, ballot record, …")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.PENDING,
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("declared by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["standard", "role", "pk"]
        verbose_name = _("standard participation")
        verbose_name_plural = _("standard participations")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "enterprise"], name="participation_once_per_standard"
            ),
            models.UniqueConstraint(
                fields=["standard"],
                condition=Q(role="lead") & ~Q(status="rejected"),
                name="participation_one_lead_per_standard",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="participation_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.standard} ({self.get_role_display()})"


class AllianceEvent(ActionRecord):
    """The alliance's record: who did what to which member, demand or participation, and why."""

    class Meta(ActionRecord.Meta):
        verbose_name = _("alliance event")
        verbose_name_plural = _("alliance events")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="alliance_event_subject")
        ]


# --- demonstration scenarios (issue 6) --------------------------------------------------------


class DemonstrationScenario(models.TextChoices):
    """The seed's three application scenarios, each judged against its own targets."""

    GRID_STORAGE = "grid_storage", _("Grid-side energy storage")
    DRONES = "drones", _("Low-altitude drones")
    HUMANOID_ROBOTS = "humanoid_robots", _("Humanoid robots")


class DemonstrationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPERATING = "operating", _("Operating")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class DemonstrationProject(models.Model):
    """A solid-state battery system in real use, shown publicly with its field results."""

    scenario = models.CharField(_("scenario"), max_length=20, choices=DemonstrationScenario.choices)
    name = models.CharField(_("project name"), max_length=200)
    site = models.CharField(_("site"), max_length=200, help_text=_("Where the system runs."))
    operator = models.ForeignKey(
        Enterprise,
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        related_name="demonstrations_operated",
    )
    suppliers = models.ManyToManyField(
        Enterprise,
        verbose_name=_("battery suppliers"),
        related_name="demonstrations_supplied",
        blank=True,
    )
    system_size_kwh = models.DecimalField(
        _("system size (kWh)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    start_date = models.DateField(_("start date"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DemonstrationStatus.choices,
        default=DemonstrationStatus.PLANNED,
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("demonstration project")
        verbose_name_plural = _("demonstration projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(system_size_kwh__gt=0), name="alliance_demonstration_size_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


REPORT_PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
#: Operating temperatures a report may state, °C.
TEMPERATURE_RANGE_C = (-100, 200)
REPORT_TEMPERATURE = [
    MinValueValidator(TEMPERATURE_RANGE_C[0]),
    MaxValueValidator(TEMPERATURE_RANGE_C[1]),
]
REPORT_NOT_NEGATIVE = [MinValueValidator(0)]


class FieldReport(models.Model):
    """What a demonstration project measured in the field up to a day.

    Every measurement is optional: a report gives what the operator measured. Percentages are
    0–100; capacity retention is the share of the initial capacity left after `cycles_done`.
    """

    project = models.ForeignKey(
        DemonstrationProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    reported_on = models.DateField(_("reported on"))
    cycles_done = models.PositiveIntegerField(_("cycles done"))
    capacity_retention_percent = models.DecimalField(
        _("capacity retention (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=REPORT_PERCENT,
    )
    round_trip_efficiency_percent = models.DecimalField(
        _("round-trip efficiency (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=REPORT_PERCENT,
    )
    specific_energy_wh_per_kg = models.DecimalField(
        _("specific energy (Wh/kg)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=REPORT_NOT_NEGATIVE,
    )
    volumetric_energy_wh_per_l = models.DecimalField(
        _("volumetric energy density (Wh/L)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=REPORT_NOT_NEGATIVE,
    )
    peak_discharge_c_rate = models.DecimalField(
        _("peak discharge rate (C)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=REPORT_NOT_NEGATIVE,
    )
    lowest_temperature_c = models.DecimalField(
        _("lowest operating temperature (°C)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=REPORT_TEMPERATURE,
    )
    highest_temperature_c = models.DecimalField(
        _("highest operating temperature (°C)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=REPORT_TEMPERATURE,
    )
    incident_count = models.PositiveIntegerField(_("incidents (count)"), default=0)
    incidents = models.TextField(_("incidents"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)

    class Meta:
        ordering = ["reported_on", "cycles_done", "pk"]
        verbose_name = _("field report")
        verbose_name_plural = _("field reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_retention_percent__isnull=True)
                | Q(capacity_retention_percent__gte=0, capacity_retention_percent__lte=100),
                name="alliance_report_retention_percent",
            ),
            models.CheckConstraint(
                condition=Q(round_trip_efficiency_percent__isnull=True)
                | Q(round_trip_efficiency_percent__gte=0, round_trip_efficiency_percent__lte=100),
                name="alliance_report_efficiency_percent",
            ),
            models.CheckConstraint(
                condition=Q(lowest_temperature_c__isnull=True)
                | Q(highest_temperature_c__isnull=True)
                | Q(lowest_temperature_c__lte=models.F("highest_temperature_c")),
                name="alliance_report_temperatures_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.reported_on}"
