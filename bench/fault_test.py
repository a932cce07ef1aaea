"""The database goes away under traffic and comes back: no 500, no lost write, quick recovery
(issue 20). `make fault-test`.

Starts the production server exactly as `make serve` does (bin/serve: gunicorn, whitenoise and
the task worker, DEBUG off) on a PostgreSQL database of its own, then drives a stream of
requests from a few clients for a while: public pages, the API's enterprise list, a signed-in
page, and API writes (a product added with a token, each with a unique name). Midway it takes
the database away: new connections to the test database are refused (ALLOW_CONNECTIONS false)
and every open connection to it is ended with pg_terminate_backend, for OUTAGE seconds; then
connections are allowed again. PostgreSQL itself is not restarted: other databases on this
machine (other people's) never notice. Only the test database's own connections are touched.

Then it counts and prints:
  - answers by status, during and outside the outage; any 500 (or a dropped connection) fails;
  - writes answered 201: every one must be in the database afterwards (no lost write); writes
    answered 503 are counted too (they may or may not have been saved: the client was told to
    retry);
  - recovery: seconds from the database's return to the last failed answer; it must be at most
    --recovery-limit seconds, and the task worker must still be running.
Exit status 0 when all hold, 1 otherwise.

    python bench/fault_test.py [--database-url postgres://postgres@127.0.0.1:5432/ssb_fault_test]

The database's name must contain "fault_test": it is dropped and created anew, and dropped again
at the end. FAULT_TEST_VERBOSE=1 shows the server's log. The same run is a test in the PostgreSQL
suite (tests/ssb_portal/test_fault_test.py).
"""

import argparse
import collections
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import servers  # noqa: E402  (after the path is set)
from bench.servers import (  # noqa: E402
    free_port,
    maintenance_url,
    own_database_name,
    production_environment,
)

BIN = BASE_DIR / ".venv" / "bin"
PASSWORD = "correct horse battery staple"
USERNAME = "fault-test-owner"


@dataclass
class Answer:
    kind: str
    started: float
    finished: float
    status: int  # 0: no HTTP answer at all (connection reset, timeout)
    product_name: str = ""


def database_name(url: str) -> str:
    return own_database_name(url, "fault_test")


def recreate_database(url: str, *, create: bool = True) -> None:
    servers.recreate_database(url, "fault_test", create=create)


def seed() -> None:
    """Run inside the server's environment: an enterprise's owner; prints its USCC as JSON."""
    import django

    django.setup()
    from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory

    enterprise = EnterpriseFactory(kind="sme")
    owner = UserFactory(username=USERNAME)
    MembershipFactory(user=owner, enterprise=enterprise, role="owner")
    print(json.dumps({"uscc": enterprise.uscc}))


