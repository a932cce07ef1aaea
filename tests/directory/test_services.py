"""The directory's services: registration, edits awaiting verification, products and their
specifications, accounts, invitations and members."""

import re
import time
import types
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from directory.models import (
    District,
    Enterprise,
    Invitation,
    ListingStatus,
    Membership,
    Product,
    StatusChange,
    SupplyCategory,
)
from directory.services.accounts import account_activate, account_signup_with_enterprise
from directory.services.enterprises import (
    enterprise_register,
    enterprise_return,
    enterprise_update,
    enterprise_verify,
)
from directory.services.members import (
    INVITATION_SALT,
    invitation_accept,
    invitation_revoke,
    member_invite,
    member_remove,
)
from directory.services.products import (
    certification_add,
    certification_delete,
    product_create,
    product_return,
    product_update,
    product_verify,
)
from ssb_portal.roles import ANCHOR_GROUP, OFFICIAL_GROUP, SME_GROUP
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
    local_district,
    make_uscc,
    outside_district,
)

User = get_user_model()
PENDING = ListingStatus.PENDING
VERIFIED = ListingStatus.VERIFIED
RETURNED = ListingStatus.RETURNED
DAY = 86400

pytestmark = pytest.mark.django_db


def category(slug: str) -> SupplyCategory:
    return SupplyCategory.objects.get(slug=slug)


def registration_data(**overrides) -> dict:
    return {
        "uscc": make_uscc(),
        "name_zh": "东湖固态电解质材料有限公司",
        "name_en": "Donghu Solid Electrolyte Materials Co., Ltd.",
        "kind": "sme",
        "district": local_district(),
        "contact_person": "李工",
        "phone": "027-87654321",
        "email": "sales@donghu-sse.example.com",
        "employees": 85,
        "annual_capacity": Decimal("120.00"),
        "capacity_unit": "t",
        **overrides,
    }


def counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Enterprise.objects.count(),
        Membership.objects.count(),
        StatusChange.objects.count(),
        Product.objects.count(),
    )


def link_token(body: str, prefix: str) -> str:
    """The signed token of the first link under `prefix` in an email body."""
    match = re.search(rf"{re.escape(prefix)}([^/\s]+)/", body)
    assert match, body
    return match.group(1)


@pytest.fixture
def applicant(db):
    return UserFactory(username="applicant")


# --- registration ---------------------------------------------------------------------------


