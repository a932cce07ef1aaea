"""The alliance's workflows: every allowed and every refused move, by every role, with the
message a refused move gives."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.models import (
    CollaborationStatus,
    DemandStatus,
    MeetingStatus,
    MemberStatus,
    ParticipationStatus,
    ResponseStatus,
)
from alliance.workflow import (
    APPLICANT,
    COLLABORATION_WORKFLOW,
    DEMAND_WORKFLOW,
    INVITEE,
    MEETING_WORKFLOW,
    MEMBER_WORKFLOW,
    OFFICIAL,
    OWNER,
    PARTICIPATION_WORKFLOW,
    PARTY,
    RESPONSE_WORKFLOW,
    SUPPLIER,
)

ROLES = (OFFICIAL, APPLICANT, OWNER, SUPPLIER, INVITEE, PARTY)
M, R, D = MemberStatus, ResponseStatus, DemandStatus

EXPECTED = {
    "member": (
        MEMBER_WORKFLOW,
        {
            (M.APPLIED, M.APPROVED): OFFICIAL,
            (M.APPLIED, M.DECLINED): OFFICIAL,
            (M.DECLINED, M.APPLIED): APPLICANT,
        },
    ),
    "response": (
        RESPONSE_WORKFLOW,
        {
            (R.INTERESTED, R.SHORTLISTED): OWNER,
            (R.INTERESTED, R.INVITED): OWNER,
            (R.INTERESTED, R.DECLINED): OWNER,
            (R.SHORTLISTED, R.INVITED): OWNER,
            (R.SHORTLISTED, R.DECLINED): OWNER,
            (R.INVITED, R.ACCEPTED): SUPPLIER,
            (R.INVITED, R.DECLINED): SUPPLIER,
        },
    ),
    "demand": (
        DEMAND_WORKFLOW,
        {(D.OPEN, D.MATCHED): OWNER, (D.OPEN, D.CLOSED): OWNER, (D.MATCHED, D.CLOSED): OWNER},
    ),
    "meeting": (
        MEETING_WORKFLOW,
        {
            (MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED): INVITEE,
            (MeetingStatus.PROPOSED, MeetingStatus.DECLINED): INVITEE,
        },
    ),
    "collaboration": (
        COLLABORATION_WORKFLOW,
        {
            (CollaborationStatus.ACTIVE, CollaborationStatus.COMPLETED): PARTY,
            (CollaborationStatus.ACTIVE, CollaborationStatus.TERMINATED): PARTY,
        },
    ),
    "participation": (
        PARTICIPATION_WORKFLOW,
        {
            (ParticipationStatus.PENDING, ParticipationStatus.CONFIRMED): OFFICIAL,
            (ParticipationStatus.PENDING, ParticipationStatus.REJECTED): OFFICIAL,
        },
    ),
}

EVERY_MOVE = [
    pytest.param(name, current, target, role, id=f"{name}-{current}-{target}-by-{role}")
    for name, (workflow, _moves) in EXPECTED.items()
    for current, target in itertools.product(workflow.statuses.values, repeat=2)
    for role in ROLES
]


@pytest.mark.parametrize(("name", "current", "target", "role"), EVERY_MOVE)
def test_each_table_allows_exactly_the_documented_moves(name, current, target, role):
    workflow, moves = EXPECTED[name]
    assert workflow.allows(current, target, role) is (moves.get((current, target)) == role)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_table_knows_every_status(name):
    workflow, _moves = EXPECTED[name]
    assert set(workflow.moves) == set(workflow.statuses.values)


@pytest.mark.parametrize(
    ("workflow", "name"),
    [
        (MEMBER_WORKFLOW, "member"),
        (RESPONSE_WORKFLOW, "response"),
        (DEMAND_WORKFLOW, "demand"),
    ],
)
def test_each_move_the_services_make_belongs_to_its_one_documented_role(workflow, name):
    expected_workflow, moves = EXPECTED[name]
    assert workflow is expected_workflow
    for current, target in itertools.product(workflow.statuses.values, repeat=2):
        move = (current, target)
        expected = {moves[move]} if move in moves else set()
        assert workflow.roles_for(current, target) == expected


@pytest.mark.parametrize(
    ("workflow", "current", "target", "message"),
    [
        pytest.param(MEMBER_WORKFLOW, M.APPROVED, M.DECLINED,
                     "“Member” cannot become “Declined”.", id="member-declined-after-approval"),
        pytest.param(RESPONSE_WORKFLOW, R.ACCEPTED, R.DECLINED,
                     "“Invitation accepted” cannot become “Declined”.",
                     id="response-declined-after-acceptance"),
        pytest.param(DEMAND_WORKFLOW, D.CLOSED, D.CLOSED,
                     "“Closed” cannot become “Closed”.",
                     id="demand-closed-twice"),
        pytest.param(MEETING_WORKFLOW, MeetingStatus.DECLINED, MeetingStatus.ACCEPTED,
                     "This meeting request has been answered already.",
                     id="meeting-answered-twice"),
        pytest.param(COLLABORATION_WORKFLOW, CollaborationStatus.TERMINATED,
                     CollaborationStatus.COMPLETED, "This collaboration is already closed.",
                     id="collaboration-closed-twice"),
        pytest.param(PARTICIPATION_WORKFLOW, ParticipationStatus.REJECTED,
                     ParticipationStatus.CONFIRMED, "This participation has been decided already.",
                     id="participation-decided-twice"),
    ],
)  # fmt: skip
def test_a_move_the_table_lacks_is_refused_with_its_message(workflow, current, target, message):
    with pytest.raises(ValidationError) as refused:
        workflow.check(current=current, target=target, roles=ROLES)
    assert refused.value.messages == [message]


@pytest.mark.parametrize(
    ("workflow", "current", "target", "role"),
    [
        pytest.param(MEMBER_WORKFLOW, M.APPLIED, M.APPROVED, APPLICANT, id="applicant-approving"),
        pytest.param(MEMBER_WORKFLOW, M.DECLINED, M.APPLIED, OFFICIAL, id="official-reapplying"),
        pytest.param(RESPONSE_WORKFLOW, R.INVITED, R.ACCEPTED, OWNER, id="owner-accepting"),
        pytest.param(RESPONSE_WORKFLOW, R.INTERESTED, R.INVITED, SUPPLIER, id="supplier-inviting"),
        pytest.param(DEMAND_WORKFLOW, D.OPEN, D.CLOSED, SUPPLIER, id="supplier-closing-a-demand"),
        pytest.param(MEETING_WORKFLOW, MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED, OWNER,
                     id="proposer-accepting"),
        pytest.param(COLLABORATION_WORKFLOW, CollaborationStatus.ACTIVE,
                     CollaborationStatus.TERMINATED, OFFICIAL, id="outsider-terminating"),
        pytest.param(PARTICIPATION_WORKFLOW, ParticipationStatus.PENDING,
                     ParticipationStatus.CONFIRMED, APPLICANT, id="member-confirming-itself"),
    ],
)  # fmt: skip
def test_a_move_by_another_role_is_forbidden(workflow, current, target, role):
    with pytest.raises(PermissionDenied, match="You may not make this change."):
        workflow.check(current=current, target=target, roles=role)
