"""Fixtures several directory test modules share: a signed-up user who applies for an enterprise."""

import pytest

from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory


@pytest.fixture
def applicant(db):
    return UserFactory(username="applicant")


@pytest.fixture
def seller(db):
    """A verified local supplier with one member (`seller.clerk`)."""
    enterprise = EnterpriseFactory(kind="sme")
    enterprise.clerk = MembershipFactory(enterprise=enterprise).user
    return enterprise
