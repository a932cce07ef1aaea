"""The supplier's page and API: the lines naming its enterprise, filtered and paged, confirmed
or disputed one by one or a whole invoice; 404 for anybody else's; queries do not grow."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from directory.models import PurchaseLine, PurchaseLineConfirmation
from tests.factories import EnterpriseFactory, MembershipFactory, PurchaseLineFactory


@pytest.fixture
def sold(anchor, seller):
    """Two invoices of the anchor naming the seller, and one line naming somebody else."""
    lines = [
        PurchaseLineFactory(buyer=anchor, supplier=seller, invoice_no=number, line_no=line)
        for number in ("A-1", "B-2")
        for line in (1, 2)
    ]
    PurchaseLineFactory(buyer=anchor, invoice_no="C-3")
    return lines


def page_url(enterprise) -> str:
    return reverse("purchases:confirmations", args=[enterprise.uscc])


def test_the_supplier_sees_its_lines_and_filters_them_by_status(client, seller, sold):
    client.force_login(seller.clerk)
    page = client.get(page_url(seller))
    assert page.status_code == 200
    assert page.context["lines"].paginator.count == 4
    assert "C-3" not in page.content.decode()
    client.post(
        reverse("purchases:confirm_line", args=[seller.uscc, sold[0].pk]),
        {"status": "confirmed", "back": "status=confirmed"},
    )
    confirmed = client.get(page_url(seller), {"status": "confirmed"})
    assert [line.pk for line in confirmed.context["lines"]] == [sold[0].pk]
    assert client.get(page_url(seller), {"year": "abc"}).status_code == 400


def test_a_whole_invoice_is_disputed_from_the_page(client, seller, sold, anchor):
    client.force_login(seller.clerk)
    response = client.post(
        reverse("purchases:confirm_invoice", args=[seller.uscc]),
        {"buyer": anchor.uscc, "invoice_no": "B-2", "status": "disputed", "reason": "Wrong"},
    )
    assert response.status_code == 302
    assert set(PurchaseLineConfirmation.objects.values_list("line__invoice_no", "status")) == {
        ("B-2", "disputed")
    }
    # Without a reason the dispute is refused and nothing changes.
    client.post(
        reverse("purchases:confirm_invoice", args=[seller.uscc]),
        {"buyer": anchor.uscc, "invoice_no": "A-1", "status": "disputed"},
    )
    assert PurchaseLineConfirmation.objects.count() == 2


def test_another_organisation_gets_404(client, seller, sold, anchor):
    other = EnterpriseFactory()
    client.force_login(MembershipFactory(enterprise=other).user)
    assert client.get(page_url(seller)).status_code == 404
    line_url = reverse("purchases:confirm_line", args=[seller.uscc, sold[0].pk])
    assert client.post(line_url, {"status": "confirmed"}).status_code == 404
    own_url = reverse("purchases:confirm_line", args=[other.uscc, sold[0].pk])
    assert client.post(own_url, {"status": "confirmed"}).status_code == 404
    invoice_url = reverse("purchases:confirm_invoice", args=[other.uscc])
    answer = client.post(
        invoice_url, {"buyer": anchor.uscc, "invoice_no": "A-1", "status": "confirmed"}
    )
    assert answer.status_code == 404
    assert not PurchaseLineConfirmation.objects.exists()


def test_the_page_takes_a_fixed_number_of_queries(
    client, seller, anchor, django_assert_max_num_queries
):
    for number in range(12):
        PurchaseLineFactory(
            buyer=anchor,
            supplier=seller,
            invoice_no=f"N-{number}",
            confirmation="disputed" if number % 2 else None,
        )
    client.force_login(seller.clerk)
    # session, user, membership, count, page of lines (buyer, category, confirmation joined)
    with django_assert_max_num_queries(7):
        response = client.get(page_url(seller))
    assert len(response.context["lines"].object_list) == 12


@pytest.fixture
def api(seller):
    client = APIClient()
    client.force_authenticate(seller.clerk)
    return client


def test_the_api_lists_and_decides_lines_and_invoices(api, seller, sold, anchor):
    base = f"/api/v1/enterprises/{seller.uscc}/sales/"
    listed = api.get(base).json()
    assert listed["count"] == 4 and {row["status"] for row in listed["results"]} == {"unconfirmed"}
    answer = api.post(f"{base}{sold[0].pk}/decision/", {"status": "disputed"}, format="json")
    assert answer.status_code == 400 and "reason" in answer.json()
    answer = api.post(f"{base}{sold[0].pk}/decision/", {"status": "unconfirmed"}, format="json")
    assert answer.status_code == 400 and "status" in answer.json()
    answer = api.post(
        f"{base}{sold[0].pk}/decision/", {"status": "disputed", "reason": "Short"}, format="json"
    )
    assert (answer.json()["status"], answer.json()["reason"]) == ("disputed", "Short")
    answer = api.post(
        f"{base}invoices/decision/",
        {"buyer": anchor.uscc, "invoice_no": "A-1", "status": "confirmed"},
        format="json",
    )
    assert answer.json() == {"changed": 2}
    assert api.get(base, {"status": "confirmed"}).json()["count"] == 2


def test_the_api_answers_404_for_another_organisation(seller, sold, anchor):
    other = EnterpriseFactory()
    client = APIClient()
    client.force_authenticate(MembershipFactory(enterprise=other).user)
    assert client.get(f"/api/v1/enterprises/{seller.uscc}/sales/").status_code == 404
    foreign = f"/api/v1/enterprises/{other.uscc}/sales/{sold[0].pk}/decision/"
    assert client.post(foreign, {"status": "confirmed"}, format="json").status_code == 404
    invoice = f"/api/v1/enterprises/{other.uscc}/sales/invoices/decision/"
    body = {"buyer": anchor.uscc, "invoice_no": "A-1", "status": "confirmed"}
    assert client.post(invoice, body, format="json").status_code == 404
    assert not PurchaseLineConfirmation.objects.exists()


def test_the_api_list_takes_a_fixed_number_of_queries(
    api, seller, anchor, django_assert_max_num_queries
):
    for number in range(8):
        PurchaseLineFactory(
            buyer=anchor, supplier=seller, invoice_no=f"N-{number}", confirmation="disputed"
        )
    with django_assert_max_num_queries(4):  # membership, count, page, (user cached)
        assert api.get(f"/api/v1/enterprises/{seller.uscc}/sales/").json()["count"] == 8


@pytest.fixture
def one_number_two_codes(anchor, seller):
    """Two legacy invoices of the anchor naming the seller: one number under two codes."""
    return [
        PurchaseLineFactory(buyer=anchor, supplier=seller, invoice_code=code, invoice_no="12345678")
        for code in ("3300261130", "3300261131")
    ]


def confirmed_invoices() -> set[str]:
    return {
        line.invoice_label for line in PurchaseLine.objects.filter(confirmation__status="confirmed")
    }


def test_the_page_names_and_confirms_an_invoice_by_code_and_number(
    client, seller, anchor, one_number_two_codes
):
    client.force_login(seller.clerk)
    page = client.get(page_url(seller)).content.decode()
    assert "3300261130-12345678" in page and "3300261131-12345678" in page
    assert 'name="invoice_code" value="3300261131"' in page
    client.post(
        reverse("purchases:confirm_invoice", args=[seller.uscc]),
        {
            "buyer": anchor.uscc,
            "invoice_code": "3300261130",
            "invoice_no": "12345678",
            "status": "confirmed",
        },
    )
    assert confirmed_invoices() == {"3300261130-12345678"}
    # A code no invoice of the buyer has is not found.
    missing = client.post(
        reverse("purchases:confirm_invoice", args=[seller.uscc]),
        {"buyer": anchor.uscc, "invoice_no": "12345678", "status": "confirmed"},
    )
    assert missing.status_code == 404


def test_the_api_confirms_an_invoice_by_code_and_number(api, seller, anchor, one_number_two_codes):
    base = f"/api/v1/enterprises/{seller.uscc}/sales/"
    listed = api.get(base).json()["results"]
    assert {row["invoice_code"] for row in listed} == {"3300261130", "3300261131"}
    body = {"buyer": anchor.uscc, "invoice_code": "3300261130", "invoice_no": "12345678"}
    answer = api.post(f"{base}invoices/decision/", {**body, "status": "confirmed"}, format="json")
    assert answer.json() == {"changed": 1}
    assert confirmed_invoices() == {"3300261130-12345678"}
    body["invoice_code"] = ""
    answer = api.post(f"{base}invoices/decision/", {**body, "status": "confirmed"}, format="json")
    assert answer.status_code == 404
