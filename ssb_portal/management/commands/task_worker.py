"""`manage.py task_worker`: the portal's `db_worker` (django-tasks-db's worker, which here also
outlives a database outage), with the watch for stalled tasks.

Takes db_worker's options. On SIGTERM or Ctrl-C the worker finishes its task and stops
(db_worker); told a second time it stops at once and hands the task back to the queue
(ssb_portal.task_recovery)."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from ssb_portal.management.commands import db_worker
from ssb_portal.task_recovery.watch import start_watch


class Command(db_worker.Command):
    help = "Run the database task worker, recovering tasks whose worker went silent."

    def handle(self, *args, **options) -> None:
        # With the code reloader, the worker runs in a child process: the watch goes there.
        reloads = options["reload"] and not options["batch"]
        if not reloads or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            start_watch()
        super().handle(*args, **options)
