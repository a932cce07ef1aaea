"""A worker killed in the middle of a purchase import (SIGKILL: no chance to tidy up) leaves
an import that a restarted worker finds and runs again from the start, saving exactly the
file's lines once. Real worker processes (`manage.py task_worker`) on the suite's database:
on SQLite a file copy of it, on PostgreSQL the test database itself."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from directory.models import PurchaseImport, PurchaseLine
from directory.purchases.services import PURCHASE_PROGRESS_EVERY, purchase_import_submit

BASE_DIR = Path(settings.BASE_DIR)
LINES = 15_000
HEADER = "invoice_no,line_no,invoice_date,supplier_name,category,amount"


def purchase_file(count: int) -> bytes:
    rows = (
        f"C-{n:06d},1,2026-{n % 12 + 1:02d}-{n % 28 + 1:02d},Supplier {n % 500},cathode,"
        f"{n % 90 + 10}.25"
        for n in range(count)
    )
    return ("\n".join([HEADER, *rows]) + "\n").encode()


class Database:
    """The database the workers use, read with plain SQL (on SQLite a file the suite's
    in-memory database was copied to)."""

    def __init__(self, tmp_path: Path):
        self.sqlite_file = None
        if connection.vendor == "sqlite":
            self.sqlite_file = tmp_path / "workers.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.sqlite_file) as copy:
                connection.connection.backup(copy)
            self.url = f"sqlite:///{self.sqlite_file}"
        else:
            db = connection.settings_dict
            password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
            self.url = (
                f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
                f"{db['PORT'] or 5432}/{db['NAME']}"
            )

    def one(self, sql: str, *params):
        if self.sqlite_file is None:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchone()
        with sqlite3.connect(self.sqlite_file, timeout=10) as reader:
            return reader.execute(sql, params).fetchone()

    def purchase_import(self, pk: int) -> tuple:
        return self.one(
            f"SELECT status, rows_done, created_count FROM {PurchaseImport._meta.db_table} "
            "WHERE id = ?",
            pk,
        )

    def lines(self) -> int:
        return self.one(f"SELECT COUNT(*) FROM {PurchaseLine._meta.db_table}")[0]

    def task(self) -> tuple:
        """The status and workers of the one task in the queue."""
        return self.one(f"SELECT status, worker_ids FROM {DBTaskResult._meta.db_table}")


def start_worker(database: Database, log: Path, stall_seconds: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT"}}
    env.update(
        DEBUG="1",
        DATABASE_URL=database.url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        TASK_STALL_SECONDS=str(stall_seconds),
        TASK_STALL_CHECK_SECONDS="0.5",
        # The whole file is a first delivery of this buyer's purchases: counted at once.
        PURCHASE_REVIEW_FLOOR_CNY="1000000000000",
    )
    command = [sys.executable, "manage.py", "task_worker", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen(
        [*command, "--interval", "0.1"],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(condition, seconds: float, what: str, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"Waited {seconds} s for {what}; worker log:\n{log.read_text()}")


# Real transactions: the workers are other processes. (tests/conftest.py runs such tests last;
# the serialized rollback brings back the rows of the data migrations.)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_whose_worker_was_killed_is_run_again_and_saves_each_line_once(
    anchor, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    purchase_import, _ignored = purchase_import_submit(
        actor=anchor.owner, buyer=anchor, content=purchase_file(LINES), filename="big.csv"
    )
    database = Database(tmp_path)
    log = tmp_path / "workers.log"

    first = start_worker(database, log, stall_seconds=600)
    try:
        wait_for(
            lambda: database.purchase_import(purchase_import.pk)[1] >= PURCHASE_PROGRESS_EVERY,
            60,
            "the first worker to report progress",
            log,
        )
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()

    status, rows_done, _created = database.purchase_import(purchase_import.pk)
    assert (status, database.lines()) == ("running", 0)
    assert 0 < rows_done <= LINES  # killed while checking the rows, or while writing them
    assert database.task()[0] == "RUNNING"

    second = start_worker(database, log, stall_seconds=1)
    try:
        finished = wait_for(
            lambda: (row := database.purchase_import(purchase_import.pk))[0] != "running"
            and row[0] != "queued"
            and row,
            90,
            "the restarted worker to finish the import",
            log,
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=20)

    assert finished == ("succeeded", LINES, LINES)
    assert database.lines() == LINES
    task_status, worker_ids = database.task()
    assert task_status == "SUCCESSFUL"
    # Killed once, run again by the second worker (SQLite hands JSON back as text).
    assert len(set(json.loads(worker_ids) if isinstance(worker_ids, str) else worker_ids)) == 2
