"""Demands of anchor members, the SMEs' responses to them and the meetings between the two sides."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.models import Enterprise, SupplyCategory

NOT_NEGATIVE = [MinValueValidator(0)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


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
    # Battery-passport thresholds (issue 19): met by the current passport version of one of
    # the candidate's products (directory.passport.thresholds); hard filters, not scored.
    carbon_footprint_max = models.DecimalField(
        _("carbon footprint at most (kg CO₂e/kWh)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    recycled_cobalt_min = models.DecimalField(
        _("recycled cobalt at least (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    recycled_lithium_min = models.DecimalField(
        _("recycled lithium at least (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    recycled_nickel_min = models.DecimalField(
        _("recycled nickel at least (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    recycled_lead_min = models.DecimalField(
        _("recycled lead at least (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
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
