"""Purchase lines of anchor firms, the imports that delivered them and their revisions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.listings import Enterprise, Product, SupplyCategory
from directory.purchases.rows import invoice_label


class PurchaseImportSource(models.TextChoices):
    UPLOAD = "upload", _("File upload")
    API = "api", _("API")
    COMMAND = "command", _("Command line")


class PurchaseImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    #: Measured and undone: it waits for an official (see `review_status`).
    HELD = "held", _("Awaiting review")


class PurchaseImportReview(models.TextChoices):
    """Whether an import had to wait for an official before it counts."""

    NOT_NEEDED = "not_needed", _("Not needed")
    AWAITING = "awaiting", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


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
    pending_count = models.PositiveIntegerField(
        _("corrections kept pending"),
        default=0,
        help_text=_("Corrections of lines claimed in a support application: not applied."),
    )
    column_mapping = models.ForeignKey(
        "directory.PurchaseColumnMapping",
        verbose_name=_("column mapping"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The buyer's saved column mapping the file was read with, if any."),
    )
    errors = models.JSONField(
        _("errors"), default=list, blank=True, help_text=_("Row, column and reason of each.")
    )
    review_status = models.CharField(
        _("review"),
        max_length=12,
        choices=PurchaseImportReview.choices,
        default=PurchaseImportReview.NOT_NEEDED,
    )
    review_effect = models.JSONField(
        _("effect measured"),
        default=list,
        blank=True,
        help_text=_(
            "Per year the import touches: the buyer's total and local value and LCR before "
            "and with it."
        ),
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("purchase import")
        verbose_name_plural = _("purchase imports")
        indexes = [
            models.Index(fields=["review_status", "created_at"], name="purchaseimport_review")
        ]

    def __str__(self) -> str:
        return f"{self.buyer} {self.created_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class PurchaseLineQuerySet(models.QuerySet):
    """Purchase lines whose bulk writes keep the LCR ledger in step, in their transaction.

    `save()` and `delete()` of single lines refresh it through signals
    (directory.lcr.ledger_signals); these writes send none, so they refresh it themselves.
    """

    def update(self, **kwargs):
        from directory.lcr.ledger import in_transaction, pairs_of_lines, refresh_lcr_ledger

        with in_transaction():
            if {"buyer", "buyer_id", "invoice_date"} & kwargs.keys():
                # The lines leave their (buyer, year), maybe the filter too: follow their keys.
                pks = list(self.values_list("pk", flat=True))
                lines = self.model.objects.filter(pk__in=pks)
                before = pairs_of_lines(lines)
                count = super().update(**kwargs)
                refresh_lcr_ledger(before | pairs_of_lines(lines))
            else:
                before = pairs_of_lines(self)
                count = super().update(**kwargs)
                refresh_lcr_ledger(before)
        return count

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        from directory.lcr.ledger import in_transaction, lcr_ledger_batch

        # Django runs one update() per batch, each refreshing its pairs: once, at the end.
        with in_transaction(), lcr_ledger_batch():
            return super().bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        from directory.lcr.ledger import in_transaction, pair_of, refresh_lcr_ledger

        objs = list(objs)
        with in_transaction():
            created = super().bulk_create(objs, *args, **kwargs)
            refresh_lcr_ledger({pair_of(obj.buyer_id, obj.invoice_date) for obj in objs})
        return created

    bulk_create.alters_data = True

    def delete(self):
        from directory.lcr.ledger import in_transaction, lcr_ledger_batch

        # Each deleted line refreshes its pair by signal: once per pair, at the end.
        with in_transaction(), lcr_ledger_batch():
            return super().delete()

    delete.alters_data = True


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
    # db_default: bulk loaders that write the table directly may leave the code out.
    invoice_code = models.CharField(
        _("invoice code"),
        max_length=12,
        blank=True,
        default="",
        db_default="",
        help_text=_("10 or 12 digits on a legacy VAT invoice; none on a fully digital one."),
    )
    invoice_no = models.CharField(_("invoice number"), max_length=64)
    line_no = models.PositiveIntegerField(_("line number"))
    invoice_date = models.DateField(_("invoice date"))
    # None: uncategorised; the buyer sorts its item names on its purchase pages.
    category = models.ForeignKey(
        SupplyCategory,
        verbose_name=_("supply category"),
        null=True,
        blank=True,
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
    # A credit note (红字发票) names the invoice it corrects: same buyer and seller.
    original_invoice_code = models.CharField(
        _("original invoice code"),
        max_length=12,
        blank=True,
        default="",
        db_default="",
        help_text=_("A credit note's original invoice: its code, if it has one."),
    )
    original_invoice_no = models.CharField(
        _("original invoice number"),
        max_length=64,
        blank=True,
        default="",
        db_default="",
        help_text=_("A credit note's original invoice: its number. Empty on an invoice."),
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

    objects = PurchaseLineQuerySet.as_manager()

    class Meta:
        ordering = ["-invoice_date", "invoice_no", "line_no"]
        verbose_name = _("purchase line")
        verbose_name_plural = _("purchase lines")
        # A line is one line of one seller's invoice: the seller is its USCC where known,
        # else its name (two partial indexes, as NULL codes never collide in one).
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "supplier", "invoice_code", "invoice_no", "line_no"],
                condition=models.Q(supplier__isnull=False),
                name="purchase_line_unique_key",
            ),
            models.UniqueConstraint(
                fields=["buyer", "supplier_name", "invoice_code", "invoice_no", "line_no"],
                condition=models.Q(supplier__isnull=True),
                name="purchase_line_unique_key_by_name",
            ),
            # A credit note (a negative amount) names the invoice it corrects; an invoice's
            # own line (zero or more) names none. The sums over many rows (a credit note at
            # most its invoice, a year never below zero) are in purchases.credit_notes.
            models.CheckConstraint(
                condition=(
                    models.Q(amount__lt=0) & ~models.Q(original_invoice_no="")
                    | models.Q(amount__gte=0, original_invoice_no="", original_invoice_code="")
                ),
                name="purchase_line_credit_note_names_original",
                violation_error_message=_(
                    "A negative amount names the invoice it corrects; a line of zero or more "
                    "names none."
                ),
            ),
        ]
        indexes = [
            # The import finds a delivery's stored lines by their invoice numbers.
            models.Index(fields=["buyer", "invoice_no"], name="purchase_buyer_invoice"),
            # The credit-note check sums a buyer's credit notes by the invoices they name.
            models.Index(fields=["buyer", "original_invoice_no"], name="purchase_buyer_original"),
            models.Index(fields=["buyer", "invoice_date"], name="purchase_buyer_date"),
            models.Index(fields=["invoice_date"], name="purchase_date"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_label}/{self.line_no}"

    @property
    def invoice_label(self) -> str:
        return invoice_label(self.invoice_code, self.invoice_no)


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
