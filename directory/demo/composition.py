"""The demo's three-tier supply chain (issue 19): a local trader resells imported cathode, a
local cell maker builds cells from it, and the anchor's local pack supplier builds packs from
those cells. Each declares its bill of materials and an official verifies it with a report;
the pack's computed share (58.50 %) differs from its declared one, and the anchor's LCR
follows for invoices from today (the demo records one: today's delivery of packs)."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from directory.composition.lines import LineInput
from directory.composition.services import bom_declare, bom_verify
from directory.demo.documents import blank_pdf
from directory.demo.users import demo_clerk
from directory.models import (
    Enterprise,
    ListingStatus,
    Product,
    PurchaseImportSource,
    PurchaseLine,
)
from directory.purchases.services import purchase_lines_import


def _verify(official, product, lines, today) -> None:
    bom = bom_declare(actor=demo_clerk(product.enterprise), product=product, lines=lines)
    report = SimpleUploadedFile(
        "verifier-report.pdf",
        blank_pdf(subject=f"BOM {product.pk}"),
        content_type="application/pdf",
    )
    bom_verify(
        actor=official,
        bom=bom,
        valid_until=today + datetime.timedelta(days=365),
        evidence=report,
        reason="Demo: checked against the verifier's report.",
    )


def _local_product(category_slug: str, *, buyer: Enterprise, exclude: list[int]) -> Product | None:
    """A verified local firm's product of the category, preferring what the buyer has bought
    most of, so the chain sits under the anchor's own purchases where the city allows."""
    local = {"status": ListingStatus.VERIFIED, "enterprise__status": ListingStatus.VERIFIED}
    candidates = (
        Product.objects.select_related("enterprise", "category")
        .filter(category__slug=category_slug, enterprise__district__is_local=True, **local)
        .exclude(enterprise_id__in=exclude)
    )
    bought = (
        PurchaseLine.objects.filter(buyer=buyer, product__in=candidates)
        .order_by("-amount")
        .values_list("product_id", flat=True)
        .first()
    )
    if bought is not None:
        return candidates.get(pk=bought)
    return candidates.order_by("pk").first()


def seed_composition(*, official, anchor: Enterprise, today: datetime.date) -> int:
    """The chain pack → cell → cathode among the city's local firms; returns the bills
    verified (0 when the city has no local pack, cell or cathode maker)."""
    pack = _local_product("pack-bms", buyer=anchor, exclude=[anchor.pk])
    if pack is None:
        return 0
    cell = _local_product(
        "cell-manufacturing", buyer=anchor, exclude=[anchor.pk, pack.enterprise_id]
    )
    if cell is None:
        return 0
    cathode = _local_product(
        "high-nickel-cathode",
        buyer=anchor,
        exclude=[anchor.pk, pack.enterprise_id, cell.enterprise_id],
    )
    if cathode is None:
        return 0
    _verify(
        official,
        cathode,
        [
            LineInput(
                description="NCM cathode bought abroad and resold",
                kind="resale",
                origin="abroad",
                cost=Decimal(100),
            )
        ],
        today,
    )
    _verify(
        official,
        cell,
        [
            LineInput(
                description="cathode", origin="local", cost=Decimal(55), component=cathode.pk
            ),
            LineInput(
                description="direct labour",
                kind="labour",
                cost=Decimal(25),
                local_share=Decimal(100),
            ),
            LineInput(
                description="factory overhead",
                kind="overhead",
                cost=Decimal(20),
                local_share=Decimal(100),
            ),
        ],
        today,
    )
    _verify(
        official,
        pack,
        [
            LineInput(description="cells", origin="local", cost=Decimal(70), component=cell.pk),
            LineInput(
                description="assembly and overhead",
                kind="overhead",
                cost=Decimal(30),
                local_share=Decimal(90),
            ),
        ],
        today,
    )
    # Today's delivery of packs counts with the computed share: the anchor's LCR follows.
    purchase_lines_import(
        actor=None,
        buyer=anchor,
        raw_rows=[
            {
                "invoice_no": f"DEMO-BOM-{today:%Y%m%d}",
                "line_no": 1,
                "invoice_date": today.isoformat(),
                "amount": "480000.00",
                "supplier_uscc": pack.enterprise.uscc,
                "supplier_name": pack.enterprise.name_zh,
                "category": pack.category.slug,
                "product": pack.pk,
            }
        ],
        source=PurchaseImportSource.COMMAND,
        review_large=False,
    )
    return 3
