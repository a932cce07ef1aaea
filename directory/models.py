from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.validators import validate_uscc
from ssb_portal.storage import private_storage

NOT_NEGATIVE = [MinValueValidator(0)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


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

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            models.Index(fields=["status", "name_zh"], name="enterprise_status_name"),
            models.Index(fields=["status", "recommended"], name="enterprise_status_recommended"),
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

    @property
    def is_local(self) -> bool:
        return self.district.is_local

    @property
    def is_public(self) -> bool:
        return self.status == ListingStatus.VERIFIED


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
            "the Local Content Ratio once an official verifies it."
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
            models.Index(
                fields=["ionic_conductivity", "enterprise"],
                name="product_sigma_verified",
                condition=Q(status="verified", ionic_conductivity__isnull=False),
            ),
            models.Index(
                fields=["asr", "enterprise"],
                name="product_asr_verified",
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
            )
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
        return f"{self.from_status or '—'} → {self.to_status}"


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Administrator")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """A user belongs to an organisation (an enterprise of the directory) through a membership."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=12, choices=MembershipRole.choices)
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "enterprise"], name="membership_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.enterprise}"


class Invitation(models.Model):
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class PurchaseImportSource(models.TextChoices):
    UPLOAD = "upload", _("File upload")
    API = "api", _("API")
    COMMAND = "command", _("Command line")


class PurchaseImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class PurchaseImport(models.Model):
    """One delivery of purchase lines (a file, an API call, a command), with its outcome."""

    buyer = models.ForeignKey(
        Enterprise, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="imports"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=12, choices=PurchaseImportSource.choices)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to="purchase-imports/%Y/%m/", blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PurchaseImportStatus.choices,
        default=PurchaseImportStatus.QUEUED,
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("new lines"), default=0)
    updated_count = models.PositiveIntegerField(_("corrected lines"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged lines"), default=0)
    errors = models.JSONField(
        _("errors"), default=list, blank=True, help_text=_("Row, column and reason of each.")
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("purchase import")
        verbose_name_plural = _("purchase imports")

    def __str__(self) -> str:
        return f"{self.buyer} {self.created_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class PurchaseLine(models.Model):
    """One invoice line of an enterprise's purchases of components, in CNY excluding VAT.

    The supplier is kept by its USCC even when it is not (yet) in the directory: the join to
    Enterprise goes through the code, so a supplier that registers later counts from then on.
    """

    buyer = models.ForeignKey(
        Enterprise, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="purchases"
    )
    supplier = models.ForeignKey(
        Enterprise,
        verbose_name=_("supplier"),
        to_field="uscc",
        db_column="supplier_uscc",
        db_constraint=False,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
    )
    supplier_name = models.CharField(_("supplier name"), max_length=160)
    invoice_no = models.CharField(_("invoice number"), max_length=64)
    line_no = models.PositiveIntegerField(_("line number"))
    invoice_date = models.DateField(_("invoice date"))
    category = models.ForeignKey(
        SupplyCategory,
        verbose_name=_("supply category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="purchase_lines",
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    amount = models.DecimalField(
        _("amount (CNY excl. VAT)"),
        max_digits=16,
        decimal_places=2,
        help_text=_("Negative for a credit note."),
    )
    last_import = models.ForeignKey(
        PurchaseImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last import"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-invoice_date", "invoice_no", "line_no"]
        verbose_name = _("purchase line")
        verbose_name_plural = _("purchase lines")
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "invoice_no", "line_no"], name="purchase_line_unique_key"
            )
        ]
        indexes = [
            models.Index(fields=["buyer", "invoice_date"], name="purchase_buyer_date"),
            models.Index(fields=["invoice_date"], name="purchase_date"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_no}/{self.line_no}"


class PurchaseLineRevision(models.Model):
    """The values a purchase line had before a correction replaced them."""

    line = models.ForeignKey(
        PurchaseLine, verbose_name=_("line"), on_delete=models.CASCADE, related_name="revisions"
    )
    purchase_import = models.ForeignKey(
        PurchaseImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("purchase import"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    previous_values = models.JSONField(_("previous values"))

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("purchase line revision")
        verbose_name_plural = _("purchase line revisions")

    def __str__(self) -> str:
        return f"{self.line} @ {self.changed_at:%Y-%m-%d %H:%M}"


class LcrTrajectory(models.Model):
    """The programme's path for the Local Content Ratio: a straight line from a baseline."""

    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    baseline_percent = models.DecimalField(
        _("baseline LCR (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    goal_percent = models.DecimalField(
        _("goal LCR (%)"), max_digits=5, decimal_places=2, default=70, validators=PERCENT
    )
    goal_years = models.PositiveSmallIntegerField(
        _("years to reach the goal"), default=5, validators=[MinValueValidator(1)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("LCR trajectory")
        verbose_name_plural = _("LCR trajectory")

    def __str__(self) -> str:
        return f"{self.baseline_year}: {self.baseline_percent} % → {self.goal_percent} %"


class LcrPublication(models.Model):
    """A year's figures frozen by an official; they never change afterwards."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    local_value = models.DecimalField(_("local value (CNY)"), max_digits=18, decimal_places=2)
    total_value = models.DecimalField(_("total value (CNY)"), max_digits=18, decimal_places=2)
    lcr_percent = models.DecimalField(
        _("LCR (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    target_percent = models.DecimalField(
        _("target (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("published LCR year")
        verbose_name_plural = _("published LCR years")

    def __str__(self) -> str:
        return str(self.year)


class LcrPublishedFigure(models.Model):
    """One firm's frozen figure of a published year."""

    publication = models.ForeignKey(
        LcrPublication,
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("publication"),
    )
    buyer = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer")
    )
    local_value = models.DecimalField(_("local value (CNY)"), max_digits=18, decimal_places=2)
    total_value = models.DecimalField(_("total value (CNY)"), max_digits=18, decimal_places=2)
    lcr_percent = models.DecimalField(
        _("LCR (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("published LCR figure")
        verbose_name_plural = _("published LCR figures")
        ordering = ["buyer__name_zh"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "buyer"], name="lcr_published_figure_unique_buyer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication} {self.buyer}"


# --- technical evidence: measurement datasets behind product specs ----------------------------


class DatasetKind(models.TextChoices):
    CONDUCTIVITY = "conductivity", _("Ionic conductivity against temperature")
    CAPACITY = "capacity", _("Discharge capacity against cycle number")


class TemperatureUnit(models.TextChoices):
    CELSIUS = "C", _("°C")
    KELVIN = "K", _("K")


class DatasetStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


def _dataset_file_name(instance: "MeasurementDataset", filename: str) -> str:
    return f"datasets/{instance.product_id}/{instance.sha256[:16]}-{instance.token}"


def _dataset_report_name(instance: "MeasurementDataset", filename: str) -> str:
    return f"datasets/{instance.product_id}/report-{instance.report_sha256[:16]}-{instance.token}"


class MeasurementDataset(models.Model):
    """Measured data (CSV/XLSX) behind a product's typed spec, its lab report and its fit.

    The data file and the report PDF are stored privately (no URL; a view serves them to the
    enterprise's members and officials). The parsed series and the fit are kept as JSON so
    pages show them without reading the file again.
    """

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="datasets"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DatasetKind.choices)
    temperature_unit = models.CharField(
        _("temperature unit"),
        max_length=1,
        choices=TemperatureUnit.choices,
        blank=True,
        help_text=_("The unit of the temperature column of a conductivity dataset."),
    )
    lab = models.CharField(_("laboratory"), max_length=160)
    method = models.CharField(_("method"), max_length=255)
    measured_on = models.DateField(_("measured on"))
    file = models.FileField(
        _("data file"), upload_to=_dataset_file_name, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    token = models.CharField(max_length=32, editable=False, verbose_name=_("download token"))
    report = models.FileField(
        _("report (PDF)"), upload_to=_dataset_report_name, storage=private_storage, max_length=200
    )
    report_name = models.CharField(_("report file name"), max_length=255)
    report_size_bytes = models.PositiveIntegerField(_("report size (bytes)"))
    report_sha256 = models.CharField(_("report SHA-256"), max_length=64)
    series = models.JSONField(_("measured series"), default=dict)
    fit = models.JSONField(_("fit results"), default=dict)
    contradicts_spec = models.BooleanField(
        _("contradicts the typed spec"),
        default=False,
        help_text=_("The fitted value differs from the product's typed spec beyond the tolerance."),
    )
    contradiction_note = models.TextField(_("contradiction"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DatasetStatus.choices, default=DatasetStatus.SUBMITTED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("measurement dataset")
        verbose_name_plural = _("measurement datasets")
        indexes = [
            models.Index(fields=["product", "kind", "status"], name="dataset_product_kind_status")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="conductivity") | Q(temperature_unit__in=["C", "K"]),
                name="dataset_conductivity_has_temperature_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.get_kind_display()} · {self.measured_on}"

    @property
    def fitted_value(self) -> float | None:
        """The fitted counterpart of the typed spec: σ at 25 °C (S/cm) or D (% per cycle)."""
        if self.kind == DatasetKind.CONDUCTIVITY:
            return self.fit.get("conductivity_25c_s_per_cm")
        return self.fit.get("decay_percent_per_cycle")

    @property
    def spec_field(self) -> str:
        """The product spec this dataset backs."""
        return "ionic_conductivity" if self.kind == DatasetKind.CONDUCTIVITY else "decay_rate"
