""" "What is due" (issue 18): the signed-in person's own due items on the home page and the due
page, overdue first, an empty state, a count in the header; never another person's items."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ssb_portal.reminders.header import SESSION_KEY
from ssb_portal.reminders.selectors import due_for
from subsidies.models import Milestone
from tests.factories import (
    ApplicationFactory,
    CertificationFactory,
    EnterpriseFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def due_things(sme):
    """For the SME: a certificate expiring in 40 days, an overdue and a coming milestone."""
    CertificationFactory(enterprise=sme, number="CERT-40", valid_until=days(40))
    project = ApplicationFactory(applicant=sme, status="approved", programme__kind="rd_fund")
    Milestone.objects.create(application=project, title="Pilot line", due_on=days(-3))
    Milestone.objects.create(application=project, title="Cells built", due_on=days(10))
    return sme


@pytest.fixture
def strangers():
    """Another enterprise's due things, with a member of its own."""
    other = EnterpriseFactory()
    MembershipFactory(enterprise=other)
    CertificationFactory(enterprise=other, number="THEIRS-1", valid_until=days(5))
    project = ApplicationFactory(applicant=other, status="approved", programme__kind="rd_fund")
    Milestone.objects.create(application=project, title="Their milestone", due_on=days(-1))
    return other


def test_due_items_are_the_users_own_overdue_first(due_things, strangers):
    items = due_for(due_things.owner)

    assert [(item.kind, item.overdue, item.due_on) for item in items] == [
        ("milestone_report", True, days(-3)),
        ("milestone_report", False, days(10)),
        ("certificate_expiring", False, days(40)),
    ]
    assert all(item.recipient == due_things.owner for item in items)


def test_the_home_page_lists_what_is_due_and_not_anothers(client, due_things, strangers):
    client.force_login(due_things.owner)

    page = client.get(reverse("home")).content.decode()

    assert "What is due" in page
    assert page.index("Pilot line") < page.index("Cells built") < page.index("CERT-40")
    assert "badge-overdue" in page
    assert "THEIRS-1" not in page
    assert "Their milestone" not in page


def test_the_due_page_shows_an_empty_state(client, sme):
    client.force_login(sme.owner)

    response = client.get(reverse("reminders:due"))

    assert response.status_code == 200
    assert "Nothing is due" in response.content.decode()


def test_the_home_page_of_a_visitor_has_no_due_list(client):
    page = client.get(reverse("home")).content.decode()

    assert "What is due" not in page
    assert reverse("reminders:due") not in page


def test_the_due_list_is_in_chinese(client, due_things):
    client.force_login(due_things.owner)

    page = client.get(reverse("reminders:due"), headers={"accept-language": "zh-hans"})

    text = page.content.decode()
    assert "待办事项" in text
    assert "已逾期" in text
    assert "里程碑“Pilot line”报告" in text


def test_the_header_counts_what_is_due_from_login_on(client, due_things):
    client.force_login(due_things.owner)

    page = client.get(reverse("subsidies:programmes")).content.decode()

    assert '<span class="due-count" aria-hidden="true">3</span>' in page
    assert '<span class="visually-hidden">3 items due</span>' in page


def test_the_header_count_is_counted_again_once_stale(client, due_things):
    client.force_login(due_things.owner)
    session = client.session
    session[SESSION_KEY] = {"count": 99, "at": 0}
    session.save()

    page = client.get(reverse("subsidies:programmes")).content.decode()

    assert '<span class="due-count" aria-hidden="true">3</span>' in page


def test_the_due_page_reads_a_bounded_number_of_queries(
    client, due_things, django_assert_max_num_queries
):
    for index in range(5):
        CertificationFactory(enterprise=due_things, number=f"MORE-{index}", valid_until=days(9))
        MembershipFactory(enterprise=due_things)
    client.force_login(due_things.owner)

    # Session and user, then one or two queries per kind (nine kinds, none per row; the bills
    # of materials about to run out read one when there are none), then the session's count
    # saved: 16 whatever the number of items and members.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("reminders:due"))

    assert response.content.decode().count('class="due-item') == 8
