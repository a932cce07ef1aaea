"""Battery-passport data of a product (EU Battery Regulation 2023/1542, Annex XIII), versioned.

A BatteryPassport belongs to one product and names its current version explicitly; every
change adds a PassportVersion, and a version is never rewritten. Evidence files (carbon
footprint study, due-diligence report, test reports) are private documents of the passport
that each version lists.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.listings import Product
from ssb_portal.private_files import PrivateDocument

NOT_NEGATIVE = [MinValueValidator(0)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
#: The metals whose recycled content Annex XIII asks for, and the waste it comes from.
METALS = ("cobalt", "lithium", "nickel", "lead")
PARTS = ("pre_consumer", "post_consumer")
#: SQLite keeps decimals as binary floats (0.1 + 0.2 != 0.3 there); every real disagreement
#: between shares of two decimal places is at least 0.01, so half of that is the slack.
SPLIT_SLACK = Decimal("0.005")


PRE_CONSUMER = _("Pre-consumer: recovered from battery manufacturing waste.")
POST_CONSUMER = _("Post-consumer: recovered from waste batteries and other end-of-life waste.")


def _percent_share(verbose_name: str, help_text: str = "") -> models.DecimalField:
    """A recycled share, in percent of the metal, to the hundredth; empty when not declared."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=help_text,
    )


def _split_adds_up(metal: str) -> models.CheckConstraint:
    """A metal's pre- and post-consumer shares are both known or both unknown; when known,
    the total is their sum."""
    total, pre, post = (
        f"recycled_{metal}_share",
        f"recycled_{metal}_pre_consumer_share",
        f"recycled_{metal}_post_consumer_share",
    )
    parts = F(pre) + F(post)
    return models.CheckConstraint(
        condition=Q(**{f"{pre}__isnull": True, f"{post}__isnull": True})
        | Q(
            **{
                f"{pre}__isnull": False,
                f"{post}__isnull": False,
                # A comparison with NULL is not false, so a CHECK would let a NULL total by.
                f"{total}__isnull": False,
                f"{total}__gte": parts - SPLIT_SLACK,
                f"{total}__lte": parts + SPLIT_SLACK,
            }
        ),
        name=f"passport_recycled_{metal}_split_adds_up",
    )


class BatteryCategory(models.TextChoices):
    EV = "ev", _("Electric-vehicle battery")
    LMT = "lmt", _("Light-means-of-transport battery")
    INDUSTRIAL = "industrial", _("Industrial battery")
    SLI = "sli", _("Starting, lighting and ignition battery")
    PORTABLE = "portable", _("Portable battery")


class PassportLevel(models.TextChoices):
    MATERIAL = "material", _("Material feeding cells")
    CELL = "cell", _("Cell")
    MODULE = "module", _("Module")
    PACK = "pack", _("Pack")


