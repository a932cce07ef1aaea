"""Keyboard users: the first Tab reaches the skip link, which leads past the header straight
to the page's form; every stop shows a visible focus ring."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FOCUS_RING = """element => {
    const style = getComputedStyle(element);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
        || style.boxShadow !== "none";
}"""


def test_keyboard_reaches_the_signup_form_through_the_skip_link(page, journey):
    page.goto("/accounts/signup/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    assert skip_link.evaluate(FOCUS_RING), "the focused skip link shows no focus ring"
    journey.capture("skip-link-focused", audit=False)

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Log in").last).to_be_focused()
    page.keyboard.press("Tab")
    username = page.get_by_label("Username")
    expect(username).to_be_focused()
    assert username.evaluate(FOCUS_RING), "the focused username field shows no focus ring"
    page.keyboard.press("Tab")
    expect(page.get_by_label("Your email")).to_be_focused()
    journey.capture("signup-field-focused", audit=False)


def test_keyboard_logs_in(page):
    UserFactory(username="keyboard-user")
    page.goto("/accounts/login/")

    # The username field has the focus from the start (autofocus).
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("keyboard-user")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type("correct horse battery staple")
    page.keyboard.press("Enter")

    expect(page.get_by_role("button", name="Log out")).to_be_visible()
