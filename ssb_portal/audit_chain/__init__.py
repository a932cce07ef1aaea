"""The tamper-evident audit chain every app appends its public decisions to: keyed entries, a
head that only grows, published heads kept outside the database, and receipts."""
