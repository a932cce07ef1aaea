"""Fixtures several directory test modules share: a signed-up user who applies for an enterprise."""

import pytest

from tests.factories import UserFactory


@pytest.fixture
def applicant(db):
    return UserFactory(username="applicant")
