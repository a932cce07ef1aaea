"""Products, certifications and reference data in the directory API."""

import datetime

import pytest
from django.utils import timezone

from directory.models import (
    Certification,
    District,
    ListingStatus,
    Product,
    StatusChange,
    SupplyCategory,
)
from tests.directory.api_support import (
    certifications_url,
    member_of,
    product_url,
    products_url,
    search,
    yesterday,
)
from tests.factories import CertificationFactory, EnterpriseFactory, ProductFactory

pytestmark = pytest.mark.django_db


# --- products ------------------------------------------------------------------------------


def test_public_product_list_shows_verified_products(api_client):
    enterprise = EnterpriseFactory()
    verified = ProductFactory(enterprise=enterprise, pending_changes={"name": "secret"})
    ProductFactory(enterprise=enterprise, status=ListingStatus.PENDING)

    response = api_client.get(products_url(enterprise))

    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == verified.pk
    assert item["status"] == "verified"
    assert item["pending_changes"] is None
    assert api_client.get(product_url(verified)).json()["name"] == verified.name


def test_unverified_products_and_enterprises_are_not_public(api_client):
    enterprise = EnterpriseFactory()
    pending = ProductFactory(enterprise=enterprise, status=ListingStatus.PENDING)
    unlisted = EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)
    product_of_unlisted = ProductFactory(enterprise=unlisted)

    assert api_client.get(product_url(pending)).status_code == 404
    assert api_client.get(products_url(unlisted)).status_code == 404
    assert api_client.get(product_url(product_of_unlisted)).status_code == 404


def test_members_see_all_their_products(api_client):
    enterprise = EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)
    pending = ProductFactory(enterprise=enterprise, status=ListingStatus.PENDING)
    api_client.force_authenticate(member_of(enterprise))

    [item] = api_client.get(products_url(enterprise)).json()

    assert item["id"] == pending.pk
    assert item["status"] == "pending"
    assert api_client.get(product_url(pending)).status_code == 200


