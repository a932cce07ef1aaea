"""The directory's listings: districts, supply categories, enterprises and their groups, products,
certifications, and the status history of every listing."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.validators import validate_uscc

NOT_NEGATIVE = [MinValueValidator(0)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class LocalityQuerySet(models.QuerySet):
    """Rows whose bulk updates may change which suppliers are local (`LOCALITY_FIELDS`): such
    an update moves the local value of the suppliers it touched in the LCR rollup, in its
    transaction. `save()` and `delete()` of single rows do so through signals
    (directory.lcr.ledger_signals).
    """

    #: The fields of the model that decide whether a supplier is local, or which it is.
    LOCALITY_FIELDS: frozenset[str] = frozenset()
    #: The path from the model to a supplier.
    SUPPLIER_PATH = ""

    def local_suppliers(self) -> set[str]:
        """The codes of the local suppliers among (or registered in) these rows."""
        prefix = f"{self.SUPPLIER_PATH}__" if self.SUPPLIER_PATH else ""
        local = {f"{prefix}status": "verified", f"{prefix}district__is_local": True}
        return set(self.filter(**local).values_list(f"{prefix}uscc", flat=True))

    def update(self, **kwargs):
        if not self.LOCALITY_FIELDS & kwargs.keys():
            return super().update(**kwargs)
        from directory.lcr.rollup import in_transaction, move_rollup_of_suppliers

        with in_transaction():
            rows = self.model.objects.filter(pk__in=list(self.values_list("pk", flat=True)))
            before = rows.local_suppliers()
            count = super().update(**kwargs)
            move_rollup_of_suppliers(before, rows.local_suppliers())
        return count

    update.alters_data = True


class DistrictQuerySet(LocalityQuerySet):
    LOCALITY_FIELDS = frozenset({"is_local"})
    SUPPLIER_PATH = "enterprise"


class EnterpriseQuerySet(LocalityQuerySet):
    LOCALITY_FIELDS = frozenset({"status", "district", "district_id", "uscc"})


class District(models.Model):
    """An administrative district. Rows are data (loaded by a migration), not code."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=64)
    is_local = models.BooleanField(
        _("in the municipality"),
        default=True,
        help_text=_("Enterprises registered here count as local suppliers."),
    )
    sort_order = models.PositiveSmallIntegerField(default=0, verbose_name=_("sort order"))

    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return f"{self.name_zh} / {self.name_en}"


