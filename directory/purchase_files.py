"""Purchase files (CSV or XLSX) read into raw rows for `services.purchase_lines_import`.

The reader decides what a file is by its bytes, never by its name, maps English headers
(any case) and the Chinese aliases of `purchase_rows.CHINESE_HEADERS` to the column names,
and keeps every cell as text, so that an invoice number such as 000123 keeps its zeros.
Problems of the file as a whole are raised as `PurchaseFileError` with the same
(row, column, reason) shape as the problems of single rows.
"""

import csv
import datetime
import io
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import pandas as pd
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from directory.purchases.rows import (
    CHINESE_HEADERS,
    PURCHASE_COLUMNS,
    REQUIRED_COLUMNS,
    RowError,
)
from directory.validators import uscc_check_character

# Spreadsheet numbering: the header is row 1, the first line of data row 2.
HEADER_ROW = 1
FIRST_DATA_ROW = 2
# Problems of the whole file (its kind, size, emptiness) belong to no row.
FILE_ROW = 0
MAX_DATA_ROWS = 100_000
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

CSV = "csv"
XLSX = "xlsx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
_SNIFF_BYTES = 64 * 1024
# Control characters never found in a spreadsheet's CSV text (tab, CR and LF are fine).
_BINARY_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0D}


class PurchaseFileError(Exception):
    """The file cannot be read as purchase lines; `errors` says why (row, column, reason)."""

    def __init__(self, errors: Sequence[RowError]):
        super().__init__("; ".join(error.message for error in errors))
        self.errors = list(errors)


@dataclass
class PurchaseFile:
    kind: str
    rows: list[dict[str, Any]]
    unknown_columns: list[str] = field(default_factory=list)
    first_row: int = FIRST_DATA_ROW


