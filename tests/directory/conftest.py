"""Fixtures several directory test modules share: a signed-up user who applies for an enterprise."""

from decimal import Decimal

import pytest

from directory.models import LocalContentShare
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
    make_uscc,
    outside_district,
)


@pytest.fixture
def applicant(db):
    return UserFactory(username="applicant")


@pytest.fixture
def seller(db):
    """A verified local supplier with one member (`seller.clerk`)."""
    enterprise = EnterpriseFactory(kind="sme")
    enterprise.clerk = MembershipFactory(enterprise=enterprise).user
    return enterprise


@pytest.fixture
def world(anchor):
    """Two buyers; a local, a remote and an unlisted supplier; a product with a share."""
    other = EnterpriseFactory(kind="anchor", name_zh="第二采购商")
    local = EnterpriseFactory(name_zh="本地电解质", categories=["sulfide-electrolyte"])
    remote = EnterpriseFactory(name_zh="外地电解质", district=outside_district())
    product = ProductFactory(enterprise=local)
    LocalContentShare.objects.create(product=product, share=Decimal("60"), valid_from="2025-07-01")
    return {
        "buyers": [anchor, other],
        "suppliers": [local.uscc, remote.uscc, make_uscc(999)],
        "local": local,
        "product": product,
    }


@pytest.fixture
def cell(db):
    """A product with a member (`cell.clerk`), for the battery-passport tests."""
    product = ProductFactory(name="280 Ah LFP cell")
    product.clerk = MembershipFactory(enterprise=product.enterprise).user
    return product
