"""Cleaning of purchase lines as they arrive from files, the API or the command line.

Pure functions over plain values: every problem of a row is reported as the shared reader's
`RowError` (`ssb_portal.tabular`), with its row number, its column and a reason a person can
act on. Looking up categories, suppliers and products
is left to the caller, which passes them in as dictionaries.
"""

import datetime
import functools
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from directory.validators import normalise_uscc, validate_uscc
from ssb_portal.ids import MAX_ID
from ssb_portal.tabular import RowError, cell_date

PURCHASE_COLUMNS = (
    "invoice_code",
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
    "amount_incl_vat",
    "vat_amount",
    "original_invoice_code",
    "original_invoice_no",
    "description",
    "specification",
)
# Always needed in a file's header; line numbers, when missing, are given in file order.
REQUIRED_COLUMNS = ("invoice_no", "invoice_date")
# The amount excluding VAT, or the total with VAT beside the VAT (税额) to take it from.
AMOUNT_COLUMNS = ("amount", "amount_incl_vat")

# Headers of our Chinese template, of the tax bureau's VAT-invoice export and of the usual
# ERP purchase-invoice exports (Kingdee, Yonyou, SAP), mapped to the columns above. Matched
# in any case and spacing. Only headers that mean the amount excluding VAT become `amount`:
# a total with VAT (价税合计, 含税金额, Gross Amount) never does.
HEADER_ALIASES = {
    # our template
    "发票号": "invoice_no",
    "行号": "line_no",
    "发票日期": "invoice_date",
    "供应商统一社会信用代码": "supplier_uscc",
    "供应商信用代码": "supplier_uscc",
    "供应商名称": "supplier_name",
    "供应品类": "category",
    "品类": "category",
    "产品": "product",
    "产品编号": "product",
    "不含税金额": "amount",
    "描述": "description",
    "说明": "description",
    # VAT-invoice export (legacy and fully digital invoices)
    "发票代码": "invoice_code",
    "发票号码": "invoice_no",
    "数电发票号码": "invoice_no",
    "全电发票号码": "invoice_no",
    "开票日期": "invoice_date",
    "销方识别号": "supplier_uscc",
    "销方纳税人识别号": "supplier_uscc",
    "销售方纳税人识别号": "supplier_uscc",
    "销方名称": "supplier_name",
    "销售方名称": "supplier_name",
    "货物或应税劳务名称": "description",
    "货物或应税劳务、服务名称": "description",
    "项目名称": "description",
    "规格型号": "specification",
    "单位": "unit",
    "数量": "quantity",
    "金额": "amount",
    "税额": "vat_amount",
    "价税合计": "amount_incl_vat",
    # a credit note (红字发票) names its original (blue) invoice
    "对应蓝字发票代码": "original_invoice_code",
    "对应蓝字发票号码": "original_invoice_no",
    "蓝字发票代码": "original_invoice_code",
    "蓝字发票号码": "original_invoice_no",
    "原发票代码": "original_invoice_code",
    "原发票号码": "original_invoice_no",
    # Kingdee (金蝶) purchase invoices
    "分录号": "line_no",
    "供应商": "supplier_name",
    "供应商税号": "supplier_uscc",
    "物料名称": "description",
    "计价单位": "unit",
    "计价数量": "quantity",
    "含税金额": "amount_incl_vat",
    # Yonyou (用友) purchase invoices: the CNY (本币) amounts
    "存货名称": "description",
    "无税金额": "amount",
    "本币无税金额": "amount",
    "本币税额": "vat_amount",
    "本币价税合计": "amount_incl_vat",
    # SAP supplier invoices (MIR4 / Manage Supplier Invoices lists)
    "Reference": "invoice_no",
    "Document Date": "invoice_date",
    "Item": "line_no",
    "Supplier Name": "supplier_name",
    "Tax Number 1": "supplier_uscc",
    "Material Description": "description",
    "Short Text": "description",
    "Order Unit": "unit",
    "Net Amount": "amount",
    "Tax Amount": "vat_amount",
    "Gross Amount": "amount_incl_vat",
}

