"""`manage.py recover_stalled_tasks`: one look for stalled tasks (for cron, where the worker
runs elsewhere than `task_worker`)."""

from django.core.management.base import BaseCommand

from ssb_portal.task_recovery.services import recover_stalled_tasks


class Command(BaseCommand):
    help = "Queue again the tasks whose worker went silent, or fail those tried too often."

    def handle(self, *args, **options) -> None:
        recovery = recover_stalled_tasks()
        self.stdout.write(
            f"{len(recovery.requeued)} queued again, {len(recovery.given_up)} failed for good."
        )
