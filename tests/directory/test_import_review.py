"""Public figures are reviewed figures (issue 15): an import that adds a large share of a
buyer's year or moves its LCR by many points waits for an official; meanwhile nothing of it
counts anywhere, and the firm sees its figure with and without it."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from directory.lcr.selectors import lcr_of_buyer, lcr_of_city
from directory.lcr.services import lcr_year_publish
from directory.models import (
    PurchaseImport,
    PurchaseImportReview,
    PurchaseImportReviewChange,
    PurchaseImportStatus,
    PurchaseLine,
)
from directory.purchases.review import purchase_import_accept, purchase_import_reject
from directory.purchases.services import purchase_import_submit, purchase_lines_import
from tests.factories import EnterpriseFactory, PurchaseLineFactory, outside_district

YEAR = 2026


def city_of_known_lcr(anchor):
    """The city's 2026: 51.80 % (518,000 local of 1,000,000 CNY), the anchor's share of it
    100,000 local of 200,000."""
    other = EnterpriseFactory(kind="anchor")
    local = EnterpriseFactory(name_zh="本地供应商")
    remote = EnterpriseFactory(name_zh="外地供应商", district=outside_district())
    day = {"invoice_date": f"{YEAR}-03-15"}
    PurchaseLineFactory(buyer=other, supplier=local, amount=Decimal("418000.00"), **day)
    PurchaseLineFactory(buyer=other, supplier=remote, amount=Decimal("382000.00"), **day)
    PurchaseLineFactory(buyer=anchor, supplier=local, amount=Decimal("100000.00"), **day)
    PurchaseLineFactory(buyer=anchor, supplier=remote, amount=Decimal("100000.00"), **day)
    assert lcr_of_city(year=YEAR)["lcr_percent"] == Decimal("51.80")
    return local


def made_up_file(supplier, count: int = 20_000, amount: str = "5000.00") -> bytes:
    header = "invoice_no,line_no,invoice_date,supplier_uscc,category,amount"
    rows = [
        f"FAKE-{n:06d},1,{YEAR}-04-{n % 28 + 1:02d},{supplier.uscc},sulfide-electrolyte,{amount}"
        for n in range(1, count + 1)
    ]
    return ("\n".join([header, *rows]) + "\n").encode()


def upload(anchor, content: bytes, captured) -> PurchaseImport:
    with captured(execute=True):
        purchase_import, _ignored = purchase_import_submit(
            actor=anchor.owner, buyer=anchor, content=content, filename="fake.csv"
        )
    purchase_import.refresh_from_db()
    return purchase_import


@pytest.fixture
def held(anchor, django_capture_on_commit_callbacks):
    """The issue's upload in 2,000 made-up local lines of 50,000 CNY (100,000,000 CNY)."""
    local = city_of_known_lcr(anchor)
    content = made_up_file(local, count=2_000, amount="50000.00")
    return upload(anchor, content, django_capture_on_commit_callbacks)


def test_an_anchors_20000_made_up_lines_wait_and_the_city_figure_stays(
    anchor, django_capture_on_commit_callbacks
):
    """Before: the upload counted at once and moved the city's 2026 LCR (issue: 51.8 % to
    71.53 %; here to 99.52 %)."""
    local = city_of_known_lcr(anchor)
    held = upload(anchor, made_up_file(local), django_capture_on_commit_callbacks)

    assert held.status == PurchaseImportStatus.HELD
    assert held.review_status == PurchaseImportReview.AWAITING
    assert lcr_of_city(year=YEAR)["lcr_percent"] == Decimal("51.80")
    assert lcr_of_buyer(anchor, year=YEAR)["lcr_percent"] == Decimal("50.00")
    assert not PurchaseLine.objects.filter(invoice_no__startswith="FAKE-").exists()
    [effect] = held.review_effect
    assert effect["year"] == YEAR
    assert (effect["lcr_before"], effect["lcr_after"]) == ("50.00", "99.90")
    assert (effect["total_before"], effect["total_after"]) == ("200000.00", "100200000.00")
    assert effect["crossed"] == ["share", "points"]
    assert held.created_count == 20_000
    assert lcr_of_city(year=YEAR)["status"] == "provisional"


def test_the_firm_sees_its_figure_with_and_without_the_held_import(client, anchor, held):
    client.force_login(anchor.owner)

    lcr_page = client.get(f"/directory/mine/{anchor.uscc}/lcr/")
    import_page = client.get(f"/directory/mine/{anchor.uscc}/purchases/imports/{held.pk}/")

    for page in (lcr_page, import_page):
        assert page.status_code == 200
        assert page.context["awaiting_review" if page is lcr_page else "review"]
        text = page.content.decode()
        assert "50.00" in text and "99.90" in text
    assert "Awaiting an official" in import_page.content.decode()
    [shown] = lcr_page.context["awaiting_review"]
    [year] = shown["years"]
    assert (year["lcr_without"], year["lcr_with"]) == (Decimal("50.00"), Decimal("99.90"))


