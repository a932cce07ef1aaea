"""An anchor firm applies for the local-procurement subsidy (5 % of the local purchases it
claims) and an official reviews and approves it in the admin."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directory.demo.documents import blank_pdf
from subsidies.models import Application, ApplicationStatus
from tests.e2e.journey import log_in
from tests.factories import EnterpriseFactory, ProgrammeFactory, PurchaseLineFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"  # UserFactory's
PDF_BYTES = blank_pdf()


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()


def act_in_admin(page, action: str, note: str = "") -> None:
    """On the application's admin page: the decision's button, its form, then the result."""
    page.get_by_role("button", name=action, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(action)
    if note:
        page.get_by_label("Note").fill(note)
    page.get_by_role("button", name=action, exact=True).click()


def test_anchor_applies_for_the_procurement_subsidy_and_an_official_approves(
    page, journey, anchor, official
):
    year = timezone.localdate().year
    ProgrammeFactory(
        kind="local_procurement",
        name_en=f"Local procurement subsidy {year}",
        name_zh=f"{year}年本地采购补贴",
        required_documents=["invoices"],
    )
    supplier = EnterpriseFactory(name_zh="灵犀固态材料有限公司", name_en="Lingxi Solid Materials")
    # The supplier has confirmed both lines: only confirmed lines can be claimed.
    for invoice, amount in (("INV-0001", "100000.00"), ("INV-0002", "250000.50")):
        PurchaseLineFactory(
            buyer=anchor,
            supplier=supplier,
            invoice_no=invoice,
            amount=amount,
            confirmation="confirmed",
        )
    # 5 % of 350,000.50 CNY is 17,500.025: rounded half-up to the fen.
    expected_amount = "17,500.03"

    log_in(page, anchor.owner.username, PASSWORD)
    page.goto("/support/")
    journey.capture("programmes")
    page.get_by_role("link", name=f"Local procurement subsidy {year}").first.click()
    expect(page.get_by_role("heading", name="Apply", exact=True)).to_be_visible()
    journey.capture("programme")
    page.get_by_role("link", name="Apply", exact=True).click()
    page.get_by_role("button", name="Start the application").click()
    expect(page.get_by_role("status")).to_contain_text("is started as a draft")
    journey.capture("draft")

    page.get_by_role("link", name="Pick purchase lines").first.click()
    page.get_by_label("Claim invoice INV-0001, line 1").check()
    page.get_by_label("Claim invoice INV-0002, line 1").check()
    journey.capture("pick-lines")
    page.get_by_role("button", name="Save and return to the application").click()
    expect(page.get_by_role("status")).to_contain_text("2 purchase lines claimed")
    expect(page.locator("main")).to_contain_text(expected_amount)

    page.get_by_role("link", name="Attach a document").first.click()
    page.get_by_label("Kind of document").select_option("invoices")
    page.get_by_label("File").set_input_files(
        {"name": "invoices.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    journey.capture("attach-document")
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_role("status")).to_contain_text("“invoices.pdf” is attached")

    page.get_by_role("link", name="Submit…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submit application")
    journey.capture("submit")
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_role("status")).to_contain_text("is submitted")
    journey.capture("submitted")
    log_out(page)

    log_in(page, official.username, PASSWORD)
    page.goto("/admin/subsidies/application/")
    journey.capture("admin-queue")
    application = Application.objects.get(applicant=anchor)
    page.get_by_role("link", name=f"#{application.pk}", exact=True).click()
    expect(page.get_by_role("heading", name="Decide")).to_be_visible()
    journey.capture("admin-application")
    act_in_admin(page, "Start review", "Invoices match the purchase records.")
    expect(page.locator(".messagelist")).to_contain_text("Under review")
    page.get_by_role("link", name=f"#{application.pk}", exact=True).click()
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve")
    journey.capture("admin-approve-form")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(f"approved {expected_amount} CNY")
    log_out(page)

    log_in(page, anchor.owner.username, PASSWORD)
    page.goto(f"/support/applications/{application.pk}/")
    expect(page.get_by_role("heading", name="Approved", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text(expected_amount)
    journey.capture("approved")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.awarded_amount_cny == Decimal("17500.03")
