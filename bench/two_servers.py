"""Two web processes on one PostgreSQL serve the same session, the same private file and
share throttle counts (issue 16).

Starts, on the loopback: an S3-compatible store (moto's server, standing in for the bucket a
deployment names with PRIVATE_STORAGE=s3), then two gunicorn servers of the portal in
production mode (DEBUG off) on two ports, both on one fresh PostgreSQL database. Then, over
HTTP:

  1. session: signs in on server A; server B, given the same cookie, shows the signed-in page;
  2. private file: uploads a PDF to an application on A; B downloads the same bytes (and the
     file is in the bucket, not on either server's disk);
  3. throttle: wrong passwords to the token endpoint, alternately to A and B: the first refusal
     (429) comes after the limit counted over both servers, not per server.

Not a test and not run by CI (it needs PostgreSQL):

    python bench/two_servers.py [--database-url postgres://postgres@127.0.0.1:5432/ssb_portal_two_servers]

The database's name must contain "two_servers": it is dropped and created anew. Exit status 0
when all three hold; TWO_SERVERS_VERBOSE=1 shows the servers' logs. The servers run the portal's
own settings: their cache is the shared one (the database cache, as REDIS_URL is not set).
"""

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.servers import free_port, production_environment, recreate_database  # noqa: E402
from directory.demo.documents import blank_pdf  # noqa: E402  (after the path is set)

BIN = BASE_DIR / ".venv" / "bin"
PASSWORD = "correct horse battery staple"

# Uploads are read with pypdf: a well-formed PDF, its bytes this run's own.
PDF_BYTES = blank_pdf(subject=secrets.token_hex(32))
BUCKET = "ssb-private"
TOKEN_LIMIT = 20  # directory.api.TokenThrottle: 20 a minute
LOCKOUT_AFTER = 10  # LOGIN_FAILURE_LIMIT: failed logins of one account before axes locks it


def wait_for(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise SystemExit(f"{process.args[0]} stopped while starting")
        try:
            requests.get(url, timeout=10)
            return
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} did not answer in {seconds:.0f} s") from None
            time.sleep(0.3)


def seed() -> None:
    """Run inside the servers' environment: an anchor enterprise's owner with a draft
    application; prints the owner's name and the application's id as JSON."""
    import django

    django.setup()
    from django.contrib.auth.models import Group

    from ssb_portal.roles import ANCHOR_GROUP
    from subsidies.services.drafting import application_create
    from tests.factories import (
        EnterpriseFactory,
        MembershipFactory,
        ProgrammeFactory,
        UserFactory,
    )

    enterprise = EnterpriseFactory(kind="anchor")
    owner = UserFactory(username="two-servers-owner")
    owner.groups.add(Group.objects.get(name=ANCHOR_GROUP))
    MembershipFactory(user=owner, enterprise=enterprise, role="owner")
    programme = ProgrammeFactory(kind="local_procurement", required_documents=["invoices"])
    application = application_create(actor=owner, programme=programme, applicant=enterprise)
    print(json.dumps({"username": owner.username, "application": application.pk}))


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, bool, str]] = []

    def check(self, name: str, ok: bool, detail: str) -> None:
        self.rows.append((name, ok, detail))
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and all(ok for _, ok, _ in self.rows)


def sign_in(session, base: str, username: str) -> int:
    session.get(f"{base}/accounts/login/")
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
    )
    return response.status_code


