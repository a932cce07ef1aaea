"""What tests of imports share: thresholds under which every import counts at once, for tests
whose subject is not the review of large imports (their setup imports large values)."""

from decimal import Decimal

from directory.models import PurchaseReviewPolicy


def imports_count_at_once() -> PurchaseReviewPolicy:
    """Thresholds no import crosses: the floor exempts every import."""
    return PurchaseReviewPolicy.objects.create(
        max_share_percent=Decimal(100), max_lcr_points=Decimal(100), floor_cny=Decimal(10) ** 13
    )
