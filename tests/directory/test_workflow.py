"""The listing workflow: every allowed and every refused move, through the services.

An allowed move changes the status and writes one StatusChange (who, from, to, reason); a
refused move raises, changes nothing and writes nothing.
"""

import itertools

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from directory.models import DatasetStatus, Enterprise, ListingStatus, Product, StatusChange
from directory.services.enterprises import (
    enterprise_return,
    enterprise_set_recommended,
    enterprise_update,
    enterprise_verify,
    enterprise_withdraw,
)
from directory.services.products import product_return, product_update, product_verify
from directory.workflow import (
    DATASET_WORKFLOW,
    LISTING_WORKFLOW,
    MEMBER,
    OFFICIAL,
)
from ssb_portal.roles import SME_GROUP
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
    outside_district,
)

PENDING = ListingStatus.PENDING
VERIFIED = ListingStatus.VERIFIED
RETURNED = ListingStatus.RETURNED

pytestmark = pytest.mark.django_db


# --- the table ----------------------------------------------------------------------------


EXPECTED_TABLE = {
    (PENDING, VERIFIED): OFFICIAL,
    (PENDING, RETURNED): OFFICIAL,
    (RETURNED, PENDING): MEMBER,
    (VERIFIED, RETURNED): OFFICIAL,
}


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    list(itertools.product(ListingStatus.values, repeat=2)),
)
def test_transition_table_allows_exactly_the_documented_moves(from_status, to_status):
    move = (from_status, to_status)
    expected = {EXPECTED_TABLE[move]} if move in EXPECTED_TABLE else set()
    assert LISTING_WORKFLOW.roles_for(from_status, to_status) == expected


def test_transition_table_knows_every_status():
    assert set(LISTING_WORKFLOW.moves) == set(ListingStatus.values)


def test_unknown_status_has_no_moves():
    assert LISTING_WORKFLOW.roles_for("deleted", PENDING) == set()


# --- who acts -----------------------------------------------------------------------------


@pytest.fixture
def actors(official, sme, django_user_model):
    outsider = UserFactory(username="outsider")
    outsider.groups.add(Group.objects.get(name=SME_GROUP))
    MembershipFactory(user=outsider, role="owner")  # administrator of another enterprise
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, enterprise=sme, role="member")
    return {
        "official": official,
        "superuser": django_user_model.objects.create_superuser("root", "root@example.com", "x"),
        "owner": sme.owner,
        "colleague": colleague,
        "outsider": outsider,
    }


def at_status(enterprise: Enterprise, status: str) -> Enterprise:
    Enterprise.objects.filter(pk=enterprise.pk).update(
        status=status, verified_at=enterprise.verified_at if status == VERIFIED else None
    )
    enterprise.refresh_from_db()
    return enterprise


ENTERPRISE_MOVES = {
    "verify": lambda actor, enterprise, reason: enterprise_verify(
        actor=actor, enterprise=enterprise, reason=reason
    ),
    "return": lambda actor, enterprise, reason: enterprise_return(
        actor=actor, enterprise=enterprise, reason=reason
    ),
    "withdraw": lambda actor, enterprise, reason: enterprise_withdraw(
        actor=actor, enterprise=enterprise, reason=reason
    ),
    # Members move a returned listing back to pending by correcting it.
    "correct": lambda actor, enterprise, reason: enterprise_update(
        actor=actor, enterprise=enterprise, data={"address": "88 Keji Road, Donghu District"}
    ),
}


@pytest.mark.parametrize(
    ("start", "move", "actor", "reason", "end", "recorded_reason"),
    [
        pytest.param(
            PENDING, "verify", "official", "Licence checked", VERIFIED, "Licence checked",
            id="pending-to-verified-by-official",
        ),
        pytest.param(
            PENDING, "verify", "official", "", VERIFIED, "",
            id="pending-to-verified-without-reason",
        ),
        pytest.param(
            PENDING, "verify", "superuser", "", VERIFIED, "",
            id="pending-to-verified-by-superuser",
        ),
        pytest.param(
            PENDING, "return", "official", "Licence scan unreadable", RETURNED,
            "Licence scan unreadable",
            id="pending-to-returned-by-official-with-reason",
        ),
        pytest.param(
            RETURNED, "correct", "owner", "", PENDING, "Corrected and resubmitted",
            id="returned-to-pending-by-administrator-correcting",
        ),
        pytest.param(
            RETURNED, "correct", "colleague", "", PENDING, "Corrected and resubmitted",
            id="returned-to-pending-by-member-correcting",
        ),
        pytest.param(
            VERIFIED, "withdraw", "official", "Business licence revoked", RETURNED,
            "Business licence revoked",
            id="verified-to-returned-withdrawn-by-official",
        ),
    ],
)  # fmt: skip
def test_allowed_enterprise_move(
    actors,
    sme,
    django_capture_on_commit_callbacks,
    start,
    move,
    actor,
    reason,
    end,
    recorded_reason,
):
    enterprise = at_status(sme, start)
    before = StatusChange.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        ENTERPRISE_MOVES[move](actors[actor], enterprise, reason)

    enterprise.refresh_from_db()
    assert enterprise.status == end
    assert StatusChange.objects.count() == before + 1
    change = enterprise.status_changes.get()
    assert change.actor == actors[actor]
    assert (change.from_status, change.to_status) == (start, end)
    assert change.reason == recorded_reason
    assert change.product is None


