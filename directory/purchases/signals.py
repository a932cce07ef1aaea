"""What the purchase records tell the rest of the portal, without knowing who listens."""

from django.dispatch import Signal

#: Sent inside the import's transaction when corrections of held lines were kept pending,
#: with `corrections` (the new PurchaseLineCorrection rows) and `actor` (None from the
#: command line). Receivers record what follows in the same transaction.
purchase_corrections_pending = Signal()
