"""Accounts of the directory: sign-up and activation, invitations, and the members of an
enterprise.
"""

import re
import time
import types

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError

from directory.models import Invitation, Membership
from directory.services.accounts import account_activate, account_signup_with_enterprise
from directory.services.members import (
    INVITATION_SALT,
    invitation_accept,
    invitation_revoke,
    member_invite,
    member_remove,
)
from directory.services.products import certification_add, certification_delete
from ssb_portal.roles import ANCHOR_GROUP, SME_GROUP
from tests.directory.services_support import PENDING, User, category, counts, registration_data
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


DAY = 86400


def link_token(body: str, prefix: str) -> str:
    """The signed token of the first link under `prefix` in an email body."""
    match = re.search(rf"{re.escape(prefix)}([^/\s]+)/", body)
    assert match, body
    return match.group(1)


# --- sign-up and activation -----------------------------------------------------------------


def signup(**overrides):
    arguments = {
        "username": "wang.li",
        "email": "wang.li@donghu-sse.example.com",
        "password": "Solid-state 2026 electrolyte",
        "enterprise_data": registration_data(),
        "categories": [category("sulfide-electrolyte")],
        **overrides,
    }
    return account_signup_with_enterprise(**arguments)


def test_signup_creates_an_inactive_user_and_sends_the_activation_link(
    official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user, enterprise = signup()

    user.refresh_from_db()
    assert user.is_active is False
    assert user.check_password("Solid-state 2026 electrolyte")
    assert enterprise.status == PENDING
    assert Membership.objects.get(user=user).role == "owner"
    activation = next(m for m in mail.outbox if m.to == ["wang.li@donghu-sse.example.com"])
    assert "/accounts/activate/" in activation.body
    assert any(m.to == [official.email] for m in mail.outbox)  # the registration to verify


def test_signup_reports_account_and_enterprise_errors_together(sme):
    UserFactory(username="wang.li")
    before = counts()
    with pytest.raises(ValidationError) as caught:
        signup(password="123", enterprise_data=registration_data(uscc=sme.uscc))
    assert {"username", "password", "uscc"} <= set(caught.value.message_dict)
    assert counts() == before


def test_signup_with_a_taken_email_is_refused(sme):
    with pytest.raises(ValidationError) as caught:
        signup(email=sme.owner.email.upper())
    assert "email" in caught.value.message_dict


def activation_token(django_capture_on_commit_callbacks) -> tuple:
    with django_capture_on_commit_callbacks(execute=True):
        user, _ = signup()
    return user, link_token(mail.outbox[-1].body, "/accounts/activate/")


def test_activation_link_activates_the_account(django_capture_on_commit_callbacks):
    user, token = activation_token(django_capture_on_commit_callbacks)
    assert account_activate(token=token) == user
    user.refresh_from_db()
    assert user.is_active is True
    assert account_activate(token=token) == user  # a second click does no harm


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), id="edited"),
        pytest.param(lambda token: "garbage", id="garbage"),
        pytest.param(
            lambda token: signing.dumps({"user": 1}, salt=INVITATION_SALT),
            id="other-salt",
        ),
    ],
)  # fmt: skip
def test_bad_activation_link_is_refused(django_capture_on_commit_callbacks, tamper):
    user, token = activation_token(django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="not valid"):
        account_activate(token=tamper(token))
    user.refresh_from_db()
    assert user.is_active is False


def test_link_for_a_deleted_account_is_refused(django_capture_on_commit_callbacks):
    user, token = activation_token(django_capture_on_commit_callbacks)
    user.delete()
    with pytest.raises(ValidationError, match="not valid"):
        account_activate(token=token)


def after(monkeypatch, seconds: float) -> None:
    """Make signed tokens see a clock `seconds` ahead of now."""
    now = time.time()
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: now + seconds))


