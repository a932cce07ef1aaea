"""Fill the members' supplier history (completed collaborations, median answer hours) from
the collaborations and invitations recorded so far; the services keep it from then on."""

import statistics

from django.db import migrations
from django.db.models import Count


def backfill(apps, schema_editor):
    AllianceMember = apps.get_model("alliance", "AllianceMember")
    CollaborationParty = apps.get_model("alliance", "CollaborationParty")
    DemandResponse = apps.get_model("alliance", "DemandResponse")
    completed = dict(
        CollaborationParty.objects.filter(role="supplier", collaboration__status="completed")
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .values_list("enterprise_id", "n")
    )
    hours: dict[int, list[float]] = {}
    for supplier_id, invited_at, answered_at in (
        DemandResponse.objects.filter(invited_at__isnull=False, answered_at__isnull=False)
        .values_list("supplier_id", "invited_at", "answered_at")
        .iterator()
    ):
        answered = max((answered_at - invited_at).total_seconds() / 3600, 0.0)
        hours.setdefault(supplier_id, []).append(answered)
    members = []
    for member in AllianceMember.objects.only("pk", "enterprise_id").iterator():
        if member.enterprise_id not in completed and member.enterprise_id not in hours:
            continue
        member.completed_collaborations = completed.get(member.enterprise_id, 0)
        answers = hours.get(member.enterprise_id)
        member.median_answer_hours = statistics.median(answers) if answers else None
        members.append(member)
    AllianceMember.objects.bulk_update(
        members, ["completed_collaborations", "median_answer_hours"], batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [("alliance", "0006_member_supplier_history")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