#: How the lines without a category are named where categories are named by slug (the LCR's
#: groups, the API's filter).
UNCATEGORISED = "uncategorised"

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


@functools.lru_cache(maxsize=4096)
def _uscc_is_valid(uscc: str) -> bool:
    """Remembered per code: a file names the same few hundred suppliers over and over."""
    try:
        validate_uscc(uscc)
    except ValidationError:
        return False
    return True


def _digits(text: str, *lengths: int) -> bool:
    return text.isascii() and text.isdigit() and len(text) in lengths


def invoice_format_problems(code: str, number: str) -> list[tuple[str, str]]:
    """What is wrong with an invoice's code and number, as (column, reason).

    A legacy VAT invoice has a code of 10 or 12 digits and a number of 8; a fully digital
    invoice (数电票) a number of 20 digits and no code. A number without a code may be any
    other document's number, so only a given code makes the format checked.
    """
    if not code:
        return []
    if _digits(number, 20):
        return [
            (
                "invoice_code",
                _(
                    "A fully digital invoice (20-digit number) has no invoice code: leave "
                    "the code empty."
                ),
            )
        ]
    problems = []
    if not _digits(code, 10, 12):
        problems.append(
            (
                "invoice_code",
                _("An invoice code has 10 or 12 digits; got “%(value)s”.") % {"value": code},
            )
        )
    if number and not _digits(number, 8):
        problems.append(
            (
                "invoice_no",
                _("With an invoice code the invoice number has 8 digits; got “%(value)s”.")
                % {"value": number},
            )
        )
    return problems


def original_invoice_problems(
    amount: Decimal, invoice: tuple[str, str], original: tuple[str, str]
) -> list[tuple[str, str]]:
    """What is wrong with the original invoice a line names, as (column, reason).

    A negative line is a credit note (红字发票): it must name the invoice it corrects, in
    the same formats as any invoice. A line of zero or more is an invoice's own line and
    names none.
    """
    code, number = original
    if amount >= 0:
        return [
            (column, _("Only a credit note (a negative amount) names an original invoice."))
            for column, value in zip(
                ("original_invoice_code", "original_invoice_no"), original, strict=True
            )
            if value
        ]
    if not number:
        return [
            (
                "original_invoice_no",
                _(
                    "A negative amount is a credit note: give the number of the invoice it "
                    "corrects (and its code, if it has one)."
                ),
            )
        ]
    if len(number) > 64:
        return [("original_invoice_no", _("At most 64 characters."))]
    if original == invoice:
        return [("original_invoice_no", _("A credit note cannot correct its own invoice."))]
    return [
        (f"original_{column}", message) for column, message in invoice_format_problems(code, number)
    ]


def invoice_no_expands_too_far(invoice_no: str) -> bool:
    """Whether the number's plain form (Unicode NFKC) passes 64 characters.

    The no-double-claim key of a number (`subsidies.rules.invoice_key`, kept in 64
    characters) is at most as long as the number's NFKC form, which NFKC can make longer than
    the number: U+FDFA is written out as 18 characters. directory cannot import subsidies, so
    the bound is checked here on the NFKC form itself.
    """
    return not invoice_no.isascii() and len(unicodedata.normalize("NFKC", invoice_no)) > 64


def invoice_label(code: str, number: str) -> str:
    """An invoice as people write it: code and number, or the number alone."""
    return f"{code}-{number}" if code else number


def item_name(description: str) -> str:
    """The goods' name of a VAT-invoice line without its tax class (*电池*固态电解质 ->
    固态电解质), as a directory product is named."""
    if description.startswith("*"):
        _class, star, rest = description[1:].partition("*")
        if star:
            return rest.strip()
    return description


def item_name_key(description: str) -> str:
    """An item name as a buyer's saved mapping compares it: without its tax class, Unicode
    NFKC, any case, runs of spaces as one."""
    return " ".join(
        unicodedata.normalize("NFKC", item_name(description.strip())).casefold().split()
    )


