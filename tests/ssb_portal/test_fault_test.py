"""`make fault-test` (bench/fault_test.py) on PostgreSQL: the production server under a stream
of reads and writes while the database goes away for seconds and comes back: no 500, no lost
write, recovery within seconds, the task worker still running (issue 20). It needs a PostgreSQL
server to take a database of its own away, so it runs in the PostgreSQL suite only."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the fault test takes a PostgreSQL database away; this suite runs on SQLite",
)
def test_the_server_survives_the_database_going_away_under_traffic():
    database = settings.DATABASES["default"]
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    url = (
        f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}"
        f"/ssb_fault_test_{os.getpid()}"
    )
    run = subprocess.run(
        [sys.executable, "bench/fault_test.py", "--database-url", url],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "500s or dropped connections: 0" in run.stdout
    assert "lost: 0" in run.stdout
