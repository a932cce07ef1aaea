"""A visitor reading Chinese follows the programme on its dashboard, on a phone and at a desk,
and downloads the figures; an official sees the firms behind them."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.journey import PHONE, log_in
from tests.factories import EnterpriseFactory, PurchaseLineFactory, outside_district

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"  # UserFactory's


@pytest.fixture
def chinese_page(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def purchases(db):
    """An anchor firm that bought 600,000 CNY locally and 400,000 CNY outside this year."""
    anchor = EnterpriseFactory(kind="anchor", name_zh="江城储能集团", name_en="Jiangcheng Storage")
    PurchaseLineFactory(buyer=anchor, amount=Decimal("600000.00"))
    PurchaseLineFactory(
        buyer=anchor,
        supplier=EnterpriseFactory(district=outside_district()),
        amount=Decimal("400000.00"),
    )
    return anchor


def test_a_chinese_visitor_reads_the_dashboard_and_downloads_its_figures(
    chinese_page, purchases, journey_for
):
    page = chinese_page
    journey = journey_for(page)
    year = timezone.localdate().year

    page.goto("/")
    # On a phone the sections sit behind the header's menu.
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="规划目标看板").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("规划目标看板")
    lcr = page.locator("#lcr")
    expect(lcr.get_by_role("row").filter(has_text=str(year))).to_contain_text("60.00 %")
    journey.capture("public-dashboard")

    # The numbers behind a chart open from the keyboard, as a table.
    summary = lcr.locator("summary").first
    summary.focus()
    summary.press("Enter")
    expect(lcr.locator("details table").first).to_be_visible()
    journey.capture("chart-numbers")

    with page.expect_download() as download:
        page.get_by_role("link", name="全部数字（CSV）").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) > 1
    names = (purchases.name_zh, purchases.name_en)
    assert not any(name in cell for row in rows for cell in row for name in names)
    assert not any(name in page.content() for name in names)


def test_an_official_sees_the_firms_behind_the_figures(page, official, purchases, journey):
    log_in(page, official.username, PASSWORD)
    page.goto("/programme/")
    page.get_by_role("link", name="Version for officials").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme dashboard for officials")
    expect(page.locator("main")).to_contain_text(purchases.name_en)
    journey.capture("officials-dashboard")
