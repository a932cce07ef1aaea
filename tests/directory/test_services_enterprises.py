"""Registering an enterprise through the directory's services, and edits of a verified one that
wait as pending changes until an official verifies them.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from directory.models import District, Enterprise, Membership
from directory.services.enterprises import (
    enterprise_register,
    enterprise_return,
    enterprise_update,
    enterprise_verify,
)
from ssb_portal.roles import ANCHOR_GROUP, OFFICIAL_GROUP, SME_GROUP
from tests.directory.services_support import PENDING, VERIFIED, category, counts, registration_data
from tests.factories import UserFactory, outside_district

pytestmark = pytest.mark.django_db


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
