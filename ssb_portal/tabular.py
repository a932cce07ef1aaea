"""The one reader of uploaded tables (CSV or XLSX) that every app's file imports build on.

It decides what a file is by its bytes, never by its name; decodes CSV text as UTF-8 (with or
without the BOM Excel adds) or else GB 18030 (a superset of the GBK Chinese Excel writes);
refuses files that are empty, too large or have too many rows; maps English headers (any
case) and the caller's Chinese aliases to column names; and keeps every cell as the file
holds it, so that a CSV number such as 000123 keeps its zeros. Each problem is a `RowError`
(row, column, reason) numbered as a spreadsheet shows it: the header is row 1, the first data
row is row 2, and problems of the whole file are row 0 with no column. The apps report the
problems of their own rows (purchases, graduates, measurements) as `RowError`s too.

The words of the whole-file problems are a `Wording`; a reader that has always said them
differently passes its own. `column_help` lists an upload's columns for its page. Nothing here
knows the apps: callers give the columns, aliases and limits, and raise a `TableError`'s
problems as their own subclass of it.
"""

import csv
import datetime
import io
import math
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

CSV = "csv"
XLSX = "xlsx"

# Spreadsheet numbering: the header is row 1, the first line of data row 2.
HEADER_ROW = 1
FIRST_DATA_ROW = 2
# Problems of the whole file (its kind, size, emptiness) belong to no row.
FILE_ROW = 0

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
_PDF_MAGIC = b"%PDF"
_SNIFF_BYTES = 64 * 1024
# Defaults of the settings bounding what a workbook may expand to (see check_workbook_bounds).
XLSX_MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
XLSX_MAX_COMPRESSION_RATIO = 100
# A part smaller than this expands to little whatever its ratio (tiny XML parts compress well).
_RATIO_FLOOR_BYTES = 1024 * 1024
_CHUNK = 1024 * 1024
# Control characters never found in a spreadsheet's CSV text (tab, CR and LF are fine).
_BINARY_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0D}


