"""Give every claimed line the invoice code of its purchase line.

Claims made before the code was kept have it empty. Filling it only splits claims that were
one invoice line under the old key, so no two live claims can collide under the new one.
One UPDATE whatever the number of claims.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_invoice_codes(apps, schema_editor):
    ClaimedLine = apps.get_model("subsidies", "ClaimedLine")
    PurchaseLine = apps.get_model("directory", "PurchaseLine")
    ClaimedLine.objects.exclude(purchase_line__invoice_code="").update(
        invoice_code=Subquery(
            PurchaseLine.objects.filter(pk=OuterRef("purchase_line_id")).values("invoice_code")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0012_purchase_line_invoice_code_and_seller_key"),
        ("subsidies", "0010_claimed_line_invoice_code"),
    ]

    # Backwards nothing to undo: reversing 0009 drops the column.
    operations = [migrations.RunPython(fill_invoice_codes, migrations.RunPython.noop)]