def seller_key(supplier_uscc: str, supplier_name: str) -> tuple[str, str]:
    """The seller of an invoice as its identity counts it: its USCC, else its name."""
    return (supplier_uscc, "") if supplier_uscc else ("", supplier_name)


@dataclass
class CleanLine:
    row: int
    invoice_code: str
    invoice_no: str
    line_no: int
    invoice_date: datetime.date
    supplier_uscc: str | None
    supplier_name: str
    #: None: uncategorised (no category given, no product or saved item name to take it from).
    category_id: int | None
    product_id: int | None
    quantity: Decimal | None
    unit: str
    amount: Decimal
    description: str
    original_invoice_code: str = ""
    original_invoice_no: str = ""

    @property
    def seller(self) -> tuple[str, str]:
        return seller_key(self.supplier_uscc, self.supplier_name)

    @property
    def invoice(self) -> tuple[str, str, str, str]:
        """The invoice: its seller, code and number."""
        return (*self.seller, self.invoice_code, self.invoice_no)

    @property
    def original(self) -> tuple[str, str, str, str] | None:
        """The invoice a credit note corrects (same seller), None on an invoice's line."""
        if not self.original_invoice_no:
            return None
        return (*self.seller, self.original_invoice_code, self.original_invoice_no)

    @property
    def key(self) -> tuple[str, str, str, str, int]:
        return (*self.invoice, self.line_no)


@dataclass(frozen=True)
class Lookups:
    """What the rows name, looked up by the caller.

    category_ids: slug, Chinese name and casefolded English name -> id of every category.
    supplier_names: USCC -> name of the directory enterprises the rows mention.
    products: product id -> (its enterprise's USCC, its category id), for the products the
    rows name by number.
    products_by_name: (USCC, casefolded name) -> product id, for the products of the
    suppliers the rows name.
    item_categories: the buyer's saved mapping of its item names (as `item_name_key` has
    them) -> category id.
    """

    category_ids: Mapping[str, int]
    supplier_names: Mapping[str, str]
    products: Mapping[int, tuple[str, int]]
    products_by_name: Mapping[tuple[str, str], int]
    item_categories: Mapping[str, int] = field(default_factory=dict)


def _checked(problem, column: str, parse) -> Any:
    try:
        return parse()
    except ValueError as error:
        problem(column, str(error))
        return None


def _amount(text: Mapping[str, str], get, problem) -> Decimal | None:
    """The amount excluding VAT: given, or the total with VAT less the VAT."""
    amounts = {
        column: _checked(problem, column, functools.partial(_decimal, get(column), 2))
        for column in ("amount", "amount_incl_vat", "vat_amount")
        if text[column]
    }
    for column, value in amounts.items():
        if value is not None and abs(value) >= MAX_AMOUNT_CNY:
            problem(column, _("The amount is too large."))
            return None
    net, gross, vat = (amounts.get(c) for c in ("amount", "amount_incl_vat", "vat_amount"))
    if not text["amount"]:
        if not text["amount_incl_vat"]:
            problem("amount", _("This column is required."))
        elif not text["vat_amount"]:
            problem(
                "vat_amount",
                _("Give the VAT beside the total with VAT, or the amount excluding VAT."),
            )
        elif gross is not None and vat is not None:
            return gross - vat
        return None
    if None not in (net, gross, vat) and net + vat != gross:
        problem(
            "amount",
            _("%(net)s plus the VAT %(vat)s is not the total with VAT %(gross)s.")
            % {"net": net, "vat": vat, "gross": gross},
        )
        return None
    return net


