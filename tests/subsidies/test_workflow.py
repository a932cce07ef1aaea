"""Every allowed and every refused move of the application workflow."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from subsidies.models import ApplicationStatus, Transition
from subsidies.services.transitions import _transition
from subsidies.workflow import APPLICANT, APPLICATION_TRANSITIONS, OFFICIAL, allowed_role
from tests.factories import ApplicationFactory

S = ApplicationStatus
ALL_MOVES = list(itertools.product(S.values, S.values))
ALLOWED = [(a, b) for a, b in ALL_MOVES if allowed_role(a, b)]
REFUSED = [(a, b) for a, b in ALL_MOVES if not allowed_role(a, b)]


def test_the_table_names_every_state_and_only_known_roles():
    assert set(APPLICATION_TRANSITIONS) == set(S.values)
    roles = {role for moves in APPLICATION_TRANSITIONS.values() for role in moves.values()}
    assert roles == {APPLICANT, OFFICIAL}


def test_nothing_follows_disbursed_or_withdrawn_and_approval_only_by_officials():
    assert APPLICATION_TRANSITIONS[S.DISBURSED] == {}
    assert APPLICATION_TRANSITIONS[S.WITHDRAWN] == {}
    assert allowed_role(S.UNDER_REVIEW, S.APPROVED) == OFFICIAL
    assert allowed_role(S.APPROVED, S.DISBURSED) is None  # always through the public notice


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_an_allowed_move_is_made_and_recorded(from_status, to_status, official):
    application = ApplicationFactory(status=from_status)
    role = allowed_role(from_status, to_status)
    _transition(application, actor=official, to_status=to_status, role=role, note="because")
    application.refresh_from_db()
    assert application.status == to_status
    record = Transition.objects.get(application=application)
    assert (record.actor, record.from_status, record.to_status, record.note) == (
        official,
        from_status,
        to_status,
        "because",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_a_refused_move_changes_nothing(from_status, to_status, official):
    application = ApplicationFactory(status=from_status)
    with pytest.raises(ValidationError):
        _transition(application, actor=official, to_status=to_status, role=OFFICIAL)
    application.refresh_from_db()
    assert application.status == from_status
    assert not Transition.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_a_move_by_the_wrong_role_is_forbidden(from_status, to_status, official):
    application = ApplicationFactory(status=from_status)
    wrong = APPLICANT if allowed_role(from_status, to_status) == OFFICIAL else OFFICIAL
    with pytest.raises(PermissionDenied):
        _transition(application, actor=official, to_status=to_status, role=wrong)
    application.refresh_from_db()
    assert application.status == from_status
