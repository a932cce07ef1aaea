"""An official verifies a new enterprise and its product in the admin and marks the enterprise
recommended; the public then finds it in the Recommendation Directory."""

import re

import pytest
from playwright.sync_api import expect

from directory.models import ListingStatus
from tests.e2e.journey import log_in
from tests.factories import EnterpriseFactory, ProductFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"  # UserFactory's


def decide(page, action: str, reason: str) -> None:
    """On an admin change page: the decision's button, then its reason form."""
    page.get_by_role("button", name=action).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(action)
    page.get_by_label("Reason").fill(reason)


def test_official_verifies_and_recommends_an_enterprise(page, journey, official):
    enterprise = EnterpriseFactory(
        name_zh="灵犀固态材料有限公司",
        name_en="Lingxi Solid Materials Co., Ltd.",
        status=ListingStatus.PENDING,
        verified_at=None,
        categories=["sulfide-electrolyte"],
    )
    product = ProductFactory(
        enterprise=enterprise,
        name="Li6PS5Cl electrolyte powder LX-1",
        status=ListingStatus.PENDING,
        ionic_conductivity=1.5e-3,
    )

    log_in(page, official.username, PASSWORD)
    page.goto("/admin/")
    journey.capture("admin-index")

    page.get_by_role("link", name="Enterprises", exact=True).first.click()
    page.get_by_role("link", name="Pending verification").first.click()
    expect(page).to_have_url(re.compile(r"status__exact=pending"))
    journey.capture("enterprises-pending")
    page.get_by_role("link", name="灵犀固态材料有限公司").first.click()
    expect(page.get_by_role("heading", name="Decide")).to_be_visible()
    journey.capture("enterprise-to-decide")

    decide(page, "Verify (or accept pending changes)", "Licence and site checked on 2026-05-06.")
    journey.capture("verify-reason-form")
    page.get_by_role("button", name="Verify (or accept pending changes)").click()
    expect(page.locator(".messagelist")).to_contain_text("1 enterprise verified.")

    page.get_by_role("link", name="Products", exact=True).first.click()
    page.get_by_role("link", name="Li6PS5Cl electrolyte powder LX-1").click()
    decide(page, "Verify (or accept pending changes)", "")
    page.get_by_role("button", name="Verify (or accept pending changes)").click()
    expect(page.locator(".messagelist")).to_contain_text("verified")

    page.get_by_role("link", name="Enterprises", exact=True).first.click()
    page.get_by_role("link", name="灵犀固态材料有限公司").first.click()
    decide(page, "Mark recommended", "Local supplier of sulfide electrolyte at scale.")
    page.get_by_role("button", name="Mark recommended").click()
    expect(page.locator(".messagelist")).to_contain_text("1 enterprise recommended.")
    journey.capture("recommended")

    page.goto("/directory/?recommended=true")
    result = page.locator(".result", has=page.get_by_role("link", name="灵犀固态材料有限公司"))
    expect(result).to_contain_text("Recommended")
    expect(result).to_contain_text("Li6PS5Cl electrolyte powder LX-1")
    journey.capture("recommendation-directory")

    enterprise.refresh_from_db()
    product.refresh_from_db()
    assert (enterprise.status, enterprise.recommended) == (ListingStatus.VERIFIED, True)
    assert product.status == ListingStatus.VERIFIED