class BatteryPassport(models.Model):
    """The passport of one product: which of its versions is current."""

    product = models.OneToOneField(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="passport"
    )
    current_version = models.OneToOneField(
        "PassportVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="current_of",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("battery passport")
        verbose_name_plural = _("battery passports")

    def __str__(self) -> str:
        return str(self.product)


class PassportVersion(models.Model):
    """One immutable set of Annex XIII figures; units are in the field names."""

    passport = models.ForeignKey(
        BatteryPassport,
        verbose_name=_("passport"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    level = models.CharField(_("level"), max_length=12, choices=PassportLevel.choices)
    battery_category = models.CharField(
        _("battery category"), max_length=12, choices=BatteryCategory.choices
    )
    chemistry_short_name = models.CharField(
        _("chemistry (short name)"), max_length=40, help_text=_("For example LFP or NMC811.")
    )
    chemistry_clear_name = models.CharField(
        _("chemistry (full name)"),
        max_length=200,
        blank=True,
        help_text=_("For example lithium iron phosphate / graphite."),
    )
    hazardous_substances = models.JSONField(
        _("hazardous substances"),
        default=list,
        blank=True,
        help_text=_("Each with its name, CAS number and concentration (% by weight)."),
    )
    critical_raw_materials = models.JSONField(
        _("critical raw materials"),
        default=list,
        blank=True,
        help_text=_("Names of the critical raw materials present above 0.1 % by weight."),
    )
    carbon_footprint_total = models.DecimalField(
        _("carbon footprint (kg CO₂e/kWh)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("Per kWh of total energy the battery provides over its service life."),
    )
    carbon_footprint_raw_materials = models.DecimalField(
        _("raw material acquisition and pre-processing (kg CO₂e/kWh)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    carbon_footprint_production = models.DecimalField(
        _("main product production (kg CO₂e/kWh)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    carbon_footprint_distribution = models.DecimalField(
        _("distribution (kg CO₂e/kWh)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    carbon_footprint_end_of_life = models.DecimalField(
        _("end of life and recycling (kg CO₂e/kWh)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    recycled_cobalt_share = _percent_share(_("recycled cobalt (% of cobalt)"))
    recycled_lithium_share = _percent_share(_("recycled lithium (% of lithium)"))
    recycled_nickel_share = _percent_share(_("recycled nickel (% of nickel)"))
    recycled_lead_share = _percent_share(_("recycled lead (% of lead)"))
    # Each metal's recycled share split by the waste it was recovered from (art. 8 of the
    # Regulation counts both): known together or not at all, and then they add up to the total.
    recycled_cobalt_pre_consumer_share = _percent_share(
        _("recycled cobalt from manufacturing waste (% of cobalt)"), PRE_CONSUMER
    )
    recycled_cobalt_post_consumer_share = _percent_share(
        _("recycled cobalt from post-consumer waste (% of cobalt)"), POST_CONSUMER
    )
    recycled_lithium_pre_consumer_share = _percent_share(
        _("recycled lithium from manufacturing waste (% of lithium)"), PRE_CONSUMER
    )
    recycled_lithium_post_consumer_share = _percent_share(
        _("recycled lithium from post-consumer waste (% of lithium)"), POST_CONSUMER
    )
    recycled_nickel_pre_consumer_share = _percent_share(
        _("recycled nickel from manufacturing waste (% of nickel)"), PRE_CONSUMER
    )
    recycled_nickel_post_consumer_share = _percent_share(
        _("recycled nickel from post-consumer waste (% of nickel)"), POST_CONSUMER
    )
    recycled_lead_pre_consumer_share = _percent_share(
        _("recycled lead from manufacturing waste (% of lead)"), PRE_CONSUMER
    )
    recycled_lead_post_consumer_share = _percent_share(
        _("recycled lead from post-consumer waste (% of lead)"), POST_CONSUMER
    )
    rated_capacity_ah = models.DecimalField(
        _("rated capacity (Ah)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    nominal_voltage_v = models.DecimalField(
        _("nominal voltage (V)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    minimum_voltage_v = models.DecimalField(
        _("minimum voltage (V)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    maximum_voltage_v = models.DecimalField(
        _("maximum voltage (V)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    original_power_w = models.DecimalField(
        _("original power capability (W)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    internal_resistance_mohm = models.DecimalField(
        _("internal resistance (mΩ)"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    expected_cycle_life = models.PositiveIntegerField(
        _("expected cycle life (cycles)"), null=True, blank=True
    )
    round_trip_efficiency_percent = models.DecimalField(
        _("round-trip energy efficiency (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    temperature_min_c = models.DecimalField(
        _("lowest operating temperature (°C)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )
    temperature_max_c = models.DecimalField(
        _("highest operating temperature (°C)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )
    documents = models.ManyToManyField(
        "PassportDocument", verbose_name=_("evidence"), blank=True, related_name="versions"
    )
    note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["passport", "-number"]
        verbose_name = _("passport version")
        verbose_name_plural = _("passport versions")
        # The directory search's thresholds run on the current versions: see directory.filters.
        indexes = [
            models.Index(fields=["carbon_footprint_total"], name="passport_footprint"),
            models.Index(fields=["recycled_lithium_share"], name="passport_recycled_li"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["passport", "number"], name="passport_version_unique"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"passport_{name}_not_negative",
                )
                for name in (
                    "carbon_footprint_total",
                    "carbon_footprint_raw_materials",
                    "carbon_footprint_production",
                    "carbon_footprint_distribution",
                    "carbon_footprint_end_of_life",
                    "rated_capacity_ah",
                    "nominal_voltage_v",
                    "original_power_w",
                    "internal_resistance_mohm",
                )
            ],
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__gte": 0, f"{name}__lte": 100}),
                    name=f"passport_{name}_percent",
                )
                for name in (
                    "recycled_cobalt_share",
                    "recycled_lithium_share",
                    "recycled_nickel_share",
                    "recycled_lead_share",
                    *(f"recycled_{metal}_{part}_share" for metal in METALS for part in PARTS),
                    "round_trip_efficiency_percent",
                )
            ],
            *[_split_adds_up(metal) for metal in METALS],
        ]

    def __str__(self) -> str:
        return f"{self.passport} · v{self.number}"


class PassportDocumentKind(models.TextChoices):
    CARBON_FOOTPRINT_STUDY = "carbon_footprint", _("Carbon footprint study")
    DUE_DILIGENCE_REPORT = "due_diligence", _("Supply-chain due-diligence report")
    RECYCLED_CONTENT = "recycled_content", _("Recycled content documentation")
    TEST_REPORT = "test_report", _("Performance test report")
    SAFETY_DATA_SHEET = "safety", _("Safety data sheet")


class PassportDocument(PrivateDocument):
    """An evidence file of a passport (PDF, JPEG or PNG), listed by the versions it backs."""

    passport = models.ForeignKey(
        BatteryPassport,
        verbose_name=_("passport"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PassportDocumentKind.choices)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("passport evidence")
        verbose_name_plural = _("passport evidence")

    def folder(self) -> str:
        return f"passports/{self.passport.product_id}"
