"""Do the calendar's chores (bills of materials whose validity passed expire), then mail the
reminders that are due (each once): run by cron, or with --every beside the task worker
(`make run`, bin/serve), where it repeats until stopped."""

import contextlib
import logging
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from ssb_portal.reminders import chores
from ssb_portal.reminders.services import reminders_send

logger = logging.getLogger(__name__)


def run_periodically(
    step: Callable[[], object], *, every: float, sleep: Callable[[float], None] = time.sleep
) -> None:
    """Run `step` now and every `every` seconds until interrupted. A failed run is logged and
    the next one tried (a database briefly away must not stop the reminders for good)."""
    while True:
        try:
            step()
        except Exception:
            logger.exception("Sending reminders failed; trying again in %s s.", every)
        sleep(every)


class Command(BaseCommand):
    help = (
        "Do the calendar's chores (expire what ran out), then mail the reminders that are due "
        "and were not mailed before (each once)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="Keep running and send again every SECONDS (beside the task worker).",
        )

    def handle(self, *args, every: float | None = None, **options) -> None:
        if every is None:
            self._send()
            return
        if every <= 0:
            self.stderr.write("--every must be a positive number of seconds.")
            raise SystemExit(2)
        # Ctrl-C (or the SIGINT of `make run` stopping) ends the loop quietly.
        with contextlib.suppress(KeyboardInterrupt):
            run_periodically(self._send, every=every)

    def _send(self) -> None:
        today = timezone.localdate()
        for chore in chores():
            self.stdout.write(f"{chore.run(today)} {chore.done}")
        sent = reminders_send(today=today)
        self.stdout.write(f"{sent} reminder(s) sent.")
