"""The worker's watch: every TASK_STALL_CHECK_SECONDS, stalled tasks are recovered."""

import logging
import threading
import time

from django.conf import settings
from django.db import connections

from ssb_portal.task_recovery.services import recover_stalled_tasks

logger = logging.getLogger(__name__)


def start_watch() -> threading.Thread:
    """Watch in a background thread of the worker (a daemon: it ends with the worker)."""
    thread = threading.Thread(target=_watch, name="stalled-task-watch", daemon=True)
    thread.start()
    return thread


def _watch() -> None:
    while True:
        try:
            recover_stalled_tasks()
        except Exception:
            # The database away for a moment: the next look tries again.
            logger.exception("The look for stalled tasks failed")
        finally:
            connections.close_all()  # this thread's own connections
        time.sleep(settings.TASK_STALL_CHECK_SECONDS)
