"""The review thresholds (share of a year's value, LCR points, floor), the officials' admin of
imports awaiting review and who may see or decide them (issue 15)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from directory.lcr.selectors import lcr_of_city
from directory.lcr.services import lcr_year_publish
from directory.models import PurchaseImport, PurchaseImportReview, PurchaseReviewPolicy
from directory.purchases.review import (
    purchase_review_policy_set,
    review_policy,
    year_effect,
)
from directory.purchases.services import purchase_lines_import
from tests.factories import EnterpriseFactory, PurchaseLineFactory, outside_district

YEAR = 2026
D = Decimal


def policy(share="50", points="10", floor="1000") -> PurchaseReviewPolicy:
    return PurchaseReviewPolicy(
        max_share_percent=D(share), max_lcr_points=D(points), floor_cny=D(floor)
    )


@pytest.mark.parametrize(
    ("before", "after", "crossed"),
    [
        # (local, total) before and after; 50 % of the year's value, 10 points, 1,000 CNY.
        ((D(50_000), D(100_000)), (D(75_000), D(150_000)), []),  # +50 %, LCR stays: at the line
        ((D(50_000), D(100_000)), (D(75_200), D(150_400)), ["share"]),  # +50.4 %
        ((D(50_000), D(100_000)), (D(61_000), D(100_000)), ["points"]),  # 50 → 61 %
        ((D(50_000), D(100_000)), (D(60_000), D(100_000)), []),  # 10 points exactly
        ((D(0), D(0)), (D(900), D(900)), []),  # under the floor: a first small upload
        ((D(0), D(0)), (D(5_000), D(5_000)), ["share", "points"]),  # a first upload above it
    ],
)
def test_each_threshold_and_the_floor(before, after, crossed):
    assert year_effect(YEAR, before, after, policy())["crossed"] == crossed


def test_the_defaults_hold_until_officials_set_thresholds(official):
    assert review_policy().max_share_percent == D("50")
    purchase_review_policy_set(
        actor=official, max_share_percent=D("20"), max_lcr_points=D("5"), floor_cny=D("0")
    )
    assert (review_policy().max_share_percent, review_policy().updated_by) == (D("20"), official)


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("max_share_percent", {"max_share_percent": D("-1")}),
        ("max_share_percent", {"max_share_percent": D("100.01")}),
        ("max_lcr_points", {"max_lcr_points": D("101")}),
        ("floor_cny", {"floor_cny": D("-5")}),
    ],
)
def test_bad_thresholds_are_refused_naming_the_field(official, field, values):
    good = {"max_share_percent": D("50"), "max_lcr_points": D("10"), "floor_cny": D("0")}
    with pytest.raises(ValidationError) as refused:
        purchase_review_policy_set(actor=official, **{**good, **values})
    assert list(refused.value.message_dict) == [field]
    assert not PurchaseReviewPolicy.objects.exists()


def test_only_officials_set_thresholds(anchor):
    with pytest.raises(PermissionDenied):
        purchase_review_policy_set(
            actor=anchor.owner, max_share_percent=D(1), max_lcr_points=D(1), floor_cny=D(0)
        )


def hold_one(buyer, number: int = 1) -> PurchaseImport:
    local = EnterpriseFactory()
    rows = [
        {
            "invoice_no": f"BIG-{number}",
            "line_no": 1,
            "invoice_date": f"{YEAR}-02-01",
            "supplier_uscc": local.uscc,
            "category": "sulfide-electrolyte",
            "amount": "9000000.00",
        }
    ]
    purchase_import, outcome = purchase_lines_import(
        actor=buyer.owner, buyer=buyer, raw_rows=rows, source="api"
    )
    assert outcome.held
    return purchase_import


def test_another_firms_member_cannot_see_a_held_import(client, anchor, sme):
    held = hold_one(anchor)
    client.force_login(sme.owner)

    page = client.get(f"/directory/mine/{anchor.uscc}/purchases/imports/{held.pk}/")

    assert page.status_code == 404


def test_the_admin_lists_imports_awaiting_review_first_oldest_first(
    client, anchor, official, django_assert_max_num_queries
):
    done = PurchaseImport.objects.create(buyer=anchor, source="api", status="succeeded")
    first, second = hold_one(anchor, 1), hold_one(anchor, 2)
    for number in range(3, 8):
        hold_one(anchor, number)
    client.force_login(official)

    with django_assert_max_num_queries(12):
        page = client.get("/admin/directory/purchaseimport/")

    assert page.status_code == 200
    listed = list(page.context["cl"].result_list)
    assert listed[:2] == [first, second]
    assert listed[-1] == done
    assert f"{YEAR}: " in page.content.decode()  # the effect per year


def test_an_official_rejects_in_the_admin_with_a_reason(client, anchor, official):
    held = hold_one(anchor)
    client.force_login(official)
    url = "/admin/directory/purchaseimport/"
    data = {"action": "reject_import", "_selected_action": [held.pk]}

    asked = client.post(url, data)
    without_reason = client.post(url, {**data, "post": "yes", "reason": ""})
    done = client.post(url, {**data, "post": "yes", "reason": "Not plausible."})

    assert asked.status_code == 200 and "reason" in asked.content.decode()
    assert without_reason.status_code == 200
    assert done.status_code == 302
    held.refresh_from_db()
    assert held.review_status == PurchaseImportReview.REJECTED


def test_a_non_official_cannot_decide_in_the_admin(client, anchor):
    held = hold_one(anchor)
    anchor.owner.is_staff = True
    anchor.owner.save()
    client.force_login(anchor.owner)

    response = client.post(
        "/admin/directory/purchaseimport/",
        {"action": "accept_import", "_selected_action": [held.pk], "post": "yes"},
    )

    assert response.status_code in (302, 403, 404)
    held.refresh_from_db()
    assert held.review_status == PurchaseImportReview.AWAITING


def test_the_city_page_marks_a_published_year_official_and_the_current_one_provisional(
    client, official
):
    remote = EnterpriseFactory(district=outside_district())
    PurchaseLineFactory(invoice_date=f"{YEAR - 1}-05-01", confirmation="confirmed")
    PurchaseLineFactory(invoice_date=f"{YEAR}-05-01", confirmation="confirmed")
    PurchaseLineFactory(invoice_date=f"{YEAR}-05-02", amount=D("100000.00"))
    PurchaseLineFactory(invoice_date=f"{YEAR}-05-03", supplier=remote)
    lcr_year_publish(actor=official, year=YEAR - 1)

    last_year = client.get("/directory/lcr/", {"year": YEAR - 1})
    this_year = client.get("/directory/lcr/", {"year": YEAR})

    assert last_year.context["status"] == "official"
    assert 'data-status="official"' in last_year.content.decode()
    assert this_year.context["status"] == "provisional"
    assert this_year.context["confirmed_share_percent"] == D("50.00")
    assert 'data-status="provisional"' in this_year.content.decode()
    assert lcr_of_city(year=YEAR - 1)["official_lcr_percent"] == D("100.00")


def test_a_held_imports_admin_page_shows_its_effect_per_year_and_the_decisions(
    client, anchor, official
):
    held = hold_one(anchor)
    client.force_login(official)

    page = client.get(f"/admin/directory/purchaseimport/{held.pk}/change/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "9000000.00" in text  # the year's total with it
    assert [name for name, _label in page.context["decision_actions"]] == [
        "accept_import",
        "reject_import",
    ]
