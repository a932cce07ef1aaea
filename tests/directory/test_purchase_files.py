"""Reading purchase files: CSV (UTF-8, GBK) and XLSX, headers in English or Chinese, and the
refusal of whatever is not a purchase table."""

import datetime
import io
import zipfile

import pytest

from directory.purchases.files import (
    FILE_ROW,
    MAX_DATA_ROWS,
    PurchaseFileError,
    inspect_purchase_file,
    purchase_template_csv,
    purchase_template_xlsx,
    read_purchase_file,
)
from directory.purchases.services import purchase_lines_validate
from tests.files import xlsx_bytes

HEADER = "invoice_no,line_no,invoice_date,supplier_name,category,amount"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def refusal(data: bytes) -> list[tuple[int, str, str]]:
    with pytest.raises(PurchaseFileError) as caught:
        read_purchase_file(data)
    return [(error.row, error.column, error.message) for error in caught.value.errors]


def test_csv_with_a_byte_order_mark_gives_rows_numbered_from_spreadsheet_row_2():
    data = b"\xef\xbb\xbf" + csv_bytes(HEADER, "A-1,1,2026-03-31,Acme,cathode,100.00")

    parsed = read_purchase_file(data)

    assert parsed.kind == "csv"
    assert parsed.first_row == 2
    assert parsed.rows == [
        {
            "invoice_no": "A-1",
            "line_no": "1",
            "invoice_date": "2026-03-31",
            "supplier_name": "Acme",
            "category": "cathode",
            "amount": "100.00",
        }
    ]


def test_invoice_numbers_keep_their_leading_zeros_in_csv_and_xlsx():
    from_csv = read_purchase_file(csv_bytes(HEADER, "000123,1,2026-03-31,Acme,cathode,1"))
    from_xlsx = read_purchase_file(
        xlsx_bytes(HEADER.split(","), ["000123", 1, "2026-03-31", "Acme", "cathode", 1])
    )

    assert from_csv.rows[0]["invoice_no"] == "000123"
    assert from_xlsx.rows[0]["invoice_no"] == "000123"


def test_gbk_csv_as_chinese_excel_saves_it_is_read_with_chinese_headers():
    data = csv_bytes(
        "发票号码,行号,开票日期,供应商名称,供应品类,不含税金额,说明",
        "0001,1,2026-03-31,本地电解质有限公司,sulfide-electrolyte,1000.00,硫化物电解质",
        encoding="gbk",
    )

    row = read_purchase_file(data).rows[0]

    assert row["invoice_no"] == "0001"
    assert row["supplier_name"] == "本地电解质有限公司"
    assert row["category"] == "sulfide-electrolyte"
    assert row["amount"] == "1000.00"
    assert row["description"] == "硫化物电解质"


def test_english_headers_match_whatever_their_case_and_spacing():
    data = csv_bytes(
        " Invoice_No ,LINE_NO,Invoice Date,Supplier_Name,Category,AMOUNT",
        "A-1,1,2026-03-31,Acme,cathode,1",
    )

    assert set(read_purchase_file(data).rows[0]) == {
        "invoice_no",
        "line_no",
        "invoice_date",
        "supplier_name",
        "category",
        "amount",
    }


def test_xlsx_date_cells_arrive_as_dates_and_validate(db):
    data = xlsx_bytes(
        HEADER.split(","),
        ["A-1", 1, datetime.datetime(2026, 3, 31), "Acme", "cathode", 1234.5],
    )

    parsed = read_purchase_file(data)
    lines, errors = purchase_lines_validate(parsed.rows, first_row=parsed.first_row)

    assert parsed.kind == "xlsx"
    assert isinstance(parsed.rows[0]["invoice_date"], datetime.datetime)
    assert errors == []
    assert lines[0].invoice_date == datetime.date(2026, 3, 31)
    assert str(lines[0].amount) == "1234.50"


