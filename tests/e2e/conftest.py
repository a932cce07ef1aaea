"""Browser journeys: Playwright drives the system Chromium against pytest-django's live server.

One browser for the session, a new context (cookies, viewport) per test. Without Chromium the
journeys skip on a developer's machine and fail in CI (SSB_E2E_REQUIRED=1), where `make browser`
has installed it.
"""

import os

import pytest
from django.db import connections

from tests.e2e.journey import CHROMIUM, DESKTOP, Journey


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM}: `make browser` installs Debian's chromium"
        if os.environ.get("SSB_E2E_REQUIRED"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API marks its asyncio event loop as running in the test's thread from
    # its start to the end of the session. Two consequences for Django in this thread:
    # - It takes every ORM call here (factories, refresh_from_db, the fixtures' flush) for one
    #   made inside a coroutine and refuses it (SynchronousOnlyOperation). They are ordinary
    #   blocking calls made between browser steps, never while the loop runs our code: the
    #   check is turned off for the rest of the session (the database's teardown included).
    # - It keeps the thread's database connections in context-local storage: new connection
    #   objects, without the snapshot of the data migrations' rows (districts, categories,
    #   groups) that the serialized rollback reloads after a flush. They get the snapshot.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    snapshots = {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all()
        if hasattr(connection, "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context at desktop width, in English, on the live server."""
    context = browser.new_context(viewport=DESKTOP, locale="en-US", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def journey(page, request):
    """Screenshots and accessibility checks of one journey, named after its test."""
    return Journey(page, _journey_name(request))


@pytest.fixture
def journey_for(request):
    """Like `journey`, for a page the test opened itself (another language or width)."""
    return lambda page: Journey(page, _journey_name(request))


def _journey_name(request) -> str:
    return request.node.name.removeprefix("test_").replace("_", "-")