@pytest.mark.parametrize(
    ("start", "move", "actor", "reason", "error"),
    [
        pytest.param(PENDING, "verify", "owner", "", PermissionDenied,
                     id="member-verifying-own-enterprise"),
        pytest.param(PENDING, "verify", "colleague", "", PermissionDenied,
                     id="colleague-verifying-own-enterprise"),
        pytest.param(PENDING, "verify", "outsider", "", PermissionDenied,
                     id="other-sme-verifying"),
        pytest.param(VERIFIED, "verify", "official", "", ValidationError,
                     id="verifying-verified-without-pending-changes"),
        pytest.param(RETURNED, "verify", "official", "", ValidationError,
                     id="returned-to-verified-without-correction"),
        pytest.param(PENDING, "return", "official", "", ValidationError,
                     id="returning-without-reason"),
        pytest.param(PENDING, "return", "official", "   \n ", ValidationError,
                     id="returning-with-blank-reason"),
        pytest.param(PENDING, "return", "owner", "Changed my mind", PermissionDenied,
                     id="member-returning-own-enterprise"),
        pytest.param(RETURNED, "return", "official", "Again", ValidationError,
                     id="returned-to-returned"),
        pytest.param(VERIFIED, "return", "official", "No reason to", ValidationError,
                     id="returning-verified-without-pending-changes"),
        pytest.param(VERIFIED, "withdraw", "official", "", ValidationError,
                     id="withdrawing-without-reason"),
        pytest.param(VERIFIED, "withdraw", "owner", "Closing down", PermissionDenied,
                     id="member-withdrawing-own-enterprise"),
        pytest.param(RETURNED, "withdraw", "official", "Twice", ValidationError,
                     id="withdrawing-returned"),
        pytest.param(RETURNED, "correct", "outsider", "", PermissionDenied,
                     id="non-member-correcting"),
        pytest.param(RETURNED, "correct", "official", "", PermissionDenied,
                     id="official-correcting-for-the-enterprise"),
    ],
)  # fmt: skip
def test_refused_enterprise_move(
    actors, sme, django_capture_on_commit_callbacks, start, move, actor, reason, error
):
    enterprise = at_status(sme, start)
    before = StatusChange.objects.count()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(error):
        ENTERPRISE_MOVES[move](actors[actor], enterprise, reason)

    enterprise.refresh_from_db()
    assert enterprise.status == start
    assert enterprise.address == ""
    assert StatusChange.objects.count() == before
    assert mail.outbox == []


def test_missing_reason_is_reported_on_the_reason_field(official, sme):
    enterprise = at_status(sme, PENDING)
    with pytest.raises(ValidationError) as caught:
        enterprise_return(actor=official, enterprise=enterprise, reason="")
    assert set(caught.value.message_dict) == {"reason"}


def test_pending_to_pending_is_not_a_move(sme):
    with pytest.raises(ValidationError):
        LISTING_WORKFLOW.check(current=PENDING, target=PENDING, roles=MEMBER)


def test_editing_a_pending_registration_keeps_it_pending_without_a_move(sme):
    enterprise = at_status(sme, PENDING)
    enterprise_update(actor=sme.owner, enterprise=enterprise, data={"phone": "010-1"})
    enterprise.refresh_from_db()
    assert (enterprise.status, enterprise.phone) == (PENDING, "010-1")
    assert not enterprise.status_changes.exists()


def test_decision_is_taken_on_the_stored_status_not_the_callers_copy(official, sme):
    stale = at_status(sme, PENDING)
    at_status(Enterprise.objects.get(pk=sme.pk), RETURNED)  # somebody returned it meanwhile
    with pytest.raises(ValidationError):
        enterprise_verify(actor=official, enterprise=stale)
    assert Enterprise.objects.get(pk=sme.pk).status == RETURNED