def clean_row(
    raw: Mapping[str, Any], *, row: int, lookups: Lookups, numbered: bool = False
) -> tuple[CleanLine | None, list[RowError]]:
    """One row cleaned, or every problem it has.

    numbered: the rows carry no line numbers; the caller numbers them (line_no is 0 here).
    """
    errors: list[RowError] = []

    def problem(column: str, message: str) -> None:
        errors.append(RowError(row, column, message))

    get = raw.get
    # Each cell's text once: a large file has a hundred thousand rows.
    text = {column: _text(get(column)) for column in PURCHASE_COLUMNS}
    for column in (
        ("invoice_no", "invoice_date") if numbered else ("invoice_no", "line_no", "invoice_date")
    ):
        if not text[column]:
            problem(column, _("This column is required."))

    invoice_code, invoice_no = text["invoice_code"], text["invoice_no"]
    if len(invoice_no) > 64:
        problem("invoice_no", _("At most 64 characters."))
    elif invoice_no_expands_too_far(invoice_no):
        problem(
            "invoice_no",
            _("At most 64 characters once signs that stand for several letters are written out."),
        )
    for column, message in invoice_format_problems(invoice_code, invoice_no):
        problem(column, message)

    line_no = 0 if numbered else None
    if text["line_no"] and not numbered:
        line_no = _checked(problem, "line_no", functools.partial(_positive_int, text["line_no"]))
    invoice_date = None
    if text["invoice_date"]:
        invoice_date = _checked(
            problem, "invoice_date", functools.partial(cell_date, get("invoice_date"))
        )
    amount = _amount(text, get, problem)
    quantity = None
    if text["quantity"]:
        quantity = _checked(problem, "quantity", functools.partial(_decimal, get("quantity"), 3))
        if quantity is not None and abs(quantity) >= MAX_QUANTITY:
            problem("quantity", _("The quantity is too large."))

    supplier_uscc = normalise_uscc(text["supplier_uscc"]) or None
    if supplier_uscc and not _uscc_is_valid(supplier_uscc):
        try:
            validate_uscc(supplier_uscc)
        except ValidationError as error:
            problem("supplier_uscc", " ".join(error.messages))
    supplier_name = text["supplier_name"]
    if not supplier_name:
        supplier_name = lookups.supplier_names.get(supplier_uscc or "", "")
        if not supplier_name:
            problem(
                "supplier_name",
                _("Give the supplier's name (its USCC is not in the directory)."),
            )
    if len(supplier_name) > 160:
        problem("supplier_name", _("At most 160 characters."))

    description = " ".join(part for part in (text["description"], text["specification"]) if part)
    if len(description) > 255:
        problem("description", _("At most 255 characters."))

    product_id = None
    if text["product"]:
        try:
            product_id = _positive_int(text["product"], limit=MAX_ID)
        except ValueError:
            problem("product", _("Give the product's number from the directory."))
        else:
            owner = lookups.products.get(product_id, (None, None))[0]
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

    category = text["category"]
    category_id = lookups.category_ids.get(category) or lookups.category_ids.get(
        category.casefold()
    )
    if category and category_id is None:
        problem("category", _("Unknown category “%(slug)s”.") % {"slug": category})
    elif not category:
        if product_id is None and supplier_uscc:
            product_id = lookups.products_by_name.get(
                (supplier_uscc, item_name(text["description"]).casefold())
            )
        category_id = lookups.products.get(product_id, (None, None))[1]
        if category_id is None and lookups.item_categories:
            # Else the buyer's own saved mapping of its item names; else uncategorised.
            category_id = lookups.item_categories.get(
                item_name_key(description)
            ) or lookups.item_categories.get(item_name_key(text["description"]))

    unit = text["unit"]
    if len(unit) > 16:
        problem("unit", _("At most 16 characters."))

    original_code, original_no = text["original_invoice_code"], text["original_invoice_no"]
    if amount is not None:
        for column, message in original_invoice_problems(
            amount, (invoice_code, invoice_no), (original_code, original_no)
        ):
            problem(column, message)

    if errors:
        return None, errors
    return (
        CleanLine(
            row=row,
            invoice_code=invoice_code,
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
            original_invoice_code=original_code,
            original_invoice_no=original_no,
        ),
        [],
    )