def test_registration_is_pending_with_its_applicant_as_administrator(
    applicant, official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enterprise = enterprise_register(
            actor=applicant,
            data=registration_data(),
            categories=[category("sulfide-electrolyte"), category("oxide-electrolyte")],
        )

    enterprise.refresh_from_db()
    assert enterprise.status == PENDING
    assert enterprise.recommended is False
    assert enterprise.verified_at is None
    assert set(enterprise.categories.values_list("slug", flat=True)) == {
        "sulfide-electrolyte",
        "oxide-electrolyte",
    }
    membership = Membership.objects.get(enterprise=enterprise)
    assert (membership.user, membership.role) == (applicant, "owner")
    assert list(applicant.groups.values_list("name", flat=True)) == [SME_GROUP]
    change = enterprise.status_changes.get()
    assert (change.actor, change.from_status, change.to_status) == (applicant, "", PENDING)


def test_registering_an_anchor_enterprise_joins_the_anchor_group(applicant):
    enterprise_register(actor=applicant, data=registration_data(kind="anchor"))
    assert list(applicant.groups.values_list("name", flat=True)) == [ANCHOR_GROUP]


def test_officials_are_emailed_about_a_registration_only_after_commit(
    applicant, official, django_capture_on_commit_callbacks
):
    inactive_official = UserFactory(username="retired-official", is_active=False)
    inactive_official.groups.add(Group.objects.get(name=OFFICIAL_GROUP))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enterprise = enterprise_register(actor=applicant, data=registration_data())
    assert mail.outbox == []
    assert len(callbacks) == 1

    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [official.email]
    assert enterprise.name_zh in message.subject
    assert f"/admin/directory/enterprise/{enterprise.pk}/change/" in message.body


def test_failed_registration_sends_nothing(applicant, official, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        enterprise_register(actor=applicant, data=registration_data(uscc="bad"))
    assert callbacks == []
    assert mail.outbox == []


def test_duplicate_uscc_is_refused_and_nothing_is_saved(applicant, sme):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        enterprise_register(
            actor=applicant,
            data=registration_data(uscc=sme.uscc),
            categories=[category("sulfide-electrolyte")],
        )
    assert set(caught.value.message_dict) == {"uscc"}
    assert counts() == before
    assert not applicant.groups.exists()


@pytest.mark.parametrize(
    ("uscc", "code"),
    [
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100Y4O", "uscc_character"),
        ("91350100M000100Y44", "uscc_check_digit"),
    ],
)
def test_invalid_uscc_is_refused_on_the_uscc_field(applicant, uscc, code):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        enterprise_register(actor=applicant, data=registration_data(uscc=uscc))
    assert [error.code for error in caught.value.error_dict["uscc"]] == [code]
    assert counts() == before


def test_negative_capacity_is_refused(applicant):
    with pytest.raises(ValidationError):
        enterprise_register(actor=applicant, data=registration_data(annual_capacity=Decimal("-1")))
    assert not Enterprise.objects.exists()


# --- edits of a verified enterprise wait as pending changes -------------------------------


@pytest.fixture
def listed(sme):
    """A verified SME in the sulfide category, at 27 Xiongchu Avenue."""
    sme.address = "27 Xiongchu Avenue"
    sme.save(update_fields=["address"])
    sme.categories.set([category("sulfide-electrolyte")])
    return sme


def test_edit_of_a_verified_enterprise_waits_beside_the_public_values(
    listed, official, django_capture_on_commit_callbacks
):
    other_district = District.objects.filter(is_local=True).exclude(pk=listed.district_id)[0]
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_update(
            actor=listed.owner,
            enterprise=listed,
            data={
                "name_zh": listed.name_zh,  # unchanged: not part of the pending changes
                "address": "1 Guanggu Road",
                "district": other_district,
                "annual_capacity": Decimal("250.50"),
            },
        )

    stored = Enterprise.objects.get(pk=listed.pk)
    assert stored.status == VERIFIED
    assert stored.address == "27 Xiongchu Avenue"
    assert stored.district_id == listed.district_id
    assert stored.annual_capacity is None
    assert stored.pending_changes == {
        "address": "1 Guanggu Road",
        "district": other_district.pk,
        "annual_capacity": "250.50",
    }
    change = stored.status_changes.get()
    assert (change.actor, change.from_status, change.to_status) == (
        listed.owner,
        VERIFIED,
        VERIFIED,
    )
    assert change.changes == stored.pending_changes
    assert [message.to for message in mail.outbox] == [[official.email]]


def test_verifying_applies_the_pending_changes(listed, official):
    enterprise_update(actor=listed.owner, enterprise=listed, data={"address": "1 Guanggu Road"})
    enterprise_update(actor=listed.owner, enterprise=listed, data={"phone": "027-11112222"})
    assert Enterprise.objects.get(pk=listed.pk).pending_changes == {
        "address": "1 Guanggu Road",
        "phone": "027-11112222",
    }

    enterprise_verify(actor=official, enterprise=listed, reason="Checked")

    stored = Enterprise.objects.get(pk=listed.pk)
    assert (stored.address, stored.phone) == ("1 Guanggu Road", "027-11112222")
    assert stored.pending_changes is None
    assert stored.status == VERIFIED
    change = stored.status_changes.first()
    assert (change.actor, change.from_status, change.to_status) == (official, VERIFIED, VERIFIED)
    assert change.reason == "Checked"
    assert change.changes == {"address": "1 Guanggu Road", "phone": "027-11112222"}


def test_returning_discards_the_pending_changes(listed, official):
    enterprise_update(actor=listed.owner, enterprise=listed, data={"address": "1 Guanggu Road"})

    enterprise_return(actor=official, enterprise=listed, reason="Not the licence address")

    stored = Enterprise.objects.get(pk=listed.pk)
    assert stored.address == "27 Xiongchu Avenue"
    assert stored.pending_changes is None
    assert stored.status == VERIFIED
    change = stored.status_changes.first()
    assert change.actor == official
    assert "Not the licence address" in change.reason
    assert change.changes == {"address": "1 Guanggu Road"}


def test_category_change_of_a_verified_enterprise_waits_too(listed, official):
    new = [category("sulfide-electrolyte"), category("halide-electrolyte")]
    enterprise_update(actor=listed.owner, enterprise=listed, data={}, categories=new)

    stored = Enterprise.objects.get(pk=listed.pk)
    assert list(stored.categories.values_list("slug", flat=True)) == ["sulfide-electrolyte"]
    assert stored.pending_changes == {"categories": sorted(c.pk for c in new)}

    enterprise_verify(actor=official, enterprise=stored)
    assert set(stored.categories.values_list("slug", flat=True)) == {
        "sulfide-electrolyte",
        "halide-electrolyte",
    }


def test_rejected_category_change_leaves_the_categories(listed, official):
    enterprise_update(
        actor=listed.owner, enterprise=listed, data={}, categories=[category("pack-bms")]
    )
    enterprise_return(actor=official, enterprise=listed, reason="Not your trade")
    assert list(listed.categories.values_list("slug", flat=True)) == ["sulfide-electrolyte"]


def test_unchanged_values_record_nothing(listed):
    enterprise_update(
        actor=listed.owner,
        enterprise=listed,
        data={"address": listed.address, "name_zh": listed.name_zh},
        categories=[category("sulfide-electrolyte")],
    )
    stored = Enterprise.objects.get(pk=listed.pk)
    assert stored.pending_changes is None
    assert not stored.status_changes.exists()


def test_invalid_edit_is_refused_and_nothing_waits(listed):
    with pytest.raises(ValidationError) as caught:
        enterprise_update(actor=listed.owner, enterprise=listed, data={"email": "not an address"})
    assert "email" in caught.value.message_dict
    stored = Enterprise.objects.get(pk=listed.pk)
    assert stored.pending_changes is None
    assert not stored.status_changes.exists()


def test_edit_of_a_pending_enterprise_applies_at_once(sme):
    Enterprise.objects.filter(pk=sme.pk).update(status=PENDING)
    enterprise_update(actor=sme.owner, enterprise=sme, data={"district": outside_district()})
    stored = Enterprise.objects.get(pk=sme.pk)
    assert stored.district == outside_district()
    assert stored.pending_changes is None


def test_non_member_cannot_edit(listed, applicant):
    with pytest.raises(PermissionDenied):
        enterprise_update(actor=applicant, enterprise=listed, data={"address": "x"})
    assert Enterprise.objects.get(pk=listed.pk).pending_changes is None


# --- products -------------------------------------------------------------------------------


def product_data(**overrides) -> dict:
    return {
        "name": "Li6PS5Cl argyrodite powder, D50 5 µm",
        "category": category("sulfide-electrolyte"),
        "ionic_conductivity": 3.2e-3,
        "asr": 8.5,
        "price": Decimal("1850.00"),
        **overrides,
    }


def test_product_is_created_pending_and_recorded(sme):
    product = product_create(actor=sme.owner, enterprise=sme, data=product_data())
    product.refresh_from_db()
    assert product.status == PENDING
    assert product.ionic_conductivity == pytest.approx(3.2e-3)
    change = product.status_changes.get()
    assert (change.enterprise, change.actor) == (sme, sme.owner)
    assert (change.from_status, change.to_status) == ("", PENDING)


def test_non_member_cannot_add_a_product(sme, applicant):
    with pytest.raises(PermissionDenied):
        product_create(actor=applicant, enterprise=sme, data=product_data())
    assert not Product.objects.exists()


def test_product_edit_of_a_verified_product_waits_then_is_verified(sme, official):
    product = ProductFactory(enterprise=sme, ionic_conductivity=1.0e-3)

    product_update(
        actor=sme.owner, product=product, data={"ionic_conductivity": 2.4e-3, "asr": 6.0}
    )
    stored = Product.objects.get(pk=product.pk)
    assert (stored.ionic_conductivity, stored.asr) == (pytest.approx(1.0e-3), None)
    assert stored.pending_changes == {"ionic_conductivity": 2.4e-3, "asr": 6.0}
    assert stored.status == VERIFIED

    product_verify(actor=official, product=stored)
    stored.refresh_from_db()
    assert (stored.ionic_conductivity, stored.asr) == (pytest.approx(2.4e-3), 6.0)
    assert stored.pending_changes is None
    change = stored.status_changes.first()
    assert (change.actor, change.from_status, change.to_status) == (official, VERIFIED, VERIFIED)


def test_product_edit_returned_is_discarded(sme, official):
    product = ProductFactory(enterprise=sme, price=Decimal("1000.00"))
    product_update(actor=sme.owner, product=product, data={"price": Decimal("900.00")})

    product_return(actor=official, product=product, reason="Price without VAT?")

    stored = Product.objects.get(pk=product.pk)
    assert (stored.status, stored.price, stored.pending_changes) == (
        VERIFIED,
        Decimal("1000.00"),
        None,
    )
    assert "Price without VAT?" in stored.status_changes.first().reason


def test_product_edit_of_a_pending_product_applies_at_once(sme):
    product = ProductFactory(enterprise=sme, status=PENDING)
    product_update(actor=sme.owner, product=product, data={"decay_rate": 0.02})
    stored = Product.objects.get(pk=product.pk)
    assert (stored.decay_rate, stored.pending_changes) == (0.02, None)


# --- specifications: validated by the service and guarded by the database ------------------


SPEC_VIOLATIONS = [
    pytest.param("ionic_conductivity", -1e-4, id="negative-conductivity"),
    pytest.param("asr", -0.5, id="negative-asr"),
    pytest.param("specific_capacity", -10.0, id="negative-capacity"),
    pytest.param("decay_rate", 100.5, id="decay-above-100-percent"),
    pytest.param("decay_rate", -0.01, id="negative-decay"),
    pytest.param("coulombic_efficiency", 100.01, id="coulombic-efficiency-above-100-percent"),
    pytest.param("weight_reduction", 150.0, id="weight-reduction-above-100-percent"),
    pytest.param("price", Decimal("-1.00"), id="negative-price"),
]


@pytest.mark.parametrize(("field", "value"), SPEC_VIOLATIONS)
def test_spec_out_of_range_is_refused_naming_the_field(sme, field, value):
    with pytest.raises(ValidationError) as caught:
        product_create(actor=sme.owner, enterprise=sme, data=product_data(**{field: value}))
    assert field in caught.value.message_dict
    assert not Product.objects.exists()


@pytest.mark.parametrize(("field", "value"), SPEC_VIOLATIONS)
def test_spec_out_of_range_in_an_edit_is_refused_naming_the_field(sme, field, value):
    product = ProductFactory(enterprise=sme)
    with pytest.raises(ValidationError) as caught:
        product_update(actor=sme.owner, product=product, data={field: value})
    assert field in caught.value.message_dict
    assert Product.objects.get(pk=product.pk).pending_changes is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("decay_rate", 0.0), ("decay_rate", 100.0), ("coulombic_efficiency", 100.0)],
)
def test_percent_bounds_are_inclusive(sme, field, value):
    product_create(actor=sme.owner, enterprise=sme, data=product_data(**{field: value}))


@pytest.mark.parametrize(("field", "value"), SPEC_VIOLATIONS)
def test_database_rejects_out_of_range_specs_without_full_clean(sme, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(
            enterprise=sme, name="bypass", category=category("oxide-electrolyte"), **{field: value}
        )


def test_database_rejects_negative_capacity_without_full_clean(sme):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.filter(pk=sme.pk).update(annual_capacity=Decimal("-5"))


@pytest.mark.parametrize("status", [PENDING, RETURNED])
def test_database_rejects_a_recommended_unverified_enterprise(status):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseFactory(status=status, recommended=True)


def test_database_rejects_a_duplicate_uscc_without_full_clean(sme):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(
            uscc=sme.uscc, name_zh="重复", kind="sme", district=local_district()
        )


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