class Outage:
    """Takes the test database away (refuse new connections, end the open ones) and back."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = database_name(url)
        self.began = self.ended = 0.0

    def _run(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(maintenance_url(self.url), autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def begin(self) -> None:
        self.began = time.monotonic()
        self._run(
            f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false',
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{self.name}' AND pid <> pg_backend_pid()",
        )

    def end(self) -> None:
        self._run(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')
        self.ended = time.monotonic()


def client_loop(base: str, token: str, uscc: str, stop: threading.Event, answers: list) -> None:
    import requests

    session = requests.Session()
    api = requests.Session()
    api.headers["Authorization"] = f"Token {token}"
    signed_in = False
    step = 0
    while not stop.is_set():
        step += 1
        kind = ("page", "api read", "signed-in page", "write")[step % 4]
        name = ""
        started = time.monotonic()
        try:
            if kind == "page":
                response = session.get(f"{base}/directory/", timeout=15)
            elif kind == "api read":
                response = api.get(f"{base}/api/v1/enterprises/", timeout=15)
            elif kind == "signed-in page":
                if not signed_in:
                    signed_in = sign_in(session, base)
                response = session.get(f"{base}/directory/mine/", timeout=15)
            else:
                name = f"fault-{secrets.token_hex(6)}"
                response = api.post(
                    f"{base}/api/v1/enterprises/{uscc}/products/",
                    json={"name": name, "category": "anode"},
                    timeout=15,
                )
            status = response.status_code
            if kind == "signed-in page" and status == 302:
                signed_in = False  # the session could not be read: sign in again next time
        except requests.RequestException:
            status = 0
        answers.append(Answer(kind, started, time.monotonic(), status, name))
        time.sleep(0.02)


def sign_in(session, base: str) -> bool:
    try:
        session.get(f"{base}/accounts/login/", timeout=15)
        response = session.post(
            f"{base}/accounts/login/",
            data={
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
            },
            headers={"Referer": f"{base}/accounts/login/"},
            allow_redirects=False,
            timeout=15,
        )
    except Exception:  # noqa: BLE001 (a failed sign-in is retried on the next round)
        return False
    return response.status_code == 302


def saved_product_names(url: str, names: list[str]) -> set[str]:
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT name FROM directory_product WHERE name = ANY(%s)", (names,)
        ).fetchall()
    return {row[0] for row in rows}


def report(answers: list[Answer], outage: Outage, url: str, worker_alive: bool, limit: float):
    """Prints the figures; returns True when every condition holds."""
    during = [a for a in answers if a.finished >= outage.began and a.started <= outage.ended]
    outside = [a for a in answers if a not in during]
    by_status = collections.Counter((a.kind, a.status) for a in answers)
    print(f"requests: {len(answers)} ({len(during)} overlapping the outage)")
    for (kind, status), count in sorted(by_status.items()):
        print(f"  {kind:15} {status or 'no answer':>9}: {count}")
    server_errors = [a for a in answers if a.status == 0 or a.status >= 500 and a.status != 503]
    unavailable_outside = [a for a in outside if a.status == 503]
    written = [a.product_name for a in answers if a.kind == "write" and a.status == 201]
    refused = [a.product_name for a in answers if a.kind == "write" and a.status == 503]
    saved = saved_product_names(url, written + refused)
    lost = [name for name in written if name not in saved]
    failed_after = [
        a.finished - outage.ended for a in answers if a.status >= 300 and a.status != 302
    ]
    failed_after = [seconds for seconds in failed_after if seconds > 0]
    recovery = max(failed_after, default=0.0)
    succeeded_after = [a for a in answers if a.started > outage.ended + recovery]
    print(f"outage: {outage.ended - outage.began:.1f} s")
    print(f"503 answers during the outage: {sum(a.status == 503 for a in during)}")
    print(f"503 answers outside it: {len(unavailable_outside)}")
    print(f"500s or dropped connections: {len(server_errors)}")
    print(
        f"writes answered 201: {len(written)}, in the database: {len(written) - len(lost)}; "
        f"lost: {len(lost)}"
    )
    print(
        f"writes answered 503: {len(refused)} (of which saved anyway: "
        f"{sum(name in saved for name in refused)})"
    )
    print(
        f"recovery: last failed answer {recovery:.2f} s after the database came back "
        f"(limit {limit:.0f} s); {len(succeeded_after)} answers after it, all successful"
    )
    print(f"task worker still running: {'yes' if worker_alive else 'NO'}")
    checks = {
        "no 500 and no dropped connection": not server_errors,
        "no lost write": not lost,
        f"recovered within {limit:.0f} s": recovery <= limit,
        "some writes succeeded after the outage": any(
            a.kind == "write" and a.status == 201 and a.started > outage.ended for a in answers
        ),
        "the outage was seen (503s)": any(a.status == 503 for a in during),
        "task worker survived": worker_alive,
    }
    for name, ok in checks.items():
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
    return all(checks.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "FAULT_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ssb_fault_test"
        ),
    )
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--before", type=float, default=4, help="seconds of traffic first")
    parser.add_argument("--outage", type=float, default=3, help="seconds without the database")
    parser.add_argument("--after", type=float, default=6, help="seconds of traffic after")
    parser.add_argument("--recovery-limit", type=float, default=5)
    arguments = parser.parse_args()
    url = arguments.database_url
    recreate_database(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    verbose = bool(os.environ.get("FAULT_TEST_VERBOSE"))
    with tempfile.TemporaryDirectory(prefix="fault_test_") as scratch:
        environ = production_environment(
            DATABASE_URL=url,
            STATIC_ROOT=f"{scratch}/static",
            PRIVATE_MEDIA_ROOT=f"{scratch}/private",
            BIND=f"127.0.0.1:{port}",
            WEB_WORKERS="3",
            REQUEST_LOG_LEVEL="WARNING",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        started = time.monotonic()
        # Kept for the run that fails: a rare 500 is explained only by the server's log.
        server_log = open(f"{scratch}/serve.log", "w+b")  # noqa: SIM115 (read back below)
        server = subprocess.Popen(
            ["bin/serve"],
            cwd=BASE_DIR,
            env=environ,
            start_new_session=True,
            stdout=None if verbose else server_log,
            stderr=None if verbose else subprocess.STDOUT,
        )
        ok = False
        try:
            ok = exercise(server, base, url, environ, arguments)
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
            recreate_database(url, create=False)
            if not ok and not verbose:
                print_server_errors(server_log)
            server_log.close()
        print(f"fault test: {'passed' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s")
    sys.exit(0 if ok else 1)


def print_server_errors(server_log) -> None:
    """The server's error records and tracebacks (not its 503 warnings)."""
    server_log.seek(0)
    lines = server_log.read().decode("utf-8", "replace").splitlines()
    shown = [
        line
        for line in lines
        if '"level": "ERROR"' in line or "Traceback" in line or "Error:" in line
    ]
    print(f"server log: {len(lines)} lines, errors:")
    for line in shown[:40]:
        print(f"  {line[:2000]}")


def exercise(server: subprocess.Popen, base: str, url: str, environ: dict, arguments) -> bool:
    import requests

    deadline = time.monotonic() + 180
    while True:
        if server.poll() is not None:
            raise SystemExit("bin/serve stopped while starting")
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("bin/serve did not answer in 180 s")
        time.sleep(0.3)
    seeded = json.loads(
        subprocess.run(
            # Not `python bench/fault_test.py`: bench/subsidies.py would shadow the app.
            [str(BIN / "python"), "-c", "from bench import fault_test; fault_test.seed()"],
            cwd=BASE_DIR,
            env=environ,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    token = requests.post(
        f"{base}/api/v1/auth/token/", data={"username": USERNAME, "password": PASSWORD}, timeout=15
    ).json()["token"]
    answers: list[Answer] = []
    stop = threading.Event()
    clients = [
        threading.Thread(
            target=client_loop, args=(base, token, seeded["uscc"], stop, answers), daemon=True
        )
        for _ in range(arguments.clients)
    ]
    for client in clients:
        client.start()
    outage = Outage(url)
    try:
        time.sleep(arguments.before)
        outage.begin()
        time.sleep(arguments.outage)
    finally:
        outage.end()
    time.sleep(arguments.after)
    stop.set()
    for client in clients:
        client.join(timeout=30)
    worker_alive = server.poll() is None and worker_running(server.pid)
    return report(answers, outage, url, worker_alive, arguments.recovery_limit)


def worker_running(serve_pid: int) -> bool:
    listing = subprocess.run(
        ["ps", "-o", "args=", "--ppid", str(serve_pid)], capture_output=True, text=True
    ).stdout
    return "task_worker" in listing


if __name__ == "__main__":
    main()
