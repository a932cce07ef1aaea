"""The workbench shows what the LCR counts by: a purchase line's invoice code (listed and
searched) and a product's history of verified local-content shares."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from directory.models import LocalContentShare
from tests.admin_support import listed
from tests.factories import ProductFactory, PurchaseLineFactory

pytestmark = pytest.mark.django_db

PURCHASE_LINES = reverse("admin:directory_purchaseline_changelist")


@pytest.fixture
def official_client(client, official):
    client.force_login(official)
    return client


def test_purchase_lines_show_and_are_found_by_their_invoice_code(official_client):
    coded = PurchaseLineFactory(invoice_code="3300261130", invoice_no="12345678")
    other = PurchaseLineFactory(invoice_code="3300261131", invoice_no="12345678")
    response = official_client.get(PURCHASE_LINES)
    assert listed(response) == {coded.pk, other.pk}
    content = response.content.decode()
    assert "3300261130" in content and "3300261131" in content
    assert listed(official_client.get(PURCHASE_LINES, {"q": "3300261130"})) == {coded.pk}


def test_a_products_page_lists_its_local_content_share_history(official_client, official, sme):
    product = ProductFactory(enterprise=sme)
    for share, valid_from in ((Decimal("62.50"), "2025-03-01"), (Decimal("80.00"), "2026-02-01")):
        LocalContentShare.objects.create(
            product=product,
            share=share,
            valid_from=datetime.date.fromisoformat(valid_from),
            verified_by=official,
        )
    response = official_client.get(reverse("admin:directory_product_change", args=[product.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "verified local content shares" in content.lower()
    for text in ("62.50", "80.00", "March 1, 2025", "Feb. 1, 2026", official.username):
        assert text in content
    # Read-only: the history changes only when an official verifies the product.
    assert 'name="local_content_shares-0-share"' not in content
