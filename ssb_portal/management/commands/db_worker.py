"""`manage.py db_worker`: django-tasks-db's worker, which also outlives a database outage.

The library's worker stops with a traceback when its database cannot be reached (a restart of
PostgreSQL, connections ended by an operator), and `make serve` then stops the web server with
it (bin/serve). This one waits and starts its loop again, pausing a little longer each time (up
to MAX_PAUSE_SECONDS), as long as the outage lasts; SIGTERM still stops it at once while it
waits. Errors of a database that answers still stop it. (This command shadows the library's:
ssb_portal comes before django_tasks_db in INSTALLED_APPS.)
"""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

from ssb_portal.database_outage import is_connection_failure

logger = logging.getLogger(__name__)

MAX_PAUSE_SECONDS = 10


class Command(db_worker.Command):
    help = db_worker.Command.help

    def handle(self, **options) -> None:
        pause = 0.5
        while True:
            try:
                return super().handle(**options)
            except (OperationalError, InterfaceError) as error:
                if not is_connection_failure(error):
                    raise
                logger.warning(
                    "Task worker: the database cannot be reached (%s); trying again in %.1f s",
                    str(error).strip().splitlines()[0] if str(error).strip() else error,
                    pause,
                )
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE_SECONDS)
