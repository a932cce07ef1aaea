"""Confirmed, unconfirmed and disputed value beside every LCR: the local value split by the
suppliers' word, in the one aggregate (no extra query), on the API, the pages and the export."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from directory.lcr.selectors import lcr_by_buyer_and_year, lcr_by_year, lcr_figures
from directory.models import PurchaseLine, PurchaseLineConfirmation, SupplyCategory
from tests.directory.test_lcr import YEAR, purchase, verified_share
from tests.factories import EnterpriseFactory, ProductFactory, outside_district


def decided(line: PurchaseLine, status: str) -> PurchaseLine:
    reason = "Not delivered" if status == "disputed" else ""
    PurchaseLineConfirmation.of_line(line, status, reason).save()
    return line


@pytest.fixture(autouse=True)
def _default_trajectory(settings):
    settings.LCR_DEFAULT_BASELINE_YEAR = 2025


@pytest.fixture
def bought(anchor):
    """Local 1,000 confirmed, 30 % of 1,000 confirmed (300), local 400 disputed, local 200
    unconfirmed, non-local 2,000 confirmed (not local value: no part of the split)."""
    local = EnterpriseFactory()
    assembler = EnterpriseFactory()
    remote = EnterpriseFactory(district=outside_district())
    pack = ProductFactory(
        enterprise=assembler, category=SupplyCategory.objects.get(slug="pack-bms")
    )
    verified_share(pack, "30")
    decided(purchase(anchor, "1000.00", supplier=local), "confirmed")
    decided(
        purchase(anchor, "1000.00", supplier=assembler, product=pack, category="pack-bms"),
        "confirmed",
    )
    decided(purchase(anchor, "400.00", supplier=local), "disputed")
    purchase(anchor, "200.00", supplier=local)
    decided(purchase(anchor, "2000.00", supplier=remote, category="cathode"), "confirmed")
    return anchor


SPLIT = {
    "local_value": Decimal("1900.00"),
    "confirmed_value": Decimal("1300.00"),
    "unconfirmed_value": Decimal("200.00"),
    "disputed_value": Decimal("400.00"),
}


def split_of(figure: dict) -> dict:
    return {key: figure[key] for key in SPLIT}


def test_the_local_value_is_split_by_the_suppliers_word_in_one_query(
    bought, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the aggregate, and the year's target
        figures = lcr_figures(PurchaseLine.objects.all(), year=YEAR)
    assert split_of(figures) == SPLIT


def test_every_group_year_and_firm_row_carries_the_split(bought):
    by_supplier = lcr_figures(bought.purchases.all(), year=YEAR, group_by="supplier")["groups"]
    assert sum(group["confirmed_value"] for group in by_supplier) == SPLIT["confirmed_value"]
    [row] = [row for row in lcr_by_year(buyer=bought) if row["year"] == YEAR]
    assert split_of(row) == SPLIT
    [firm] = lcr_by_buyer_and_year()
    assert split_of(firm) == SPLIT


def test_a_confirmed_line_changed_by_its_buyer_counts_as_unconfirmed(bought):
    line = PurchaseLine.objects.get(amount=Decimal("1000.00"), product__isnull=True)
    PurchaseLine.objects.filter(pk=line.pk).update(amount=Decimal("1100.00"))
    figures = lcr_figures(PurchaseLine.objects.all(), year=YEAR)
    assert figures["confirmed_value"] == Decimal("300.00")
    assert figures["unconfirmed_value"] == Decimal("1300.00")


def test_the_api_answers_the_split(client, bought):
    client.force_login(bought.owner)
    answer = client.get("/api/v1/lcr/", {"buyer": bought.uscc, "year": YEAR}).json()
    assert {key: Decimal(answer[key]) for key in SPLIT} == SPLIT
    city = client.get("/api/v1/lcr/", {"year": YEAR, "group_by": "category"}).json()
    assert Decimal(city["disputed_value"]) == Decimal("400.00")
    assert "confirmed_value" in city["groups"][0]


def test_the_firm_page_and_the_export_show_the_split(client, official, bought):
    client.force_login(bought.owner)
    page = client.get(reverse("lcr:buyer", args=[bought.uscc]), {"year": YEAR})
    assert split_of(page.context["figures"]) == SPLIT
    assert "1,300.00" in page.content.decode() or "1300.00" in page.content.decode()
    client.force_login(official)
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("lcr:export", args=["csv"])).content.decode("utf-8-sig"))
        )
    )
    assert rows[0][9:] == [
        "Local value confirmed (CNY)",
        "Local value unconfirmed (CNY)",
        "Local value disputed (CNY)",
    ]
    assert rows[1][9:] == ["1300.00", "200.00", "400.00"]
