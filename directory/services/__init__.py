"""Every change of state in the directory: one function per user action.

Each runs in one transaction, validates, writes its audit record (StatusChange) in that
transaction and sends email only after commit. The directory proper's services live in this
package by concern: `accounts`, `enterprises`, `products`, `members`; those of purchases, the
LCR and measured datasets in their sub-domain packages (`directory.purchases.services`,
`directory.lcr.services`, `directory.evidence.services`). Import each name from its module.
"""