def test_accepted_the_import_counts_in_the_city_figure(
    anchor, held, official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        purchase_import_accept(actor=official, purchase_import=held, reason="Checked the ERP.")

    held.refresh_from_db()
    assert (held.status, held.review_status) == (
        PurchaseImportStatus.SUCCEEDED,
        PurchaseImportReview.ACCEPTED,
    )
    assert held.created_count == 2_000
    assert lcr_of_city(year=YEAR)["lcr_percent"] == Decimal("99.52")
    change = PurchaseImportReviewChange.objects.get(purchase_import=held, actor=official)
    assert (change.from_status, change.to_status, change.reason) == (
        "awaiting",
        "accepted",
        "Checked the ERP.",
    )
    assert [message.to for message in mail.outbox] == [[anchor.owner.email]]


def test_rejected_the_import_never_counts(
    anchor, held, official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        purchase_import_reject(actor=official, purchase_import=held, reason="Made-up lines.")

    held.refresh_from_db()
    assert held.review_status == PurchaseImportReview.REJECTED
    assert lcr_of_city(year=YEAR)["lcr_percent"] == Decimal("51.80")
    assert not PurchaseLine.objects.filter(invoice_no__startswith="FAKE-").exists()
    with pytest.raises(ValidationError):
        purchase_import_accept(actor=official, purchase_import=held)
    assert "Made-up lines." in mail.outbox[0].body


def test_a_rejection_needs_a_reason_and_only_officials_decide(anchor, held, official):
    with pytest.raises(ValidationError) as refused:
        purchase_import_reject(actor=official, purchase_import=held, reason="  ")
    assert "reason" in refused.value.message_dict
    for decide in (purchase_import_accept, purchase_import_reject):
        with pytest.raises(PermissionDenied):
            decide(actor=anchor.owner, purchase_import=held, reason="mine")
    held.refresh_from_db()
    assert held.review_status == PurchaseImportReview.AWAITING


def test_publishing_a_year_is_refused_while_an_import_of_it_awaits_review(held, official):
    with pytest.raises(ValidationError) as refused:
        lcr_year_publish(actor=official, year=YEAR)

    assert f"import {held.pk}" in refused.value.message_dict["year"][0]


def test_a_newer_import_of_the_same_lines_is_measured_against_what_counts(
    anchor, held, django_capture_on_commit_callbacks
):
    local = PurchaseLine.objects.filter(buyer=anchor).first().supplier
    again = upload(anchor, made_up_file(local, count=50), django_capture_on_commit_callbacks)

    # 50 lines of 5,000 CNY: under the floor, counted at once as new (the held ones never were).
    assert again.status == PurchaseImportStatus.SUCCEEDED
    assert again.created_count == 50


def test_a_small_ordinary_import_counts_at_once(anchor):
    local = city_of_known_lcr(anchor)
    row = {
        "invoice_no": "SMALL-1",
        "line_no": 1,
        "invoice_date": f"{YEAR}-05-01",
        "supplier_uscc": local.uscc,
        "category": "sulfide-electrolyte",
        "amount": "20000.00",
    }
    purchase_import, outcome = purchase_lines_import(
        actor=anchor.owner, buyer=anchor, raw_rows=[row], source="api"
    )

    assert outcome.ok and not outcome.held
    assert purchase_import.review_status == PurchaseImportReview.NOT_NEEDED
    assert lcr_of_buyer(anchor, year=YEAR)["lcr_percent"] == Decimal("54.55")


def test_an_api_import_that_waits_keeps_its_rows_and_runs_when_accepted(
    api_client, anchor, official, django_capture_on_commit_callbacks
):
    local = city_of_known_lcr(anchor)
    lines = [
        {
            "invoice_no": f"API-{n}",
            "line_no": 1,
            "invoice_date": f"{YEAR}-06-01",
            "supplier_uscc": local.uscc,
            "category": "sulfide-electrolyte",
            "amount": "1000000.00",
        }
        for n in range(5)
    ]
    api_client.force_authenticate(anchor.owner)

    response = api_client.post(
        "/api/v1/purchases/", {"buyer": anchor.uscc, "lines": lines}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["awaiting_review"] is True
    assert response.json()["review_effect"][0]["crossed"] == ["share", "points"]
    held = PurchaseImport.objects.get(pk=response.json()["import_id"])
    assert held.file.name.endswith(".json")
    assert not PurchaseLine.objects.filter(invoice_no__startswith="API-").exists()
    with django_capture_on_commit_callbacks(execute=True):
        purchase_import_accept(actor=official, purchase_import=held)
    held.refresh_from_db()
    assert held.status == PurchaseImportStatus.SUCCEEDED
    assert PurchaseLine.objects.filter(invoice_no__startswith="API-").count() == 5


def test_an_accepted_import_whose_rows_now_fail_fails_with_its_row_errors(
    anchor, held, official, django_capture_on_commit_callbacks
):
    from directory.models import SupplyCategory

    PurchaseLine.objects.filter(category__slug="sulfide-electrolyte").update(
        category=SupplyCategory.objects.exclude(slug="sulfide-electrolyte").first()
    )
    SupplyCategory.objects.filter(slug="sulfide-electrolyte").update(slug="renamed-electrolyte")
    with django_capture_on_commit_callbacks(execute=True):
        purchase_import_accept(actor=official, purchase_import=held)

    held.refresh_from_db()
    assert held.status == PurchaseImportStatus.FAILED
    assert held.errors[0]["column"] == "category"
    assert lcr_of_city(year=YEAR)["lcr_percent"] == Decimal("51.80")
