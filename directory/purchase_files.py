"""The purchase file reader's former address, kept for the modules that still import it here.

The reader now lives in `directory.purchases.files`; these names answer from there until
services, views, tasks and the import command name the new home.
"""

from directory.purchases.files import (
    FILE_ROW,
    XLSX_CONTENT_TYPE,
    PurchaseFileError,
    inspect_purchase_file,
    purchase_template_csv,
    purchase_template_xlsx,
    read_purchase_file,
    too_large_message,
)

__all__ = [
    "FILE_ROW",
    "XLSX_CONTENT_TYPE",
    "PurchaseFileError",
    "inspect_purchase_file",
    "purchase_template_csv",
    "purchase_template_xlsx",
    "read_purchase_file",
    "too_large_message",
]