class SupplyCategory(models.Model):
    """Two-level taxonomy of what the industry chain supplies; slugs are stable identifiers."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=96)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveSmallIntegerField(default=0, verbose_name=_("sort order"))

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("supply category")
        verbose_name_plural = _("supply categories")

    def __str__(self) -> str:
        return f"{self.name_zh} / {self.name_en}"


class EnterpriseGroup(models.Model):
    """Enterprises under common control (a parent and the firms it controls).

    Support caps count a group's awards together, and a reviewer who belongs to any firm of
    the group has a conflict of interest with all of them.
    """

    name = models.CharField(_("name"), max_length=160, unique=True)
    note = models.TextField(_("note"), blank=True, help_text=_("How control was established."))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise group")
        verbose_name_plural = _("enterprise groups")

    def __str__(self) -> str:
        return self.name


class ListingStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned for correction")


class EnterpriseKind(models.TextChoices):
    ANCHOR = "anchor", _("Anchor enterprise")
    SME = "sme", _("SME")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    UNIVERSITY = "university", _("University")
    OTHER = "other", _("Other")


class CapacityUnit(models.TextChoices):
    TONNES = "t", _("tonnes per year")
    GWH = "GWh", _("GWh per year")
    MWH = "MWh", _("MWh per year")
    SQUARE_METRES = "m2", _("m² per year")
    UNITS = "units", _("units per year")


class Enterprise(models.Model):
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18 characters, as printed on the business licence."),
    )
    name_zh = models.CharField(_("legal name (Chinese)"), max_length=128)
    name_en = models.CharField(_("legal name (English)"), max_length=160, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=EnterpriseKind.choices)
    district = models.ForeignKey(
        District, verbose_name=_("registered district"), on_delete=models.PROTECT
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    annual_capacity = models.DecimalField(
        _("annual production capacity"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("In the unit chosen beside it."),
    )
    capacity_unit = models.CharField(
        _("capacity unit"), max_length=8, choices=CapacityUnit.choices, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    group = models.ForeignKey(
        EnterpriseGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        help_text=_("Set by officials: enterprises under common control share one support cap."),
    )
    categories = models.ManyToManyField(
        SupplyCategory, verbose_name=_("supply categories"), related_name="enterprises", blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ListingStatus.choices, default=ListingStatus.PENDING
    )
    recommended = models.BooleanField(
        _("recommended"),
        default=False,
        help_text=_("Listed in the Procurement Recommendation Directory."),
    )
    pending_changes = models.JSONField(
        _("changes awaiting verification"),
        null=True,
        blank=True,
        help_text=_("Edits to a verified listing; the public sees the verified values until then."),
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    objects = EnterpriseQuerySet.as_manager()

    #: What makes the firm a local supplier or not, and which: compared before a save.
    LOCALITY = ("uscc", "status", "district_id")

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            models.Index(fields=["status", "name_zh"], name="enterprise_status_name"),
            models.Index(fields=["status", "recommended"], name="enterprise_status_recommended"),
            # The search's two ways into the verified firms, read from the index alone (with
            # the district, for "local"): in name order to fill a page, and by id to check the
            # firms a threshold found while counting them. Measured in bench/directory_search.py
            # at 100,000 firms: docs/search.md.
            models.Index(
                fields=["name_zh", "id", "district"],
                name="enterprise_verified_name",
                condition=Q(status="verified"),
            ),
            models.Index(
                fields=["id", "district"],
                name="enterprise_verified_id",
                condition=Q(status="verified"),
            ),
            # What alliance matching reads of a candidate firm, so that PostgreSQL joins the
            # verified SMEs by index only instead of reading the wide rows (issue 17).
            models.Index(
                fields=["id"],
                include=["district", "recommended", "annual_capacity", "capacity_unit"],
                name="enterprise_sme_verified",
                condition=Q(status="verified", kind="sme"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_capacity__isnull=True) | Q(annual_capacity__gte=0),
                name="enterprise_capacity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(recommended=False) | Q(status="verified"),
                name="enterprise_recommended_only_when_verified",
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh

    @classmethod
    def from_db(cls, db, field_names, values):
        """Keep the locality as loaded (None where deferred), so that a save knows whether
        it changed without asking the database again."""
        instance = super().from_db(db, field_names, values)
        instance.stored_locality = tuple(instance.__dict__.get(name) for name in cls.LOCALITY)
        return instance

    @property
    def is_local(self) -> bool:
        return self.district.is_local

    @property
    def is_public(self) -> bool:
        return self.status == ListingStatus.VERIFIED


#: The product specs a threshold can be set on (the directory search's, the alliance demands'):
#: the index alliance matching ranks from covers them.
THRESHOLD_SPECS = (
    "ionic_conductivity",
    "asr",
    "specific_capacity",
    "decay_rate",
    "coulombic_efficiency",
    "weight_reduction",
)


class Product(models.Model):
    """A product with its technical specification in canonical units; absent specs are null."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="products"
    )
    name = models.CharField(_("name"), max_length=160)
    category = models.ForeignKey(
        SupplyCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    ionic_conductivity = models.FloatField(
        _("ionic conductivity (S/cm at 25 °C)"), null=True, blank=True, validators=NOT_NEGATIVE
    )
    asr = models.FloatField(
        _("area-specific resistance (Ω·cm²)"), null=True, blank=True, validators=NOT_NEGATIVE
    )
    specific_capacity = models.FloatField(
        _("specific capacity (mAh/g)"), null=True, blank=True, validators=NOT_NEGATIVE
    )
    decay_rate = models.FloatField(
        _("capacity decay (% per cycle)"), null=True, blank=True, validators=PERCENT
    )
    coulombic_efficiency = models.FloatField(
        _("coulombic efficiency (%)"), null=True, blank=True, validators=PERCENT
    )
    coulombic_efficiency_cycles = models.PositiveIntegerField(
        _("cycles the coulombic efficiency held over"), null=True, blank=True
    )
    weight_reduction = models.FloatField(
        _("weight reduction vs. copper foil (%)"), null=True, blank=True, validators=PERCENT
    )
    local_content_share = models.DecimalField(
        _("local content share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_(
            # "100 % for" is no %-directive: keeps msgfmt --check (and compilemessages) passing.
            # xgettext:no-python-format
            "Share of the product's value made in the municipality, e.g. 30 for a local pack "
            "assembler using imported cells. Empty means 100 % for a local supplier. Counts in "
            "the Local Content Ratio for invoices dated from the day an official verifies it."
        ),
    )
    price = models.DecimalField(
        _("price (CNY/kg)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ListingStatus.choices, default=ListingStatus.PENDING
    )
    pending_changes = models.JSONField(_("changes awaiting verification"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        # One partial index per spec threshold of the search: measured in
        # bench/directory_search.py, a threshold search went from 288 ms to 85 ms at 300,000
        # products on PostgreSQL.
        indexes = [
            models.Index(fields=["enterprise", "status"], name="product_enterprise_status"),
            # A category's verified products with every spec alliance matching scores: it
            # ranks them by index only instead of scanning the wide rows of every product
            # (issue 17: 176 MB at 300,000 products, most of it read from outside the buffers).
            models.Index(
                fields=["category", "enterprise"],
                include=["id", *THRESHOLD_SPECS],
                name="product_category_verified",
                condition=Q(status="verified"),
            ),
            # σ and ASR, alone or together on one product (the electrolyte searches), read
            # from either index alone, as product_capacity_verified serves capacity with
            # decay: each carries the other threshold, so whichever the planner starts from
            # needs no product row.
            models.Index(
                fields=["ionic_conductivity", "asr", "enterprise"],
                name="product_sigma_asr_verified",
                condition=Q(status="verified", ionic_conductivity__isnull=False),
            ),
            models.Index(
                fields=["asr", "ionic_conductivity", "enterprise"],
                name="product_asr_sigma_verified",
                condition=Q(status="verified", asr__isnull=False),
            ),
            models.Index(
                fields=["specific_capacity", "decay_rate", "enterprise"],
                name="product_capacity_verified",
                condition=Q(status="verified", specific_capacity__isnull=False),
            ),
            models.Index(
                fields=["coulombic_efficiency", "enterprise"],
                name="product_ce_verified",
                condition=Q(status="verified", coulombic_efficiency__isnull=False),
            ),
            models.Index(
                fields=["weight_reduction", "enterprise"],
                name="product_weight_verified",
                condition=Q(status="verified", weight_reduction__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ionic_conductivity__isnull=True) | Q(ionic_conductivity__gte=0),
                name="product_conductivity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(asr__isnull=True) | Q(asr__gte=0), name="product_asr_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(specific_capacity__isnull=True) | Q(specific_capacity__gte=0),
                name="product_capacity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(decay_rate__isnull=True) | Q(decay_rate__gte=0, decay_rate__lte=100),
                name="product_decay_rate_percent",
            ),
            models.CheckConstraint(
                condition=Q(coulombic_efficiency__isnull=True)
                | Q(coulombic_efficiency__gte=0, coulombic_efficiency__lte=100),
                name="product_coulombic_efficiency_percent",
            ),
            models.CheckConstraint(
                condition=Q(weight_reduction__isnull=True)
                | Q(weight_reduction__gte=0, weight_reduction__lte=100),
                name="product_weight_reduction_percent",
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="product_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CertificationScheme(models.TextChoices):
    ISO_9001 = "ISO 9001", "ISO 9001"
    IATF_16949 = "IATF 16949", "IATF 16949"
    ISO_14001 = "ISO 14001", "ISO 14001"
    ISO_45001 = "ISO 45001", "ISO 45001"
    ISO_50001 = "ISO 50001", "ISO 50001"
    ISO_IEC_17025 = "ISO/IEC 17025", "ISO/IEC 17025"
    UN_38_3 = "UN 38.3", "UN 38.3"


class Certification(models.Model):
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="certifications",
    )
    scheme = models.CharField(_("standard"), max_length=24, choices=CertificationScheme.choices)
    number = models.CharField(_("certificate number"), max_length=64)
    issuer = models.CharField(_("issued by"), max_length=128, blank=True)
    valid_until = models.DateField(
        _("valid until"), help_text=_("Expired certificates do not count in the search.")
    )

    class Meta:
        ordering = ["scheme", "valid_until"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        indexes = [
            models.Index(
                fields=["scheme", "valid_until", "enterprise"], name="certification_scheme_valid"
            ),
            # The same, by holder: where the planner checks a few candidates' certificates
            # one by one, each check reads the index only (issue 17).
            models.Index(
                fields=["enterprise", "scheme", "valid_until"], name="certification_holder_valid"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "scheme", "number"], name="certification_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.number}"

    @property
    def is_valid(self) -> bool:
        return self.valid_until >= timezone.localdate()


class StatusChange(models.Model):
    """Audit record of every change of a listing's status, recommendation or verified data."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="status_changes",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("changed values"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        labels = dict(ListingStatus.choices)
        return (
            f"{labels.get(self.from_status, self.from_status) or '—'} → "
            f"{labels.get(self.to_status, self.to_status)}"
        )
