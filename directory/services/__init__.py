"""Every change of state in the directory: one function per user action.

Each runs in one transaction, validates, writes its audit record (StatusChange) in that
transaction and sends email only after commit. The directory proper's services live in this
package by concern (accounts, enterprises, products, members); those of purchases, the LCR
and measured datasets in their sub-domain packages. The names below are the ones the
officials' admin, the other apps' tests and bench/ call as `directory.services.<name>`.
"""

from directory.evidence.services import dataset_accept, dataset_reject
from directory.lcr.services import lcr_trajectory_set, lcr_year_publish
from directory.purchases.services import purchase_lines_import
from directory.services.enterprises import (
    NOT_RECOMMENDED,
    RECOMMENDED,
    enterprise_return,
    enterprise_set_group,
    enterprise_set_recommended,
    enterprise_verify,
    enterprise_withdraw,
)
from directory.services.products import product_return, product_verify

__all__ = [
    "dataset_accept",
    "dataset_reject",
    "enterprise_return",
    "enterprise_set_group",
    "enterprise_set_recommended",
    "enterprise_verify",
    "enterprise_withdraw",
    "lcr_trajectory_set",
    "lcr_year_publish",
    "NOT_RECOMMENDED",
    "product_return",
    "product_verify",
    "purchase_lines_import",
    "RECOMMENDED",
]
