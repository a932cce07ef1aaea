"""What every browser journey does at its key pages: full-page screenshots and an axe-core
accessibility check (failing on serious or critical violations) at desktop and phone widths."""

import os
import shutil
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

# Debian's Chromium (`make browser`); another build elsewhere may be named here.
CHROMIUM = Path(os.environ.get("SSB_E2E_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "e2e-screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
FAILING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def accessibility_problems(page: Page) -> list[str]:
    """The page's serious and critical axe-core violations, each with what to fix and where."""
    results = _axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    at {', '.join(map(str, node['target']))}" for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


class Journey:
    """One journey's key pages, saved as var/e2e-screenshots/<journey>/<nn>-<page>-<width>.png."""

    def __init__(self, page: Page, name: str):
        self.page = page
        self.folder = SCREENSHOTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.step = 0

    def capture(self, name: str, *, audit: bool = True) -> None:
        """Screenshot the page at both widths (a phone must not scroll sideways) and check its
        accessibility at each: a phone's layout hides and moves things a desktop shows."""
        self.step += 1
        stem = self.folder / f"{self.step:02d}-{name}"
        self.page.wait_for_load_state()
        for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            self.page.set_viewport_size(viewport)
            if audit:
                problems = accessibility_problems(self.page)
                assert not problems, f"{self.page.url} ({width_name}):\n" + "\n".join(problems)
            if viewport is PHONE:
                page_width = self.page.evaluate("document.documentElement.scrollWidth")
                assert page_width <= PHONE["width"], (
                    f"{self.page.url} is {page_width} px wide on a phone: it scrolls sideways"
                )
            self.page.screenshot(path=f"{stem}-{width_name}.png", full_page=True)
        self.page.set_viewport_size(DESKTOP)


def log_in(page: Page, username: str, password: str) -> None:
    """Log in on the login page, the way people do: type, then press Enter."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
