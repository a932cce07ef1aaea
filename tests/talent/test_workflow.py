"""The talent workflows: every allowed and a sample of refused moves, by the table and through
the services.

An allowed move changes the status and keeps one TalentEvent; a refused move raises,
changes nothing and keeps nothing.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from talent import services
from talent.models import (
    Internship,
    InternshipStatus,
    ScholarshipApplication,
    ScholarshipStatus,
    TalentEvent,
)
from talent.views.internships import internship_rows
from talent.workflow import (
    HOST,
    INTERNSHIP_WORKFLOW,
    OFFICIAL,
    SCHOLARSHIP_WORKFLOW,
    STUDENT,
    UNIVERSITY,
)
from tests.factories import (
    MembershipFactory,
    ScholarshipFundFactory,
    StudentFactory,
    UniversityFactory,
    UserFactory,
)

IS = InternshipStatus
SS = ScholarshipStatus
ROLES = (HOST, UNIVERSITY, STUDENT, OFFICIAL)


# --- the tables -------------------------------------------------------------------------------


INTERNSHIP_MOVES = {
    (IS.OFFERED, IS.ONGOING): {HOST},
    (IS.OFFERED, IS.CANCELLED): {HOST, UNIVERSITY},
    (IS.ONGOING, IS.COMPLETED): {HOST, UNIVERSITY},
    (IS.ONGOING, IS.CANCELLED): {HOST, UNIVERSITY},
}

SCHOLARSHIP_MOVES = {
    (SS.SUBMITTED, SS.AWARDED): {OFFICIAL},
    (SS.SUBMITTED, SS.NOT_AWARDED): {OFFICIAL},
    (SS.SUBMITTED, SS.WITHDRAWN): {STUDENT},
}


@pytest.mark.parametrize(
    ("current", "target", "role"), list(itertools.product(IS.values, IS.values, ROLES))
)
def test_the_internship_table_allows_exactly_the_documented_moves(current, target, role):
    expected = role in INTERNSHIP_MOVES.get((current, target), set())
    assert INTERNSHIP_WORKFLOW.allows(current, target, role) is expected


@pytest.mark.parametrize(
    ("current", "target", "role"), list(itertools.product(SS.values, SS.values, ROLES))
)
def test_the_scholarship_table_allows_exactly_the_documented_moves(current, target, role):
    expected = role in SCHOLARSHIP_MOVES.get((current, target), set())
    assert SCHOLARSHIP_WORKFLOW.allows(current, target, role) is expected


@pytest.mark.parametrize("workflow", [INTERNSHIP_WORKFLOW, SCHOLARSHIP_WORKFLOW])
def test_each_table_knows_every_status(workflow):
    assert set(workflow.moves) == set(workflow.statuses.values)


@pytest.mark.parametrize("side", ["host", "university"])
def test_the_pages_offer_the_internship_moves_the_table_lists(side):
    rows = internship_rows([Internship(status=status) for status in IS.values], side)
    for row in rows:
        moves = INTERNSHIP_WORKFLOW.next_statuses(row.internship.status)
        assert row.can_confirm is (side == "host" and IS.ONGOING in moves)
        assert row.can_complete is (IS.COMPLETED in moves)
        assert row.can_cancel is (IS.CANCELLED in moves)
    assert [row.can_confirm for row in rows] == [
        side == "host" and status == IS.OFFERED for status in IS.values
    ]
    assert [row.can_cancel for row in rows] == [
        status in (IS.OFFERED, IS.ONGOING) for status in IS.values
    ]


# --- internships through the service ----------------------------------------------------------


@pytest.fixture
def sides(db, anchor):
    """An internship's host (the anchor) and the student's university, each with a member."""
    university = UniversityFactory()
    staff = UserFactory(username="registrar")
    MembershipFactory(user=staff, enterprise=university, role="owner")
    student = StudentFactory(university=university)
    return {"student": student, "enterprise": anchor, HOST: anchor.owner, UNIVERSITY: staff}


def internship_at(sides, status: str) -> Internship:
    today = timezone.localdate()
    return Internship.objects.create(
        student=sides["student"],
        host=sides["enterprise"],
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=30),
        status=status,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("current", "target", "role"),
    [
        (current, target, role)
        for (current, target), roles in INTERNSHIP_MOVES.items()
        for role in sorted(roles)
    ],
)
def test_an_allowed_internship_move_is_made_and_kept(sides, current, target, role):
    internship = internship_at(sides, current)

    moved = services.internship_move(
        actor=sides[role], internship=internship, to_status=target, outcome="not_hired"
    )

    internship.refresh_from_db()
    assert moved.status == internship.status == target
    event = TalentEvent.objects.get(subject_type="internship", subject_id=internship.pk)
    assert (event.actor, event.action) == (sides[role], f"internship_{target}")
    assert (internship.host_confirmed_at is not None) is (target == IS.ONGOING)
    assert internship.outcome == ("not_hired" if target == IS.COMPLETED else "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("current", "target", "role", "error", "message"),
    [
        pytest.param(IS.OFFERED, IS.ONGOING, UNIVERSITY, PermissionDenied,
                     "The host enterprise confirms the internship.",
                     id="university-confirming"),
        pytest.param(IS.OFFERED, IS.COMPLETED, HOST, ValidationError,
                     "An internship that is “Offered” cannot become “Completed”.",
                     id="completing-before-confirmation"),
        pytest.param(IS.ONGOING, IS.OFFERED, HOST, ValidationError,
                     "An internship that is “Ongoing” cannot become “Offered”.",
                     id="back-to-offered"),
        pytest.param(IS.ONGOING, IS.ONGOING, HOST, ValidationError,
                     "An internship that is “Ongoing” cannot become “Ongoing”.",
                     id="confirming-twice"),
        pytest.param(IS.COMPLETED, IS.CANCELLED, UNIVERSITY, ValidationError,
                     "An internship that is “Completed” cannot become “Cancelled”.",
                     id="cancelling-a-completed-one"),
        pytest.param(IS.CANCELLED, IS.ONGOING, HOST, ValidationError,
                     "An internship that is “Cancelled” cannot become “Ongoing”.",
                     id="reviving-a-cancelled-one"),
    ],
)  # fmt: skip
def test_a_refused_internship_move_changes_and_keeps_nothing(
    sides, current, target, role, error, message
):
    internship = internship_at(sides, current)

    with pytest.raises(error) as refused:
        services.internship_move(
            actor=sides[role], internship=internship, to_status=target, outcome="not_hired"
        )

    messages = getattr(refused.value, "messages", None) or [str(refused.value)]
    assert messages == [message]
    internship.refresh_from_db()
    assert (internship.status, internship.outcome) == (current, "")
    assert not TalentEvent.objects.exists()


@pytest.mark.django_db
def test_the_table_refuses_a_move_before_its_outcome_is_asked(sides):
    internship = internship_at(sides, IS.OFFERED)
    with pytest.raises(ValidationError, match="cannot become"):
        services.internship_move(actor=sides[HOST], internship=internship, to_status=IS.COMPLETED)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "outcome", "error"),
    [
        pytest.param(HOST, "", ValidationError, id="without-an-outcome"),
        pytest.param(UNIVERSITY, "hired", PermissionDenied, id="hire-claimed-by-the-university"),
    ],
)
def test_completing_needs_more_than_the_table(sides, role, outcome, error):
    internship = internship_at(sides, IS.ONGOING)
    with pytest.raises(error):
        services.internship_move(
            actor=sides[role], internship=internship, to_status=IS.COMPLETED, outcome=outcome
        )
    internship.refresh_from_db()
    assert (internship.status, internship.outcome) == (IS.ONGOING, "")
    assert not TalentEvent.objects.exists()


# --- scholarship applications through the services --------------------------------------------


@pytest.fixture
def applicant(db):
    student = StudentFactory()
    student.user = UserFactory(username="student")
    student.save(update_fields=["user"])
    return student


def application_at(student, status: str) -> ScholarshipApplication:
    return ScholarshipApplication.objects.create(
        fund=ScholarshipFundFactory(),
        student=student,
        degree="master",
        field="Electrochemistry",
        grade_average=Decimal("91.5"),
        statement="I work on sulfide electrolytes.",
        status=status,
    )


def withdraw(actor, application):
    services.scholarship_withdraw(actor=actor, application=application)


def award(actor, application):
    services.scholarship_review(actor=actor, application=application, score=90)
    services.scholarships_award(
        actor=actor, fund=application.fund, application_ids=[application.pk]
    )


def close(actor, application):
    services.scholarships_close(actor=actor, fund=application.fund)


SCHOLARSHIP_ACTIONS = {
    (SS.SUBMITTED, SS.WITHDRAWN): (withdraw, "scholarship_withdrawn", "scholarshipapplication"),
    (SS.SUBMITTED, SS.AWARDED): (award, "scholarship_awarded", "scholarshipapplication"),
    (SS.SUBMITTED, SS.NOT_AWARDED): (close, "scholarships_closed", "scholarshipfund"),
}


def test_every_scholarship_move_has_its_action():
    assert set(SCHOLARSHIP_ACTIONS) == set(SCHOLARSHIP_MOVES)


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "target"), list(SCHOLARSHIP_MOVES))
def test_an_allowed_scholarship_move_is_made_and_kept(applicant, official, current, target):
    application = application_at(applicant, current)
    action, kept_as, subject_type = SCHOLARSHIP_ACTIONS[current, target]
    actor = applicant.user if SCHOLARSHIP_MOVES[current, target] == {STUDENT} else official

    action(actor, application)

    application.refresh_from_db()
    assert application.status == target
    assert (application.decided_by is not None) is (target != SS.WITHDRAWN)
    event = TalentEvent.objects.get(action=kept_as)
    assert (event.actor, event.subject_type) == (actor, subject_type)


@pytest.mark.django_db
@pytest.mark.parametrize("current", [SS.AWARDED, SS.NOT_AWARDED, SS.WITHDRAWN])
def test_only_an_application_awaiting_a_decision_is_withdrawn(applicant, current):
    application = application_at(applicant, current)

    with pytest.raises(ValidationError) as refused:
        withdraw(applicant.user, application)

    assert refused.value.messages == ["Only an application awaiting a decision can be withdrawn."]
    application.refresh_from_db()
    assert application.status == current
    assert not TalentEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("current", [SS.NOT_AWARDED, SS.WITHDRAWN, SS.AWARDED])
def test_only_an_application_awaiting_a_decision_is_awarded(applicant, official, current):
    application = application_at(applicant, current)

    with pytest.raises(ValidationError, match="await a decision"):
        services.scholarships_award(
            actor=official, fund=application.fund, application_ids=[application.pk]
        )

    application.refresh_from_db()
    assert application.status == current


@pytest.mark.django_db
@pytest.mark.parametrize("current", [SS.AWARDED, SS.WITHDRAWN])
def test_closing_the_round_leaves_decided_applications_alone(applicant, official, current):
    application = application_at(applicant, current)

    assert services.scholarships_close(actor=official, fund=application.fund) == 0

    application.refresh_from_db()
    assert application.status == current


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "move", "error"),
    [
        pytest.param("official", withdraw, PermissionDenied, id="official-withdrawing"),
        pytest.param("student", award, PermissionDenied, id="student-awarding-themself"),
        pytest.param("student", close, PermissionDenied, id="student-closing-the-round"),
    ],
)
def test_a_scholarship_move_by_the_wrong_role_is_refused(applicant, official, who, move, error):
    application = application_at(applicant, SS.SUBMITTED)
    actor = official if who == "official" else applicant.user

    with pytest.raises(error):
        move(actor, application)

    application.refresh_from_db()
    assert application.status == SS.SUBMITTED
    assert not TalentEvent.objects.exists()
