"""An official signs in on the demo city and lands on their to-do list: what waits for them,
counted, the longest wait first. They open one waiting item, decide it, and its count goes
down (issue 18)."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.e2e.journey import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEMO_PASSWORD = "ssb-demo-2025"  # the README's
SUBMITTED = "Applications submitted, review not started"
UNDER_REVIEW = "Applications under review"


@pytest.fixture
def demo_city(settings):
    settings.DEBUG = True
    for loader in ("seed_demo", "seed_alliance", "seed_programmes", "seed_talent"):
        call_command(loader, "--if-empty", stdout=io.StringIO())


def waiting_count(page: Page, label: str) -> int:
    """The count beside one line of the to-do list (0 when the line is gone)."""
    row = page.locator(".waiting-list tr", has=page.get_by_role("link", name=label, exact=True))
    if row.count() == 0:
        return 0
    return int(row.locator(".waiting-count").inner_text())


def test_an_official_decides_what_waits_and_the_count_goes_down(demo_city, page, journey):
    log_in(page, "official", DEMO_PASSWORD)

    # Signing in without a page to return to lands the official on their to-do list.
    expect(page).to_have_url(re.compile(r"/admin/$"))
    to_do = page.get_by_role("region", name="Waiting for you")
    expect(to_do).to_be_visible()
    expect(to_do.get_by_role("link", name=SUBMITTED, exact=True)).to_be_visible()
    submitted = waiting_count(page, SUBMITTED)
    under_review = waiting_count(page, UNDER_REVIEW)
    assert submitted >= 1
    journey.capture("to-do")

    # The line leads to the applications it counted, and to one of them.
    to_do.get_by_role("link", name=SUBMITTED, exact=True).click()
    expect(page).to_have_url(re.compile(r"status__exact=submitted"))
    expect(page.locator("#result_list tbody tr")).to_have_count(submitted)
    page.locator("#result_list tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Decide")).to_be_visible()

    # Deciding it: start the review, confirmed on the action's page.
    page.get_by_role("button", name="Start review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start review")
    page.get_by_role("button", name="Start review").click()
    expect(page.locator(".messagelist")).to_contain_text("Under review")

    page.goto("/admin/")
    assert waiting_count(page, SUBMITTED) == submitted - 1
    assert waiting_count(page, UNDER_REVIEW) == under_review + 1
    journey.capture("to-do-after")
