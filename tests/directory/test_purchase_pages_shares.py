"""The purchase pages show each line's local share as the LCR counts it: the product's
verified share in force on the invoice date (none before the first: 100 %), not today's;
in one query for the whole page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from directory.lcr.selectors import local_value_expression
from directory.models import LocalContentShare, PurchaseLine
from tests.directory.test_purchase_pages import text_of
from tests.factories import EnterpriseFactory, ProductFactory, PurchaseLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, anchor):
    client.force_login(anchor.owner)
    return client


@pytest.fixture
def pack(db):
    """A local product verified at 30 % from 2026-01-01, then at 60 % from 2026-06-01; its
    listing now says 80 % (a change not yet verified into the history)."""
    product = ProductFactory(enterprise=EnterpriseFactory(), local_content_share=Decimal(80))
    for share, since in (("30", "2026-01-01"), ("60", "2026-06-01")):
        LocalContentShare.objects.create(
            product=product, share=Decimal(share), valid_from=datetime.date.fromisoformat(since)
        )
    return product


def buy(anchor, pack, invoice_no: str, day: str) -> PurchaseLine:
    return PurchaseLineFactory(
        buyer=anchor,
        supplier=pack.enterprise,
        product=pack,
        invoice_no=invoice_no,
        invoice_date=datetime.date.fromisoformat(day),
        amount=Decimal("100.00"),
    )


def test_each_line_shows_the_share_in_force_on_its_invoice_date(member_client, anchor, pack):
    before, spring, summer = (
        buy(anchor, pack, "10000001", "2025-12-31"),
        buy(anchor, pack, "10000002", "2026-03-01"),
        buy(anchor, pack, "10000003", "2026-07-01"),
    )
    page = text_of(member_client.get(reverse("purchases:upload", args=[anchor.uscc])))
    assert "10000003/1 2026-07-01" in page and "Local 60 %" in page
    assert "10000002/1 2026-03-01" in page and "Local 30 %" in page
    assert "Local 80 %" not in page
    shown = {
        line.pk: text_of(member_client.get(reverse("purchases:line", args=[anchor.uscc, line.pk])))
        for line in (before, spring, summer)
    }
    assert "Local 30 %" in shown[spring.pk] and "Local 60 %" in shown[summer.pk]
    assert "Local 30 %" not in shown[before.pk]
    assert "Invoice 10000001, line 1 Local Current values" in shown[before.pk]  # the badge
    # What the page shows is what the LCR counts: 100 + 30 + 60 of 300.
    counted = PurchaseLine.objects.aggregate(local=local_value_expression())["local"]
    assert counted == Decimal("190")


def test_the_lines_page_reads_every_share_in_one_query(
    member_client, anchor, pack, django_assert_max_num_queries
):
    for n in range(20):
        buy(anchor, pack, f"{20000000 + n}", f"2026-{1 + n % 12:02d}-15")
        buy(anchor, pack, f"{30000000 + n}", "2025-06-15")
    # Session, user, the enterprise; imports: count, page; lines: the official role, count, page.
    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("purchases:upload", args=[anchor.uscc]))
    assert response.status_code == 200
    assert len(response.context["lines"].object_list) == 25
