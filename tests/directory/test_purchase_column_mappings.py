"""A buyer's saved column mapping (issue 15): a buyer whose ERP layout has headers of its own
maps them once, from a sample file, to our columns; its uploads whose headers fit are read
with it (or with the one chosen on the upload form), before the standard aliases, and the
import records which mapping it used. Invalid mappings are refused naming the header and
column; another buyer's mapping is never applied. Fully digital invoices' exports name the
invoice number 数电发票号码 or 全电发票号码."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.models import PurchaseColumnMapping, PurchaseImport, PurchaseLine
from directory.purchases.column_mappings import column_mapping_for_upload, column_mapping_save
from directory.purchases.files import read_purchase_file
from tests.factories import EnterpriseFactory, MembershipFactory

pytestmark = pytest.mark.django_db

OWN_HEADER = "Beleg,Pos,Datum,Lieferant,Warengruppe,Netto,Bemerkung"
OWN_ROW = "B-0001,1,2026-04-01,Acme GmbH,cathode,1000.00,intern"
OWN_COLUMNS = {
    "Beleg": "invoice_no",
    "Pos": "line_no",
    "Datum": "invoice_date",
    "Lieferant": "supplier_name",
    "Warengruppe": "category",
    "Netto": "amount",
    "Bemerkung": "",
}


def csv_file(*lines: str, name: str = "erp.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), "text/csv")


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def mappings_url(buyer) -> str:
    return reverse("purchases:column_mappings", args=[buyer.uscc])


def upload(client, buyer, file, captured, **data):
    with captured(execute=True):
        return client.post(reverse("purchases:upload", args=[buyer.uscc]), {"file": file, **data})


def save_form(name: str, columns: dict[str, str]) -> dict:
    return {"save": "1", "name": name, "header": list(columns), "column": list(columns.values())}


@pytest.fixture
def member_client(client, anchor):
    client.force_login(anchor.owner)
    return client


@pytest.mark.parametrize("header", ["数电发票号码", "全电发票号码"])
def test_fully_digital_invoice_exports_name_the_invoice_number_their_way(header):
    data = f"{header},开票日期,销方名称,金额\n26332000000012345678,2026-04-01,Acme,10.00\n"

    rows = read_purchase_file(data.encode()).rows

    assert rows[0]["invoice_no"] == "26332000000012345678"


def test_a_sample_files_headers_are_shown_with_our_columns_proposed(member_client, anchor):
    response = member_client.post(
        mappings_url(anchor),
        {"sample": csv_file("Beleg,开票日期,Netto", "B-1,2026-04-01,1")},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    page = response.content.decode()
    for header in ("Beleg", "开票日期", "Netto"):
        assert f'name="header" value="{header}"' in page
    # A standard alias is proposed; an unknown header is ignored until mapped.
    assert '<option value="invoice_date" selected>' in page
    assert page.count('<option value="" selected>') == 2


def test_a_mapping_saved_from_the_page_is_used_by_the_next_upload_and_recorded(
    member_client, anchor, django_capture_on_commit_callbacks
):
    response = member_client.post(mappings_url(anchor), save_form("Our SAP", OWN_COLUMNS))
    assert response.status_code == 302
    mapping = PurchaseColumnMapping.objects.get()
    assert (mapping.buyer, mapping.name, mapping.columns, mapping.saved_by) == (
        anchor,
        "Our SAP",
        OWN_COLUMNS,
        anchor.owner,
    )

    response = upload(
        member_client,
        anchor,
        csv_file(OWN_HEADER, OWN_ROW),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    purchase_import = PurchaseImport.objects.get()
    assert purchase_import.errors == []
    assert purchase_import.column_mapping == mapping
    result = member_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "Read with your column mapping “Our SAP”" in text_of(result)
    line = PurchaseLine.objects.get()
    assert (line.invoice_no, line.supplier_name, line.category.slug, line.amount) == (
        "B-0001",
        "Acme GmbH",
        "cathode",
        Decimal("1000.00"),
    )


def test_the_mapping_chosen_on_the_upload_form_is_applied(
    member_client, anchor, django_capture_on_commit_callbacks
):
    column_mapping_save(actor=anchor.owner, buyer=anchor, name="A", columns=OWN_COLUMNS)
    # Fits the file better (more headers) but is not the one chosen.
    other = column_mapping_save(
        actor=anchor.owner,
        buyer=anchor,
        name="B",
        columns={**OWN_COLUMNS, "Bemerkung": "description", "Netto": "amount"},
    )
    chosen = PurchaseColumnMapping.objects.get(name="A")
    headers = OWN_HEADER.split(",")
    assert column_mapping_for_upload(buyer=anchor, headers=headers) == other

    upload(
        member_client,
        anchor,
        csv_file(OWN_HEADER, OWN_ROW),
        django_capture_on_commit_callbacks,
        column_mapping=chosen.pk,
    )

    assert PurchaseImport.objects.get().column_mapping == chosen
    assert PurchaseLine.objects.get().description == ""


def test_a_mapping_whose_headers_are_not_in_the_file_is_not_applied(anchor):
    column_mapping_save(actor=anchor.owner, buyer=anchor, name="A", columns=OWN_COLUMNS)

    assert column_mapping_for_upload(buyer=anchor, headers=["发票号码", "开票日期", "金额"]) is None


def test_another_buyers_mapping_is_never_applied(
    member_client, anchor, django_capture_on_commit_callbacks
):
    other = EnterpriseFactory(kind="anchor")
    owner = MembershipFactory(enterprise=other).user
    theirs = column_mapping_save(actor=owner, buyer=other, name="Theirs", columns=OWN_COLUMNS)

    assert column_mapping_for_upload(buyer=anchor, headers=OWN_HEADER.split(",")) is None
    response = upload(
        member_client,
        anchor,
        csv_file(OWN_HEADER, OWN_ROW),
        django_capture_on_commit_callbacks,
        column_mapping=theirs.pk,
    )
    assert response.status_code == 400
    response = upload(
        member_client, anchor, csv_file(OWN_HEADER, OWN_ROW), django_capture_on_commit_callbacks
    )
    # Without a mapping of its own the file's headers are not ours: refused on the spot.
    assert response.status_code == 400
    assert "invoice_no" in text_of(response)
    assert not PurchaseImport.objects.exists()


@pytest.mark.parametrize(
    ("columns", "named"),
    [
        ({**OWN_COLUMNS, "Bemerkung": "invoice_no"}, ["invoice_no", "Beleg", "Bemerkung"]),
        ({**OWN_COLUMNS, "Datum": ""}, ["invoice_date"]),
        ({**OWN_COLUMNS, "Netto": ""}, ["amount"]),
        ({**OWN_COLUMNS, "Netto": "price"}, ["Netto", "price"]),
    ],
)
def test_an_invalid_mapping_is_refused_naming_the_header_and_column(
    member_client, anchor, columns, named
):
    response = member_client.post(
        mappings_url(anchor), save_form("Ours", columns), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    problems = text_of(response).split("The mapping was not saved:")[1]
    for word in named:
        assert word in problems
    assert not PurchaseColumnMapping.objects.exists()


def test_a_mapping_needs_a_name(member_client, anchor):
    response = member_client.post(
        mappings_url(anchor), save_form(" ", OWN_COLUMNS), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "Give the mapping a name." in text_of(response)


def test_a_mapping_can_be_deleted_by_its_buyers_members_only(client, anchor, sme):
    mine = column_mapping_save(actor=anchor.owner, buyer=anchor, name="A", columns=OWN_COLUMNS)
    theirs = column_mapping_save(actor=sme.owner, buyer=sme, name="B", columns=OWN_COLUMNS)
    client.force_login(anchor.owner)

    assert client.post(mappings_url(anchor), {"delete": theirs.pk}).status_code == 404
    assert client.post(mappings_url(anchor), {"delete": mine.pk}).status_code == 302
    assert list(PurchaseColumnMapping.objects.all()) == [theirs]


def test_another_firms_member_gets_404(client, anchor):
    stranger = MembershipFactory(enterprise=EnterpriseFactory(kind="anchor")).user
    client.force_login(stranger)

    assert client.get(mappings_url(anchor)).status_code == 404
    assert client.post(mappings_url(anchor), save_form("X", OWN_COLUMNS)).status_code == 404
    assert not PurchaseColumnMapping.objects.exists()


def test_the_page_takes_a_bounded_number_of_queries(
    member_client, anchor, django_assert_max_num_queries
):
    for index in range(20):
        column_mapping_save(
            actor=anchor.owner, buyer=anchor, name=f"Layout {index}", columns=OWN_COLUMNS
        )

    with django_assert_max_num_queries(8):
        response = member_client.get(mappings_url(anchor))

    assert response.status_code == 200
    assert "Layout 19" in text_of(response)
