"""Stalled tasks found and run again, or given up after too many tries."""

import dataclasses
import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.base import Task, TaskContext, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from ssb_portal.task_recovery.models import TaskHeartbeat

logger = logging.getLogger(__name__)


class TaskStalled(Exception):
    """Recorded on a task given up: its worker went silent on every try."""


@dataclasses.dataclass(frozen=True)
class StallHandlers:
    """What puts a task's own records right, called with the task's arguments: `requeue` when
    it will run again from the start, `give_up` when it is failed for good."""

    requeue: Callable[..., None]
    give_up: Callable[..., None]


_HANDLERS: dict[str, StallHandlers] = {}


def on_stall(task: Task, *, requeue: Callable[..., None], give_up: Callable[..., None]) -> None:
    _HANDLERS[task.module_path] = StallHandlers(requeue=requeue, give_up=give_up)


def heartbeat(context: TaskContext) -> None:
    """Record that the task is alive (call it where the task reports progress)."""
    result = context.task_result
    if not isinstance(task_backends[result.backend], DatabaseBackend):
        return  # a task run at once (the immediate backend) has no row to watch
    TaskHeartbeat.objects.update_or_create(
        task_result_id=result.id, defaults={"beat_at": timezone.now()}
    )


@dataclasses.dataclass
class Recovery:
    requeued: list[str] = dataclasses.field(default_factory=list)
    given_up: list[str] = dataclasses.field(default_factory=list)


def stalled_tasks(now: datetime.datetime | None = None):
    """Running tasks with no sign of life (heartbeat, else start) for TASK_STALL_SECONDS."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.TASK_STALL_SECONDS)
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .filter(Q(heartbeat__isnull=True) | Q(heartbeat__beat_at__lt=cutoff))
    )


def recover_stalled_tasks(now: datetime.datetime | None = None) -> Recovery:
    """Put each stalled task back in the queue, or fail it once tried TASK_MAX_ATTEMPTS times.

    Each task in its own transaction, locked: two watches never recover one task twice, and
    a task whose own records cannot be put right stays as it is (logged) until the next look.
    """
    recovery = Recovery()
    stalled = stalled_tasks(now)
    for task_id in list(stalled.values_list("pk", flat=True)):
        try:
            with exclusive_transaction(stalled.db):
                task_result = (
                    stalled.filter(pk=task_id).select_for_update(skip_locked=True, of=("self",))
                ).first()
                if task_result is None:
                    continue  # finished meanwhile, or another watch has it
                if recover(task_result, reason="stalled"):
                    recovery.requeued.append(str(task_id))
                else:
                    recovery.given_up.append(str(task_id))
        except Exception:
            logger.exception("Could not recover the stalled task %s", task_id)
    return recovery


def recover(task_result: DBTaskResult, *, reason: str) -> bool:
    """Queue the task again (True), or fail it for good when tried often enough (False).

    Inside the caller's transaction, with the task's row locked."""
    handlers = _handlers_of(task_result)
    arguments = task_result.args_kwargs
    attempts = len(task_result.worker_ids)
    TaskHeartbeat.objects.filter(task_result=task_result).delete()
    if attempts >= settings.TASK_MAX_ATTEMPTS:
        task_result.set_failed(TaskStalled(f"{reason} on each of {attempts} tries"))
        if handlers is not None:
            handlers.give_up(*arguments["args"], **arguments["kwargs"])
        logger.warning("Task %s %s %d times: failed", task_result.pk, reason, attempts)
        return False
    task_result.status = TaskResultStatus.READY
    task_result.finished_at = None
    task_result.exception_class_path = ""
    task_result.traceback = ""
    task_result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
    if handlers is not None:
        handlers.requeue(*arguments["args"], **arguments["kwargs"])
    logger.warning("Task %s %s on try %d: queued again", task_result.pk, reason, attempts)
    return True


def _handlers_of(task_result: DBTaskResult) -> StallHandlers | None:
    try:
        # Importing the task registers its handlers.
        task = task_result.task
    except (ImportError, SuspiciousOperation):
        return None
    return _HANDLERS.get(task.module_path)


def hand_back_interrupted(task_result: Any) -> None:
    """A task cut short by a worker told to stop at once (a second SIGTERM or Ctrl-C) is
    recorded as failed with SystemExit by django-tasks-db: it goes back in the queue instead."""
    db_result = getattr(task_result, "db_result", None)
    if db_result is None or db_result.exception_class_path != "builtins.SystemExit":
        return
    with exclusive_transaction(DBTaskResult.objects.db):
        locked = DBTaskResult.objects.select_for_update().filter(pk=db_result.pk).first()
        if locked is not None and locked.status == TaskResultStatus.FAILED:
            recover(locked, reason="interrupted by the worker's stop")
