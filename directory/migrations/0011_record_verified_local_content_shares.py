"""Start the history of local-content shares: each verified product's current share, in force
from the day it was verified (the last verification that set it, as the status history has it;
the product's creation if the history has none)."""

from django.db import migrations
from django.utils import timezone

VERIFIED = "verified"


def verification_dates(StatusChange, product_ids) -> dict[int, object]:
    """Per product, when its share was last verified: a move to verified from another status
    verifies the whole product; a verification of pending changes only if they set the share."""
    dates = {}
    verifications = StatusChange.objects.filter(
        product_id__in=product_ids, to_status=VERIFIED
    ).values_list("product_id", "from_status", "changes", "created_at")
    for product_id, from_status, changes, created_at in verifications:
        sets_share = from_status != VERIFIED or "local_content_share" in (changes or {})
        if sets_share and (product_id not in dates or created_at > dates[product_id]):
            dates[product_id] = created_at
    return dates


def record_current_shares(apps, schema_editor):
    Product = apps.get_model("directory", "Product")
    StatusChange = apps.get_model("directory", "StatusChange")
    LocalContentShare = apps.get_model("directory", "LocalContentShare")
    products = list(
        Product.objects.filter(status=VERIFIED, local_content_share__isnull=False).values_list(
            "pk", "local_content_share", "created_at"
        )
    )
    dates = verification_dates(StatusChange, [pk for pk, _share, _created in products])
    LocalContentShare.objects.bulk_create(
        (
            LocalContentShare(
                product_id=pk,
                share=share,
                valid_from=timezone.localdate(dates.get(pk, created_at)),
                verified_at=dates.get(pk, created_at),
            )
            for pk, share, created_at in products
        ),
        batch_size=1000,
    )


def forget_shares(apps, schema_editor):
    apps.get_model("directory", "LocalContentShare").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0010_local_content_share_history"),
    ]

    operations = [migrations.RunPython(record_current_shares, forget_shares)]
