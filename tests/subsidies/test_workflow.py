"""Every allowed and every refused move of the application workflow."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from subsidies.models import ApplicationStatus, ObjectionStatus, RecoveryStatus, Transition
from subsidies.services.transitions import transition_application
from subsidies.workflow import (
    APPLICANT,
    APPLICATION_WORKFLOW,
    OBJECTION_WORKFLOW,
    OFFICIAL,
    RECOVERY_WORKFLOW,
)
from tests.factories import ApplicationFactory

S = ApplicationStatus
ALL_MOVES = list(itertools.product(S.values, S.values))
#: The documented moves (see the diagram in subsidies.workflow) and the one role making each.
EXPECTED_ROLE = {
    (S.DRAFT, S.SUBMITTED): APPLICANT,
    (S.DRAFT, S.WITHDRAWN): APPLICANT,
    (S.RETURNED, S.SUBMITTED): APPLICANT,
    (S.RETURNED, S.WITHDRAWN): APPLICANT,
    (S.SUBMITTED, S.UNDER_REVIEW): OFFICIAL,
    (S.SUBMITTED, S.RETURNED): OFFICIAL,
    (S.SUBMITTED, S.REJECTED): OFFICIAL,
    (S.SUBMITTED, S.WITHDRAWN): APPLICANT,
    (S.UNDER_REVIEW, S.APPROVED): OFFICIAL,
    (S.UNDER_REVIEW, S.AWAITING_CONFIRMATION): OFFICIAL,
    (S.UNDER_REVIEW, S.RETURNED): OFFICIAL,
    (S.UNDER_REVIEW, S.REJECTED): OFFICIAL,
    (S.UNDER_REVIEW, S.WITHDRAWN): APPLICANT,
    (S.AWAITING_CONFIRMATION, S.APPROVED): OFFICIAL,
    (S.AWAITING_CONFIRMATION, S.UNDER_REVIEW): OFFICIAL,
    (S.APPROVED, S.IN_NOTICE): OFFICIAL,
    (S.IN_NOTICE, S.DISBURSED): OFFICIAL,
    (S.IN_NOTICE, S.UNDER_REVIEW): OFFICIAL,
    (S.REJECTED, S.APPEALED): APPLICANT,
    (S.APPEALED, S.UNDER_REVIEW): OFFICIAL,
    (S.APPEALED, S.REJECTED): OFFICIAL,
}
ALLOWED = [move for move in ALL_MOVES if move in EXPECTED_ROLE]
REFUSED = [move for move in ALL_MOVES if move not in EXPECTED_ROLE]


def test_the_table_names_every_state_and_only_known_roles():
    assert set(APPLICATION_WORKFLOW.moves) == set(S.values)
    roles = set().union(*(APPLICATION_WORKFLOW.roles_for(a, b) for a, b in ALL_MOVES))
    assert roles == {APPLICANT, OFFICIAL}


def test_nothing_follows_disbursed_or_withdrawn_and_approval_only_by_officials():
    assert APPLICATION_WORKFLOW.next_statuses(S.DISBURSED) == []
    assert APPLICATION_WORKFLOW.next_statuses(S.WITHDRAWN) == []
    assert APPLICATION_WORKFLOW.roles_for(S.UNDER_REVIEW, S.APPROVED) == {OFFICIAL}
    # always through the public notice
    assert APPLICATION_WORKFLOW.roles_for(S.APPROVED, S.DISBURSED) == set()


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_an_allowed_move_is_made_and_recorded(from_status, to_status, official):
    application = ApplicationFactory(status=from_status)
    role = EXPECTED_ROLE[(from_status, to_status)]
    transition_application(
        application, actor=official, to_status=to_status, role=role, note="because"
    )
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
        transition_application(application, actor=official, to_status=to_status, role=OFFICIAL)
    application.refresh_from_db()
    assert application.status == from_status
    assert not Transition.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_a_move_by_the_wrong_role_is_forbidden(from_status, to_status, official):
    application = ApplicationFactory(status=from_status)
    wrong = APPLICANT if EXPECTED_ROLE[(from_status, to_status)] == OFFICIAL else OFFICIAL
    with pytest.raises(PermissionDenied):
        transition_application(application, actor=official, to_status=to_status, role=wrong)
    application.refresh_from_db()
    assert application.status == from_status


# --- the tables as workflows of the kit ---------------------------------------------------


@pytest.mark.parametrize(("from_status", "to_status"), ALL_MOVES)
@pytest.mark.parametrize("role", [APPLICANT, OFFICIAL])
def test_the_workflow_allows_a_move_to_its_one_role(from_status, to_status, role):
    expected = EXPECTED_ROLE.get((from_status, to_status)) == role
    assert APPLICATION_WORKFLOW.allows(from_status, to_status, role) is expected


def test_the_workflow_refuses_with_the_application_message():
    with pytest.raises(ValidationError) as refused:
        APPLICATION_WORKFLOW.check(current=S.APPROVED, target=S.DISBURSED, roles=OFFICIAL)
    assert refused.value.messages == [
        f"An application that is “{S.APPROVED.label}” cannot become “{S.DISBURSED.label}”."
    ]


OBJ, REC = ObjectionStatus, RecoveryStatus
SMALL_TABLES = {
    "objection": (OBJECTION_WORKFLOW, {(OBJ.OPEN, OBJ.UPHELD), (OBJ.OPEN, OBJ.DISMISSED)}),
    "recovery": (
        RECOVERY_WORKFLOW,
        {
            (current, target)
            for current in (REC.OPEN, REC.PARTLY_REPAID)
            for target in (REC.PARTLY_REPAID, REC.REPAID, REC.WRITTEN_OFF)
        },
    ),
}


@pytest.mark.parametrize(
    ("name", "from_status", "to_status", "role"),
    [
        (name, current, target, role)
        for name, (workflow, _moves) in SMALL_TABLES.items()
        for current, target in itertools.product(workflow.statuses.values, repeat=2)
        for role in (APPLICANT, OFFICIAL)
    ],
)
def test_only_officials_resolve_objections_and_recoveries(name, from_status, to_status, role):
    workflow, moves = SMALL_TABLES[name]
    expected = role == OFFICIAL and (from_status, to_status) in moves
    assert workflow.allows(from_status, to_status, role) is expected


@pytest.mark.parametrize(
    ("workflow", "current", "target", "message"),
    [
        (
            OBJECTION_WORKFLOW,
            OBJ.DISMISSED,
            OBJ.UPHELD,
            "This objection has already been resolved.",
        ),
        (RECOVERY_WORKFLOW, REC.REPAID, REC.WRITTEN_OFF, "This recovery is closed."),
        (RECOVERY_WORKFLOW, REC.WRITTEN_OFF, REC.PARTLY_REPAID, "This recovery is closed."),
    ],
)
def test_a_closed_objection_or_recovery_says_so(workflow, current, target, message):
    with pytest.raises(ValidationError) as refused:
        workflow.check(current=current, target=target, roles=OFFICIAL)
    assert refused.value.messages == [message]
