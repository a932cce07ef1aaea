"""What a product is made of: its bills of materials (components, labour and overhead as cost
blocks, TKDN style), their verification with evidence and a validity period, and the
officials' safe-harbour tables of component classes with default cost shares (IRA style).

The share a verified bill of materials computes is kept, like every share the LCR counts, as
a `LocalContentShare` row in force from its day (see `directory.composition.services`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.listings import NOT_NEGATIVE, PERCENT, Product, SupplyCategory
from ssb_portal.storage import private_storage


class Origin(models.TextChoices):
    LOCAL = "local", _("Local (in the municipality)")
    CHINA = "china", _("Elsewhere in China")
    ABROAD = "abroad", _("Abroad")


class CostUnit(models.TextChoices):
    CNY_PER_UNIT = "cny", _("CNY per unit of product")
    PERCENT = "percent", _("percent of the production cost")


class BomLineKind(models.TextChoices):
    MATERIAL = "material", _("Direct material or component")
    LABOUR = "labour", _("Direct labour")
    OVERHEAD = "overhead", _("Factory overhead")
    RESALE = "resale", _("Goods resold as bought (trader)")


class BomStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned for correction")
    SUPERSEDED = "superseded", _("Superseded by a newer verification")
    EXPIRED = "expired", _("Verification expired")


class SafeHarbourTable(models.Model):
    """An official table of component classes and their default cost shares for one
    category: a supplier using it only states each class's origin."""

    category = models.OneToOneField(
        SupplyCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="safe_harbour_table",
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("Where the default shares come from.")
    )

    class Meta:
        verbose_name = _("safe-harbour table")
        verbose_name_plural = _("safe-harbour tables")

    def __str__(self) -> str:
        return str(self.category)


class SafeHarbourClass(models.Model):
    table = models.ForeignKey(
        SafeHarbourTable, verbose_name=_("table"), on_delete=models.CASCADE, related_name="classes"
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=96)
    name_en = models.CharField(_("name (English)"), max_length=128)
    cost_share = models.DecimalField(
        _("default cost share (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["table", "sort_order", "pk"]
        verbose_name = _("component class")
        verbose_name_plural = _("component classes")
        constraints = [
            models.UniqueConstraint(fields=["table", "name_en"], name="safe_harbour_class_unique"),
            models.CheckConstraint(
                condition=Q(cost_share__gte=0, cost_share__lte=100),
                name="safe_harbour_class_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_zh} / {self.name_en} ({self.cost_share} %)"


def bom_evidence_path(instance: "BillOfMaterials", filename: str) -> str:
    return f"bom/{instance.product_id}/{instance.evidence_sha256[:16]}.pdf"


class BillOfMaterials(models.Model):
    """One declaration of what a product is made of; verified, it computes the product's
    local share for its validity period."""

    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="bills_of_materials",
    )
    cost_unit = models.CharField(
        _("costs given as"), max_length=8, choices=CostUnit.choices, default=CostUnit.PERCENT
    )
    safe_harbour = models.ForeignKey(
        SafeHarbourTable,
        verbose_name=_("safe-harbour table"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Set: the lines are the table's classes with their default cost shares."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=BomStatus.choices, default=BomStatus.SUBMITTED
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)
    evidence = models.FileField(
        _("verifier's report (PDF)"),
        upload_to=bom_evidence_path,
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    evidence_name = models.CharField(_("report file name"), max_length=255, blank=True)
    evidence_sha256 = models.CharField(_("report SHA-256"), max_length=64, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    computed_share = models.DecimalField(
        _("computed local share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )

    class Meta:
        ordering = ["product", "-declared_at", "-pk"]
        verbose_name = _("bill of materials")
        verbose_name_plural = _("bills of materials")
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(status="verified"),
                name="bom_one_verified_per_product",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified")
                | Q(
                    valid_from__isnull=False,
                    valid_until__isnull=False,
                    valid_until__gte=models.F("valid_from"),
                ),
                name="bom_verified_has_validity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.get_status_display()}"


class BomLine(models.Model):
    bom = models.ForeignKey(
        BillOfMaterials,
        verbose_name=_("bill of materials"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=BomLineKind.choices, default=BomLineKind.MATERIAL
    )
    description = models.CharField(_("description"), max_length=160)
    component_class = models.ForeignKey(
        SafeHarbourClass,
        verbose_name=_("component class"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices, blank=True)
    cost = models.DecimalField(
        _("cost"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("CNY per unit or percent of the production cost, as the bill says."),
    )
    local_share = models.DecimalField(
        _("local share of the block (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("For direct labour and factory overhead."),
    )
    component = models.ForeignKey(
        Product,
        verbose_name=_("component in the directory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="used_in_bom_lines",
    )

    class Meta:
        ordering = ["bom", "pk"]
        verbose_name = _("bill of materials line")
        verbose_name_plural = _("bill of materials lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="bom_line_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(local_share__isnull=True) | Q(local_share__gte=0, local_share__lte=100),
                name="bom_line_local_share_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class BomStatusChange(models.Model):
    bom = models.ForeignKey(
        BillOfMaterials,
        verbose_name=_("bill of materials"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=12)
    to_status = models.CharField(_("to"), max_length=12)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["bom", "at", "pk"]
        verbose_name = _("bill of materials status change")
        verbose_name_plural = _("bill of materials status changes")

    def __str__(self) -> str:
        return f"{self.bom_id}: {self.from_status} → {self.to_status}"

    @property
    def to_status_label(self) -> str:
        """The status moved to, as a person reads it."""
        return BomStatus(self.to_status).label
