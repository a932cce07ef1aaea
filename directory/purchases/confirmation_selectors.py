"""Reads of the suppliers' confirmations: which lines a supplier's members see, and each
line's status as SQL, the one definition the LCR, the subsidies and the pages share."""

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from directory.models import ConfirmationStatus, Enterprise, ListingStatus, PurchaseLine


def _decided_on_current_values(prefix: str = "") -> Q:
    """The line still has the values its supplier decided on (an uncategorised line's
    category, NULL, as NULL)."""
    return Q(
        **{
            f"{prefix}confirmation__amount": F(f"{prefix}amount"),
            f"{prefix}confirmation__invoice_date": F(f"{prefix}invoice_date"),
            f"{prefix}confirmation__supplier_uscc": F(f"{prefix}supplier_id"),
        }
    ) & (
        Q(**{f"{prefix}confirmation__category_id": F(f"{prefix}category_id")})
        | Q(
            **{
                f"{prefix}confirmation__category_id__isnull": True,
                f"{prefix}category_id__isnull": True,
            }
        )
    )


def confirmed_condition(prefix: str = "") -> Q:
    """SQL: the supplier confirmed the line as it is now (`prefix` reaches a line from
    another table, e.g. "purchase_line__")."""
    return Q(
        **{f"{prefix}confirmation__status": ConfirmationStatus.CONFIRMED}
    ) & _decided_on_current_values(prefix)


def disputed_condition(prefix: str = "") -> Q:
    """SQL: the supplier disputed the line as it is now."""
    return Q(
        **{f"{prefix}confirmation__status": ConfirmationStatus.DISPUTED}
    ) & _decided_on_current_values(prefix)


def undisputed_condition() -> Q:
    """SQL: no supplier disputes the line as it is now (a line without a decision included,
    which a plain negation would drop: NOT over the outer join's NULLs is not true)."""
    return Q(confirmation__isnull=True) | ~disputed_condition()


def confirmation_status() -> Case:
    """SQL for a line's status: confirmed, disputed, or unconfirmed (no decision, or one made
    on values the line no longer has)."""
    return Case(
        When(confirmed_condition(), then=Value(ConfirmationStatus.CONFIRMED.value)),
        When(disputed_condition(), then=Value(ConfirmationStatus.DISPUTED.value)),
        default=Value(ConfirmationStatus.UNCONFIRMED.value),
        output_field=CharField(),
    )


def lines_naming_supplier(supplier: Enterprise) -> QuerySet[PurchaseLine]:
    """The purchase lines that name the enterprise as their supplier, each with its status.

    Only a verified enterprise sees them: anybody may register a firm's code, and its buyers'
    invoices are not theirs to read until an official has checked who they are. A firm's own
    purchases from itself are left out: nobody confirms their own invoice.
    """
    if supplier.status != ListingStatus.VERIFIED:
        return PurchaseLine.objects.none()
    return (
        PurchaseLine.objects.filter(supplier_id=supplier.uscc)
        .exclude(buyer_id=supplier.pk)
        .annotate(confirmation_status=confirmation_status())
        .select_related("buyer", "category", "confirmation__decided_by")
        .order_by("-invoice_date", "buyer__name_zh", "invoice_code", "invoice_no", "line_no")
    )
