"""`make serve` (bin/serve) serves the portal in production mode: gunicorn answers /healthz and
pages with their security headers, whitenoise serves the collected static files, the task
worker and the reminders run beside it, and when one stops the others are stopped too."""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PORTAL_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "AUDIT_CHAIN_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "PRIVATE_STORAGE",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (local server)
        return response.status, dict(response.headers), response.read()


def children(pid: int) -> dict[int, str]:
    listing = subprocess.run(
        ["ps", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout
    return {int(line.split()[0]): line for line in listing.strip().splitlines()}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A stopped child not yet reaped by its parent counts as gone.
    return "Z" not in Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {name: value for name, value in os.environ.items() if name not in PORTAL_VARIABLES}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        AUDIT_CHAIN_KEY=secrets.token_hex(32),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        SECURE_SSL_REDIRECT="0",  # plain HTTP on the loopback; a proxy does TLS in production
        BIND=f"127.0.0.1:{port}",
        WEB_WORKERS="1",
    )
    process = subprocess.Popen(
        ["bin/serve"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, process.stdout.read().decode()
            try:
                fetch(base + "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "bin/serve did not answer in 3 minutes"
                time.sleep(0.5)
        yield process, base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def test_make_serve_runs_gunicorn_with_static_files_and_the_worker_stopped_together(server):
    process, base = server

    status, _, body = fetch(base + "/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok"})

    status, headers, page = fetch(base + "/")
    assert status == 200
    assert headers["Server"].startswith("gunicorn")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])

    stylesheet = re.search(rb'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links the collected, hashed stylesheet"
    status, headers, _ = fetch(base + stylesheet.group(1).decode())
    assert status == 200
    assert "immutable" in headers["Cache-Control"]

    # All three run under the script; when the worker dies, the web server and the reminders
    # are stopped with it (one server start for both checks: it takes half a minute on a small
    # machine).
    commands = children(process.pid)
    [worker] = [pid for pid, command in commands.items() if "manage.py task_worker" in command]
    [web] = [pid for pid, command in commands.items() if "gunicorn ssb_portal.wsgi" in command]
    [reminders] = [
        pid for pid, command in commands.items() if "send_reminders --every 3600" in command
    ]

    os.kill(worker, signal.SIGKILL)

    process.wait(timeout=60)
    assert process.returncode != 0
    assert not alive(web)
    assert not alive(reminders)
