"""On a phone the header is the brand and a menu button: the page starts near the top, and the
menu opens every link a signed-in person has (issue 18)."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from ssb_portal.roles import OFFICIAL_GROUP
from tests.e2e.journey import DESKTOP, PHONE, log_in
from tests.e2e.test_content_security_policy import violations_on
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"  # UserFactory's
#: The closed header's height on a phone, in CSS pixels.
PHONE_HEADER_MAX = 80


def header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


@pytest.fixture
def official(db):
    """The role with the most header links."""
    user = UserFactory(username="wang-official", is_staff=True)
    user.groups.add(Group.objects.get(name=OFFICIAL_GROUP))
    return user


def test_a_signed_in_official_opens_the_phone_menu_and_follows_a_link(page, official, journey):
    found = violations_on(page)
    log_in(page, "wang-official", PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto("/")

    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Log out")).to_be_hidden()
    assert header_height(page) <= PHONE_HEADER_MAX, header_height(page)
    page.screenshot(path=str(journey.folder / "01-closed-phone.png"))

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("navigation", name="Your work")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("button", name="中文")).to_be_visible()
    page.screenshot(path=str(journey.folder / "02-open-phone.png"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Alliance").click()
    assert page.url.endswith("/alliance/")
    # The new page starts with the menu closed again.
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")
    assert header_height(page) <= PHONE_HEADER_MAX
    assert found == []


def test_a_wide_screen_shows_every_link_and_no_menu_button(page, official):
    log_in(page, "wang-official", PASSWORD)
    page.set_viewport_size(DESKTOP)
    page.goto("/")

    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("navigation", name="Your work")).to_be_visible()


def test_a_chinese_visitor_finds_the_menu_on_a_phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()

    page.goto("/")
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="人才").click()

    assert page.url.endswith("/talent/")
    context.close()
