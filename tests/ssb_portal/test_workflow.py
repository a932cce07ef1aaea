"""The workflow kit: a table of moves refuses what it does not list, and `transition` is the
one place a status changes, handing each move to the app's own record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from directory.models import ListingStatus
from ssb_portal.workflow import Workflow, transition
from tests.factories import EnterpriseFactory

S = ListingStatus
LISTINGS = Workflow(
    statuses=S,
    moves={
        S.PENDING: {S.VERIFIED: "official", S.RETURNED: "official"},
        S.RETURNED: {S.PENDING: ("member", "official")},
        S.VERIFIED: {S.RETURNED: "official"},
    },
    refusal="A listing that is “%(current)s” cannot become “%(target)s”.",
)


def test_a_table_naming_a_status_outside_its_choices_is_refused_at_import():
    with pytest.raises(ValueError, match="nonsense"):
        Workflow(statuses=S, moves={S.PENDING: {"nonsense": "official"}})


@pytest.mark.parametrize(
    ("current", "target", "role", "allowed"),
    [
        (S.PENDING, S.VERIFIED, "official", True),
        (S.PENDING, S.VERIFIED, "member", False),
        (S.RETURNED, S.PENDING, "member", True),
        (S.RETURNED, S.PENDING, "official", True),
        (S.VERIFIED, S.PENDING, "official", False),
    ],
)
def test_allows_follows_the_table_and_its_roles(current, target, role, allowed):
    assert LISTINGS.allows(current, target, role) is allowed


def test_next_statuses_sources_and_targets_read_the_table_by_role():
    assert LISTINGS.next_statuses(S.PENDING) == [S.VERIFIED, S.RETURNED]
    assert LISTINGS.next_statuses(S.RETURNED, role="official") == [S.PENDING]
    assert LISTINGS.next_statuses(S.VERIFIED, role="member") == []
    assert LISTINGS.sources(S.RETURNED) == [S.PENDING, S.VERIFIED]
    assert LISTINGS.sources(S.PENDING, role="member") == [S.RETURNED]
    assert LISTINGS.targets(role="official") == [S.VERIFIED, S.RETURNED, S.PENDING]
    assert LISTINGS.targets(role="member") == [S.PENDING]


def test_check_names_both_statuses_of_a_move_the_table_lacks():
    with pytest.raises(ValidationError) as refused:
        LISTINGS.check(current=S.VERIFIED, target=S.PENDING, roles="official")
    assert refused.value.messages == [
        f"A listing that is “{S.VERIFIED.label}” cannot become “{S.PENDING.label}”."
    ]


def test_check_refuses_a_listed_move_to_another_role():
    with pytest.raises(PermissionDenied, match="You may not make this change."):
        LISTINGS.check(current=S.PENDING, target=S.VERIFIED, roles={"member", "applicant"})


@pytest.mark.django_db
def test_transition_saves_the_status_and_returns_the_record_of_the_move():
    enterprise = EnterpriseFactory(status=S.PENDING)
    moves = []

    result = transition(
        enterprise,
        LISTINGS,
        target=S.VERIFIED,
        roles="official",
        record=lambda current, target: moves.append((current, target)) or "recorded",
        also_update=("updated_at",),
    )

    assert result == "recorded"
    assert moves == [(S.PENDING, S.VERIFIED)]
    enterprise.refresh_from_db()
    assert enterprise.status == S.VERIFIED


@pytest.mark.django_db
def test_a_refused_transition_changes_nothing_and_records_nothing():
    enterprise = EnterpriseFactory(status=S.VERIFIED)
    moves = []

    with pytest.raises(ValidationError):
        transition(
            enterprise,
            LISTINGS,
            target=S.PENDING,
            roles="official",
            record=lambda current, target: moves.append((current, target)),
        )

    assert moves == []
    assert enterprise.status == S.VERIFIED
    enterprise.refresh_from_db()
    assert enterprise.status == S.VERIFIED


def test_the_status_field_may_have_another_name():
    class Vote(models.TextChoices):
        OPEN = "open", "open"
        CLOSED = "closed", "closed"

    class Ballot:
        phase = Vote.OPEN
        saved: list[str] = []

        def save(self, *, update_fields):
            self.saved = update_fields

    ballot = Ballot()
    table = Workflow(statuses=Vote, moves={Vote.OPEN: {Vote.CLOSED: "chair"}})
    transition(
        ballot,
        table,
        target=Vote.CLOSED,
        roles="chair",
        record=lambda *_: None,
        status_field="phase",
    )
    assert ballot.phase == Vote.CLOSED
    assert ballot.saved == ["phase"]


def test_a_move_to_one_target_may_have_its_own_refusal():
    table = Workflow(
        statuses=S,
        moves={S.PENDING: {S.VERIFIED: "official"}},
        refusals={S.VERIFIED: "Only a pending listing is verified."},
    )
    with pytest.raises(ValidationError) as refused:
        table.check(current=S.RETURNED, target=S.VERIFIED, roles="official")
    assert refused.value.messages == ["Only a pending listing is verified."]
    with pytest.raises(ValidationError, match="cannot become"):
        table.check(current=S.VERIFIED, target=S.PENDING, roles="official")


def test_a_refusal_for_a_status_outside_the_choices_is_refused_at_import():
    with pytest.raises(ValueError, match="nonsense"):
        Workflow(statuses=S, moves={}, refusals={"nonsense": "No."})


@pytest.mark.django_db
def test_prepare_runs_after_the_table_and_sets_what_the_move_implies():
    enterprise = EnterpriseFactory(status=S.PENDING, phone="")
    calls = []

    def prepare(current, target):
        calls.append((current, target))
        enterprise.phone = "010-1"

    transition(
        enterprise,
        LISTINGS,
        target=S.VERIFIED,
        roles="official",
        record=lambda *_: None,
        also_update=("phone",),
        prepare=prepare,
    )

    assert calls == [(S.PENDING, S.VERIFIED)]
    enterprise.refresh_from_db()
    assert (enterprise.status, enterprise.phone) == (S.VERIFIED, "010-1")


@pytest.mark.django_db
def test_prepare_is_not_asked_about_a_move_the_table_lacks():
    enterprise = EnterpriseFactory(status=S.VERIFIED)
    calls = []

    with pytest.raises(ValidationError, match="cannot become"):
        transition(
            enterprise,
            LISTINGS,
            target=S.PENDING,
            roles="official",
            record=lambda *_: None,
            prepare=lambda *move: calls.append(move),
        )

    assert calls == []


@pytest.mark.django_db
def test_a_move_prepare_refuses_changes_nothing_and_records_nothing():
    enterprise = EnterpriseFactory(status=S.PENDING)
    moves = []

    def refuse(current, target):
        raise ValidationError("Not on a Sunday.")

    with pytest.raises(ValidationError, match="Not on a Sunday."):
        transition(
            enterprise,
            LISTINGS,
            target=S.VERIFIED,
            roles="official",
            record=lambda *move: moves.append(move),
            prepare=refuse,
        )

    assert moves == []
    enterprise.refresh_from_db()
    assert enterprise.status == S.PENDING