def run_checks(a: str, b: str, seeded: dict, environ: dict) -> Report:
    import boto3
    import requests

    report = Report()
    application = seeded["application"]

    # 1. One session, two servers.
    on_a = requests.Session()
    status = sign_in(on_a, a, seeded["username"])
    on_b = requests.Session()
    on_b.cookies.update(on_a.cookies)
    page = on_b.get(f"{b}/support/applications/{application}/", allow_redirects=False)
    report.check(
        "session",
        status == 302 and page.status_code == 200 and seeded["username"] in page.text,
        f"signed in on A ({status}); B shows the application page ({page.status_code})",
    )

    # 2. Uploaded on A, downloaded from B.
    upload = on_a.post(
        f"{a}/support/applications/{application}/documents/new/",
        data={"kind": "invoices", "csrfmiddlewaretoken": on_a.cookies["csrftoken"]},
        files={"file": ("发票.pdf", PDF_BYTES, "application/pdf")},
        headers={"Referer": f"{a}/support/applications/{application}/"},
        allow_redirects=False,
    )
    page = on_b.get(f"{b}/support/applications/{application}/")
    links = re.findall(rf"/support/applications/{application}/documents/(\d+)/\"", page.text)
    download = (
        on_b.get(f"{b}/support/applications/{application}/documents/{links[0]}/") if links else None
    )
    s3 = boto3.client(
        "s3",
        endpoint_url=environ["PRIVATE_S3_ENDPOINT_URL"],
        aws_access_key_id=environ["PRIVATE_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=environ["PRIVATE_S3_SECRET_ACCESS_KEY"],
        region_name=environ["PRIVATE_S3_REGION"],
    )
    stored = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    on_disk = [p for p in Path(environ["PRIVATE_MEDIA_ROOT"]).rglob("*") if p.is_file()]
    report.check(
        "private file",
        upload.status_code == 302
        and download is not None
        and download.status_code == 200
        and download.content == PDF_BYTES
        and len(stored) == 1
        and not on_disk,
        f"upload on A {upload.status_code}; download from B "
        f"{download.status_code if download is not None else 'no link'}, "
        f"{'same bytes' if download is not None and download.content == PDF_BYTES else 'differs'}; "
        f"in the bucket: {stored}; on local disk: {len(on_disk)} files",
    )

    # 3. Throttle counts shared: wrong passwords alternately to A and B.
    first_refusal = None
    statuses = []
    for attempt in range(1, 2 * TOKEN_LIMIT + 2):
        base = a if attempt % 2 else b
        response = requests.post(
            f"{base}/api/v1/auth/token/",
            data={"username": seeded["username"], "password": f"wrong-{attempt}"},
        )
        statuses.append(response.status_code)
        if response.status_code == 429 and first_refusal is None:
            first_refusal = attempt
    report.check(
        "throttle",
        first_refusal is not None and first_refusal <= TOKEN_LIMIT + 1,
        f"first 429 at attempt {first_refusal} of {len(statuses)} "
        f"(a lockout after {LOCKOUT_AFTER} failures and {TOKEN_LIMIT} requests a minute, both "
        f"counted over the two servers; per-process counting would allow {2 * TOKEN_LIMIT}); "
        f"statuses {sorted(set(statuses))}",
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "TWO_SERVERS_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/ssb_portal_two_servers",
        ),
    )
    arguments = parser.parse_args()
    recreate_database(arguments.database_url, "two_servers")
    processes: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="two_servers_") as scratch:
        s3_port, port_a, port_b = free_port(), free_port(), free_port()
        environ = production_environment(
            DATABASE_URL=arguments.database_url,
            STATIC_ROOT=f"{scratch}/static",
            PRIVATE_MEDIA_ROOT=f"{scratch}/private",
            PRIVATE_STORAGE="s3",
            PRIVATE_S3_BUCKET=BUCKET,
            PRIVATE_S3_ENDPOINT_URL=f"http://127.0.0.1:{s3_port}",
            PRIVATE_S3_REGION="us-east-1",
            PRIVATE_S3_ACCESS_KEY_ID="two-servers",
            PRIVATE_S3_SECRET_ACCESS_KEY="two-servers-secret",
        )
        python = str(BIN / "python")

        def start(*command: str) -> subprocess.Popen:
            process = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=environ,
                start_new_session=True,
                stdout=None if os.environ.get("TWO_SERVERS_VERBOSE") else subprocess.DEVNULL,
                stderr=None if os.environ.get("TWO_SERVERS_VERBOSE") else subprocess.DEVNULL,
            )
            processes.append(process)
            return process

        try:
            s3 = start(str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port))
            wait_for(environ["PRIVATE_S3_ENDPOINT_URL"], s3)
            import boto3

            boto3.client(
                "s3",
                endpoint_url=environ["PRIVATE_S3_ENDPOINT_URL"],
                aws_access_key_id=environ["PRIVATE_S3_ACCESS_KEY_ID"],
                aws_secret_access_key=environ["PRIVATE_S3_SECRET_ACCESS_KEY"],
                region_name=environ["PRIVATE_S3_REGION"],
            ).create_bucket(Bucket=BUCKET)
            for command in (
                ["migrate", "-v", "0"],
                ["createcachetable"],
                ["collectstatic", "--no-input", "-v", "0"],
            ):
                subprocess.run(
                    [python, "manage.py", *command], cwd=BASE_DIR, env=environ, check=True
                )
            seeded = json.loads(
                subprocess.run(
                    # Not `python bench/two_servers.py`: bench/subsidies.py would shadow the app.
                    [python, "-c", "from bench import two_servers; two_servers.seed()"],
                    cwd=BASE_DIR,
                    env=environ,
                    check=True,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            servers = []
            for port in (port_a, port_b):
                servers.append(
                    start(
                        str(BIN / "gunicorn"),
                        "ssb_portal.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "2",
                        "--no-control-socket",
                    )
                )
            a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
            for server, base in zip(servers, (a, b), strict=True):
                wait_for(f"{base}/healthz", server)
            print(f"A: {a}  B: {b}  database: {arguments.database_url}", flush=True)
            report = run_checks(a, b, seeded, environ)
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                process.wait(timeout=30)
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
