"""What the support programmes hear from the rest of the portal (connected in apps.ready)."""

from typing import Any

from directory.purchases.signals import purchase_corrections_pending
from subsidies.services.corrections import purchase_corrections_review


def on_purchase_corrections_pending(sender: Any, *, corrections, actor, **kwargs: Any) -> None:
    purchase_corrections_review(actor=actor, corrections=corrections)


def connect() -> None:
    purchase_corrections_pending.connect(
        on_purchase_corrections_pending, dispatch_uid="subsidies.purchase_corrections_pending"
    )
