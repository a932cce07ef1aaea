"""Recompute every claimed line's invoice key with the Unicode-aware `rules.invoice_key`.

Claims made before it kept full-width forms, zero-width characters and dots in the key, so
one invoice line may be held twice under two keys. Should two live claims (`holds_claim`)
share a supplier, new key and line number, the migration refuses, naming both claims and
their applications, and changes nothing: an official withdraws or rejects one of them and
migrates again. Claims that no longer hold (rejected, withdrawn) are re-keyed without check,
as the database's constraint does.

It calls today's `rules.invoice_key`, a pure function: should the rule change again, a new
migration re-keys again.
"""

from django.db import migrations

from subsidies import rules


class ClaimKeyCollision(Exception):
    """Two live claims are one invoice line under the new key; the message names both."""


def rekey_claimed_lines(apps, schema_editor):
    ClaimedLine = apps.get_model("subsidies", "ClaimedLine")
    claims = ClaimedLine.objects.order_by("pk").values_list(
        "pk",
        "application_id",
        "supplier_uscc",
        "line_no",
        "holds_claim",
        "invoice_key",
        "purchase_line__invoice_no",
    )
    live = {}
    changed = []
    for pk, application_id, supplier, line_no, holds, old_key, invoice_no in claims.iterator():
        key = rules.invoice_key(invoice_no)
        if holds:
            slot = (supplier, key, line_no)
            if slot in live:
                first_pk, first_application, first_invoice = live[slot]
                raise ClaimKeyCollision(
                    f"Claimed line #{first_pk} (application #{first_application}, invoice "
                    f"{first_invoice!r}) and claimed line #{pk} (application #{application_id}, "
                    f"invoice {invoice_no!r}) are both line {line_no} of invoice {key} of "
                    f"supplier {supplier}. Withdraw or reject one of the two applications, "
                    "then migrate again."
                )
            live[slot] = (pk, application_id, invoice_no)
        if key != old_key:
            changed.append(ClaimedLine(pk=pk, invoice_key=key))
    ClaimedLine.objects.bulk_update(changed, ["invoice_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0007_describe_the_unicode_invoice_key")]

    # Backwards the new keys stay: they break none of the older schema's constraints.
    operations = [migrations.RunPython(rekey_claimed_lines, migrations.RunPython.noop)]