def test_add_a_product(api_client):
    enterprise = EnterpriseFactory()
    api_client.force_authenticate(member_of(enterprise))

    response = api_client.post(
        products_url(enterprise),
        {
            "name": "Li6PS5Cl",
            "category": "sulfide-electrolyte",
            "ionic_conductivity": 0.012,
            "asr": 9,
            "coulombic_efficiency": 99.7,
            "coulombic_efficiency_cycles": 300,
            "price": "980.5",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["category"] == "sulfide-electrolyte"
    assert body["price"] == "980.50"
    assert body["specific_capacity"] is None
    product = Product.objects.get(pk=body["id"])
    assert product.enterprise == enterprise
    assert product.status == ListingStatus.PENDING
    # Not public until verified.
    api_client.force_authenticate(None)
    assert api_client.get(products_url(enterprise)).json() == []
    assert search(api_client, ionic_conductivity_min="0.01") == []


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"ionic_conductivity": -0.1}, "ionic_conductivity"),
        ({"asr": -1}, "asr"),
        ({"specific_capacity": -1}, "specific_capacity"),
        ({"decay_rate": 100.5}, "decay_rate"),
        ({"coulombic_efficiency": 101}, "coulombic_efficiency"),
        ({"weight_reduction": 120}, "weight_reduction"),
        ({"weight_reduction": -1}, "weight_reduction"),
        ({"price": "-3"}, "price"),
        ({"ionic_conductivity": "NaN"}, "ionic_conductivity"),
        ({"asr": "Infinity"}, "asr"),
        ({"coulombic_efficiency_cycles": -1}, "coulombic_efficiency_cycles"),
        ({"category": "unobtainium"}, "category"),
        ({"name": ""}, "name"),
    ],
)
def test_product_errors_are_keyed_by_field(api_client, data, key):
    enterprise = EnterpriseFactory()
    api_client.force_authenticate(member_of(enterprise))
    valid = {"name": "Powder", "category": "sulfide-electrolyte"}

    response = api_client.post(products_url(enterprise), {**valid, **data}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [key]
    assert not Product.objects.exists()


def test_product_edit_errors_are_keyed_by_field(api_client):
    product = ProductFactory(status=ListingStatus.PENDING)
    api_client.force_authenticate(member_of(product.enterprise))

    response = api_client.patch(product_url(product), {"coulombic_efficiency": 100.1})

    assert response.status_code == 400
    assert list(response.json()) == ["coulombic_efficiency"]


def test_editing_a_verified_product_waits_for_verification(api_client):
    product = ProductFactory(ionic_conductivity=0.01)
    api_client.force_authenticate(member_of(product.enterprise))

    response = api_client.patch(
        product_url(product),
        {"ionic_conductivity": 0.02, "category": "oxide-electrolyte", "price": "10.5"},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ionic_conductivity"] == 0.01
    assert body["pending_changes"] == {
        "ionic_conductivity": 0.02,
        "category": "oxide-electrolyte",
        "price": "10.50",
    }
    product.refresh_from_db()
    assert product.ionic_conductivity == 0.01


def test_editing_a_pending_product_is_live(api_client):
    product = ProductFactory(status=ListingStatus.PENDING, asr=20)
    api_client.force_authenticate(member_of(product.enterprise))

    response = api_client.patch(product_url(product), {"asr": 12.5}, format="json")

    assert response.status_code == 200
    assert response.json()["asr"] == 12.5
    assert response.json()["pending_changes"] is None
    product.refresh_from_db()
    assert product.asr == 12.5


def test_remove_a_product(api_client):
    product = ProductFactory()
    api_client.force_authenticate(member_of(product.enterprise))

    response = api_client.delete(product_url(product))

    assert response.status_code == 204
    assert not Product.objects.filter(pk=product.pk).exists()
    assert StatusChange.objects.filter(enterprise=product.enterprise, to_status="deleted").exists()


# --- certifications ------------------------------------------------------------------------


def test_add_and_remove_a_certification(api_client):
    enterprise = EnterpriseFactory()
    api_client.force_authenticate(member_of(enterprise))
    valid_until = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()

    response = api_client.post(
        certifications_url(enterprise),
        {"scheme": "IATF 16949", "number": "0412345", "issuer": "TÜV", "valid_until": valid_until},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["scheme"] == "IATF 16949"
    assert body["is_valid"] is True
    assert search(api_client, certification="IATF 16949") == [enterprise.uscc]

    response = api_client.delete(f"{certifications_url(enterprise)}{body['id']}/")

    assert response.status_code == 204
    assert not Certification.objects.exists()
    assert search(api_client, certification="IATF 16949") == []


def test_members_see_expired_certifications_the_public_does_not(api_client):
    enterprise = EnterpriseFactory()
    expired = CertificationFactory(enterprise=enterprise, valid_until=yesterday())
    valid = CertificationFactory(enterprise=enterprise, scheme="ISO 14001")

    public = api_client.get(certifications_url(enterprise)).json()
    api_client.force_authenticate(member_of(enterprise))
    own = api_client.get(certifications_url(enterprise)).json()

    assert [item["id"] for item in public] == [valid.pk]
    assert {item["id"]: item["is_valid"] for item in own} == {expired.pk: False, valid.pk: True}


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"scheme": "ISO 0000"}, "scheme"),
        ({"number": ""}, "number"),
        ({"valid_until": "someday"}, "valid_until"),
    ],
)
def test_certification_errors_are_keyed_by_field(api_client, data, key):
    enterprise = EnterpriseFactory()
    api_client.force_authenticate(member_of(enterprise))
    valid = {"scheme": "ISO 9001", "number": "Q-1", "valid_until": "2030-01-01"}

    response = api_client.post(certifications_url(enterprise), {**valid, **data}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [key]


def test_the_same_certificate_cannot_be_added_twice(api_client):
    enterprise = EnterpriseFactory()
    CertificationFactory(enterprise=enterprise, scheme="ISO 9001", number="Q-1")
    api_client.force_authenticate(member_of(enterprise))

    response = api_client.post(
        certifications_url(enterprise),
        {"scheme": "ISO 9001", "number": "Q-1", "valid_until": "2030-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert Certification.objects.count() == 1


# --- reference data ------------------------------------------------------------------------


def test_categories_are_a_two_level_tree(api_client):
    response = api_client.get("/api/v1/categories/")

    assert response.status_code == 200
    tree = response.json()
    top = {node["slug"]: node for node in tree}
    assert len(top) == SupplyCategory.objects.filter(parent__isnull=True).count()
    electrolytes = top["solid-electrolyte"]
    assert electrolytes["name_zh"] == "固态电解质"
    assert electrolytes["name_en"] == "Solid electrolytes"
    assert [child["slug"] for child in electrolytes["children"]] == [
        "sulfide-electrolyte",
        "oxide-electrolyte",
        "polymer-electrolyte",
        "halide-electrolyte",
    ]
    assert all(set(child) == {"slug", "name_zh", "name_en"} for child in electrolytes["children"])


def test_districts(api_client):
    response = api_client.get("/api/v1/districts/")

    assert response.status_code == 200
    districts = {item["code"]: item for item in response.json()}
    assert len(districts) == District.objects.count()
    assert districts["hitech"]["is_local"] is True
    assert districts["abroad"]["is_local"] is False
    assert districts["donghu"]["name_zh"] == "东湖区"
    assert districts["donghu"]["name_en"] == "Donghu District"


@pytest.mark.django_db
def test_members_declare_a_local_content_share_that_waits_for_verification(
    api_client, sme, official
):
    product = ProductFactory(enterprise=sme)
    api_client.force_authenticate(sme.owner)
    url = product_url(product)

    refused = api_client.patch(url, {"local_content_share": "130"}, format="json")
    assert refused.status_code == 400
    assert "local_content_share" in refused.json()

    accepted = api_client.patch(url, {"local_content_share": "30"}, format="json")
    assert accepted.status_code == 200
    product.refresh_from_db()
    # A verified product keeps its verified share until an official accepts the change.
    assert product.local_content_share is None
    assert product.pending_changes == {"local_content_share": "30.00"}
