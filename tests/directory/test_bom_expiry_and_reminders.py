"""A verified bill of materials runs out by itself: `send_reminders` (run by `make run` and
bin/serve every hour, or by cron) expires the bills whose validity passed before it mails the
reminders, the supplier's members are told, and they are reminded 30 and 7 days before."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.composition.services import bom_expire_due
from directory.models import BillOfMaterials, BomStatus
from directory.reminders import bills_expiring
from ssb_portal.reminders.services import reminders_send
from tests.directory.bom_support import declare_and_verify, line
from tests.factories import MembershipFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(official, sme):
    product = ProductFactory(enterprise=sme, name="Demo pack 48V")
    return declare_and_verify(official, sme.owner, product, [line("all", cost=100)], days=30)


def _days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_expiry_tells_the_members_with_a_link_to_the_bills(
    verified, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert bom_expire_due(day=_days(31)) == 1
    (message,) = mail.outbox
    assert "Demo pack 48V" in message.subject
    assert "expired" in message.body
    product = verified.product
    assert reverse("directory:bom_list", args=[product.enterprise.uscc, product.pk]) in (
        message.body
    )


@pytest.mark.parametrize(
    ("days_before", "occasion"),
    [(31, None), (30, "30-days"), (8, "30-days"), (7, "7-days"), (0, "7-days"), (-1, None)],
)
def test_a_verified_bill_is_due_30_and_7_days_before_it_runs_out(verified, days_before, occasion):
    today = verified.valid_until - datetime.timedelta(days=days_before)
    items = list(bills_expiring(today=today))
    assert [item.occasion for item in items] == ([occasion] if occasion else [])


def test_only_verified_bills_of_the_users_firms_are_due(verified, sme):
    stranger = MembershipFactory().user
    today = verified.valid_until - datetime.timedelta(days=7)
    assert list(bills_expiring(today=today, user=stranger)) == []
    (item,) = bills_expiring(today=today, user=sme.owner)
    assert "Demo pack 48V" in item.text()
    BillOfMaterials.objects.filter(pk=verified.pk).update(status=BomStatus.SUPERSEDED)
    assert list(bills_expiring(today=today)) == []


def test_the_reminder_is_mailed_once_per_occasion(verified, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send(today=verified.valid_until - datetime.timedelta(days=30))
        again = reminders_send(today=verified.valid_until - datetime.timedelta(days=29))
    assert (first, again) == (1, 0)
    assert "Demo pack 48V" in mail.outbox[0].body


def test_send_reminders_expires_the_bills_that_ran_out(verified):
    BillOfMaterials.objects.filter(pk=verified.pk).update(
        valid_from=_days(-40), valid_until=_days(-1)
    )
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    verified.refresh_from_db()
    assert verified.status == BomStatus.EXPIRED
    assert "1 bill(s) of materials expired." in out.getvalue()
