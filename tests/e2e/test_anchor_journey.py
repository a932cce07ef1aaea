"""An anchor firm searches the directory with spec thresholds, finds a local supplier, uploads
its purchases and sees its Local Content Ratio and the local alternatives for what it buys
outside the city."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directory.models import PurchaseLine
from tests.e2e.journey import log_in
from tests.factories import EnterpriseFactory, ProductFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"  # UserFactory's
HEADER = "invoice_no,line_no,invoice_date,supplier_uscc,supplier_name,category,amount"


def purchases_csv(*lines: str) -> dict:
    content = "\n".join([HEADER, *lines]) + "\n"
    return {"name": "purchases.csv", "mimeType": "text/csv", "buffer": content.encode()}


def test_anchor_finds_a_supplier_and_sees_its_local_content_ratio(page, journey, anchor):
    today = timezone.localdate().isoformat()  # never in the future, always this year
    lingxi = EnterpriseFactory(
        name_zh="灵犀固态材料有限公司",
        name_en="Lingxi Solid Materials Co., Ltd.",
        recommended=True,
        categories=["sulfide-electrolyte"],
    )
    ProductFactory(enterprise=lingxi, name="Li6PS5Cl powder LX-1", ionic_conductivity=2.5e-3)
    slow = EnterpriseFactory(name_zh="慢离子材料有限公司", categories=["sulfide-electrolyte"])
    ProductFactory(enterprise=slow, name="Li3PS4 powder", ionic_conductivity=4e-4)
    EnterpriseFactory(
        name_zh="青山正极材料有限公司",
        name_en="Qingshan Cathode Materials Co.",
        categories=["high-nickel-cathode"],
    )

    log_in(page, anchor.owner.username, PASSWORD)
    page.goto("/directory/")
    page.get_by_label("Supply category").select_option("sulfide-electrolyte")
    page.get_by_text("Technical thresholds").click()
    page.get_by_label("Ionic conductivity at least (S/cm)").fill("0.001")
    page.get_by_role("button", name="Search").click()
    results = page.locator("main")
    expect(results).to_contain_text("1 enterprise")
    expect(page.get_by_role("link", name="灵犀固态材料有限公司")).to_be_visible()
    expect(results).not_to_contain_text("慢离子材料有限公司")
    journey.capture("search-with-threshold")

    page.goto(f"/directory/mine/{anchor.uscc}/lcr/")
    expect(page.get_by_text("No purchases recorded yet")).to_be_visible()
    journey.capture("lcr-before-purchases")

    page.get_by_role("link", name="Upload your purchase records").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Purchase records")
    journey.capture("purchases-empty")
    upload = page.get_by_label("Purchase file (CSV or XLSX)")
    upload.set_input_files(purchases_csv(f"0001,1,{today},,Acme,no-such-category,100"))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("heading", name="Nothing was saved")).to_be_visible()
    journey.capture("import-refused")

    page.goto(f"/directory/mine/{anchor.uscc}/purchases/")
    page.get_by_label("Purchase file (CSV or XLSX)").set_input_files(
        purchases_csv(
            f"INV-0001,1,{today},{lingxi.uscc},灵犀固态材料有限公司,sulfide-electrolyte,300000.00",
            f"INV-0002,1,{today},,Overseas Cathode Ltd.,high-nickel-cathode,700000.00",
        )
    )
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    journey.capture("import-done")

    page.goto(f"/directory/mine/{anchor.uscc}/lcr/")
    summary = page.locator(".stats")
    expect(summary).to_contain_text(re.compile(r"30(\.0+)? %"))
    expect(summary).to_contain_text("300,000")
    alternatives = page.locator("#alternatives")
    expect(alternatives).to_contain_text("High-nickel ternary cathode")
    expect(alternatives.get_by_role("link", name="Qingshan Cathode Materials Co.")).to_be_visible()
    journey.capture("lcr")

    assert PurchaseLine.objects.filter(buyer=anchor).count() == 2
