"""An SME signs up, confirms its account, adds a product with measured data and sees both
waiting for the officials' verification."""

import math
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from directory.demo.documents import blank_pdf
from directory.models import Enterprise, ListingStatus
from ssb_portal import formulas
from tests.e2e.journey import log_in
from tests.factories import make_uscc

pytestmark = [
    pytest.mark.e2e,
    # The live server answers from another thread, so the test's data must be committed; the
    # serialized rollback reloads the districts and categories an earlier flush emptied.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Solid-state 2026 cells"
PDF_BYTES = blank_pdf()


def conductivity_csv() -> bytes:
    """σ(T) of an electrolyte with E_a = 0.25 eV, A = 25 S/cm: σ(25 °C) ≈ 1.5 mS/cm."""
    rows = ["temperature (°C),ionic conductivity (S/cm)"]
    for celsius in (-20, 0, 25, 40, 60, 80):
        sigma = 25 * math.exp(-0.25 / (formulas.BOLTZMANN_EV_PER_K * (celsius + 273.15)))
        rows.append(f"{celsius},{sigma:.6e}")
    return ("\n".join(rows) + "\n").encode()


def test_sme_signs_up_and_lists_a_product_with_data(page, journey):
    uscc = make_uscc(900001)
    page.goto("/")
    journey.capture("home")

    page.get_by_role("link", name="Sign up").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up your enterprise")
    journey.capture("signup-form")

    # A wrong check digit and two different passwords: each error sits at its own field.
    page.get_by_label("Username").fill("lingxi")
    page.get_by_label("Your email").fill("wang@lingxi.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD + "!")
    wrong_check_digit = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
    page.get_by_label("Unified social credit code").fill(wrong_check_digit)
    page.get_by_label("Legal name (Chinese)").fill("灵犀固态材料有限公司")
    page.get_by_label("Legal name (English)").fill("Lingxi Solid Materials Co., Ltd.")
    page.get_by_label("Kind").select_option("sme")
    page.get_by_label("Registered district").select_option(label="Donghu District")
    page.get_by_label("Contact person").fill("王工")
    page.get_by_label("Phone").fill("0571-86001234")
    page.get_by_label("Email", exact=True).fill("sales@lingxi.example")
    page.get_by_label("Sulfide solid electrolyte").check()
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("alert")).to_contain_text("Please correct the marked fields.")
    for label, message in [
        ("Unified social credit code", "The check digit is wrong"),
        ("Password again", "The two passwords differ."),
    ]:
        field = page.get_by_label(label)
        expect(field).to_have_attribute("aria-invalid", "true")
        error_id = re.search(r"\S+_error", field.get_attribute("aria-describedby")).group(0)
        expect(page.locator(f"#{error_id}")).to_contain_text(message)
    journey.capture("signup-errors")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("Unified social credit code").fill(uscc)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your email")
    journey.capture("signup-done")

    confirmation = next(m for m in mail.outbox if "wang@lingxi.example" in m.to)
    # The emailed link points at SITE_URL; the live server listens elsewhere.
    page.goto(re.search(r"/accounts/activate/\S+/", confirmation.body).group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is confirmed")
    journey.capture("account-confirmed")

    log_in(page, "lingxi", PASSWORD)
    page.goto("/directory/mine/")
    page.get_by_role("link", name="灵犀固态材料有限公司").click()
    expect(page.get_by_text("Awaiting verification").first).to_be_visible()
    journey.capture("my-enterprise-pending")

    page.get_by_role("link", name="Add a product").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add a product")
    journey.capture("product-form")
    page.get_by_label("Name", exact=True).fill("Li6PS5Cl electrolyte powder LX-1")
    page.get_by_label("Category").select_option(label="Sulfide solid electrolyte")
    page.get_by_label("Ionic conductivity (S/cm at 25 °C)").fill("0.0015")
    page.get_by_label("Capacity decay (% per cycle)").fill("0.04")
    page.get_by_label("Price (CNY/kg)").fill("3800")
    page.get_by_role("button", name="Add the product").click()
    expect(page.get_by_role("status")).to_contain_text("Li6PS5Cl electrolyte powder LX-1 is added")

    page.get_by_role("link", name="Edit Li6PS5Cl electrolyte powder LX-1").click()
    page.get_by_role("link", name="Attach measurement data").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Measurement data for")
    journey.capture("dataset-form")
    page.get_by_label("What the data measure").select_option("conductivity")
    page.get_by_label("Temperature unit").select_option("C")
    page.get_by_label("Data file (CSV or XLSX)").set_input_files(
        {"name": "sigma.csv", "mimeType": "text/csv", "buffer": conductivity_csv()}
    )
    page.get_by_label("Laboratory").fill("CNAS L1234 Lingxi lab")
    page.get_by_label("Method").fill("EIS, blocking electrodes")
    page.get_by_label("Measured on").fill("2026-05-04")
    page.get_by_label("Test report (PDF)").set_input_files(
        {"name": "report.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Upload and fit").click()
    expect(page.get_by_role("status")).to_contain_text("The data are saved and fitted")
    journey.capture("product-with-evidence")

    page.get_by_role("link", name="灵犀固态材料有限公司").first.click()
    products = page.locator("#products")
    expect(products).to_contain_text("Li6PS5Cl electrolyte powder LX-1")
    expect(products).to_contain_text("Pending verification")
    journey.capture("my-enterprise-with-product")

    enterprise = Enterprise.objects.get(uscc=uscc)
    assert enterprise.status == ListingStatus.PENDING
    assert enterprise.products.get().status == ListingStatus.PENDING