def max_upload_bytes() -> int:
    return getattr(settings, "PURCHASE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def _file_error(message: str) -> PurchaseFileError:
    return PurchaseFileError([RowError(FILE_ROW, "", message)])


# --- what the bytes are --------------------------------------------------------------------


def too_large_message(size: int) -> str | None:
    """Why a file of `size` bytes is refused, or None when its size is acceptable."""
    limit = max_upload_bytes()
    if size <= limit:
        return None
    return _("The file has %(size)s; at most %(limit)s are accepted. Split it in parts.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }


def _check_size(size: int) -> None:
    if size == 0:
        raise _file_error(_("The file is empty."))
    message = too_large_message(size)
    if message:
        raise _file_error(message)


def _looks_like_text(head: bytes) -> bool:
    return not any(byte in _BINARY_BYTES for byte in head)


def file_kind(data: bytes) -> str:
    """CSV or XLSX, judged by the content; anything else is refused with the reason."""
    _check_size(len(data))
    if data.startswith(_ZIP_MAGIC):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile as error:
            raise _file_error(_("The file is a damaged zip archive, not a workbook.")) from error
        if "xl/workbook.xml" not in names:
            raise _file_error(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
        return XLSX
    if data.startswith(_OLE2_MAGIC):
        raise _file_error(
            _("This is the old Excel format (.xls). Save it as .xlsx or CSV and upload again.")
        )
    if not _looks_like_text(data[:_SNIFF_BYTES]):
        raise _file_error(
            _("The file is neither CSV text nor an Excel workbook (.xlsx). Use the template.")
        )
    return CSV


def _decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel adds), else GBK as Chinese Excel writes it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # GB 18030 is a superset of GBK, so it also reads files saved by older tools.
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise _file_error(
            _("The text is neither UTF-8 nor GBK. Save the CSV as “CSV UTF-8” and upload again.")
        ) from error


# --- cells to raw rows ---------------------------------------------------------------------


def _header_key(cell: Any) -> str:
    return "" if _is_blank(cell) else str(cell).strip()


def _column_for(header: str) -> str | None:
    english = header.lower().replace(" ", "_")
    if english in PURCHASE_COLUMNS:
        return english
    return CHINESE_HEADERS.get("".join(header.split()))


def _is_blank(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _plain(value: Any) -> Any:
    """A cell as clean_row expects it: text, a number, a datetime, or "" when empty."""
    if _is_blank(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _map_header(header: list[Any]) -> tuple[list[tuple[int, str]], list[str]]:
    """(position, column) of each known column, and the headers that are not known."""
    kept: list[tuple[int, str]] = []
    unknown: list[str] = []
    first_position: dict[str, int] = {}
    errors: list[RowError] = []
    for position, cell in enumerate(header):
        text = _header_key(cell)
        if not text:
            continue
        column = _column_for(text)
        if column is None:
            unknown.append(text)
            continue
        if column in first_position:
            errors.append(
                RowError(
                    HEADER_ROW,
                    column,
                    _("Two columns give “%(column)s”: “%(first)s” and “%(second)s”.")
                    % {
                        "column": column,
                        "first": _header_key(header[first_position[column]]),
                        "second": text,
                    },
                )
            )
            continue
        first_position[column] = position
        kept.append((position, column))
    for column in REQUIRED_COLUMNS:
        if column not in first_position:
            errors.append(
                RowError(
                    HEADER_ROW,
                    column,
                    _("The column “%(column)s” is missing from the header row.")
                    % {"column": column},
                )
            )
    if errors:
        raise PurchaseFileError(errors)
    return kept, unknown


def _frame(data: bytes, kind: str, *, header_only: bool) -> pd.DataFrame:
    nrows = 1 if header_only else None
    if kind == XLSX:
        try:
            # Object cells keep what the workbook holds: text stays text, dates stay dates.
            return pd.read_excel(
                io.BytesIO(data), header=None, dtype=object, nrows=nrows, na_filter=False
            )
        except Exception as error:
            # openpyxl raises many kinds of errors on a damaged workbook; all mean the same.
            raise _file_error(
                _("The workbook cannot be read: %(reason)s") % {"reason": error}
            ) from error
    text = _decode(data)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            nrows=nrows,
        )
    except pd.errors.EmptyDataError as error:
        raise _file_error(_("The file is empty.")) from error
    except (ValueError, pd.errors.ParserError) as error:
        raise _file_error(
            _("The CSV cannot be read as a table: %(reason)s") % {"reason": error}
        ) from error
    # Rows shorter than the header leave missing cells; they are empty cells.
    return frame.fillna("")


def _header_of(frame: pd.DataFrame) -> list[Any]:
    if frame.empty:
        raise _file_error(_("The file is empty."))
    return list(frame.iloc[0])


def _last_filled(records: list[tuple]) -> int:
    """How many records remain once the blank ones at the end (Excel leaves some) are cut."""
    end = len(records)
    while end and all(_is_blank(value) for value in records[end - 1]):
        end -= 1
    return end


def inspect_purchase_file(data: bytes) -> tuple[str, list[str]]:
    """Quick check of an upload before it is queued: its kind, size and header.

    Returns the kind (CSV or XLSX) and the headers that will be ignored; raises
    PurchaseFileError for a file that cannot be imported at all.
    """
    kind = file_kind(data)
    _kept, unknown = _map_header(_header_of(_frame(data, kind, header_only=True)))
    return kind, unknown


def read_purchase_file(data: bytes) -> PurchaseFile:
    """Every data row as a dict of column name -> cell, numbered from FIRST_DATA_ROW."""
    kind = file_kind(data)
    frame = _frame(data, kind, header_only=False)
    kept, unknown = _map_header(_header_of(frame))
    positions = [position for position, _column in kept]
    names = [column for _position, column in kept]
    records = list(frame.iloc[1:, positions].itertuples(index=False, name=None))
    count = _last_filled(records)
    if count == 0:
        raise _file_error(_("The file has a header row but no purchase lines below it."))
    if count > MAX_DATA_ROWS:
        raise _file_error(
            _("The file has %(count)s rows; at most %(limit)s are accepted. Split it in parts.")
            % {"count": f"{count:,}", "limit": f"{MAX_DATA_ROWS:,}"}
        )
    if kind == CSV:
        # pandas gives text cells already ("" when empty): no conversion needed.
        rows = [dict(zip(names, record, strict=True)) for record in records[:count]]
    else:
        rows = [
            {name: _plain(value) for name, value in zip(names, record, strict=True)}
            for record in records[:count]
        ]
    return PurchaseFile(kind=kind, rows=rows, unknown_columns=unknown)


# --- the downloadable template -------------------------------------------------------------


def _example_row() -> dict[str, Any]:
    supplier_body = "91330100MA2H3K4L5"
    return {
        "invoice_no": "00012345",
        "line_no": 1,
        "invoice_date": datetime.date(2026, 3, 31),
        "supplier_uscc": supplier_body + uscc_check_character(supplier_body),
        "supplier_name": "示例固态材料有限公司",
        "category": "sulfide-electrolyte",
        "product": "",
        "quantity": "250.000",
        "unit": "kg",
        "amount": "187500.00",
        "description": "Li6PS5Cl 电解质粉体",
    }


def purchase_template_csv() -> bytes:
    """The columns and one example line, UTF-8 with a BOM so that Excel reads the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    example = _example_row()
    writer.writerow(PURCHASE_COLUMNS)
    writer.writerow(
        [
            value.isoformat() if isinstance(value, datetime.date) else value
            for value in (example[column] for column in PURCHASE_COLUMNS)
        ]
    )
    return buffer.getvalue().encode("utf-8-sig")


def purchase_template_xlsx() -> bytes:
    """The same template as a workbook; invoice numbers are text cells, dates real dates."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "purchases"
    sheet.append(list(PURCHASE_COLUMNS))
    example = _example_row()
    sheet.append([example[column] for column in PURCHASE_COLUMNS])
    for column_index, column in enumerate(PURCHASE_COLUMNS, start=1):
        letter = openpyxl.utils.get_column_letter(column_index)
        sheet.column_dimensions[letter].width = max(12, len(column) + 4)
        cell = sheet.cell(row=FIRST_DATA_ROW, column=column_index)
        if column == "invoice_date":
            cell.number_format = "yyyy-mm-dd"
        elif column in ("invoice_no", "supplier_uscc"):
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
