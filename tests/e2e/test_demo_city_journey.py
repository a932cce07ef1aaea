"""After `make run`, someone evaluating the portal for their city tours every part of the
programme with the README's demo logins and finds no empty list (issue 21)."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from alliance.demonstrations.models import DemonstrationProject
from alliance.models import Collaboration
from tests.e2e.journey import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEMO_PASSWORD = "ssb-demo-2025"  # the README's
#: What an empty list says on the portal's pages ("No collaboration yet", "No notice
#: published yet", "No funded R&D projects yet.", "0 results"...).
EMPTY = re.compile(r"\bNo [^.\n]{0,60} yet\b|\bnothing (?:here|yet)\b|^0 results", re.I | re.M)


@pytest.fixture
def demo_city(settings):
    settings.DEBUG = True
    for loader in ("seed_demo", "seed_alliance", "seed_programmes", "seed_talent"):
        call_command(loader, "--if-empty", stdout=io.StringIO())


def visit(page: Page, path: str, *, must_show: str = "") -> None:
    """Open the page; it must answer, show no empty-state box and no empty-list wording."""
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    assert page.locator(".empty-state").count() == 0, f"{path} shows an empty state"
    text = page.locator("main").inner_text()
    found = EMPTY.search(text)
    assert found is None, f"{path} says “{found.group(0)}”"
    if must_show:
        expect(page.locator("main")).to_contain_text(must_show)


def test_the_demo_city_fills_every_page_named_in_the_issue(demo_city, page, journey):
    # The home page leads to each of the five suggestions in one click.
    page.goto("/")
    suggestions = page.get_by_role("region", name="The programme's five suggestions")
    for name, heading in (
        ("1. R&D special fund", "Support programmes"),
        ("2. Local procurement directory", ""),
        ("3. Demonstration scenarios", ""),
        ("4. Tiered policy support", ""),
        ("5. Talent cultivation", ""),
    ):
        suggestions.get_by_role("link", name=name).click()
        expect(page.locator("main")).to_be_visible()
        assert page.locator(".empty-state").count() == 0, f"{name} leads to an empty page"
        if heading:
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        page.go_back()
    journey.capture("home")

    # Public pages.
    visit(page, "/directory/?recommended=true")
    visit(page, "/directory/lcr/")
    visit(page, "/alliance/demonstrations/", must_show="Humanoid robots")
    grid = DemonstrationProject.objects.get(scenario="grid_storage")
    visit(page, f"/alliance/demonstrations/{grid.pk}/", must_show="Met")
    visit(page, "/support/")
    visit(page, "/support/notices/")
    visit(page, "/support/awards/")
    visit(page, "/talent/")
    visit(page, "/programme/", must_show="Standard co-creation")

    # The anchor firm: its demands, collaborations (deliveries of the supply agreement) and
    # applications.
    log_in(page, "anchor", DEMO_PASSWORD)
    visit(page, "/alliance/demands/")
    visit(page, "/alliance/collaborations/", must_show="Long-term supply")
    supply = Collaboration.objects.get(model="supply")
    visit(page, f"/alliance/collaborations/{supply.pk}/", must_show="96.0")
    visit(page, "/support/applications/", must_show="National major project matching")
    page.get_by_role("button", name="Log out").click()

    # The SME: its applications in the other states.
    log_in(page, "sme", DEMO_PASSWORD)
    visit(page, "/support/applications/", must_show="Industrial land priority")
    page.get_by_role("button", name="Log out").click()

    # The student: last year's award and this year's renewal.
    log_in(page, "student", DEMO_PASSWORD)
    visit(page, "/talent/scholarships/", must_show="Awarded")
    page.get_by_role("button", name="Log out").click()

    # The official: the KPI table, the officials' dashboards and queues.
    log_in(page, "official", DEMO_PASSWORD)
    visit(page, "/support/rd-kpis/", must_show="R&D special fund")
    visit(page, "/programme/officials/")
    visit(page, "/directory/lcr/city/")
    visit(page, "/admin/directory/measurementdataset/", must_show="contradict")
    visit(page, "/admin/subsidies/application/")
    visit(page, "/admin/subsidies/recovery/")
    visit(page, "/admin/directory/purchaseimport/")
