"""`make run` starts the reminders (send_reminders --every) beside the task worker and stops
both with the web server. Run with a stand-in Python that records what it is asked to run, so
that the Makefile's own recipe is what is tested, without a server or a demo database."""

import os
import subprocess
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

STAND_IN = """#!/usr/bin/env bash
echo "start $*" >> "{log}"
case "$*" in
  *--batch*)
    ;;
  *task_worker*|*send_reminders*)
    sleep 60 & child=$!
    trap 'kill $child; echo "stop $2" >> "{log}"; exit 0' TERM
    wait
    ;;
  *runserver*)
    sleep 1
    ;;
esac
"""


def test_make_run_starts_the_reminders_with_the_worker_and_stops_them_with_the_server(tmp_path):
    log = tmp_path / "calls.log"
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    for name in ("python", "pip"):
        program = venv / "bin" / name
        program.write_text(STAND_IN.format(log=log))
        program.chmod(0o755)
    env = {**os.environ, "REMINDER_INTERVAL": "900"}

    finished = subprocess.run(
        ["make", "--no-print-directory", "run", f"VENV={venv}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert finished.returncode == 0, finished.stderr
    deadline = time.monotonic() + 10
    while "stop send_reminders" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    calls = log.read_text().splitlines()
    assert "start manage.py send_reminders --every 900" in calls
    assert "start manage.py task_worker" in calls
    assert any(call.startswith("start manage.py runserver") for call in calls)
    assert "stop send_reminders" in calls
