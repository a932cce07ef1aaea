"""Cleaning of purchase lines as they arrive from files, the API or the command line.

Pure functions over plain values: every problem of a row is reported as the shared reader's
`RowError` (`ssb_portal.tabular`), with its row number, its column and a reason a person can
act on. Looking up categories, suppliers and products
is left to the caller, which passes them in as dictionaries.
"""

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from directory.validators import normalise_uscc, validate_uscc
from ssb_portal.ids import MAX_ID
from ssb_portal.tabular import RowError

PURCHASE_COLUMNS = (
    "invoice_no",
    "line_no",
    "invoice_date",
    "supplier_uscc",
    "supplier_name",
    "category",
    "product",
    "quantity",
    "unit",
    "amount",
    "description",
)
REQUIRED_COLUMNS = ("invoice_no", "line_no", "invoice_date", "category", "amount")

# Chinese headers accepted in files, mapped to the column names above.
CHINESE_HEADERS = {
    "发票号码": "invoice_no",
    "发票号": "invoice_no",
    "行号": "line_no",
    "开票日期": "invoice_date",
    "发票日期": "invoice_date",
    "供应商统一社会信用代码": "supplier_uscc",
    "供应商信用代码": "supplier_uscc",
    "供应商名称": "supplier_name",
    "供应品类": "category",
    "品类": "category",
    "产品": "product",
    "产品编号": "product",
    "数量": "quantity",
    "单位": "unit",
    "金额": "amount",
    "不含税金额": "amount",
    "描述": "description",
    "说明": "description",
}

MAX_AMOUNT_CNY = Decimal("1e14")
# The columns' limits: numeric(16, 3) for quantities, a positive integer for line numbers.
MAX_QUANTITY = Decimal("1e13")
MAX_LINE_NO = 2_147_483_647


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN: an empty spreadsheet cell
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: Any) -> str:
    if value.__class__ is str:  # nearly every cell: the quick way first
        return value.strip()
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets turn "1001" into 1001.0; an invoice number is text.
        return str(int(value))
    return str(value).strip()


def _decimal(value: Any, places: int) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(_text(value).replace(",", ""))
    except (InvalidOperation, ValueError) as error:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": _text(value)}) from error
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": _text(value)})
    quantized = number.quantize(Decimal(1).scaleb(-places))
    if quantized != number:
        raise ValueError(
            _("At most %(places)d decimal places are allowed; got %(value)s.")
            % {"places": places, "value": _text(value)}
        )
    return quantized


def _positive_int(value: Any, limit: int = MAX_LINE_NO) -> int:
    text = _text(value)
    # ASCII only: int() refuses some characters str.isdigit() accepts, such as "²".
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise ValueError(_("Use a whole number from 1 up; got “%(value)s”.") % {"value": text})
    number = int(text)
    if number > limit:
        raise ValueError(_("The number %(value)s is too large.") % {"value": text})
    return number


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(
            _("Use the form YYYY-MM-DD (e.g. 2026-03-31); got “%(value)s”.") % {"value": text}
        ) from error


@functools.lru_cache(maxsize=4096)
def _uscc_is_valid(uscc: str) -> bool:
    """Remembered per code: a file names the same few hundred suppliers over and over."""
    try:
        validate_uscc(uscc)
    except ValidationError:
        return False
    return True


@dataclass
class CleanLine:
    row: int
    invoice_no: str
    line_no: int
    invoice_date: datetime.date
    supplier_uscc: str | None
    supplier_name: str
    category_id: int
    product_id: int | None
    quantity: Decimal | None
    unit: str
    amount: Decimal
    description: str

    @property
    def key(self) -> tuple[str, int]:
        return (self.invoice_no, self.line_no)


def clean_row(
    raw: Mapping[str, Any],
    *,
    row: int,
    category_ids: Mapping[str, int],
    supplier_names: Mapping[str, str],
    product_suppliers: Mapping[int, str],
) -> tuple[CleanLine | None, list[RowError]]:
    """One row cleaned, or every problem it has.

    category_ids: slug -> id of every supply category.
    supplier_names: USCC -> name of the directory enterprises the rows mention.
    product_suppliers: product id -> its enterprise's USCC, for the products the rows name.
    """
    errors: list[RowError] = []

    def problem(column: str, message: str) -> None:
        errors.append(RowError(row, column, message))

    get = raw.get
    # Each cell's text once: a large file has a hundred thousand rows.
    text = {column: _text(get(column)) for column in PURCHASE_COLUMNS}
    for column in REQUIRED_COLUMNS:
        if not text[column]:
            problem(column, _("This column is required."))

    invoice_no = text["invoice_no"]
    if len(invoice_no) > 64:
        problem("invoice_no", _("At most 64 characters."))

    line_no = invoice_date = amount = quantity = None
    if text["line_no"]:
        try:
            line_no = _positive_int(text["line_no"])
        except ValueError as error:
            problem("line_no", str(error))
    if text["invoice_date"]:
        try:
            invoice_date = _date(get("invoice_date"))
        except ValueError as error:
            problem("invoice_date", str(error))
    if text["amount"]:
        try:
            amount = _decimal(get("amount"), 2)
            if abs(amount) >= MAX_AMOUNT_CNY:
                problem("amount", _("The amount is too large."))
        except ValueError as error:
            problem("amount", str(error))
    if text["quantity"]:
        try:
            quantity = _decimal(get("quantity"), 3)
            if abs(quantity) >= MAX_QUANTITY:
                problem("quantity", _("The quantity is too large."))
        except ValueError as error:
            problem("quantity", str(error))

    supplier_uscc = normalise_uscc(text["supplier_uscc"]) or None
    if supplier_uscc and not _uscc_is_valid(supplier_uscc):
        try:
            validate_uscc(supplier_uscc)
        except ValidationError as error:
            problem("supplier_uscc", " ".join(error.messages))
    supplier_name = text["supplier_name"]
    if not supplier_name:
        supplier_name = supplier_names.get(supplier_uscc or "", "")
        if not supplier_name:
            problem(
                "supplier_name",
                _("Give the supplier's name (its USCC is not in the directory)."),
            )
    if len(supplier_name) > 160:
        problem("supplier_name", _("At most 160 characters."))

    category_slug = text["category"]
    category_id = category_ids.get(category_slug)
    if category_slug and category_id is None:
        problem("category", _("Unknown category “%(slug)s”.") % {"slug": category_slug})

    product_id = None
    if text["product"]:
        try:
            product_id = _positive_int(text["product"], limit=MAX_ID)
        except ValueError:
            problem("product", _("Give the product's number from the directory."))
        else:
            owner = product_suppliers.get(product_id)
            if owner is None:
                problem(
                    "product", _("Product %(id)s is not in the directory.") % {"id": product_id}
                )
            elif owner != supplier_uscc:
                problem(
                    "product",
                    _("Product %(id)s is not a product of the supplier on this line.")
                    % {"id": product_id},
                )

    unit = text["unit"]
    if len(unit) > 16:
        problem("unit", _("At most 16 characters."))
    description = text["description"]
    if len(description) > 255:
        problem("description", _("At most 255 characters."))

    if errors:
        return None, errors
    return (
        CleanLine(
            row=row,
            invoice_no=invoice_no,
            line_no=line_no,
            invoice_date=invoice_date,
            supplier_uscc=supplier_uscc,
            supplier_name=supplier_name,
            category_id=category_id,
            product_id=product_id,
            quantity=quantity,
            unit=unit,
            amount=amount,
            description=description,
        ),
        [],
    )
