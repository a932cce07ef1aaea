"""Spreadsheets as downloads: the one writer of every CSV and XLSX the portal hands out, the
content types it serves them with, and the response that lets the browser save them.

Exports carry text that users typed (enterprise, product and person names, error messages
quoting a file's cells). A spreadsheet program runs a cell that starts with `=`, `+`, `-` or
`@` (or a tab or carriage return before one) as a formula, so a name `=1+2` — or worse, a
`=HYPERLINK(...)` or DDE payload — would run on an official's machine. Every text cell is
therefore neutralised here (OWASP "CSV injection": a leading single quote), and XLSX text
cells are always written as text, never as formulas. Numbers (int, Decimal, float) stay
numbers, negative ones included: only strings are escaped.

The apps give rows of plain values (or a pandas frame); nothing else in the portal writes
CSV or XLSX (tests/test_safe_exports.py checks the sources).
"""

import csv
import datetime
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, TextIO

import pandas as pd
from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The content type of each spreadsheet format, by the format's name in URLs and files.
EXPORT_CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}

#: A text cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Fitted column widths (in characters) stay within these bounds.
FIT_WIDTHS = (12, 60)


def spreadsheet_download(content: bytes, *, fmt: str, filename: str) -> HttpResponse:
    """A CSV or XLSX (`fmt`) file the browser saves as `filename` (the extension added here)
    rather than shows."""
    response = HttpResponse(content, content_type=EXPORT_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def safe_text(text: str) -> str:
    """`text` as a spreadsheet shows it and never runs it: a leading quote before a formula
    trigger."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _is_blank(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _csv_cell(value: Any, float_format: str | None) -> Any:
    if _is_blank(value):
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, float) and float_format:
        return format(value, float_format)
    if isinstance(value, bool | int | float | Decimal | datetime.date | datetime.time):
        return value
    # Anything else (a lazy translation, a model's label…) is written as its text.
    return safe_text(str(value))


def write_csv(
    stream: TextIO,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    float_format: str | None = None,
    lineterminator: str = "\r\n",
) -> None:
    """Write the header and rows to a text stream as CSV, every text cell neutralised.

    `float_format` (a format spec such as "g") shortens float cells; Decimals and ints are
    written in full.
    """
    writer = csv.writer(stream, lineterminator=lineterminator)
    writer.writerow([_csv_cell(value, None) for value in header])
    for row in rows:
        writer.writerow([_csv_cell(value, float_format) for value in row])


def csv_content(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, float_format: str | None = None
) -> bytes:
    """A CSV file in UTF-8 with a byte-order mark, so that Excel opens Chinese text right."""
    buffer = io.StringIO()
    write_csv(buffer, header, rows, float_format=float_format)
    return buffer.getvalue().encode("utf-8-sig")


def frame_rows(frame: pd.DataFrame) -> tuple[list[Any], Iterable[tuple[Any, ...]]]:
    """A pandas frame as the header and rows the writers take."""
    return list(frame.columns), frame.itertuples(index=False, name=None)


def frame_csv(frame: pd.DataFrame) -> bytes:
    return csv_content(*frame_rows(frame))


@dataclass
class Sheet:
    """One worksheet of an XLSX export.

    `number_formats` maps a column (0-based) to the Excel number format of its data cells
    ("@" keeps a column text when a user types into it); `widths` are column widths in
    characters, or "fit" to fit each column to its longest cell. `preamble` rows (say, the
    filters a search applied) come above the header, its first row bold, a blank row after.
    """

    name: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    number_formats: dict[int, str] = field(default_factory=dict)
    widths: Sequence[int] | Literal["fit"] | None = None
    bold_last_row: bool = False
    freeze_header: bool = False
    preamble: Sequence[Sequence[Any]] = ()

    @classmethod
    def from_frame(cls, name: str, frame: pd.DataFrame, **options: Any) -> "Sheet":
        header, rows = frame_rows(frame)
        return cls(name, header, rows, **options)


def _xlsx_value(value: Any) -> Any:
    if _is_blank(value):
        return None
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, Decimal):
        # Spreadsheet cells hold binary numbers; the cell format shows the decimals.
        return float(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        raise ValueError("XLSX keeps no time zones: pass local times without one")
    if isinstance(value, bool | int | float | datetime.date | datetime.time):
        return value
    return safe_text(str(value))


def _append(sheet, values: Sequence[Any]) -> None:
    sheet.append([_xlsx_value(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            # openpyxl makes any string starting with "=" a formula: text stays text.
            cell.data_type = TYPE_STRING


def _fit_widths(sheet) -> list[int]:
    low, high = FIT_WIDTHS
    return [
        max(low, min(high, max(len(str(cell.value or "")) for cell in column) + 2))
        for column in sheet.iter_cols()
    ]


def _write_sheet(workbook: Workbook, spec: Sheet) -> None:
    sheet = workbook.create_sheet(spec.name[:31])
    for row in spec.preamble:
        _append(sheet, row)
    if spec.preamble:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.append([])
    _append(sheet, spec.header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in spec.rows:
        _append(sheet, row)
    for column, number_format in spec.number_formats.items():
        for (cell,) in sheet.iter_rows(
            min_row=header_row + 1, min_col=column + 1, max_col=column + 1
        ):
            cell.number_format = number_format
    if spec.bold_last_row and sheet.max_row > header_row:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    widths = _fit_widths(sheet) if spec.widths == "fit" else spec.widths or []
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if spec.freeze_header:
        sheet.freeze_panes = f"A{header_row + 1}"


def xlsx_content(*sheets: Sheet) -> bytes:
    """A workbook of the given sheets, every text cell text (never a formula) and
    neutralised."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        _write_sheet(workbook, spec)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def frame_xlsx(frame: pd.DataFrame, *, sheet_name: str, **options: Any) -> bytes:
    return xlsx_content(Sheet.from_frame(sheet_name, frame, **options))