def test_empty_xlsx_cells_are_empty_text():
    data = xlsx_bytes(
        [*HEADER.split(","), "unit"], ["A-1", 1, "2026-03-31", "Acme", "cathode", 1, None]
    )

    assert read_purchase_file(data).rows[0]["unit"] == ""


def test_unknown_columns_are_reported_and_ignored():
    data = csv_bytes(HEADER + ",VAT,备注", "A-1,1,2026-03-31,Acme,cathode,1,0.13,x")

    parsed = read_purchase_file(data)

    assert parsed.unknown_columns == ["VAT", "备注"]
    assert "VAT" not in parsed.rows[0]
    assert inspect_purchase_file(data) == ("csv", ["VAT", "备注"])


def test_missing_required_columns_are_each_named_as_errors_of_row_1():
    data = csv_bytes("supplier_name,category,vat_amount", "Acme,cathode,1")

    problems = refusal(data)

    assert [(row, column) for row, column, _message in problems] == [
        (1, "invoice_no"),
        (1, "invoice_date"),
        (1, "amount"),
    ]
    assert "“invoice_no” is missing" in problems[0][2]
    assert "one of the columns “amount”, “amount_incl_vat”" in problems[2][2]


def test_two_headers_for_the_same_column_are_refused():
    data = csv_bytes(HEADER + ",金额", "A-1,1,2026-03-31,Acme,cathode,1,2")

    [(row, column, message)] = refusal(data)

    assert (row, column) == (1, "amount")
    assert "“amount” and “金额”" in message


def test_a_png_renamed_to_csv_is_refused_by_its_content():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"

    [(row, column, message)] = refusal(png)

    assert (row, column) == (FILE_ROW, "")
    assert "neither CSV text nor an Excel workbook" in message


def test_a_zip_that_is_no_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    [(_row, _column, message)] = refusal(buffer.getvalue())

    assert "not an Excel workbook" in message


def test_the_old_xls_format_is_refused_with_advice():
    [(_row, _column, message)] = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)

    assert "Save it as .xlsx or CSV" in message


def test_an_empty_file_is_refused():
    assert refusal(b"") == [(FILE_ROW, "", "The file is empty.")]


def test_a_file_with_only_the_header_is_refused():
    [(_row, _column, message)] = refusal(csv_bytes(HEADER))

    assert "no purchase lines" in message


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.PURCHASE_UPLOAD_MAX_BYTES = 1024
    data = csv_bytes(HEADER, *["A-1,1,2026-03-31,Acme,cathode,1"] * 100)

    [(_row, _column, message)] = refusal(data)

    assert message == "The file has 3.3\xa0KB; at most 1.0\xa0KB are accepted. Split it in parts."


def test_more_than_100000_rows_are_refused():
    data = csv_bytes(HEADER, *[f"{n},1,2026-03-31,A,c,1" for n in range(MAX_DATA_ROWS + 1)])

    [(_row, _column, message)] = refusal(data)

    assert "100,001 rows; at most 100,000" in message


def test_blank_rows_that_excel_leaves_at_the_end_are_dropped():
    data = xlsx_bytes(
        HEADER.split(","),
        ["A-1", 1, "2026-03-31", "Acme", "cathode", 1],
        [None] * 6,
        [None, None, None, None, None, " "],
    )

    assert len(read_purchase_file(data).rows) == 1


def test_a_row_with_fewer_cells_than_the_header_has_empty_cells():
    row = read_purchase_file(csv_bytes(HEADER, "A-1,1,2026-03-31")).rows[0]

    assert row["amount"] == ""


@pytest.mark.parametrize("template", [purchase_template_csv, purchase_template_xlsx])
def test_the_downloadable_template_reads_back_and_validates(db, template):
    parsed = read_purchase_file(template())

    lines, errors = purchase_lines_validate(parsed.rows, first_row=parsed.first_row)

    assert parsed.unknown_columns == []
    assert errors == []
    assert lines[0].invoice_no == "00012345"
    assert lines[0].invoice_date == datetime.date(2026, 3, 31)