@dataclass(frozen=True)
class RowError:
    """One problem of a file: its spreadsheet row (FILE_ROW for the whole file), its column
    ("" for none) and the reason, as pages, the API and stored imports show it."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class TableError(Exception):
    """The file cannot be read as a table; `errors` (RowErrors) says why."""

    def __init__(self, errors: Sequence[RowError]):
        super().__init__("; ".join(error.message for error in errors))
        self.errors = list(errors)


def size_message(size: int, limit: int) -> str:
    """A file of `size` bytes is above the `limit`, in sizes a person reads (2.0 MB)."""
    return _("The file has %(size)s; at most %(limit)s are accepted. Split it in parts.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }


def too_large_message(size: int, limit: int) -> str | None:
    """Why a file of `size` bytes is refused under `limit`, or None when it is acceptable."""
    return None if size <= limit else size_message(size, limit)


def rows_message(count: int, limit: int) -> str:
    """A file of `count` data rows is above the `limit` of rows."""
    return _("The file has %(count)s rows; at most %(limit)s are accepted. Split it in parts.") % {
        "count": f"{count:,}",
        "limit": f"{limit:,}",
    }


def more_rows_message(limit: int) -> str:
    """A workbook has more data rows than the `limit` (it was read only that far)."""
    return _(
        "The file has more than %(limit)s rows; at most %(limit)s are accepted. Split it in parts."
    ) % {
        "limit": f"{limit:,}",
    }


@dataclass(frozen=True)
class Wording:
    """What a reader says about a file it cannot take at all (its kind, size, text, rows).

    The defaults are the words of the purchase and graduate imports; `too_large` and
    `too_many_rows` are given (count or size, limit) and return the sentence.
    """

    empty: str = _("The file is empty.")
    too_large: Callable[[int, int], str] = size_message
    too_many_rows: Callable[[int, int], str] = rows_message
    #: A workbook read only up to the limit: (limit) -> sentence.
    more_rows: Callable[[int], str] = more_rows_message
    damaged_zip: str = _("The file is a damaged zip archive, not a workbook.")
    zip_not_workbook: str = _("The file is a zip archive but not an Excel workbook (.xlsx).")
    old_excel: str = _(
        "This is the old Excel format (.xls). Save it as .xlsx or CSV and upload again."
    )
    not_a_table: str = _(
        "The file is neither CSV text nor an Excel workbook (.xlsx). Use the template."
    )
    bad_encoding: str = _(
        "The text is neither UTF-8 nor GBK. Save the CSV as “CSV UTF-8” and upload again."
    )
    expands_too_much: str = _(
        "The workbook would expand to %(size)s when opened; at most %(limit)s are accepted. "
        "Split it in parts."
    )
    compressed_too_much: str = _(
        "The workbook's part “%(part)s” is compressed %(ratio)s times; at most %(limit)s times "
        "is accepted. Save the workbook again from Excel, or upload it as CSV."
    )
    #: Both are given the parser's own words as %(reason)s, which they may leave out.
    unreadable_workbook: str = _("The workbook cannot be read: %(reason)s")
    unreadable_csv: str = _("The CSV cannot be read as a table: %(reason)s")


DEFAULT_WORDING = Wording()


def file_problem(message: str) -> TableError:
    """The error for a problem of the whole file."""
    return TableError([RowError(FILE_ROW, "", str(message))])


# --- what the bytes are --------------------------------------------------------------------


def check_size(size: int, *, max_bytes: int, wording: Wording = DEFAULT_WORDING) -> None:
    """Refuse an empty file and one above `max_bytes`."""
    if size == 0:
        raise file_problem(wording.empty)
    if size > max_bytes:
        raise file_problem(wording.too_large(size, max_bytes))


def _looks_like_text(head: bytes) -> bool:
    return not any(byte in _BINARY_BYTES for byte in head)


def file_kind(data: bytes, *, max_bytes: int, wording: Wording = DEFAULT_WORDING) -> str:
    """CSV or XLSX, judged by the content; anything else is refused with the reason."""
    check_size(len(data), max_bytes=max_bytes, wording=wording)
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as error:
            raise file_problem(wording.damaged_zip) from error
        if "xl/workbook.xml" not in names:
            raise file_problem(wording.zip_not_workbook)
        return XLSX
    if data.startswith(_OLE2_MAGIC):
        raise file_problem(wording.old_excel)
    if data.startswith(_PDF_MAGIC) or not _looks_like_text(data[:_SNIFF_BYTES]):
        raise file_problem(wording.not_a_table)
    return CSV


def decode_text(data: bytes, *, wording: Wording = DEFAULT_WORDING) -> str:
    """UTF-8 (with or without the BOM Excel adds), else GBK as Chinese Excel writes it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # GB 18030 is a superset of GBK, so it also reads files saved by older tools.
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise file_problem(wording.bad_encoding) from error


def _workbook_bounds() -> tuple[int, int]:
    return (
        getattr(settings, "XLSX_MAX_UNCOMPRESSED_BYTES", XLSX_MAX_UNCOMPRESSED_BYTES),
        getattr(settings, "XLSX_MAX_COMPRESSION_RATIO", XLSX_MAX_COMPRESSION_RATIO),
    )


