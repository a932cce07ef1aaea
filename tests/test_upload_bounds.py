"""Uploads are bounded before they are parsed: a workbook that would expand too far (a zip
bomb) is refused from its zip directory, a long sheet is read no further than the row limit,
and PDFs that are encrypted, carry JavaScript or cannot be read are refused."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from directory.demo.documents import blank_pdf
from directory.purchases.files import PurchaseFileError, inspect_purchase_file, read_purchase_file
from ssb_portal import tabular
from ssb_portal.pdf_checks import check_pdf
from tests.files import xlsx_bytes

HEADER = ["invoice_no", "line_no", "invoice_date", "supplier_name", "category", "amount"]
MB = 1024 * 1024


def bomb(padding_bytes: int, *, extra_part: bool = False) -> bytes:
    """A real workbook whose sheet XML carries `padding_bytes` of blanks in a comment: a few
    kilobytes of zip that expand to the padding when opened."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(HEADER, ["A-1", 1, "2026-03-31", "Acme"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml" and not extra_part:
                head, _sep, rest = data.partition(b"?>")
                data = head + b"?><!--" + b" " * padding_bytes + b"-->" + rest
            target.writestr(part, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        if extra_part:
            target.writestr("xl/media/padding.bin", b"\0" * padding_bytes)
    return buffer.getvalue()


def problems(data: bytes, **options) -> list[str]:
    with pytest.raises(tabular.TableError) as caught:
        tabular.read_table(data, max_bytes=20 * MB, **options)
    return [error.message for error in caught.value.errors]


# --- workbooks -----------------------------------------------------------------------------


def test_a_workbook_that_would_expand_beyond_the_limit_is_refused_before_parsing(settings):
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 4 * MB
    data = bomb(8 * MB)
    assert len(data) < 64 * 1024

    [message] = problems(data)

    assert message.startswith("The workbook would expand to 8.0")
    assert "at most 4.0\xa0MB are accepted" in message


def test_a_part_compressed_beyond_the_ratio_is_refused_and_named(settings):
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 64 * MB
    settings.XLSX_MAX_COMPRESSION_RATIO = 100

    [message] = problems(bomb(4 * MB, extra_part=True))

    assert "“xl/media/padding.bin” is compressed" in message
    assert "at most 100 times" in message


def test_the_purchase_import_refuses_a_zip_bomb_with_a_file_problem(settings):
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 4 * MB

    for read in (inspect_purchase_file, read_purchase_file):
        with pytest.raises(PurchaseFileError) as caught:
            read(bomb(8 * MB))
        [error] = caught.value.errors
        assert (error.row, error.column) == (tabular.FILE_ROW, "")
        assert "would expand" in error.message


def test_a_workbook_with_a_damaged_part_is_refused_as_damaged():
    data = bytearray(xlsx_bytes(HEADER, *[[f"A-{n}", n] for n in range(500)]))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    start = sheet.header_offset + 30 + len(sheet.filename) + len(sheet.extra)
    data[start + 20 : start + 60] = b"\xff" * 40

    [message] = problems(bytes(data))

    assert message == "The file is a damaged zip archive, not a workbook."


def test_an_ordinary_workbook_passes_the_bounds():
    rows = [[f"A-{n}", 1, "2026-03-31", "Acme", "cathode", n] for n in range(2000)]

    table = tabular.read_table(xlsx_bytes(HEADER, *rows), max_bytes=20 * MB)

    assert len(table.rows) == 2001 and table.complete


def test_a_long_workbook_is_read_only_one_row_past_the_limit():
    rows = [[f"A-{n}", 1, "2026-03-31", "Acme", "cathode", n] for n in range(50)]

    table = tabular.read_table(xlsx_bytes(HEADER, *rows), max_bytes=20 * MB, max_rows=10)

    assert len(table.rows) == 12  # the header, ten rows and the one past the limit
    assert table.rows[11][0] == "A-10"
    assert not table.complete


def test_a_workbook_within_the_limit_is_read_whole():
    rows = [[f"A-{n}", 1, "2026-03-31", "Acme", "cathode", n] for n in range(10)]

    table = tabular.read_table(xlsx_bytes(HEADER, *rows), max_bytes=20 * MB, max_rows=10)

    assert len(table.rows) == 11 and table.complete


def test_a_workbook_over_the_row_limit_is_refused_saying_more_than_the_limit():
    rows = [[f"A-{n}", 1, "2026-03-31", "Acme", "cathode", n] for n in range(30)]

    with pytest.raises(tabular.TableError) as caught:
        tabular.read_records(
            xlsx_bytes(HEADER, *rows),
            columns=HEADER,
            aliases={},
            required=["invoice_no"],
            max_bytes=20 * MB,
            max_rows=10,
            no_rows="No rows.",
        )

    [error] = caught.value.errors
    assert error.message == (
        "The file has more than 10 rows; at most 10 are accepted. Split it in parts."
    )


def test_workbooks_are_read_with_calamine(monkeypatch):
    engines = []
    read_excel = tabular.pd.read_excel

    def spy(*args, **kwargs):
        engines.append(kwargs.get("engine"))
        return read_excel(*args, **kwargs)

    monkeypatch.setattr(tabular.pd, "read_excel", spy)

    tabular.read_table(xlsx_bytes(HEADER, ["A-1", 1]), max_bytes=MB)

    assert engines == ["calamine"]


# --- PDFs ------------------------------------------------------------------------------------


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def scripted_pdf(where: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if where == "names":
        writer.add_js("app.alert('hello');")
    else:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.launchURL('https://evil.example');"),
            }
        )
        writer.root_object[NameObject("/OpenAction")] = action
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_problem(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check_pdf(io.BytesIO(data), name="evidence.pdf")
    [message] = caught.value.message_dict["file"]
    return message


def test_a_plain_pdf_is_accepted():
    stream = io.BytesIO(blank_pdf(pages=3))
    check_pdf(stream, name="evidence.pdf")
    assert stream.tell() == 0


def test_an_encrypted_pdf_is_refused():
    assert pdf_problem(encrypted_pdf()) == (
        "“evidence.pdf” is encrypted (protected by a password). Upload it without the protection."
    )


@pytest.mark.parametrize("where", ["names", "open_action"])
def test_a_pdf_with_javascript_is_refused(where):
    assert "“evidence.pdf” contains JavaScript" in pdf_problem(scripted_pdf(where))


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", b"%PDF-1.4\n" + b"\x00" * 500],
)
def test_a_malformed_pdf_is_refused(data):
    assert pdf_problem(data) == "“evidence.pdf” cannot be read as a PDF."
