"""Fixtures the talent tests share: the university whose registrar keeps its workspace."""

import pytest

from tests.factories import MembershipFactory, UniversityFactory, UserFactory


@pytest.fixture
def university(db):
    """A university with one staff login, "registrar", its owner."""
    university = UniversityFactory()
    university.staff = UserFactory(username="registrar")
    MembershipFactory(user=university.staff, enterprise=university, role="owner")
    return university
