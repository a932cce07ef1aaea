"""An import whose worker went silent is queued again from the start, or after
TASK_MAX_ATTEMPTS tries failed with a message its uploader can act on; a worker stopped in
the middle of an import hands it back. (The same with real processes killed:
test_purchase_import_crash.py.)"""

import datetime
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from directory.models import PurchaseImport, PurchaseImportStatus, PurchaseLine
from directory.purchases import services
from ssb_portal.languages import language_preference_set
from ssb_portal.task_recovery.models import TaskHeartbeat
from ssb_portal.task_recovery.services import recover_stalled_tasks

FILE = (
    b"invoice_no,line_no,invoice_date,supplier_name,category,amount\n"
    b"A-1,1,2026-03-01,Acme,cathode,100.00\n"
    b"A-2,1,2026-03-02,Acme,cathode,200.00\n"
)


@pytest.fixture
def queued_import(anchor, settings, django_capture_on_commit_callbacks):
    """An uploaded file waiting in the database queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        purchase_import, _ignored = services.purchase_import_submit(
            actor=anchor.owner, buyer=anchor, content=FILE, filename="p.csv"
        )
    return purchase_import


def worker_dies_running(purchase_import: PurchaseImport, worker_id: str) -> DBTaskResult:
    """A worker claims the task and starts the import, then dies without a word."""
    task_result = DBTaskResult.objects.get()
    task_result.claim(worker_id)
    services.purchase_import_claim(purchase_import=purchase_import)
    return task_result


def later(settings, seconds: int = 1) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=settings.TASK_STALL_SECONDS + seconds)


def run_worker(max_tasks: int | None = None) -> None:
    """The queue's tasks run by a worker in this process, until none is left (or max_tasks).

    The worker closes its connection between tasks: not the test's, which holds its
    transaction (PostgreSQL would lose it)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="in-test",
        excluded_queue_names=[],
    )
    with mock.patch.object(db_worker, "close_old_connections"):
        worker.run()


def test_a_silent_import_is_queued_again_and_then_runs_to_the_end(queued_import, settings):
    task_result = worker_dies_running(queued_import, "dead")

    recovery = recover_stalled_tasks(now=later(settings))

    assert recovery.requeued == [str(task_result.pk)]
    task_result.refresh_from_db()
    queued_import.refresh_from_db()
    assert task_result.status == "READY"
    assert (queued_import.status, queued_import.rows_done) == (PurchaseImportStatus.QUEUED, 0)
    run_worker()
    queued_import.refresh_from_db()
    assert (queued_import.status, queued_import.created_count) == ("succeeded", 2)
    assert PurchaseLine.objects.count() == 2


def test_a_task_that_beats_or_started_lately_is_left_alone(queued_import, settings):
    task_result = worker_dies_running(queued_import, "alive")
    TaskHeartbeat.objects.create(task_result=task_result, beat_at=later(settings, seconds=0))

    assert recover_stalled_tasks(now=later(settings, seconds=-1)).requeued == []
    assert recover_stalled_tasks(now=later(settings, seconds=1)).requeued == []
    task_result.refresh_from_db()
    assert task_result.status == "RUNNING"


@pytest.mark.parametrize(
    ("reads", "words"), [("en", "interrupted 3 times"), ("zh-hans", "导入已被中断 3 次")]
)
def test_an_import_silent_on_every_try_fails_with_a_message_on_its_page(
    queued_import, anchor, settings, client, reads, words
):
    settings.TASK_MAX_ATTEMPTS = 3
    language_preference_set(user=anchor.owner, language=reads)
    task_result = worker_dies_running(queued_import, "first")
    for worker in ("second", "third"):
        recover_stalled_tasks(now=later(settings))
        task_result = worker_dies_running(queued_import, worker)

    recovery = recover_stalled_tasks(now=later(settings))

    assert recovery.given_up == [str(task_result.pk)]
    task_result.refresh_from_db()
    queued_import.refresh_from_db()
    assert task_result.status == "FAILED"
    assert task_result.exception_class_path.endswith("TaskStalled")
    assert queued_import.status == PurchaseImportStatus.FAILED
    assert words in queued_import.errors[0]["message"]
    client.force_login(anchor.owner)
    page = client.get(
        reverse("purchases:import", args=[anchor.uscc, queued_import.pk]),
        headers={"accept-language": reads},
    )
    assert words in page.content.decode()
    assert not PurchaseLine.objects.exists()


def test_a_worker_stopped_in_the_middle_hands_the_import_back(queued_import):
    # A second SIGTERM makes db_worker exit at once: SystemExit inside the task, the last.
    with mock.patch.object(services, "purchase_lines_import", side_effect=SystemExit(1)):
        run_worker(max_tasks=1)

    task_result = DBTaskResult.objects.get()
    queued_import.refresh_from_db()
    assert task_result.status == "READY"
    assert queued_import.status == PurchaseImportStatus.QUEUED
    run_worker()
    queued_import.refresh_from_db()
    assert queued_import.status == PurchaseImportStatus.SUCCEEDED


def test_the_command_for_cron_recovers_too(queued_import, settings):
    worker_dies_running(queued_import, "dead")
    settings.TASK_STALL_SECONDS = 0
    output = io.StringIO()

    call_command("recover_stalled_tasks", stdout=output)

    assert output.getvalue().strip() == "1 queued again, 0 failed for good."
    queued_import.refresh_from_db()
    assert queued_import.status == PurchaseImportStatus.QUEUED