def test_activation_link_works_until_it_expires(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    user, token = activation_token(django_capture_on_commit_callbacks)
    after(monkeypatch, settings.ACCOUNT_ACTIVATION_DAYS * DAY - 60)
    assert account_activate(token=token) == user


def test_expired_activation_link_is_refused(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    user, token = activation_token(django_capture_on_commit_callbacks)
    after(monkeypatch, settings.ACCOUNT_ACTIVATION_DAYS * DAY + 60)
    with pytest.raises(ValidationError, match="expired"):
        account_activate(token=token)
    user.refresh_from_db()
    assert user.is_active is False


# --- invitations ----------------------------------------------------------------------------


def invite(enterprise, email, django_capture_on_commit_callbacks, actor=None):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = member_invite(
            actor=actor or enterprise.owner, enterprise=enterprise, email=email
        )
    message = mail.outbox[-1]
    assert message.to == [email]
    return invitation, link_token(message.body, "/accounts/invitation/")


def test_invitation_is_emailed_after_commit(sme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = member_invite(
            actor=sme.owner, enterprise=sme, email="  zhao@donghu-sse.example.com "
        )
    assert mail.outbox == []
    assert invitation.email == "zhao@donghu-sse.example.com"
    assert invitation.invited_by == sme.owner
    for callback in callbacks:
        callback()
    assert mail.outbox[0].to == ["zhao@donghu-sse.example.com"]
    assert sme.name_zh in mail.outbox[0].subject


def test_invitation_accepted_as_a_new_user(sme, django_capture_on_commit_callbacks):
    invitation, token = invite(
        sme, "zhao@donghu-sse.example.com", django_capture_on_commit_callbacks
    )

    membership = invitation_accept(token=token, username="zhao", password="Sulfide powders 2026")

    user = membership.user
    assert (user.username, user.email, user.is_active) == (
        "zhao",
        "zhao@donghu-sse.example.com",
        True,
    )
    assert (membership.enterprise, membership.role) == (sme, "member")
    assert list(user.groups.values_list("name", flat=True)) == [SME_GROUP]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_invitation_accepted_as_a_logged_in_user(sme, anchor, django_capture_on_commit_callbacks):
    _, token = invite(sme, anchor.owner.email, django_capture_on_commit_callbacks)
    before = User.objects.count()

    membership = invitation_accept(token=token, user=anchor.owner)

    assert (membership.user, membership.enterprise) == (anchor.owner, sme)
    assert User.objects.count() == before
    assert set(anchor.owner.groups.values_list("name", flat=True)) == {ANCHOR_GROUP, SME_GROUP}


def test_new_user_from_an_invitation_needs_a_valid_password_and_free_username(
    sme, django_capture_on_commit_callbacks
):
    _, token = invite(sme, "zhao@donghu-sse.example.com", django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as caught:
        invitation_accept(token=token, username=sme.owner.username, password="123")
    assert set(caught.value.message_dict) == {"username", "password"}
    assert Membership.objects.filter(enterprise=sme).count() == 1


def test_used_invitation_is_refused(sme, applicant, django_capture_on_commit_callbacks):
    _, token = invite(sme, "zhao@donghu-sse.example.com", django_capture_on_commit_callbacks)
    invitation_accept(token=token, username="zhao", password="Sulfide powders 2026")
    with pytest.raises(ValidationError, match="used or withdrawn"):
        invitation_accept(token=token, user=applicant)
    assert not Membership.objects.filter(user=applicant).exists()


def test_revoked_invitation_is_refused(sme, applicant, django_capture_on_commit_callbacks):
    invitation, token = invite(sme, applicant.email, django_capture_on_commit_callbacks)
    invitation_revoke(actor=sme.owner, invitation=invitation)
    with pytest.raises(ValidationError, match="used or withdrawn"):
        invitation_accept(token=token, user=applicant)
    assert not Membership.objects.filter(user=applicant).exists()


def test_tampered_or_expired_invitation_is_refused(
    sme, applicant, settings, monkeypatch, django_capture_on_commit_callbacks
):
    _, token = invite(sme, applicant.email, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="not valid"):
        invitation_accept(token=token + "x", user=applicant)
    after(monkeypatch, settings.INVITATION_VALID_DAYS * DAY + 60)
    with pytest.raises(ValidationError, match="expired"):
        invitation_accept(token=token, user=applicant)
    assert not Membership.objects.filter(user=applicant).exists()


def test_member_cannot_accept_twice(sme, django_capture_on_commit_callbacks):
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, enterprise=sme)
    _, token = invite(sme, "second@example.com", django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="member of"):
        invitation_accept(token=token, user=colleague)


def test_non_owner_cannot_invite_or_revoke(sme, applicant, django_capture_on_commit_callbacks):
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, enterprise=sme, role="member")
    with pytest.raises(PermissionDenied):
        member_invite(actor=colleague, enterprise=sme, email="x@example.com")
    with pytest.raises(PermissionDenied):
        member_invite(actor=applicant, enterprise=sme, email="x@example.com")
    invitation, _ = invite(sme, "y@example.com", django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        invitation_revoke(actor=colleague, invitation=invitation)
    assert list(Invitation.objects.values_list("email", flat=True)) == ["y@example.com"]


def test_inviting_a_member_again_is_refused(sme):
    with pytest.raises(ValidationError) as caught:
        member_invite(actor=sme.owner, enterprise=sme, email=sme.owner.email.upper())
    assert "email" in caught.value.message_dict
    assert not Invitation.objects.exists()


# --- members --------------------------------------------------------------------------------


def test_owner_removes_a_member(sme):
    membership = MembershipFactory(enterprise=sme, role="member")
    member_remove(actor=sme.owner, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_last_owner_cannot_be_removed(sme):
    own = Membership.objects.get(user=sme.owner, enterprise=sme)
    with pytest.raises(ValidationError, match="at least one administrator"):
        member_remove(actor=sme.owner, membership=own)
    assert Membership.objects.filter(pk=own.pk).exists()


def test_an_owner_may_go_when_another_owner_stays(sme):
    MembershipFactory(enterprise=sme, role="owner")
    own = Membership.objects.get(user=sme.owner, enterprise=sme)
    member_remove(actor=sme.owner, membership=own)
    assert not Membership.objects.filter(pk=own.pk).exists()


def test_member_cannot_remove_others(sme):
    colleague = MembershipFactory(enterprise=sme, role="member")
    owner_membership = Membership.objects.get(user=sme.owner, enterprise=sme)
    with pytest.raises(PermissionDenied):
        member_remove(actor=colleague.user, membership=owner_membership)
    assert Membership.objects.filter(enterprise=sme).count() == 2


def test_adding_and_removing_a_certificate_is_kept_in_the_history(sme):
    certification = certification_add(
        actor=sme.owner,
        enterprise=sme,
        data={"scheme": "IATF 16949", "number": "IATF-0001", "valid_until": "2030-06-30"},
    )
    certification_delete(actor=sme.owner, certification=certification)

    added, removed = sme.status_changes.order_by("pk")
    assert (added.actor, added.to_status) == (sme.owner, "added")
    assert "IATF 16949 IATF-0001" in added.reason and "2030-06-30" in added.reason
    assert (removed.actor, removed.to_status) == (sme.owner, "deleted")
    assert "IATF 16949 IATF-0001" in removed.reason
