from django.core.management.base import BaseCommand

from ssb_portal.audit_chain.heads import audit_head_publish_daily


class Command(BaseCommand):
    help = (
        "Publish today's head of the audit chain (sequence and hash) on the public list; "
        "run daily from cron. A second run the same day changes nothing."
    )

    def handle(self, *args, **options):
        head, created = audit_head_publish_daily()
        state = "published" if created else "already published"
        self.stdout.write(
            self.style.SUCCESS(
                f"Head of {head.day} {state}: entry {head.sequence}, hash {head.entry_hash}."
            )
        )
