"""What the tests of frozen purchase lines share: a stored line posted again through the API's
import, with some of its values changed."""

from directory.models import PurchaseImportSource
from directory.purchases.services import purchase_lines_import


def repost(line, actor=None, **values):
    """Post `line` again (same key) with `values` changed; returns (import, outcome)."""
    row = {
        "invoice_no": line.invoice_no,
        "line_no": line.line_no,
        "invoice_date": line.invoice_date.isoformat(),
        "supplier_uscc": line.supplier_id,
        "category": line.category.slug,
        "amount": str(line.amount),
        **values,
    }
    return purchase_lines_import(
        actor=actor, buyer=line.buyer, raw_rows=[row], source=PurchaseImportSource.API
    )
