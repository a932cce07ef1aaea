"""Fixtures several alliance test modules share: member enterprises, logged-in clients."""

from decimal import Decimal

import pytest

from tests.factories import (
    AllianceMemberFactory,
    CertificationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
)


@pytest.fixture
def member_anchor(anchor):
    AllianceMemberFactory(enterprise=anchor)
    return anchor


@pytest.fixture
def member_sme(sme):
    """An SME of the alliance with a product that meets the demand below."""
    AllianceMemberFactory(enterprise=sme)
    ProductFactory(enterprise=sme, ionic_conductivity=0.0015, asr=20.0)
    return sme


@pytest.fixture
def as_anchor(api_client, anchor):
    api_client.force_login(anchor.owner)
    return api_client


@pytest.fixture
def as_sme(api_client, sme):
    api_client.force_login(sme.owner)
    return api_client


@pytest.fixture
def other_sme():
    """Another SME of the alliance, with its own administrator."""
    enterprise = EnterpriseFactory(kind="sme")
    AllianceMemberFactory(enterprise=enterprise)
    enterprise.owner = UserFactory(username="other-sme-owner")
    MembershipFactory(user=enterprise.owner, enterprise=enterprise, role="owner")
    return enterprise


@pytest.fixture
def anchor_member(anchor):
    AllianceMemberFactory(enterprise=anchor)
    return anchor


@pytest.fixture
def sme_member(sme):
    """An SME member with a sulfide electrolyte that beats the usual thresholds."""
    sme.annual_capacity = Decimal("80")
    sme.capacity_unit = "t"
    sme.save(update_fields=["annual_capacity", "capacity_unit"])
    ProductFactory(
        enterprise=sme,
        name="Li6PS5Cl powder",
        ionic_conductivity=0.003,
        specific_capacity=180,
        coulombic_efficiency=99.5,
    )
    CertificationFactory(enterprise=sme, scheme="ISO 9001")
    AllianceMemberFactory(enterprise=sme)
    return sme


@pytest.fixture
def official_client(client, official):
    client.force_login(official)
    return client
