"""Products and their technical specifications: validated by the service, guarded by the
database.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from directory.models import Enterprise, ListingStatus, Product
from directory.services.products import (
    product_create,
    product_return,
    product_update,
    product_verify,
)
from tests.directory.services_support import PENDING, VERIFIED, category
from tests.factories import EnterpriseFactory, ProductFactory, local_district

pytestmark = pytest.mark.django_db


RETURNED = ListingStatus.RETURNED


# --- products -------------------------------------------------------------------------------


def product_data(**overrides) -> dict:
    return {
        "name": "Li6PS5Cl argyrodite powder, D50 5 µm",
        "category": category("sulfide-electrolyte"),
        "ionic_conductivity": 3.2e-3,
        "asr": 8.5,
        "price": Decimal("1850.00"),
        **overrides,
    }


def test_product_is_created_pending_and_recorded(sme):
    product = product_create(actor=sme.owner, enterprise=sme, data=product_data())
    product.refresh_from_db()
    assert product.status == PENDING
    assert product.ionic_conductivity == pytest.approx(3.2e-3)
    change = product.status_changes.get()
    assert (change.enterprise, change.actor) == (sme, sme.owner)
    assert (change.from_status, change.to_status) == ("", PENDING)


def test_non_member_cannot_add_a_product(sme, applicant):
    with pytest.raises(PermissionDenied):
        product_create(actor=applicant, enterprise=sme, data=product_data())
    assert not Product.objects.exists()


def test_product_edit_of_a_verified_product_waits_then_is_verified(sme, official):
    product = ProductFactory(enterprise=sme, ionic_conductivity=1.0e-3)

    product_update(
        actor=sme.owner, product=product, data={"ionic_conductivity": 2.4e-3, "asr": 6.0}
    )
    stored = Product.objects.get(pk=product.pk)
    assert (stored.ionic_conductivity, stored.asr) == (pytest.approx(1.0e-3), None)
    assert stored.pending_changes == {"ionic_conductivity": 2.4e-3, "asr": 6.0}
    assert stored.status == VERIFIED

    product_verify(actor=official, product=stored)
    stored.refresh_from_db()
    assert (stored.ionic_conductivity, stored.asr) == (pytest.approx(2.4e-3), 6.0)
    assert stored.pending_changes is None
    change = stored.status_changes.first()
    assert (change.actor, change.from_status, change.to_status) == (official, VERIFIED, VERIFIED)


def test_product_edit_returned_is_discarded(sme, official):
    product = ProductFactory(enterprise=sme, price=Decimal("1000.00"))
    product_update(actor=sme.owner, product=product, data={"price": Decimal("900.00")})

    product_return(actor=official, product=product, reason="Price without VAT?")

    stored = Product.objects.get(pk=product.pk)
    assert (stored.status, stored.price, stored.pending_changes) == (
        VERIFIED,
        Decimal("1000.00"),
        None,
    )
    assert "Price without VAT?" in stored.status_changes.first().reason


def test_product_edit_of_a_pending_product_applies_at_once(sme):
    product = ProductFactory(enterprise=sme, status=PENDING)
    product_update(actor=sme.owner, product=product, data={"decay_rate": 0.02})
    stored = Product.objects.get(pk=product.pk)
    assert (stored.decay_rate, stored.pending_changes) == (0.02, None)


# --- specifications: validated by the service and guarded by the database ------------------


SPEC_VIOLATIONS = [
    pytest.param("ionic_conductivity", -1e-4, id="negative-conductivity"),
    pytest.param("asr", -0.5, id="negative-asr"),
    pytest.param("specific_capacity", -10.0, id="negative-capacity"),
    pytest.param("decay_rate", 100.5, id="decay-above-100-percent"),
    pytest.param("decay_rate", -0.01, id="negative-decay"),
    pytest.param("coulombic_efficiency", 100.01, id="coulombic-efficiency-above-100-percent"),
    pytest.param("weight_reduction", 150.0, id="weight-reduction-above-100-percent"),
    pytest.param("price", Decimal("-1.00"), id="negative-price"),
]


@pytest.mark.parametrize(("field", "value"), SPEC_VIOLATIONS)
def test_spec_out_of_range_is_refused_naming_the_field(sme, field, value):
    with pytest.raises(ValidationError) as caught:
        product_create(actor=sme.owner, enterprise=sme, data=product_data(**{field: value}))
    assert field in caught.value.message_dict
    assert not Product.objects.exists()


@pytest.mark.parametrize(("field", "value"), SPEC_VIOLATIONS)
def test_spec_out_of_range_in_an_edit_is_refused_naming_the_field(sme, field, value):
    product = ProductFactory(enterprise=sme)
    with pytest.raises(ValidationError) as caught:
        product_update(actor=sme.owner, product=product, data={field: value})
    assert field in caught.value.message_dict
    assert Product.objects.get(pk=product.pk).pending_changes is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("decay_rate", 0.0), ("decay_rate", 100.0), ("coulombic_efficiency", 100.0)],
)
def test_percent_bounds_are_inclusive(sme, field, value):
    product_create(actor=sme.owner, enterprise=sme, data=product_data(**{field: value}))


@pytest.mark.parametrize(("field", "value"), SPEC_VIOLATIONS)
def test_database_rejects_out_of_range_specs_without_full_clean(sme, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(
            enterprise=sme, name="bypass", category=category("oxide-electrolyte"), **{field: value}
        )


def test_database_rejects_negative_capacity_without_full_clean(sme):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.filter(pk=sme.pk).update(annual_capacity=Decimal("-5"))


@pytest.mark.parametrize("status", [PENDING, RETURNED])
def test_database_rejects_a_recommended_unverified_enterprise(status):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseFactory(status=status, recommended=True)


def test_database_rejects_a_duplicate_uscc_without_full_clean(sme):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(
            uscc=sme.uscc, name_zh="重复", kind="sme", district=local_district()
        )