def check_workbook_bounds(data: bytes, *, wording: Wording = DEFAULT_WORDING) -> None:
    """Refuse a workbook (a zip) that would expand beyond the settings' bounds when opened.

    A few hundred kilobytes of zip can hold gigabytes of sheet XML ("zip bomb"), which a
    parser would read whole. The sizes the archive declares are checked first, without
    expanding anything: the total, and each large part's compression ratio. Then every part
    is expanded as a stream and counted, so an archive that lies about its sizes is caught by
    its checksum, or by the count, before any parser sees it.
    """
    max_total, max_ratio = _workbook_bounds()

    def too_large(size: int) -> TableError:
        return file_problem(
            wording.expands_too_much
            % {"size": filesizeformat(size), "limit": filesizeformat(max_total)}
        )

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            declared = sum(part.file_size for part in parts)
            if declared > max_total:
                raise too_large(declared)
            for part in parts:
                ratio = part.file_size / max(part.compress_size, 1)
                if part.file_size > _RATIO_FLOOR_BYTES and ratio > max_ratio:
                    raise file_problem(
                        wording.compressed_too_much
                        % {"part": part.filename, "ratio": f"{ratio:,.0f}", "limit": max_ratio}
                    )
            expanded = 0
            for part in parts:
                with archive.open(part) as stream:
                    while chunk := stream.read(_CHUNK):
                        expanded += len(chunk)
                        if expanded > max_total:
                            raise too_large(expanded)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError) as error:
        raise file_problem(wording.damaged_zip) from error
    except (NotImplementedError, RuntimeError) as error:
        # An encrypted part, or a compression method zipfile does not know: not a workbook.
        raise file_problem(wording.damaged_zip) from error


# --- cells ---------------------------------------------------------------------------------


def is_blank(value: Any) -> bool:
    """An empty cell: nothing, NaN or NaT, or only spaces."""
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def cell_text(value: Any) -> str:
    """A cell as stripped text, "" when empty."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets turn a number such as 2021001 into 2021001.0; it was written 2021001.
        return str(int(value))
    return str(value).strip()


def _plain(value: Any) -> Any:
    """A workbook cell as callers expect it: text, a number, a datetime, or "" when empty."""
    if is_blank(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


_DATE_TEXT = re.compile(
    r"(?P<year>\d{4})(?:-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})|/(?P<m2>\d{1,2})/(?P<d2>\d{1,2})"
    r"|年(?P<m3>\d{1,2})月(?P<d3>\d{1,2})日)(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)


def cell_date(value: Any) -> datetime.date:
    """A date cell: a workbook's date, or text as Chinese systems export it: 2026-04-01,
    2026/4/1 or 2026年04月01日 (full-width digits too, a time of day after it ignored).

    Raises ValueError with a sentence naming the accepted forms.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = unicodedata.normalize("NFKC", cell_text(value))
    match = _DATE_TEXT.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        year, month, day = (part for part in match.groups() if part is not None)
        return datetime.date(int(year), int(month), int(day))
    except ValueError as error:
        raise ValueError(
            _("Use a date such as 2026-03-31, 2026/3/31 or 2026年3月31日; got “%(value)s”.")
            % {"value": cell_text(value)}
        ) from error


# --- the table -----------------------------------------------------------------------------


@dataclass
class Table:
    """Every row of the first sheet (or of the CSV), blank ones included, in file order.

    A CSV's cells are text ("" when empty); a workbook's are what it holds: text, numbers,
    datetimes, or "" when empty.
    """

    kind: str
    rows: list[list[Any]]
    #: False when a workbook was read only up to the row limit (more rows may follow).
    complete: bool = True


def _frame(
    data: bytes,
    kind: str,
    *,
    nrows: int | None,
    sniff_separator: bool,
    wording: Wording,
) -> pd.DataFrame:
    if kind == XLSX:
        check_workbook_bounds(data, wording=wording)
        try:
            # calamine (Rust) reads a sheet many times faster than openpyxl and in less memory
            # (bench/xlsx_read.py). Object cells keep what the workbook holds: text stays
            # text, dates stay dates.
            return pd.read_excel(
                io.BytesIO(data),
                engine="calamine",
                header=None,
                dtype=object,
                nrows=nrows,
                na_filter=False,
            )
        except Exception as error:
            # A damaged workbook raises many kinds of errors; all mean the same.
            raise file_problem(wording.unreadable_workbook % {"reason": error}) from error
    text = decode_text(data, wording=wording)
    # The python engine guesses the separator (comma, semicolon, tab) from the first line.
    guessing = {"sep": None, "engine": "python"} if sniff_separator else {}
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            nrows=nrows,
            **guessing,
        )
    except pd.errors.EmptyDataError as error:
        raise file_problem(wording.empty) from error
    except (ValueError, csv.Error) as error:
        raise file_problem(wording.unreadable_csv % {"reason": error}) from error
    # Rows shorter than the header leave missing cells; they are empty cells.
    return frame.fillna("")


