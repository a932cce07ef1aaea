"""The public LCR figures are cached per language and change on the next request after a
write that changes them."""

import pytest
from django.urls import reverse

from directory.models import ListingStatus, PurchaseImportSource
from directory.purchases.services import purchase_lines_import
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

YEAR = 2026
CITY = reverse("lcr:city")
PROGRAMME = reverse("programme:dashboard")
API = reverse("api:lcr")


@pytest.fixture
def supplier(db):
    return EnterpriseFactory(name_zh="本地电解质", categories=["sulfide-electrolyte"])


def buy(buyer, supplier, amount: str, invoice: str = "INV-1") -> None:
    _import, outcome = purchase_lines_import(
        actor=None,
        buyer=buyer,
        raw_rows=[
            {
                "invoice_no": invoice,
                "line_no": 1,
                "invoice_date": f"{YEAR}-03-10",
                "supplier_uscc": supplier.uscc,
                "category": "sulfide-electrolyte",
                "amount": amount,
            }
        ],
        source=PurchaseImportSource.API,
    )
    assert outcome.ok, outcome.errors


def city_total(client) -> str:
    return client.get(API, {"year": YEAR}).json()["total_value"]


def test_an_import_changes_the_public_figures_on_the_next_request(client, anchor, supplier):
    buy(anchor, supplier, "1000.00")
    assert city_total(client) == "1000.00"
    assert city_total(client) == "1000.00"  # from the cache

    buy(anchor, supplier, "500.00", invoice="INV-2")

    assert city_total(client) == "1500.00"


def test_a_supplier_no_longer_verified_changes_the_cached_local_value(client, anchor, supplier):
    buy(anchor, supplier, "1000.00")
    assert client.get(API, {"year": YEAR}).json()["local_value"] == "1000.00"

    supplier.status = ListingStatus.RETURNED
    supplier.save()

    assert client.get(API, {"year": YEAR}).json()["local_value"] == "0.00"


def test_a_publication_shows_on_the_next_request(client, anchor, supplier, official):
    from directory.lcr.services import lcr_year_publish

    buy(anchor, supplier, "1000.00")
    assert client.get(API, {"year": YEAR}).json()["published"] is None

    lcr_year_publish(actor=official, year=YEAR)

    assert client.get(API, {"year": YEAR}).json()["published"]["lcr_percent"] == "100.00"


def test_a_cached_page_costs_one_lookup(client, anchor, supplier, django_assert_max_num_queries):
    buy(anchor, supplier, "1000.00")
    client.get(CITY, {"year": YEAR})
    # The figures' version in the shared cache; the figures from the process's memory.
    with django_assert_max_num_queries(1):
        response = client.get(CITY, {"year": YEAR})
    assert response.status_code == 200


def test_languages_do_not_leak_into_each_other(client, anchor, supplier):
    buy(anchor, supplier, "1000.00")
    english = client.get(PROGRAMME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(PROGRAMME, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    client.cookies["django_language"] = "en"
    english_again = client.get(PROGRAMME, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    aim_en = "Raise the share of components bought from local suppliers"
    aim_zh = "按主管部门设定的路径"
    assert aim_en in english and aim_zh not in english
    assert aim_zh in chinese and aim_en not in chinese
    assert aim_en in english_again and aim_zh not in english_again


def test_an_officials_page_does_not_serve_the_public_one(client, anchor, supplier, official):
    buy(anchor, supplier, "1000.00")
    public = client.get(PROGRAMME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.force_login(official)
    officials = client.get(reverse("programme:officials"), HTTP_ACCEPT_LANGUAGE="en")

    # The officials' section names the firm (its code beside its name); the public one not.
    assert anchor.uscc not in public
    assert anchor.uscc in officials.content.decode()
