"""Credit notes (红字发票) against their invoices, and a buyer's year totals.

Checked after an import's lines are written, in the import's transaction and under the
buyer's row lock, so that the sums are those of what is on record once the import counts:
its new lines, its corrections and every earlier line, and no other import of the same
buyer in between. A database constraint cannot say either rule (each compares a sum over
many rows, and a CHECK constraint sees one row), so they are kept here.

A credit note reduces the invoice it names (same buyer, same seller, that code and number)
at most to zero; a buyer's purchases of a year never total below zero.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from directory.bulk import chunks
from directory.models import Enterprise, PurchaseLine
from directory.purchases.rows import CleanLine, invoice_label, seller_key
from ssb_portal.formulas.money import quantize_cny
from ssb_portal.tabular import RowError

Invoice = tuple[str, str, str, str]  # seller USCC, seller name (without USCC), code, number


def _sums_by_invoice(
    buyer: Enterprise, invoices: Iterable[Invoice], code: str, number: str
) -> dict[Invoice, Decimal]:
    """The buyer's line amounts summed in SQL per invoice (seller, `code`, `number` fields),
    for the wanted `invoices` only, looked up by number in chunks."""
    wanted = set(invoices)
    fields = ("supplier_id", "supplier_name", code, number)
    sums: dict[Invoice, Decimal] = defaultdict(Decimal)
    for numbers in chunks(sorted({invoice[3] for invoice in wanted}), 500):
        rows = (
            PurchaseLine.objects.filter(buyer=buyer, **{f"{number}__in": numbers})
            .order_by()
            .values(*fields)
            .annotate(total=Sum("amount"))
            .values_list(*fields, "total")
        )
        for uscc, name, invoice_code, invoice_no, total in rows:
            invoice = (*seller_key(uscc, name), invoice_code, invoice_no)
            if invoice in wanted:
                sums[invoice] += total
    return {invoice: quantize_cny(total) for invoice, total in sums.items()}


def _credit_note_problems(buyer: Enterprise, lines: Sequence[CleanLine]) -> list[RowError]:
    by_original: dict[Invoice, list[CleanLine]] = defaultdict(list)
    by_invoice: dict[Invoice, list[CleanLine]] = defaultdict(list)
    for line in lines:
        by_invoice[line.invoice].append(line)
        if line.original:
            by_original[line.original].append(line)
    # The invoices this import credits or changes, and what credits them on record.
    touched = set(by_original) | set(by_invoice)
    credited = _sums_by_invoice(buyer, touched, "original_invoice_code", "original_invoice_no")
    totals = _sums_by_invoice(buyer, credited, "invoice_code", "invoice_no")
    problems: list[RowError] = []
    for invoice, credit in credited.items():
        label = invoice_label(invoice[2], invoice[3])
        credit_notes = by_original[invoice]
        if invoice not in totals:
            problems.extend(
                RowError(
                    line.row,
                    "original_invoice_no",
                    _(
                        "Invoice %(invoice)s of %(seller)s is not on record: a credit note "
                        "corrects an invoice of the same seller, recorded before or sent "
                        "with it."
                    )
                    % {"invoice": label, "seller": line.supplier_name},
                )
                for line in credit_notes
            )
        elif totals[invoice] + credit < 0:
            message = _(
                "The credit notes of invoice %(invoice)s total %(credit)s CNY, more than the "
                "invoice's %(total)s CNY: a credit note reduces its invoice at most to zero."
            ) % {"invoice": label, "credit": -credit, "total": totals[invoice]}
            blamed = credit_notes or by_invoice[invoice]
            problems.extend(RowError(line.row, "amount", message) for line in blamed)
    return problems


def _year_total_problems(buyer: Enterprise, lines: Sequence[CleanLine]) -> list[RowError]:
    below_zero = (
        PurchaseLine.objects.filter(buyer=buyer)
        .order_by()
        .values(year=ExtractYear("invoice_date"))
        .annotate(total=Sum("amount"))
        .filter(total__lt=0)
        .values_list("year", "total")
    )
    problems: list[RowError] = []
    for year, total in below_zero:
        of_year = [line for line in lines if line.invoice_date.year == year]
        # The year's credit notes in this import, else its lines, else (a corrected date
        # took a line out of the year) the import's first line.
        blamed = [line for line in of_year if line.amount < 0] or of_year or list(lines[:1])
        message = _(
            "With this import, the purchases of %(year)d would total %(total)s CNY: a year's "
            "total can never be below zero."
        ) % {"year": year, "total": quantize_cny(total)}
        problems.extend(RowError(line.row, "amount", message) for line in blamed)
    return problems


def purchase_totals_problems(*, buyer: Enterprise, lines: Sequence[CleanLine]) -> list[RowError]:
    """Why the buyer's lines on record, with `lines` written, cannot stand: credit notes of
    an invoice that is not on record or that they take below zero, and years whose total is
    below zero; each naming the rows of `lines` it concerns. Empty when they can.

    Years are only looked at once the credit notes stand: a credit note too large for its
    invoice would often take its year below zero too, and one reason per row is clearer.
    """
    problems = _credit_note_problems(buyer, lines) or _year_total_problems(buyer, lines)
    return sorted(problems, key=lambda problem: problem.row)
