"""The shared upload reader: what a file is by its bytes, its text, its size, its header and
rows, and the (row, column, reason) it gives for whatever it refuses."""

import datetime
import io
import zipfile

import pytest

from ssb_portal import tabular
from tests.files import xlsx_bytes

COLUMNS = ("code", "name", "amount")
REQUIRED = ("code", "amount")
ALIASES = {"编号": "code", "名称": "name", "金额": "amount"}
LIMIT = 10_000


def read(data: bytes, *, max_rows: int = 100, max_bytes: int = LIMIT) -> tabular.Records:
    return tabular.read_records(
        data,
        columns=COLUMNS,
        aliases=ALIASES,
        required=REQUIRED,
        max_bytes=max_bytes,
        max_rows=max_rows,
        no_rows="nothing below the header",
    )


def refusal(data: bytes, **kwargs) -> list[tabular.RowError]:
    with pytest.raises(tabular.TableError) as caught:
        read(data, **kwargs)
    return caught.value.errors


def test_a_csv_keeps_every_cell_as_text_with_its_zeros():
    records = read(b"Code,NAME,amount,note\r\n000123,Li,12.50,x\r\n")

    assert records.kind == tabular.CSV
    assert records.rows == [{"code": "000123", "name": "Li", "amount": "12.50"}]
    assert records.unknown_columns == ["note"]


def test_chinese_headers_and_gb18030_text_are_read():
    data = "编号, 名 称 ,金额\n7,固态电解质,3\n".encode("gb18030")

    assert read(data).rows == [{"code": "7", "name": "固态电解质", "amount": "3"}]


def test_utf8_with_the_bom_excel_adds_is_read():
    data = "编号,金额\n1,2\n".encode("utf-8-sig")

    assert read(data).rows == [{"code": "1", "amount": "2"}]


def test_a_workbook_is_known_by_its_bytes_and_keeps_its_cell_types():
    data = xlsx_bytes(["code", "amount"], ["0042", 3.5], [None, datetime.date(2026, 3, 31)])

    records = read(data)

    assert records.kind == tabular.XLSX
    assert records.rows == [
        {"code": "0042", "amount": 3.5},
        {"code": "", "amount": datetime.datetime(2026, 3, 31)},
    ]


def test_blank_rows_at_the_end_are_cut_and_those_between_kept_for_the_numbering():
    records = read(b"code,amount\n1,2\n,\n3,4\n,\n\n")

    assert records.rows == [
        {"code": "1", "amount": "2"},
        {"code": "", "amount": ""},
        {"code": "3", "amount": "4"},
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither CSV text nor an Excel workbook"),
        (b"%PDF-1.7\n1 0 obj\n", "neither CSV text nor an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "the old Excel format (.xls)"),
        (b"PK\x03\x04 not really a zip", "a damaged zip archive"),
        (b"code,amount\n\xff\xfe\xff\n", "neither UTF-8 nor GBK"),
        (b"code,amount\n1,2,3\n", "The CSV cannot be read as a table"),
        (b"code,amount\n", "nothing below the header"),
        (b"code,amount\n,\n", "nothing below the header"),
    ],
)
def test_a_file_that_is_no_table_is_refused_as_a_whole_with_the_reason(data, reason):
    problems = refusal(data)

    assert len(problems) == 1
    assert (problems[0].row, problems[0].column) == (tabular.FILE_ROW, "")
    assert reason in problems[0].message


def test_a_problem_reads_as_pages_and_the_api_show_it():
    [problem] = refusal(b"")

    assert problem.as_dict() == {"row": 0, "column": "", "message": "The file is empty."}


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")

    [problem] = refusal(buffer.getvalue())

    assert "a zip archive but not an Excel workbook" in problem.message


def test_a_file_above_the_size_limit_is_refused_in_readable_sizes():
    [problem] = refusal(b"code,amount\n" + b"1,2\n" * 100, max_bytes=100)

    assert problem.message.replace("\xa0", " ") == (
        "The file has 412 bytes; at most 100 bytes are accepted. Split it in parts."
    )


def test_a_file_with_too_many_rows_is_refused_with_the_count():
    [problem] = refusal(b"code,amount\n" + b"1,2\n" * 1001, max_rows=1000)

    assert problem.message == (
        "The file has 1,001 rows; at most 1,000 are accepted. Split it in parts."
    )


def test_every_header_problem_is_named_by_its_column():
    problems = refusal("code,编号,name\n1,2,3\n".encode())

    assert [(p.row, p.column) for p in problems] == [
        (tabular.HEADER_ROW, "code"),
        (tabular.HEADER_ROW, "amount"),
    ]
    assert problems[0].message == "Two columns give “code”: “code” and “编号”."
    assert problems[1].message == "The column “amount” is missing from the header row."


def test_inspecting_reads_only_the_header():
    data = b"code,amount,extra\n" + b"1,2,3,4,5\n"  # the broken line below is not read

    assert tabular.inspect_header(
        data, columns=COLUMNS, aliases=ALIASES, required=REQUIRED, max_bytes=LIMIT
    ) == (tabular.CSV, ["extra"])


def test_a_reader_may_say_it_in_its_own_words():
    wording = tabular.Wording(
        empty="nothing at all",
        too_large=lambda size, limit: f"{size} > {limit}",
        not_a_table="not ours",
    )

    with pytest.raises(tabular.TableError, match="nothing at all"):
        tabular.read_table(b"", max_bytes=10, wording=wording)
    with pytest.raises(tabular.TableError, match="11 > 10"):
        tabular.read_table(b"a" * 11, max_bytes=10, wording=wording)
    with pytest.raises(tabular.TableError, match="not ours"):
        tabular.read_table(b"\x00\x01", max_bytes=10, wording=wording)


def test_a_semicolon_separated_csv_is_read_when_the_reader_guesses_the_separator():
    table = tabular.read_table(b"a;b\n1;2\n", max_bytes=LIMIT, sniff_separator=True)

    assert table.rows == [["a", "b"], ["1", "2"]]


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (float("nan"), ""), ("  x ", "x"), (2021001.0, "2021001"), (0.5, "0.5")],
)
def test_cell_text(value, text):
    assert tabular.cell_text(value) == text


def test_column_help_lists_every_column_with_its_aliases_in_file_order():
    help_rows = tabular.column_help(
        columns=COLUMNS,
        required=REQUIRED,
        aliases={**ALIASES, "代码": "code"},
        texts={"code": "the code", "name": "the name", "amount": "the amount"},
    )

    assert help_rows == [
        tabular.ColumnHelp("code", True, ["编号", "代码"], "the code"),
        tabular.ColumnHelp("name", False, ["名称"], "the name"),
        tabular.ColumnHelp("amount", True, ["金额"], "the amount"),
    ]