def read_table(
    data: bytes,
    *,
    max_bytes: int,
    wording: Wording = DEFAULT_WORDING,
    header_only: bool = False,
    sniff_separator: bool = False,
    max_rows: int | None = None,
) -> Table:
    """The file's rows (only the first when `header_only`), after its kind and size pass.

    `sniff_separator` lets a CSV use semicolons or tabs, as some instruments export.
    `max_rows`: a workbook is read no further than the header and one data row past this
    limit (`Table.complete` is then False), so that a huge sheet is refused without being
    read whole; a CSV, bounded by `max_bytes`, is read whole so that its rows are counted.
    """
    kind = file_kind(data, max_bytes=max_bytes, wording=wording)
    if header_only:
        nrows = 1
    elif max_rows is not None and kind == XLSX:
        nrows = max_rows + 2
    else:
        nrows = None
    frame = _frame(data, kind, nrows=nrows, sniff_separator=sniff_separator, wording=wording)
    rows = frame.values.tolist()
    if kind == XLSX:
        rows = [[_plain(value) for value in row] for row in rows]
    complete = header_only or nrows is None or len(rows) < nrows
    return Table(kind=kind, rows=rows, complete=complete)


def filled_length(rows: Sequence[Sequence[Any]]) -> int:
    """How many rows remain once the blank ones at the end (Excel leaves some) are cut."""
    end = len(rows)
    while end and all(is_blank(value) for value in rows[end - 1]):
        end -= 1
    return end


def check_row_count(
    count: int, *, max_rows: int, wording: Wording = DEFAULT_WORDING, complete: bool = True
) -> None:
    """Refuse `count` data rows when they are more than `max_rows`; `complete` False: the
    file was read only that far, and has at least `count`."""
    if count > max_rows:
        raise file_problem(
            wording.too_many_rows(count, max_rows) if complete else wording.more_rows(max_rows)
        )


# --- headers to columns --------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """Where each known column is (position, column name), and the headers not known."""

    columns: list[tuple[int, str]]
    unknown: list[str] = field(default_factory=list)


def _alias_key(header: str) -> str:
    """A header as aliases are matched: full-width forms folded, spaces dropped, any case."""
    return "".join(unicodedata.normalize("NFKC", header).split()).casefold()


def _column_for(header: str, columns: Sequence[str], aliases: Mapping[str, str]) -> str | None:
    english = header.lower().replace(" ", "_")
    if english in columns:
        return english
    return aliases.get(_alias_key(header))


