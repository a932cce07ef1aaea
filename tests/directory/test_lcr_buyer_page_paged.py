"""A firm's LCR page shows its suppliers a page at a time: 3,500 suppliers stay under 200 KB."""

import re

import pytest
from django.urls import reverse

from directory.lcr.views import SUPPLIERS_PER_PAGE
from directory.models import PurchaseImportSource
from directory.purchases.services import purchase_lines_import

pytestmark = pytest.mark.django_db

YEAR = 2026
SUPPLIERS = 3500
PAGE_BYTES_AT_MOST = 200_000


@pytest.fixture
def many_suppliers(anchor):
    rows = [
        {
            "invoice_no": f"INV-{n}",
            "line_no": 1,
            "invoice_date": f"{YEAR}-03-10",
            "supplier_name": f"外地供应商{n:04d}",
            "category": "cathode",
            "amount": f"{10_000 + n}.00",
        }
        for n in range(SUPPLIERS)
    ]
    _import, outcome = purchase_lines_import(
        actor=None,
        buyer=anchor,
        raw_rows=rows,
        source=PurchaseImportSource.API,
        review_large=False,
    )
    assert outcome.ok, outcome.errors[:3]
    return anchor


def supplier_rows(html: str) -> list[str]:
    if 'id="by-supplier"' not in html:
        return []
    section = html.split('id="by-supplier"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"外地供应商\d{4}", section)


def test_the_supplier_table_is_paged_and_the_page_stays_small(client, many_suppliers):
    client.force_login(many_suppliers.owner)
    url = reverse("lcr:buyer", args=[many_suppliers.uscc])

    first = client.get(url, {"year": YEAR})
    html = first.content.decode()

    assert first.status_code == 200
    assert len(first.content) <= PAGE_BYTES_AT_MOST
    # Biggest spend first: the last supplier of the file bought the most.
    assert supplier_rows(html) == [f"外地供应商{n:04d}" for n in range(3499, 3499 - 25, -1)]
    last_page = -(-SUPPLIERS // SUPPLIERS_PER_PAGE)
    assert f"?year={YEAR}&amp;suppliers=2#by-supplier" in html
    assert f"?year={YEAR}&amp;suppliers={last_page}#by-supplier" in html

    last = client.get(url, {"year": YEAR, "suppliers": last_page}).content.decode()
    on_last = SUPPLIERS - (last_page - 1) * SUPPLIERS_PER_PAGE
    assert supplier_rows(last) == [f"外地供应商{n:04d}" for n in range(on_last - 1, -1, -1)]
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_a_page_out_of_range_shows_the_last_one(client, many_suppliers):
    client.force_login(many_suppliers.owner)
    url = reverse("lcr:buyer", args=[many_suppliers.uscc])
    response = client.get(url, {"year": YEAR, "suppliers": "9999"})
    assert response.status_code == 200
    assert "外地供应商0000" in response.content.decode()


def test_a_firm_without_purchases_sees_no_table_and_no_pages(client, anchor):
    client.force_login(anchor.owner)
    html = client.get(reverse("lcr:buyer", args=[anchor.uscc]), {"year": YEAR}).content.decode()
    assert 'class="pagination"' not in html
    assert supplier_rows(html) == []
