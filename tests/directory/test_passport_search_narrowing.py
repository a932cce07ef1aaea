"""A directory search on passport figures shows, for each enterprise it finds, only the products
whose current passport version meets the thresholds: on the page, in the API and in the export,
in a number of queries that does not grow with the page."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.directory.passport_support import create
from tests.factories import EnterpriseFactory, MembershipFactory, ProductFactory


def supplier(name: str):
    """An enterprise with a low-carbon cell, a high-carbon cell, a cell whose older version was
    low-carbon but whose current one is not, and a cell with no passport."""
    enterprise = EnterpriseFactory(name_zh=name)
    clerk = MembershipFactory(enterprise=enterprise).user
    products = {}
    for label in ("clean", "dirty", "superseded", "undeclared"):
        product = ProductFactory(enterprise=enterprise, name=f"{name} {label}")
        product.clerk = clerk
        products[label] = product
    create(products["clean"], recycled_lithium_share=Decimal("15"))
    high = {
        "carbon_footprint_total": Decimal("90"),
        "carbon_footprint_raw_materials": Decimal("68.7"),
        "recycled_lithium_share": Decimal("3"),
    }
    create(products["dirty"], **high)
    create(products["superseded"])
    create(products["superseded"], **high)
    return enterprise, products


def names_in_api(answer) -> dict[str, set[str]]:
    return {
        row["uscc"]: {product["name"] for product in row["products"]}
        for row in answer.json()["results"]
    }


@pytest.mark.django_db
def test_the_api_lists_only_the_products_meeting_the_passport_thresholds():
    enterprise, products = supplier("甲")
    found = APIClient().get(reverse("api:enterprise-list"), {"carbon_footprint_max": "70"})
    assert names_in_api(found) == {enterprise.uscc: {products["clean"].name}}

    both = APIClient().get(
        reverse("api:enterprise-list"),
        {"carbon_footprint_max": "70", "recycled_lithium_min": "10"},
    )
    assert names_in_api(both) == {enterprise.uscc: {products["clean"].name}}

    unfiltered = APIClient().get(reverse("api:enterprise-list"))
    assert names_in_api(unfiltered)[enterprise.uscc] == {p.name for p in products.values()}


@pytest.mark.django_db
def test_the_search_page_shows_only_the_products_meeting_the_passport_thresholds(client):
    _enterprise, products = supplier("甲")
    page = client.get(reverse("directory:search"), {"recycled_lithium_min": "10"})
    assert page.status_code == 200
    text = page.content.decode()
    assert products["clean"].name in text
    for label in ("dirty", "superseded", "undeclared"):
        assert products[label].name not in text


@pytest.mark.django_db
def test_the_export_writes_only_the_products_meeting_the_passport_thresholds(client):
    _enterprise, products = supplier("甲")
    download = client.get(
        reverse("directory:export", kwargs={"fmt": "csv"}), {"carbon_footprint_max": "70"}
    )
    assert download.status_code == 200
    text = download.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    body = "\n".join(",".join(row) for row in rows[1:])
    assert products["clean"].name in body
    assert products["dirty"].name not in body
    assert products["superseded"].name not in body


def _queries(client_call) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = client_call()
    assert answer.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_narrowed_search_costs_the_same_queries_for_a_larger_page(client):
    params = {"carbon_footprint_max": "70", "recycled_lithium_min": "10"}
    supplier("甲")
    api_small = _queries(lambda: APIClient().get(reverse("api:enterprise-list"), params))
    page_small = _queries(lambda: client.get(reverse("directory:search"), params))
    for name in ("乙", "丙", "丁"):
        supplier(name)
    api_large = _queries(lambda: APIClient().get(reverse("api:enterprise-list"), params))
    page_large = _queries(lambda: client.get(reverse("directory:search"), params))
    assert api_large == api_small
    assert page_large == page_small
    assert api_large <= 8
