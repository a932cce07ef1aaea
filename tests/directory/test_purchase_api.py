"""POST /api/v1/purchases/ for ERP systems, GET for members and officials."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from directory.models import PurchaseImport, PurchaseImportSource, PurchaseLine
from directory.purchases.services import purchase_lines_import
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory

URL = "/api/v1/purchases/"


def line(number: int = 1, **values) -> dict:
    return {
        "invoice_no": f"INV-{number:05d}",
        "line_no": 1,
        "invoice_date": "2026-03-31",
        "supplier_name": f"Supplier {number}",
        "category": "cathode",
        "amount": "1000.00",
        **values,
    }


def push(api_client, buyer, lines):
    return api_client.post(URL, {"buyer": buyer.uscc, "lines": lines}, format="json")


@pytest.fixture
def token_client(api_client, anchor):
    token = Token.objects.create(user=anchor.owner)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


def test_erp_pushes_lines_with_a_token_and_gets_the_counts(token_client, anchor):
    credit_note = line(
        2, amount="-50.00", supplier_name="Supplier 1", original_invoice_no="INV-00001"
    )
    response = push(token_client, anchor, [line(1), credit_note])

    assert response.status_code == 201
    purchase_import = PurchaseImport.objects.get()
    assert response.json() == {
        "import_id": purchase_import.pk,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "pending": 0,
        "summary": "2 new, 0 updated, 0 unchanged",
        "awaiting_review": False,
        "review_effect": [],
    }
    assert purchase_import.source == PurchaseImportSource.API
    assert purchase_import.submitted_by == anchor.owner
    assert PurchaseLine.objects.get(invoice_no="INV-00002").amount == Decimal("-50.00")


def test_the_same_push_again_changes_nothing_and_a_changed_line_is_a_correction(
    token_client, anchor
):
    push(token_client, anchor, [line(1), line(2)])

    again = push(token_client, anchor, [line(1), line(2, amount="70.00")])

    assert again.json()["summary"] == "0 new, 1 updated, 1 unchanged"
    assert PurchaseLine.objects.get(invoice_no="INV-00002").revisions.count() == 1


def test_every_bad_line_is_reported_from_row_1_and_nothing_is_saved(token_client, anchor):
    response = push(
        token_client,
        anchor,
        [line(1), line(2, amount="12.345"), line(3), line(4, invoice_date="tomorrow")],
    )

    assert response.status_code == 400
    body = response.json()
    assert [(error["row"], error["column"]) for error in body["errors"]] == [
        (2, "amount"),
        (4, "invoice_date"),
    ]
    assert body["errors"][0]["message"] == "At most 2 decimal places are allowed; got 12.345."
    assert not PurchaseLine.objects.exists()
    assert PurchaseImport.objects.get(pk=body["import_id"]).status == "failed"


def test_lines_that_are_not_objects_or_carry_unknown_fields_are_refused(token_client, anchor):
    response = push(token_client, anchor, [line(1), "INV-2;1", line(3, vat="0.13")])

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {"row": 2, "column": "", "message": "Each line must be an object."},
            {"row": 3, "column": "vat", "message": "Unknown field."},
        ]
    }
    assert not PurchaseLine.objects.exists()


def test_more_than_10000_lines_per_call_are_refused_with_the_limit(token_client, anchor):
    response = push(token_client, anchor, [line(n) for n in range(10_001)])

    assert response.status_code == 400
    assert response.json() == {
        "lines": ["At most 10000 lines per call: send the rest in further calls."]
    }
    assert not PurchaseImport.objects.exists()


def test_an_empty_push_or_a_missing_buyer_is_refused_by_field(token_client, anchor):
    response = token_client.post(URL, {"lines": []}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"buyer", "lines"}


def test_a_member_of_another_firm_gets_404_for_the_buyer(api_client, anchor, sme):
    api_client.force_authenticate(sme.owner)

    response = push(api_client, anchor, [line(1)])

    assert response.status_code == 404
    assert not PurchaseImport.objects.exists()


def test_officials_cannot_record_purchases_for_a_firm(api_client, anchor, official):
    api_client.force_authenticate(official)

    assert push(api_client, anchor, [line(1)]).status_code == 404


def test_anonymous_push_is_told_to_bring_a_token(api_client, anchor):
    response = push(api_client, anchor, [line(1)])

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_queries_do_not_grow_with_the_number_of_lines(token_client, anchor):
    supplier = EnterpriseFactory()

    def queries_for(count: int, start: int) -> int:
        lines = [line(start + n, supplier_uscc=supplier.uscc) for n in range(count)]
        with CaptureQueriesContext(connection) as captured:
            response = push(token_client, anchor, lines)
        assert response.status_code == 201
        return len(captured)

    assert queries_for(10, 0) == queries_for(500, 1000)


# --- reading ----------------------------------------------------------------------------------


def record(buyer, *lines):
    purchase_lines_import(actor=None, buyer=buyer, raw_rows=list(lines), source="command")


def test_a_member_lists_the_own_firms_lines_only(api_client, anchor, sme):
    record(anchor, line(1), line(2))
    record(sme, line(3))
    api_client.force_authenticate(anchor.owner)

    response = api_client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {row["invoice_no"] for row in body["results"]} == {"INV-00001", "INV-00002"}
    assert body["results"][0]["buyer"] == anchor.uscc
    assert body["results"][0]["amount"] == "1000.00"
    assert body["results"][0]["category"] == "cathode"


def test_officials_list_every_firms_lines_and_filter_by_buyer_and_year(
    api_client, anchor, sme, official
):
    record(anchor, line(1), line(2, invoice_date="2025-12-31"))
    record(sme, line(3))
    api_client.force_authenticate(official)

    everything = api_client.get(URL).json()
    of_anchor_2026 = api_client.get(URL, {"buyer": anchor.uscc.lower(), "year": 2026}).json()

    assert everything["count"] == 3
    assert [row["invoice_no"] for row in of_anchor_2026["results"]] == ["INV-00001"]


def test_naming_another_firm_as_buyer_answers_404(api_client, anchor, sme):
    record(anchor, line(1))
    api_client.force_authenticate(sme.owner)

    assert api_client.get(URL, {"buyer": anchor.uscc}).status_code == 404


def test_an_invalid_year_answers_400_under_its_name(api_client, anchor):
    api_client.force_authenticate(anchor.owner)

    response = api_client.get(URL, {"year": "last"})

    assert response.status_code == 400
    assert "year" in response.json()


def test_anonymous_listing_answers_401(api_client):
    assert api_client.get(URL).status_code == 401


def test_listing_takes_the_same_queries_for_few_or_many_lines(api_client, anchor):
    colleague = UserFactory()
    MembershipFactory(user=colleague, enterprise=anchor)
    api_client.force_authenticate(colleague)
    record(anchor, *[line(n) for n in range(3)])
    with CaptureQueriesContext(connection) as few:
        api_client.get(URL)
    record(anchor, *[line(n) for n in range(3, 40)])

    with CaptureQueriesContext(connection) as many:
        response = api_client.get(URL)

    assert len(response.json()["results"]) == 20
    assert len(many) == len(few) == 3  # the official role, the count, the page (joined)


def test_lines_are_listed_newest_invoice_first(api_client, anchor):
    record(anchor, line(1, invoice_date="2026-01-05"), line(2, invoice_date="2026-06-01"))
    api_client.force_authenticate(anchor.owner)

    dates = [row["invoice_date"] for row in api_client.get(URL).json()["results"]]

    assert dates == sorted(dates, reverse=True)
    assert dates[0] == datetime.date(2026, 6, 1).isoformat()


def test_erp_pushes_invoice_codes_and_reads_them_back(token_client, anchor):
    coded = [
        line(1, invoice_no="00012345", invoice_code="3300261130"),
        line(1, invoice_no="00012345", invoice_code="4400261130"),
    ]

    response = push(token_client, anchor, coded)

    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 2
    listed = token_client.get(URL).json()["results"]
    assert sorted(row["invoice_code"] for row in listed) == ["3300261130", "4400261130"]


def test_a_pushed_malformed_invoice_code_is_named_and_nothing_is_saved(token_client, anchor):
    response = push(token_client, anchor, [line(1, invoice_no="00012345", invoice_code="12")])

    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(1, "invoice_code")]
    assert not PurchaseLine.objects.exists()