def test_verifying_stamps_verified_at(official, sme):
    enterprise = at_status(sme, PENDING)
    assert enterprise.verified_at is None
    enterprise_verify(actor=official, enterprise=enterprise)
    enterprise.refresh_from_db()
    assert enterprise.verified_at is not None


def test_members_are_told_of_a_decision_with_its_reason_after_commit(
    official, sme, django_capture_on_commit_callbacks
):
    enterprise = at_status(sme, PENDING)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enterprise_return(actor=official, enterprise=enterprise, reason="Licence scan unreadable")
        assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [sme.owner.email]
    assert "Licence scan unreadable" in mail.outbox[0].body


# --- products -----------------------------------------------------------------------------


def product_at_status(product: Product, status: str) -> Product:
    Product.objects.filter(pk=product.pk).update(status=status)
    product.refresh_from_db()
    return product


PRODUCT_MOVES = {
    "verify": lambda actor, product, reason: product_verify(
        actor=actor, product=product, reason=reason
    ),
    "return": lambda actor, product, reason: product_return(
        actor=actor, product=product, reason=reason
    ),
    "correct": lambda actor, product, reason: product_update(
        actor=actor, product=product, data={"ionic_conductivity": 2.5e-3}
    ),
}


@pytest.mark.parametrize(
    ("start", "move", "actor", "reason", "end", "recorded_reason"),
    [
        pytest.param(PENDING, "verify", "official", "Data sheet checked", VERIFIED,
                     "Data sheet checked", id="pending-to-verified-by-official"),
        pytest.param(PENDING, "return", "official", "Conductivity unit unclear", RETURNED,
                     "Conductivity unit unclear", id="pending-to-returned-by-official"),
        pytest.param(RETURNED, "correct", "owner", "", PENDING, "Corrected and resubmitted",
                     id="returned-to-pending-by-member-correcting"),
        pytest.param(VERIFIED, "return", "official", "Discontinued", RETURNED, "Discontinued",
                     id="verified-to-returned-withdrawn-by-official"),
    ],
)  # fmt: skip
def test_allowed_product_move(actors, sme, start, move, actor, reason, end, recorded_reason):
    product = product_at_status(ProductFactory(enterprise=sme), start)

    PRODUCT_MOVES[move](actors[actor], product, reason)

    product.refresh_from_db()
    assert product.status == end
    change = product.status_changes.get()
    assert change.enterprise == sme
    assert change.actor == actors[actor]
    assert (change.from_status, change.to_status) == (start, end)
    assert change.reason == recorded_reason


@pytest.mark.parametrize(
    ("start", "move", "actor", "reason", "error"),
    [
        pytest.param(PENDING, "verify", "owner", "", PermissionDenied,
                     id="member-verifying-own-product"),
        pytest.param(VERIFIED, "verify", "official", "", ValidationError,
                     id="verifying-verified-without-pending-changes"),
        pytest.param(RETURNED, "verify", "official", "", ValidationError,
                     id="returned-to-verified-without-correction"),
        pytest.param(PENDING, "return", "official", "", ValidationError,
                     id="returning-without-reason"),
        pytest.param(RETURNED, "return", "official", "Again", ValidationError,
                     id="returned-to-returned"),
        pytest.param(PENDING, "return", "owner", "Oops", PermissionDenied,
                     id="member-returning-own-product"),
        pytest.param(RETURNED, "correct", "outsider", "", PermissionDenied,
                     id="non-member-correcting"),
    ],
)  # fmt: skip
def test_refused_product_move(actors, sme, start, move, actor, reason, error):
    product = product_at_status(ProductFactory(enterprise=sme), start)

    with pytest.raises(error):
        PRODUCT_MOVES[move](actors[actor], product, reason)

    product.refresh_from_db()
    assert product.status == start
    assert product.ionic_conductivity is None
    assert not StatusChange.objects.exists()


# --- recommendation -----------------------------------------------------------------------


def test_official_recommends_a_verified_local_enterprise(official, sme):
    enterprise_set_recommended(
        actor=official, enterprise=sme, recommended=True, reason="Key sulfide supplier"
    )
    sme.refresh_from_db()
    assert sme.recommended is True
    change = sme.status_changes.get()
    assert change.actor == official
    assert (change.from_status, change.to_status) == ("not recommended", "recommended")
    assert change.reason == "Key sulfide supplier"


def test_official_removes_a_recommendation_and_it_is_recorded(official, sme):
    Enterprise.objects.filter(pk=sme.pk).update(recommended=True)
    enterprise_set_recommended(actor=official, enterprise=sme, recommended=False)
    sme.refresh_from_db()
    assert sme.recommended is False
    change = sme.status_changes.get()
    assert (change.from_status, change.to_status) == ("recommended", "not recommended")


