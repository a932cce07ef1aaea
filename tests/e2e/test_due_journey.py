"""An SME's owner sees what is due (issue 18): the header counts it, the home page lists it
overdue first, and they stop the certificate reminders from being mailed."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ssb_portal.reminders.models import ReminderOptOut
from subsidies.models import Milestone
from tests.e2e.journey import log_in
from tests.factories import (
    ApplicationFactory,
    CertificationFactory,
    EnterpriseFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"  # UserFactory's


def test_sme_sees_what_is_due_and_opts_out_of_certificate_mail(page, journey):
    today = timezone.localdate()
    enterprise = EnterpriseFactory(name_zh="江城固态材料有限公司")
    owner = UserFactory(username="wang")
    MembershipFactory(user=owner, enterprise=enterprise, role="owner")
    CertificationFactory(
        enterprise=enterprise, number="QMS-2030", valid_until=today + datetime.timedelta(days=20)
    )
    project = ApplicationFactory(applicant=enterprise, status="approved", programme__kind="rd_fund")
    Milestone.objects.create(
        application=project, title="Pilot line", due_on=today - datetime.timedelta(days=2)
    )

    log_in(page, "wang", PASSWORD)
    due_link = page.get_by_role("navigation", name="Your work").get_by_role("link", name="Due")
    expect(due_link).to_contain_text("2")

    page.goto("/")
    due = page.locator("#due")
    expect(due.get_by_role("heading", name="What is due")).to_be_visible()
    expect(due.locator(".due-item").first).to_contain_text("Pilot line")
    expect(due.locator(".due-item").first).to_contain_text("Overdue")
    expect(due.locator(".due-item").nth(1)).to_contain_text("QMS-2030")
    journey.capture("home-due")

    due.get_by_role("link", name="Choose which reminders are mailed to you").click()
    page.get_by_label("A certificate about to expire").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Your choice of reminders is saved.")
    expect(page.get_by_label("A certificate about to expire")).not_to_be_checked()
    journey.capture("reminder-settings")

    assert list(ReminderOptOut.objects.values_list("user__username", "kind")) == [
        ("wang", "certificate_expiring")
    ]
