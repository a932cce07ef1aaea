"""The anchor firms' purchase lines, recorded through the import service as an ERP would send
them."""

from datetime import date, timedelta

from django.db import models
from django.db.models import F
from django.utils import timezone

from directory.demo.city import City
from directory.demo.specs import log_uniform
from directory.lcr.ledger import pairs_of_lines, refresh_lcr_ledger
from directory.models import (
    ConfirmationStatus,
    Enterprise,
    EnterpriseKind,
    ListingStatus,
    Product,
    PurchaseImportSource,
    PurchaseLine,
    PurchaseLineConfirmation,
    PurchaseLineConfirmationChange,
)
from directory.purchases.services import purchase_lines_import

# Chance that a demo purchase goes to a verified local supplier, last year and this year: the
# anchor firms' LCR rises towards the programme's trajectory without reaching it everywhere.
LOCAL_PURCHASE_SHARE = {-1: 0.38, 0: 0.50}
UNREGISTERED_SUPPLIERS = [
    ("Hanwa Battery Materials K.K.", ""),
    ("Nordic Cell Components AB", ""),
    ("Pacific Precision Foils Inc.", ""),
    ("鑫源贸易（深圳）有限公司", ""),
]


def seed_purchases(city: City, lines_per_year: int) -> int:
    """Purchase lines of every verified anchor firm, recorded as an ERP would send them.

    They go through the import service, so the demo data obeys the same rules as real data.
    """
    suppliers = list(
        Enterprise.objects.filter(status=ListingStatus.VERIFIED)
        .exclude(kind=EnterpriseKind.ANCHOR)
        .select_related("district")
        .prefetch_related(
            "categories",
            models.Prefetch(
                "products",
                queryset=Product.objects.filter(status=ListingStatus.VERIFIED),
                to_attr="verified_products",
            ),
        )
    )
    suppliers = [supplier for supplier in suppliers if supplier.categories.all()]
    local = [supplier for supplier in suppliers if supplier.district.is_local]
    remote = [supplier for supplier in suppliers if not supplier.district.is_local]
    categories = [category.slug for category in city.leaves]
    recorded = 0
    anchors = Enterprise.objects.filter(kind=EnterpriseKind.ANCHOR, status=ListingStatus.VERIFIED)
    for anchor in anchors.order_by("pk"):
        rows = []
        for offset, local_share in LOCAL_PURCHASE_SHARE.items():
            year = city.today.year + offset
            last_day = city.today if offset == 0 else date(year, 12, 31)
            span = (last_day - date(year, 1, 1)).days
            for number in range(1, lines_per_year + 1):
                rows.append(
                    demo_purchase_row(
                        city, year, number, span, local_share, local, remote, categories
                    )
                )
        purchase_lines_import(
            actor=None,
            buyer=anchor,
            raw_rows=rows,
            source=PurchaseImportSource.COMMAND,
            # The demo's made-up years are the city's whole record: nothing to review.
            review_large=False,
        )
        recorded += len(rows)
    seed_confirmations(city)
    return recorded


#: Of the demo lines naming a verified supplier, the shares its supplier confirmed and
#: disputed; the rest wait unconfirmed, so the city shows all three values.
CONFIRMED_SHARE = 0.85
DISPUTED_SHARE = 0.04
DEMO_DISPUTE_REASONS = ["数量与送货单不符", "单价与合同不符", "该发票非我司开具"]


def seed_confirmations(city: City) -> None:
    """The suppliers' word on the demo lines naming them, each with its change record."""
    lines = (
        PurchaseLine.objects.filter(supplier__status=ListingStatus.VERIFIED)
        .exclude(supplier_id=F("buyer__uscc"))
        .only("pk", "amount", "invoice_date", "supplier_id", "category_id")
        .order_by("pk")
    )
    now = timezone.now()
    decisions, changes = [], []
    for line in lines:
        draw = city.rng.random()
        if draw >= CONFIRMED_SHARE + DISPUTED_SHARE:
            continue
        status, reason = ConfirmationStatus.CONFIRMED, ""
        if draw >= CONFIRMED_SHARE:
            status, reason = ConfirmationStatus.DISPUTED, city.rng.choice(DEMO_DISPUTE_REASONS)
        decision = PurchaseLineConfirmation.of_line(line, status, reason)
        decision.decided_at = now
        decisions.append(decision)
        changes.append(
            PurchaseLineConfirmationChange(
                line=line,
                changed_at=now,
                from_status=ConfirmationStatus.UNCONFIRMED,
                to_status=status,
                reason=reason,
                amount=line.amount,
            )
        )
    PurchaseLineConfirmation.objects.bulk_create(decisions, batch_size=2000)
    PurchaseLineConfirmationChange.objects.bulk_create(changes, batch_size=2000)
    # bulk_create sends no signal: the ledger counts the suppliers' word from here.
    refresh_lcr_ledger(pairs_of_lines(PurchaseLine.objects.filter(confirmation__isnull=False)))


def demo_purchase_row(
    city: City,
    year: int,
    number: int,
    span_days: int,
    local_share: float,
    local: list[Enterprise],
    remote: list[Enterprise],
    categories: list[str],
) -> dict:
    rng = city.rng
    row = {
        "invoice_no": f"DEMO-{year}-{number:05d}",
        "line_no": 1,
        "invoice_date": (date(year, 1, 1) + timedelta(days=rng.randint(0, span_days))).isoformat(),
        # Most components cost tens of thousands of yuan a line; a few are large orders.
        "amount": f"{log_uniform(rng, 8_000, 1_500_000):.2f}",
    }
    draw = rng.random()
    if draw < local_share and local:
        supplier = rng.choice(local)
    elif draw < 0.9 and remote:
        supplier = rng.choice(remote)
    else:
        name, uscc = rng.choice(UNREGISTERED_SUPPLIERS)
        return row | {
            "supplier_name": name,
            "supplier_uscc": uscc,
            "category": rng.choice(categories),
        }
    row |= {
        "supplier_uscc": supplier.uscc,
        "supplier_name": supplier.name_zh,
        "category": rng.choice(list(supplier.categories.all())).slug,
    }
    if supplier.verified_products and rng.random() < 0.4:
        row["product"] = rng.choice(supplier.verified_products).pk
    return row


def seed_held_import(city: City, *, actor, buyer: Enterprise) -> int:
    """One large import of this year's lines, sent by the demo anchor's login with the review
    check on: it would move the firm's figures too much, so it waits in the officials' queue
    (nothing of it counts meanwhile). Returns the number of lines held."""
    rows = [
        {
            "invoice_no": f"DEMO-HELD-{city.today.year}-{number:03d}",
            "line_no": 1,
            "invoice_date": city.today.replace(day=1).isoformat(),
            "supplier_name": UNREGISTERED_SUPPLIERS[number % len(UNREGISTERED_SUPPLIERS)][0],
            "category": city.leaves[0].slug,
            "amount": "4800000.00",
        }
        for number in range(1, 9)
    ]
    purchase_lines_import(
        actor=actor, buyer=buyer, raw_rows=rows, source=PurchaseImportSource.COMMAND
    )
    return len(rows)
