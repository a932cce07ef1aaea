"""Purchase files (CSV or XLSX) read into raw rows for `services.purchase_lines_import`.

The shared reader (`ssb_portal.tabular`) decides what a file is by its bytes, never by its
name, maps English headers (any case) and the aliases of `purchases.rows.HEADER_ALIASES`
(our Chinese template, VAT-invoice and ERP exports) to the column names, and keeps every
cell as text, so that an invoice number such as 000123 keeps its zeros. Problems of the file
as a whole are raised as `PurchaseFileError` with the same (row, column, reason) shape as the
problems of single rows. This module adds the purchase limits and words, and the
downloadable template.
"""

import datetime
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy

from directory.purchases.rows import (
    AMOUNT_COLUMNS,
    HEADER_ALIASES,
    PURCHASE_COLUMNS,
    REQUIRED_COLUMNS,
)
from directory.validators import uscc_check_character
from ssb_portal import tabular
from ssb_portal.exports import Sheet, csv_content, xlsx_content

# The reader's numbering, for the views and tasks that name it here.
FILE_ROW = tabular.FILE_ROW
FIRST_DATA_ROW = tabular.FIRST_DATA_ROW
MAX_DATA_ROWS = 100_000
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

NO_ROWS = gettext_lazy("The file has a header row but no purchase lines below it.")


class PurchaseFileError(tabular.TableError):
    """The file cannot be read as purchase lines; `errors` says why (row, column, reason)."""


@dataclass
class PurchaseFile:
    kind: str
    rows: list[dict[str, Any]]
    unknown_columns: list[str] = field(default_factory=list)
    first_row: int = FIRST_DATA_ROW


def max_upload_bytes() -> int:
    return getattr(settings, "PURCHASE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def too_large_message(size: int) -> str | None:
    """Why a file of `size` bytes is refused, or None when its size is acceptable."""
    return tabular.too_large_message(size, max_upload_bytes())


def header_key(header: Any) -> str:
    """A header as a buyer's column mapping compares it: NFKC, any case, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", tabular.cell_text(header)).split()).casefold()


def _mapped_header(header: list[Any], columns: Mapping[str, str] | None) -> list[Any]:
    """The header row with a buyer's mapping applied: each header it names becomes our column
    (or nothing, when it is ignored); the other headers go to the standard aliases."""
    if not columns:
        return header
    by_key = {header_key(theirs): ours for theirs, ours in columns.items()}
    return [
        by_key.get(header_key(cell), cell) if tabular.cell_text(cell) else cell for cell in header
    ]


def file_headers(data: bytes) -> list[str]:
    """The headers of a file's first row, as written (for a buyer to map them)."""
    try:
        table = tabular.read_table(data, max_bytes=max_upload_bytes(), header_only=True)
    except tabular.TableError as error:
        raise PurchaseFileError(error.errors) from error
    if not table.rows:
        raise PurchaseFileError([tabular.RowError(FILE_ROW, "", NO_ROWS)])
    return [text for text in (tabular.cell_text(cell) for cell in table.rows[0]) if text]


def _header(row: list[Any], columns: Mapping[str, str] | None) -> tabular.Header:
    return tabular.map_header(
        _mapped_header(row, columns),
        columns=PURCHASE_COLUMNS,
        aliases=HEADER_ALIASES,
        required=REQUIRED_COLUMNS,
        one_of=[AMOUNT_COLUMNS],
    )


def inspect_purchase_file(
    data: bytes, columns: Mapping[str, str] | None = None
) -> tuple[str, list[str]]:
    """Quick check of an upload before it is queued: its kind, size and header.

    Returns the kind (CSV or XLSX) and the headers that will be ignored; raises
    PurchaseFileError for a file that cannot be imported at all. `columns` is a buyer's
    saved column mapping ({their header: our column or ""}), applied before the aliases.
    """
    try:
        table = tabular.read_table(data, max_bytes=max_upload_bytes(), header_only=True)
        if not table.rows:
            raise tabular.file_problem(tabular.DEFAULT_WORDING.empty)
        return table.kind, _header(table.rows[0], columns).unknown
    except tabular.TableError as error:
        raise PurchaseFileError(error.errors) from error


def read_purchase_file(data: bytes, columns: Mapping[str, str] | None = None) -> PurchaseFile:
    """Every data row as a dict of column name -> cell, numbered from FIRST_DATA_ROW.

    `columns`: a buyer's saved column mapping, as for `inspect_purchase_file`.
    """
    try:
        table = tabular.read_table(data, max_bytes=max_upload_bytes(), max_rows=MAX_DATA_ROWS)
        if not table.rows:
            raise tabular.file_problem(tabular.DEFAULT_WORDING.empty)
        header = _header(table.rows[0], columns)
        records = [
            [row[position] for position, _column in header.columns] for row in table.rows[1:]
        ]
        count = tabular.filled_length(records)
        if count == 0:
            raise tabular.file_problem(NO_ROWS)
        tabular.check_row_count(count, max_rows=MAX_DATA_ROWS, complete=table.complete)
    except tabular.TableError as error:
        raise PurchaseFileError(error.errors) from error
    names = [column for _position, column in header.columns]
    return PurchaseFile(
        kind=table.kind,
        rows=[dict(zip(names, record, strict=True)) for record in records[:count]],
        unknown_columns=header.unknown,
    )


# --- the downloadable template -------------------------------------------------------------


def _example_row() -> dict[str, Any]:
    supplier_body = "91330100MA2H3K4L5"
    return {
        "invoice_code": "3300261130",
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
        "amount_incl_vat": "211875.00",
        "vat_amount": "24375.00",
        "original_invoice_code": "",
        "original_invoice_no": "",
        "description": "Li6PS5Cl 电解质粉体",
        "specification": "D50 5μm",
    }


def purchase_template_csv() -> bytes:
    """The columns and one example line, UTF-8 with a BOM so that Excel reads the Chinese."""
    example = _example_row()
    row = [
        value.isoformat() if isinstance(value, datetime.date) else value
        for value in (example[column] for column in PURCHASE_COLUMNS)
    ]
    return csv_content(PURCHASE_COLUMNS, [row])


_TEMPLATE_TEXT_COLUMNS = (
    "invoice_code",
    "invoice_no",
    "original_invoice_code",
    "original_invoice_no",
    "supplier_uscc",
)


def purchase_template_xlsx() -> bytes:
    """The same template as a workbook; invoice numbers are text cells, dates real dates."""
    example = _example_row()
    formats = {}
    for index, column in enumerate(PURCHASE_COLUMNS):
        if column == "invoice_date":
            formats[index] = "yyyy-mm-dd"
        elif column in _TEMPLATE_TEXT_COLUMNS:
            formats[index] = "@"
    return xlsx_content(
        Sheet(
            "purchases",
            PURCHASE_COLUMNS,
            [[example[column] for column in PURCHASE_COLUMNS]],
            number_formats=formats,
            widths=[max(12, len(column) + 4) for column in PURCHASE_COLUMNS],
            freeze_header=True,
        )
    )
