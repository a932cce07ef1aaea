"""Purchase lines as Chinese invoices and ERP exports have them (issue 15): the invoice code
in a line's identity, the formats of legacy and fully digital invoices, the headers of a
VAT-invoice export and of Kingdee, Yonyou and SAP exports, dates as they are written, the
category by name or from the directory product, the amount always excluding VAT."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from directory.models import PurchaseLine, SupplyCategory
from directory.purchases.files import read_purchase_file
from directory.purchases.services import purchase_lines_import
from tests.factories import EnterpriseFactory, ProductFactory, PurchaseLineFactory, make_uscc
from tests.files import xlsx_bytes

VAT_EXPORT_HEADER = (
    "发票代码,发票号码,开票日期,销方识别号,销方名称,货物或应税劳务名称,规格型号,单位,数量,"
    "单价,金额,税率,税额,价税合计"
)


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def import_file(buyer, data: bytes):
    parsed = read_purchase_file(data)
    return purchase_lines_import(
        actor=None, buyer=buyer, raw_rows=parsed.rows, source="command", first_row=2
    )


def line(**values) -> dict:
    return {
        "invoice_no": "A-1",
        "line_no": 1,
        "invoice_date": "2026-04-01",
        "supplier_name": "Acme",
        "category": "cathode",
        "amount": "10.00",
        **values,
    }


def push(buyer, *lines: dict):
    return purchase_lines_import(actor=None, buyer=buyer, raw_rows=lines, source="api")


def problems(outcome) -> list[tuple[int, str]]:
    return [(error["row"], error["column"]) for error in outcome.errors]


@pytest.fixture
def supplier(db):
    return EnterpriseFactory(uscc=make_uscc(770001), name_zh="示例材料有限公司")


def test_a_vat_invoice_export_imports_with_codes_dates_and_chinese_categories(anchor, supplier):
    """The issue's export: 发票代码 and 销方识别号 read, 2026年04月01日 and 2026/4/1 taken,
    硫化物固态电解质 found by its Chinese name, and two invoices sharing 00012345 kept apart."""
    data = csv_bytes(
        VAT_EXPORT_HEADER + ",供应品类",
        f"3300261130,00012345,2026年04月01日,{supplier.uscc},示例材料有限公司,"
        "*电池*硫化物电解质粉体,D50 5μm,kg,250,750,187500.00,13%,24375.00,211875.00,"
        "硫化物固态电解质",
        f"4400261130,00012345,2026/4/1,{supplier.uscc},示例材料有限公司,"
        "*电池*硫化物电解质粉体,D50 5μm,kg,10,750,7500.00,13%,975.00,8475.00,硫化物固态电解质",
    )

    _import, outcome = import_file(anchor, data)

    assert outcome.errors == []
    assert outcome.created == 2
    lines = PurchaseLine.objects.order_by("invoice_code")
    assert [(stored.invoice_code, stored.invoice_no, stored.line_no) for stored in lines] == [
        ("3300261130", "00012345", 1),
        ("4400261130", "00012345", 1),
    ]
    first = lines[0]
    assert first.supplier_id == supplier.uscc
    assert first.invoice_date == datetime.date(2026, 4, 1)
    assert first.category.slug == "sulfide-electrolyte"
    assert first.amount == Decimal("187500.00")  # 金额: excluding VAT, never 价税合计
    assert first.description == "*电池*硫化物电解质粉体 D50 5μm"
    assert (first.quantity, first.unit) == (Decimal("250.000"), "kg")

    _again, repeated = import_file(anchor, data)

    assert (repeated.created, repeated.updated, repeated.unchanged) == (0, 0, 2)


def test_without_line_numbers_lines_are_numbered_in_file_order_within_each_invoice(
    anchor, supplier
):
    row = f"{{code}},{{no}},2026-04-01,{supplier.uscc},,x,,,,,{{amount}},,,,sulfide-electrolyte"
    data = csv_bytes(
        VAT_EXPORT_HEADER + ",category",
        row.format(code="3300261130", no="00000001", amount="10.00"),
        row.format(code="", no="26332000000012345678", amount="20.00"),
        row.format(code="3300261130", no="00000001", amount="30.00"),
        row.format(code="3300261130", no="00000002", amount="40.00"),
    )

    _import, outcome = import_file(anchor, data)

    assert outcome.errors == []
    numbered = PurchaseLine.objects.values_list("invoice_no", "line_no", "amount")
    assert sorted(numbered) == [
        ("00000001", 1, Decimal("10.00")),
        ("00000001", 2, Decimal("30.00")),
        ("00000002", 1, Decimal("40.00")),
        ("26332000000012345678", 1, Decimal("20.00")),
    ]


@pytest.mark.parametrize(
    ("code", "number", "column", "words"),
    [
        ("330026113", "00012345", "invoice_code", "10 or 12 digits"),
        ("33002611301X", "00012345", "invoice_code", "10 or 12 digits"),
        ("3300261130", "0012345", "invoice_no", "8 digits"),
        ("3300261130", "INV-00012", "invoice_no", "8 digits"),
        ("3300261130", "26332000000012345678", "invoice_code", "fully digital"),
    ],
)
def test_a_malformed_invoice_code_or_number_is_named_and_nothing_is_saved(
    anchor, supplier, code, number, column, words
):
    _import, outcome = push(
        anchor, line(invoice_code=code, invoice_no=number, supplier_uscc=supplier.uscc)
    )

    assert problems(outcome) == [(1, column)]
    assert words in outcome.errors[0]["message"]
    assert not PurchaseLine.objects.exists()


def test_a_correction_of_one_coded_invoice_leaves_its_namesake_alone(anchor, supplier):
    def coded(code: str, amount: str) -> dict:
        return line(
            invoice_code=code, invoice_no="00012345", supplier_uscc=supplier.uscc, amount=amount
        )

    push(anchor, coded("3300261130", "10.00"), coded("4400261130", "20.00"))
    _import, outcome = push(anchor, coded("4400261130", "25.00"))

    assert (outcome.created, outcome.updated) == (0, 1)
    assert dict(PurchaseLine.objects.values_list("invoice_code", "amount")) == {
        "3300261130": Decimal("10.00"),
        "4400261130": Decimal("25.00"),
    }


def test_the_database_keeps_one_line_per_seller_code_number_and_line(anchor, supplier):
    first = PurchaseLineFactory(
        buyer=anchor, supplier=supplier, invoice_code="3300261130", invoice_no="00012345"
    )
    PurchaseLineFactory(
        buyer=anchor, supplier=supplier, invoice_code="4400261130", invoice_no="00012345"
    )
    PurchaseLineFactory(buyer=anchor, supplier=None, supplier_name="A", invoice_no="X-1")
    PurchaseLineFactory(buyer=anchor, supplier=None, supplier_name="B", invoice_no="X-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        PurchaseLineFactory(
            buyer=anchor, supplier=supplier, invoice_code="3300261130", invoice_no="00012345"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PurchaseLineFactory(buyer=anchor, supplier=None, supplier_name="A", invoice_no="X-1")
    assert str(first) == "3300261130-00012345/1"


@pytest.mark.parametrize(
    "category", ["sulfide-electrolyte", "硫化物固态电解质", "sulfide SOLID electrolyte"]
)
def test_a_category_is_found_by_its_slug_chinese_or_english_name(anchor, category):
    _import, outcome = push(anchor, line(category=category))

    assert outcome.errors == []
    assert PurchaseLine.objects.get().category.slug == "sulfide-electrolyte"


def test_without_a_category_the_line_takes_its_directory_products_else_none(anchor, supplier):
    named = ProductFactory(enterprise=supplier, name="硫化物电解质粉体")
    numbered = ProductFactory(
        enterprise=supplier, category=SupplyCategory.objects.get(slug="cathode")
    )
    data = csv_bytes(
        VAT_EXPORT_HEADER + ",product",
        f"3300261130,00000001,2026-04-01,{supplier.uscc},,*电池*硫化物电解质粉体,,,,,10.00,,,,",
        f"3300261130,00000001,2026-04-01,{supplier.uscc},,正极材料,,,,,20.00,,,,{numbered.pk}",
        f"3300261130,00000001,2026-04-01,{supplier.uscc},,无此产品,,,,,30.00,,,,",
    )

    _import, outcome = import_file(anchor, data)

    # No product and no saved item name: stored uncategorised, not refused (issue 15).
    assert outcome.errors == []
    lines = PurchaseLine.objects.order_by("line_no")
    assert [
        (stored.product_id, stored.category_id and stored.category.slug) for stored in lines
    ] == [
        (named.pk, "sulfide-electrolyte"),
        (numbered.pk, "cathode"),
        (None, None),
    ]


def test_the_amount_excluding_vat_is_taken_from_the_total_less_the_vat(anchor):
    data = csv_bytes(
        "发票号码,开票日期,销方名称,品类,价税合计,税额",
        "26332000000012345678,2026-04-01,Acme,cathode,1130.00,130.00",
    )

    _import, outcome = import_file(anchor, data)

    assert outcome.errors == []
    assert PurchaseLine.objects.get().amount == Decimal("1000.00")


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"amount_incl_vat": "1130.00"}, "vat_amount"),
        ({"amount": "1130.00", "amount_incl_vat": "1130.00", "vat_amount": "130.00"}, "amount"),
        ({}, "amount"),
    ],
)
def test_an_amount_that_cannot_be_the_one_excluding_vat_is_refused(anchor, cells, column):
    cut = line(**cells)
    if "amount" not in cells:
        del cut["amount"]

    _import, outcome = push(anchor, cut)

    assert problems(outcome) == [(1, column)]
    assert not PurchaseLine.objects.exists()


@pytest.mark.parametrize(
    ("header", "row"),
    [
        (  # Kingdee (金蝶) purchase invoice list
            "发票号,发票日期,供应商,供应商税号,物料名称,计价单位,计价数量,不含税金额,税额,"
            "价税合计,分录号,品类",
            "00012345,2026-04-01,示例材料有限公司,{uscc},电解质,kg,1,1000.00,130.00,1130.00,"
            "1,cathode",
        ),
        (  # Yonyou (用友) purchase invoice list, amounts in CNY (本币)
            "发票号,开票日期,供应商名称,存货名称,本币无税金额,本币税额,本币价税合计,行号,品类",
            "00012345,2026/4/1,示例材料有限公司,电解质,1000.00,130.00,1130.00,1,cathode",
        ),
        (  # SAP supplier invoices
            "Reference,Document Date,Item,Supplier Name,Tax Number 1,Short Text,Quantity,"
            "Order Unit,Net Amount,Tax Amount,Gross Amount,Category",
            "00012345,2026-04-01,1,示例材料有限公司,{uscc},electrolyte,1,KG,1000.00,130.00,"
            "1130.00,cathode",
        ),
    ],
    ids=["kingdee", "yonyou", "sap"],
)
def test_erp_purchase_invoice_exports_import_counting_the_amount_without_vat(
    anchor, supplier, header, row
):
    data = csv_bytes(header, row.format(uscc=supplier.uscc))

    parsed = read_purchase_file(data)
    _import, outcome = import_file(anchor, data)

    assert parsed.unknown_columns == []
    assert outcome.errors == []
    stored = PurchaseLine.objects.get()
    assert (stored.invoice_no, stored.line_no, stored.amount) == ("00012345", 1, Decimal("1000.00"))
    assert stored.invoice_date == datetime.date(2026, 4, 1)


def test_an_xlsx_vat_export_with_date_cells_and_text_codes_imports(anchor, supplier):
    data = xlsx_bytes(
        VAT_EXPORT_HEADER.split(",") + ["品类"],
        [
            "011002000111",
            "00012345",
            datetime.datetime(2026, 4, 1),
            supplier.uscc,
            "示例材料有限公司",
            "电解质",
            "",
            "kg",
            2,
            500,
            1000,
            "13%",
            130,
            1130,
            "Cathode",
        ],
    )

    _import, outcome = import_file(anchor, data)

    assert outcome.errors == []
    stored = PurchaseLine.objects.get()
    assert (stored.invoice_code, stored.invoice_no) == ("011002000111", "00012345")
    assert stored.invoice_date == datetime.date(2026, 4, 1)