def test_recommending_twice_changes_and_records_nothing(official, sme):
    Enterprise.objects.filter(pk=sme.pk).update(recommended=True)
    enterprise_set_recommended(actor=official, enterprise=sme, recommended=True)
    assert not sme.status_changes.exists()


@pytest.mark.parametrize(
    ("status", "local", "message"),
    [
        pytest.param(VERIFIED, False, "not registered in the municipality", id="non-local"),
        pytest.param(PENDING, True, "not verified", id="pending"),
        pytest.param(RETURNED, True, "not verified", id="returned"),
    ],
)
def test_recommendation_refused(official, status, local, message):
    enterprise = EnterpriseFactory(status=status)
    if not local:
        enterprise.district = outside_district()
        enterprise.save(update_fields=["district"])
    with pytest.raises(ValidationError) as caught:
        enterprise_set_recommended(actor=official, enterprise=enterprise, recommended=True)
    assert message in " ".join(caught.value.messages)
    enterprise.refresh_from_db()
    assert enterprise.recommended is False
    assert not enterprise.status_changes.exists()


def test_member_cannot_recommend_own_enterprise(sme):
    with pytest.raises(PermissionDenied):
        enterprise_set_recommended(actor=sme.owner, enterprise=sme, recommended=True)
    sme.refresh_from_db()
    assert sme.recommended is False


def test_withdrawing_clears_the_recommendation(official, sme):
    Enterprise.objects.filter(pk=sme.pk).update(recommended=True)
    enterprise_withdraw(actor=official, enterprise=sme, reason="Licence revoked")
    sme.refresh_from_db()
    assert (sme.status, sme.recommended) == (RETURNED, False)
    change = sme.status_changes.get()
    assert (change.from_status, change.to_status) == (VERIFIED, RETURNED)


def test_rejecting_pending_changes_keeps_the_recommendation(official, sme):
    Enterprise.objects.filter(pk=sme.pk).update(recommended=True)
    enterprise_update(actor=sme.owner, enterprise=sme, data={"phone": "010-2"})
    enterprise_return(actor=official, enterprise=sme, reason="Number unreachable")
    sme.refresh_from_db()
    assert (sme.status, sme.recommended, sme.pending_changes) == (VERIFIED, True, None)


# --- the tables as workflows of the kit ---------------------------------------------------


@pytest.mark.parametrize(
    ("from_status", "to_status", "role"),
    list(itertools.product(ListingStatus.values, ListingStatus.values, (OFFICIAL, MEMBER))),
)
def test_the_listing_workflow_allows_each_move_to_its_role_only(from_status, to_status, role):
    expected = EXPECTED_TABLE.get((from_status, to_status)) == role
    assert LISTING_WORKFLOW.allows(from_status, to_status, role) is expected


def test_the_listing_workflow_refuses_with_the_listing_message():
    with pytest.raises(ValidationError) as refused:
        LISTING_WORKFLOW.check(current=VERIFIED, target=PENDING, roles=OFFICIAL)
    assert refused.value.messages == [
        f"A listing that is “{VERIFIED.label}” cannot become “{PENDING.label}”."
    ]
    with pytest.raises(PermissionDenied, match="You may not make this change."):
        LISTING_WORKFLOW.check(current=PENDING, target=VERIFIED, roles=MEMBER)


EXPECTED_DATASET_MOVES = {
    (DatasetStatus.SUBMITTED, DatasetStatus.ACCEPTED),
    (DatasetStatus.SUBMITTED, DatasetStatus.REJECTED),
    (DatasetStatus.ACCEPTED, DatasetStatus.REJECTED),
    (DatasetStatus.REJECTED, DatasetStatus.ACCEPTED),
}


@pytest.mark.parametrize(
    ("from_status", "to_status", "role"),
    list(itertools.product(DatasetStatus.values, DatasetStatus.values, (OFFICIAL, MEMBER))),
)
def test_only_officials_decide_a_dataset_and_may_reverse_a_decision(from_status, to_status, role):
    expected = role == OFFICIAL and (from_status, to_status) in EXPECTED_DATASET_MOVES
    assert DATASET_WORKFLOW.allows(from_status, to_status, role) is expected


def test_a_dataset_move_the_table_lacks_is_refused_with_the_dataset_message():
    with pytest.raises(ValidationError) as refused:
        DATASET_WORKFLOW.check(
            current=DatasetStatus.ACCEPTED, target=DatasetStatus.SUBMITTED, roles=OFFICIAL
        )
    assert refused.value.messages == [
        f"A dataset that is “{DatasetStatus.ACCEPTED.label}” cannot become "
        f"“{DatasetStatus.SUBMITTED.label}”."
    ]
