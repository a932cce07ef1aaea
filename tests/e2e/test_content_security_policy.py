"""Under the Content-Security-Policy the browser blocks nothing the portal needs: the search
page's script (now a static file) folds the filters on a phone, and the API docs and an admin
page load with no policy violation."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def violations_on(page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: found.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    return found


def test_the_search_script_folds_the_filters_on_a_phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-US", base_url=live_server.url
    )
    page = context.new_page()
    found = violations_on(page)

    page.goto("/directory/")

    expect(page.locator("#filter-panel")).not_to_have_attribute("open", "")
    assert found == []
    context.close()


def test_the_api_docs_and_the_admin_load_without_a_policy_violation(page):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    found = violations_on(page)

    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()

    assert found == []