def map_header(
    header: Sequence[Any],
    *,
    columns: Sequence[str],
    aliases: Mapping[str, str],
    required: Sequence[str],
    one_of: Sequence[Sequence[str]] = (),
) -> Header:
    """The header row mapped to `columns` (English any case, or an alias such as 发票号码).

    A column given twice, a required one missing, or none of a group of `one_of` (columns
    that stand in for one another, such as an amount with or without VAT) is a problem of the
    header row; all of them are raised together.
    """
    aliases = {_alias_key(alias): column for alias, column in aliases.items()}
    kept: list[tuple[int, str]] = []
    unknown: list[str] = []
    first_position: dict[str, int] = {}
    problems: list[RowError] = []
    for position, cell in enumerate(header):
        text = cell_text(cell)
        if not text:
            continue
        column = _column_for(text, columns, aliases)
        if column is None:
            unknown.append(text)
            continue
        if column in first_position:
            problems.append(
                RowError(
                    HEADER_ROW,
                    column,
                    _("Two columns give “%(column)s”: “%(first)s” and “%(second)s”.")
                    % {
                        "column": column,
                        "first": cell_text(header[first_position[column]]),
                        "second": text,
                    },
                )
            )
            continue
        first_position[column] = position
        kept.append((position, column))
    problems.extend(
        RowError(
            HEADER_ROW,
            column,
            _("The column “%(column)s” is missing from the header row.") % {"column": column},
        )
        for column in required
        if column not in first_position
    )
    problems.extend(
        RowError(
            HEADER_ROW,
            group[0],
            _("The header row needs one of the columns %(columns)s.")
            % {"columns": ", ".join(f"“{column}”" for column in group)},
        )
        for group in one_of
        if not any(column in first_position for column in group)
    )
    if problems:
        raise TableError(problems)
    return Header(columns=kept, unknown=unknown)


# --- the columns as an upload page explains them ------------------------------------------


@dataclass(frozen=True)
class ColumnHelp:
    """One column of an upload as its page explains it (templates/includes/upload_columns.html):
    its name, whether it is required, the Chinese headers also accepted and what it holds."""

    name: str
    required: bool
    aliases: list[str]
    help: str


def column_help(
    *,
    columns: Sequence[str],
    required: Sequence[str],
    aliases: Mapping[str, str],
    texts: Mapping[str, str],
) -> list[ColumnHelp]:
    """Every column in file order, with its aliases and its text from `texts`."""
    return [
        ColumnHelp(
            name=column,
            required=column in required,
            aliases=[alias for alias, name in aliases.items() if name == column],
            help=texts[column],
        )
        for column in columns
    ]


# --- files of records ----------------------------------------------------------------------


@dataclass(frozen=True)
class Records:
    """The data rows of a file with a header row, as column name -> cell, from FIRST_DATA_ROW."""

    kind: str
    rows: list[dict[str, Any]]
    unknown_columns: list[str]


def inspect_header(
    data: bytes,
    *,
    columns: Sequence[str],
    aliases: Mapping[str, str],
    required: Sequence[str],
    max_bytes: int,
    wording: Wording = DEFAULT_WORDING,
    one_of: Sequence[Sequence[str]] = (),
) -> tuple[str, list[str]]:
    """Quick check of an upload: its kind and the headers that will be ignored."""
    table = read_table(data, max_bytes=max_bytes, wording=wording, header_only=True)
    if not table.rows:
        raise file_problem(wording.empty)
    header = map_header(
        table.rows[0], columns=columns, aliases=aliases, required=required, one_of=one_of
    )
    return table.kind, header.unknown


def read_records(
    data: bytes,
    *,
    columns: Sequence[str],
    aliases: Mapping[str, str],
    required: Sequence[str],
    max_bytes: int,
    max_rows: int,
    no_rows: str,
    wording: Wording = DEFAULT_WORDING,
    one_of: Sequence[Sequence[str]] = (),
) -> Records:
    """Every data row under the header, the blank rows at the end cut.

    `no_rows` is what to say of a file with a header row and nothing below it; `one_of` as
    for `map_header`.
    """
    table = read_table(data, max_bytes=max_bytes, wording=wording, max_rows=max_rows)
    if not table.rows:
        raise file_problem(wording.empty)
    header = map_header(
        table.rows[0], columns=columns, aliases=aliases, required=required, one_of=one_of
    )
    records = [[row[position] for position, _column in header.columns] for row in table.rows[1:]]
    count = filled_length(records)
    if count == 0:
        raise file_problem(no_rows)
    check_row_count(count, max_rows=max_rows, wording=wording, complete=table.complete)
    names = [column for _position, column in header.columns]
    return Records(
        kind=table.kind,
        rows=[dict(zip(names, record, strict=True)) for record in records[:count]],
        unknown_columns=header.unknown,
    )
