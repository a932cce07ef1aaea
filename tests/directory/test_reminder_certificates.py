"""A certificate about to expire (issue 18): its enterprise's members are told 60, 30 and 7 days
before, each warning once; an expired or distant certificate is not due."""

import datetime

import pytest
from django.utils import timezone

from directory.reminders import certificates_expiring
from tests.factories import CertificationFactory, EnterpriseFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("days_left", "occasion"),
    [
        (61, None),
        (60, "60-days"),
        (31, "60-days"),
        (30, "30-days"),
        (8, "30-days"),
        (7, "7-days"),
        (0, "7-days"),
        (-1, None),
    ],
)
def test_a_certificate_is_due_at_60_30_and_7_days(sme, days_left, occasion):
    today = timezone.localdate()
    CertificationFactory(enterprise=sme, valid_until=today + datetime.timedelta(days=days_left))

    items = list(certificates_expiring(today=today))

    assert [item.occasion for item in items] == ([occasion] if occasion else [])


def test_each_member_is_told_and_only_of_their_enterprise(sme):
    today = timezone.localdate()
    colleague = MembershipFactory(enterprise=sme).user
    CertificationFactory(enterprise=sme, valid_until=today + datetime.timedelta(days=5))
    other = EnterpriseFactory()
    stranger = MembershipFactory(enterprise=other).user
    CertificationFactory(enterprise=other, valid_until=today + datetime.timedelta(days=5))

    mine = list(certificates_expiring(today=today, user=sme.owner))

    assert [item.recipient for item in mine] == [sme.owner]
    everyone = {item.recipient for item in certificates_expiring(today=today)}
    assert everyone == {sme.owner, colleague, stranger}
