"""A firm's purchase pages: upload, the import's result, a line's history; members only."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import LocalContentShare, PurchaseImport, PurchaseImportStatus, PurchaseLine
from directory.purchases.services import purchase_lines_import
from tests.factories import EnterpriseFactory, MembershipFactory, ProductFactory

pytestmark = pytest.mark.django_db

HEADER = "invoice_no,line_no,invoice_date,supplier_uscc,supplier_name,category,amount"


def csv_upload(*lines: str, name: str = "purchases.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode(), "text/csv")


def upload_url(enterprise) -> str:
    return reverse("purchases:upload", args=[enterprise.uscc])


def text_of(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def member_client(client, anchor):
    client.force_login(anchor.owner)
    return client


def upload(client, enterprise, file, captured):
    with captured(execute=True):
        return client.post(upload_url(enterprise), {"file": file})


def test_upload_leads_to_the_result_page_with_the_summary(
    member_client, anchor, django_capture_on_commit_callbacks
):
    response = upload(
        member_client,
        anchor,
        csv_upload("0001,1,2026-03-31,,Acme,cathode,10.00", "0001,2,2026-03-31,,Acme,anode,5"),
        django_capture_on_commit_callbacks,
    )

    purchase_import = PurchaseImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "purchases:import", args=[anchor.uscc, purchase_import.pk]
    )
    result = member_client.get(response["Location"])
    assert "2 new, 0 updated, 0 unchanged" in text_of(result)
    assert 'http-equiv="refresh"' not in result.content.decode()
    assert purchase_import.filename == "purchases.csv"


def test_a_file_with_bad_rows_shows_every_problem_and_that_nothing_was_saved(
    member_client, anchor, django_capture_on_commit_callbacks
):
    response = upload(
        member_client,
        anchor,
        csv_upload(
            "0001,1,2026-03-31,,Acme,cathode,10.00",
            "0002,1,2026-13-01,,Acme,cathode,10.00",
            "0003,1,2026-03-31,,Acme,gold,1.001",
        ),
        django_capture_on_commit_callbacks,
    )

    page = text_of(member_client.get(response["Location"]))
    assert "Nothing was saved" in page
    assert "3 problems" in page
    assert "3 invoice_date Use a date such as 2026-03-31, 2026/3/31" in page
    assert "4 category Unknown category “gold”." in page
    assert "4 amount At most 2 decimal places" in page
    assert not PurchaseLine.objects.exists()


def test_the_problems_download_as_csv(member_client, anchor, django_capture_on_commit_callbacks):
    response = upload(
        member_client,
        anchor,
        csv_upload("0001,1,yesterday,,Acme,cathode,10.00"),
        django_capture_on_commit_callbacks,
    )
    purchase_import = PurchaseImport.objects.get()

    download = member_client.get(
        reverse("purchases:import_errors", args=[anchor.uscc, purchase_import.pk])
    )

    assert response.status_code == 302
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download.content.decode("utf-8-sig").splitlines() == [
        "row,column,message",
        '2,invoice_date,"Use a date such as 2026-03-31, 2026/3/31 or 2026年3月31日; '
        'got “yesterday”."',
    ]


def test_a_png_renamed_to_csv_is_refused_on_the_form_and_nothing_is_queued(member_client, anchor):
    png = SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/csv")

    response = member_client.post(upload_url(anchor), {"file": png})

    assert response.status_code == 400
    assert "neither CSV text nor an Excel workbook" in text_of(response)
    assert not PurchaseImport.objects.exists()


def test_a_missing_column_is_named_on_the_form(member_client, anchor):
    file = SimpleUploadedFile("p.csv", b"invoice_no,line_no,amount\n1,1,5\n", "text/csv")

    response = member_client.post(upload_url(anchor), {"file": file})

    assert response.status_code == 400
    assert "The column “invoice_date” is missing from the header row." in text_of(response)


def test_an_empty_file_is_refused_on_the_form(member_client, anchor):
    response = member_client.post(
        upload_url(anchor), {"file": SimpleUploadedFile("p.csv", b"", "text/csv")}
    )

    assert response.status_code == 400
    assert "The submitted file is empty." in text_of(response)


def test_a_file_over_the_limit_is_refused_on_the_form(member_client, anchor, settings):
    settings.PURCHASE_UPLOAD_MAX_BYTES = 100

    response = member_client.post(
        upload_url(anchor), {"file": csv_upload(*["0001,1,2026-03-31,,Acme,cathode,1"] * 10)}
    )

    assert response.status_code == 400
    assert "are accepted. Split it in parts." in text_of(response)


def test_ignored_columns_are_named_after_the_upload(
    member_client, anchor, django_capture_on_commit_callbacks
):
    file = SimpleUploadedFile(
        "p.csv", (HEADER + ",VAT\n0001,1,2026-03-31,,Acme,cathode,1,0.13\n").encode(), "text/csv"
    )

    response = upload(member_client, anchor, file, django_capture_on_commit_callbacks)

    page = text_of(member_client.get(response["Location"]))
    assert "were ignored: VAT" in page


def test_the_result_page_refreshes_itself_until_the_import_is_done(member_client, anchor):
    purchase_import = PurchaseImport.objects.create(
        buyer=anchor,
        submitted_by=anchor.owner,
        source="upload",
        status=PurchaseImportStatus.RUNNING,
        rows_total=5000,
        rows_done=2000,
    )

    response = member_client.get(
        reverse("purchases:import", args=[anchor.uscc, purchase_import.pk])
    )

    assert '<meta http-equiv="refresh" content="2">' in response.content.decode()
    assert "Checked 2,000 of 5,000 rows." in text_of(response)
    assert '<progress max="100" value="40"' in response.content.decode()


def test_the_upload_page_explains_the_columns_and_offers_the_template(member_client, anchor):
    response = member_client.get(upload_url(anchor))

    page = response.content.decode()
    assert 'accept=".csv,.xlsx"' in page
    assert reverse("purchases:template", args=["csv"]) in page
    assert reverse("purchases:template", args=["xlsx"]) in page
    assert "发票号 / 发票号码" in page
    assert "销方识别号" in page
    assert 'enctype="multipart/form-data"' in page


def test_the_templates_download_with_the_columns(client):
    csv = client.get(reverse("purchases:template", args=["csv"]))
    xlsx = client.get(reverse("purchases:template", args=["xlsx"]))

    assert (
        csv.content.decode("utf-8-sig")
        .splitlines()[0]
        .startswith("invoice_code,invoice_no,line_no,")
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert (sheet["A1"].value, sheet["B1"].value) == ("invoice_code", "invoice_no")
    assert (sheet["A2"].value, sheet["B2"].value) == ("3300261130", "00012345")
    assert 'filename="purchase-template.xlsx"' in xlsx["Content-Disposition"]


def test_the_lines_list_marks_local_and_non_local_suppliers(member_client, anchor):
    local = EnterpriseFactory(name_zh="本地供应商")
    share = ProductFactory(enterprise=local, local_content_share=30)
    # The pages count the share in force on the invoice date, as the LCR does.
    LocalContentShare.objects.create(product=share, share=30, valid_from=datetime.date(2026, 1, 1))
    purchase_lines_import(
        actor=None,
        buyer=anchor,
        raw_rows=[
            {"invoice_no": "1", "line_no": 1, "invoice_date": "2026-03-01",
             "supplier_uscc": local.uscc, "category": "cathode", "amount": "10"},
            {"invoice_no": "2", "line_no": 1, "invoice_date": "2026-03-02",
             "supplier_uscc": local.uscc, "category": "cathode", "amount": "10",
             "product": share.pk},
            {"invoice_no": "3", "line_no": 1, "invoice_date": "2026-03-03",
             "supplier_name": "外地公司", "category": "cathode", "amount": "10"},
        ],
        source="command",
    )  # fmt: skip

    page = text_of(member_client.get(upload_url(anchor)))

    assert "3/1 2026-03-03 外地公司 Cathode materials 10.00 Not local" in page
    assert "Local 30 %" in page
    assert f"1/1 2026-03-01 本地供应商 {local.uscc} Cathode materials 10.00 Local" in page


def test_a_lines_history_shows_what_each_correction_changed(member_client, anchor):
    row = {
        "invoice_no": "0007",
        "line_no": 1,
        "invoice_date": "2026-03-31",
        "supplier_name": "Acme",
        "category": "cathode",
        "amount": "100.00",
    }
    purchase_lines_import(actor=None, buyer=anchor, raw_rows=[row], source="command")
    purchase_lines_import(
        actor=anchor.owner,
        buyer=anchor,
        raw_rows=[{**row, "amount": "120.00", "category": "anode"}],
        source="api",
    )
    line = PurchaseLine.objects.get()

    page = text_of(member_client.get(reverse("purchases:line", args=[anchor.uscc, line.pk])))

    assert "Invoice 0007, line 1" in page
    assert "anchor-owner Supply category Cathode materials Anode materials" in page
    assert "anchor-owner Amount (CNY excl. VAT) 100.00 120.00" in page


# --- who may see what -----------------------------------------------------------------------


@pytest.fixture
def anchor_import_and_line(anchor):
    purchase_import, _outcome = purchase_lines_import(
        actor=None,
        buyer=anchor,
        raw_rows=[
            {
                "invoice_no": "1",
                "line_no": 1,
                "invoice_date": "2026-03-01",
                "supplier_name": "Acme",
                "category": "cathode",
                "amount": "10",
            }
        ],
        source="command",
    )
    return purchase_import, PurchaseLine.objects.get()


def anchor_urls(anchor, purchase_import, line) -> list[str]:
    return [
        upload_url(anchor),
        reverse("purchases:import", args=[anchor.uscc, purchase_import.pk]),
        reverse("purchases:line", args=[anchor.uscc, line.pk]),
    ]


def test_another_firms_member_gets_404_everywhere(client, anchor, sme, anchor_import_and_line):
    client.force_login(sme.owner)

    for url in anchor_urls(anchor, *anchor_import_and_line):
        assert client.get(url).status_code == 404, url
    assert client.post(upload_url(anchor), {"file": csv_upload()}).status_code == 404


def test_an_import_or_line_is_not_found_under_another_firm_of_the_same_member(
    client, anchor, anchor_import_and_line
):
    other = EnterpriseFactory()
    MembershipFactory(user=anchor.owner, enterprise=other)
    purchase_import, line = anchor_import_and_line
    client.force_login(anchor.owner)

    assert (
        client.get(reverse("purchases:import", args=[other.uscc, purchase_import.pk])).status_code
        == 404
    )
    assert client.get(reverse("purchases:line", args=[other.uscc, line.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, anchor, anchor_import_and_line):
    for url in anchor_urls(anchor, *anchor_import_and_line):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_upload_is_protected_against_cross_site_requests(anchor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(anchor.owner)

    response = client.post(upload_url(anchor), {"file": csv_upload("1,1,2026-03-01,,A,cathode,1")})

    assert response.status_code == 403
    assert not PurchaseImport.objects.exists()


def test_the_purchases_page_queries_do_not_grow_with_its_rows(member_client, anchor):
    supplier = EnterpriseFactory()
    product = ProductFactory(enterprise=supplier, local_content_share=50)

    def add(start: int, count: int) -> None:
        purchase_lines_import(
            actor=None,
            buyer=anchor,
            raw_rows=[
                {
                    "invoice_no": f"{start + n}",
                    "line_no": 1,
                    "invoice_date": "2026-03-01",
                    "supplier_uscc": supplier.uscc,
                    "product": product.pk,
                    "category": "cathode",
                    "amount": "10",
                }
                for n in range(count)
            ],
            source="command",
        )

    add(0, 2)
    with CaptureQueriesContext(connection) as few:
        member_client.get(upload_url(anchor))
    for batch in range(12):
        add(100 * (batch + 1), 5)

    with CaptureQueriesContext(connection) as many:
        response = member_client.get(upload_url(anchor))

    assert response.status_code == 200
    # Session, user, the enterprise; imports: count, page; lines: the official role, count, page;
    # the buyer's column mappings (for the upload form).
    assert len(many) == len(few) <= 9
