"""The load test (issue 20, "Load held"): `make serve` under a realistic mix of visitors.

    python bench/load/run.py [--users 50] [--duration 60] [--spawn-rate 10]
                             [--database-url postgres://postgres@127.0.0.1:5432/ssb_load]
                             [--redis-url redis://127.0.0.1:6379/3] [--reseed]
                             [--sample-every 5]

1. Seeds the demo city scaled to 10,000 enterprises into the load database (once: a database
   that holds the city already is kept; --reseed seeds it again; bench/load/city.py) and
   writes the manifest the visitors read (var/load/manifest.json).
2. Starts the production server, bin/serve (gunicorn and the task worker, DEBUG off, keys
   made for this run, plain HTTP on a free loopback port), and waits for /healthz.
3. Runs Locust headless (bench/load/locustfile.py) for --users visitors during --duration
   seconds, while sampling the resident memory (RSS) of each server process.
4. Prints requests/s, p50/p95/p99 and errors per endpoint and overall, the machine's load
   average, and each process's memory at the start, its peak and at the end (every sample in
   var/load/memory.csv), so that a soak shows growth or none, and the server's CPU time per
   request, which says what the machine would hold were it not shared. Exit status 1 when any
   request failed.

Not a test and not run by CI. The database's name must contain "load": seeding empties the
directory first. SQLite works too (a file under var/), but the figures that count are on
PostgreSQL, as in production.
"""

import argparse
import csv
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import astuple, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

LOAD_DIR = Path(__file__).resolve().parent
BENCH_DIR = LOAD_DIR.parent
BASE_DIR = BENCH_DIR.parent
OUT_DIR = BASE_DIR / "var" / "load"
BIN = BASE_DIR / ".venv" / "bin"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ssb_load"
# Production would have Redis as its shared cache; a database of its own on the local server.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
# The goal at 50 users on the 2-core machine, printed beside the figures.
GOAL_REQUESTS_PER_SECOND = 200
GOAL_P95_MS = 300

sys.path.insert(0, str(BENCH_DIR))
from benchkit import django_setup  # noqa: E402  (after the path is set)
from servers import free_port, production_environment  # noqa: E402


def check_name(url: str) -> str:
    name = Path(urlparse(url).path).name
    if "load" not in name:
        raise SystemExit(
            f"Refusing to seed {name!r}: the load database's name must contain 'load'."
        )
    return name


def create_database(url: str, anew: bool) -> None:
    """The load database, created when missing; dropped first when `anew`."""
    name = check_name(url)
    if not url.startswith("postgres"):
        if anew:
            Path(urlparse(url).path).unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if anew:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        if not connection.execute(query, [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", no_input=True, verbosity=0)
    call_command("createcachetable", verbosity=0)


def prepare(database_url: str, reseed: bool) -> Path:
    """The seeded city and its manifest; the manifest's path. A database that does not hold
    the whole city (a run stopped while seeding, or --reseed) is made anew: the seeders of
    the other apps fill only empty tables."""
    create_database(database_url, anew=reseed)
    os.environ["DATABASE_URL"] = database_url
    django_setup("load.sqlite3")
    import city  # bench/load/city.py, beside this file
    from django.db import connections

    migrate()
    if city.is_seeded(city.ENTERPRISES):
        print(f"The load database holds the city already ({city.ENTERPRISES:,} enterprises)")
    else:
        connections.close_all()
        create_database(database_url, anew=True)
        migrate()
        started = time.monotonic()
        city.seed_city(city.ENTERPRISES)
        print(f"Seeded in {time.monotonic() - started:.0f} s", flush=True)
    manifest = OUT_DIR / "manifest.json"
    city.write_manifest(manifest)
    connections.close_all()  # the server is about to use the database: hold nothing open
    return manifest


# --- the server and its memory -------------------------------------------------------------------


def server_environment(port: int, redis_url: str) -> dict[str, str]:
    """Production mode for one run: DEBUG off, a secret key made now, plain HTTP on the
    loopback, the database and the audit key of the seeding (benchkit's), and the shared
    cache production would have (Redis; an empty URL leaves the database cache)."""
    return production_environment(
        DATABASE_URL=os.environ["DATABASE_URL"],
        REDIS_URL=redis_url,
        AUDIT_CHAIN_KEY=os.environ["AUDIT_CHAIN_KEY"],
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BIND=f"127.0.0.1:{port}",
        SERVE_MIGRATE="0",  # migrated above
        SERVE_REMINDERS="0",  # hourly reminders are not part of the traffic
        REQUEST_LOG_LEVEL="WARNING",
    )


def wait_for_health(url: str, server: subprocess.Popen, seconds: float = 600) -> None:
    # Long enough for collectstatic's compression on a machine busy with other work.
    import requests

    deadline = time.monotonic() + seconds
    while True:
        if server.poll() is not None:
            raise SystemExit(f"bin/serve stopped while starting (see {OUT_DIR / 'serve.log'})")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer in {seconds:.0f} s")
        time.sleep(0.5)


def process_tree(root: int) -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of `root` and its descendants: psutil when installed,
    else /proc."""
    try:
        import psutil
    except ImportError:
        return proc_tree(root)
    try:
        top = psutil.Process(root)
        processes = [top, *top.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []
    tree = []
    for process in processes:
        try:
            tree.append((process.pid, process.ppid(), " ".join(process.cmdline())))
        except psutil.NoSuchProcess:
            continue
    return tree


def proc_tree(root: int) -> list[tuple[int, int, str]]:
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            stat = Path(f"/proc/{pid}/stat").read_text()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.append((pid, parent, cmdline.strip()))
        pending.extend(int(child) for child in children)
    return tree


def usage(pid: int) -> tuple[int, float] | None:
    """(resident memory in bytes, CPU seconds used so far) of a process; None once it ended."""
    try:
        import psutil
    except ImportError:
        return proc_usage(pid)
    try:
        process = psutil.Process(pid)
        cpu = process.cpu_times()
        return process.memory_info().rss, cpu.user + cpu.system
    except psutil.NoSuchProcess:
        return None


def proc_usage(pid: int) -> tuple[int, float] | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    rss = next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:")), 0)
    # utime and stime, the 14th and 15th fields of stat (12th and 13th after the name).
    return rss, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def label(pid: int, parent: int, cmdline: str, root: int, masters: set[int]) -> str:
    if pid == root:
        return "bin/serve"
    if "task_worker" in cmdline:
        return "task worker"
    if "gunicorn" in cmdline:
        if parent in masters:
            return "gunicorn worker"
        masters.add(pid)
        return "gunicorn master"
    return cmdline.split(" ")[0]


@dataclass
class Sample:
    seconds: float
    pid: int
    process: str
    rss: int  # bytes
    cpu: float  # CPU seconds used since the process started


@dataclass
class UsageSampler:
    """Samples the memory and CPU time of every process under bin/serve every `every`
    seconds, in a thread."""

    root: int
    every: float
    samples: list[Sample] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def sample(self, started: float) -> None:
        masters: set[int] = set()
        # Parents come before their children in both listings, so masters are known first.
        for pid, parent, cmdline in process_tree(self.root):
            used = usage(pid)
            if used is not None:
                what = label(pid, parent, cmdline, self.root, masters)
                self.samples.append(Sample(time.monotonic() - started, pid, what, *used))

    def run(self) -> None:
        started = time.monotonic()
        while not self.stop.is_set():
            self.sample(started)
            self.stop.wait(self.every)
        self.sample(started)

    def report(self, requests: int) -> None:
        """Each process's memory, and the server's CPU time per request: the figure that
        says what the machine could hold when it is not shared."""
        by_pid: dict[int, list[Sample]] = {}
        for sample in self.samples:
            by_pid.setdefault(sample.pid, []).append(sample)
        with (OUT_DIR / "memory.csv").open("w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["seconds", "pid", "process", "rss_bytes", "cpu_seconds"])
            writer.writerows(astuple(sample) for sample in self.samples)
        print(f"\nMemory (RSS, MB) of each server process, sampled every {self.every:g} s")
        print("(growth: from a quarter into the run, once the workers have warmed up, to the end)")
        columns = ("pid", "samples", "first", "at ¼", "peak", "last", "growth", "CPU s")
        print(f"{'process':<16} {columns[0]:>7} {columns[1]:>7}", *(f"{c:>7}" for c in columns[2:]))
        cpu_total = 0.0
        for pid, rows in sorted(by_pid.items(), key=lambda item: (item[1][0].process, item[0])):
            first, warm, last = rows[0], rows[len(rows) // 4], rows[-1]
            peak = max(row.rss for row in rows)
            cpu_total += last.cpu - first.cpu
            print(
                f"{first.process:<16} {pid:>7} {len(rows):>7}",
                *(f"{rss / 2**20:>7.1f}" for rss in (first.rss, warm.rss, peak, last.rss)),
                f"{(last.rss - warm.rss) / 2**20:>+7.1f}",
                f"{last.cpu - first.cpu:>7.1f}",
            )
        if requests:
            per_request = cpu_total / requests * 1000
            print(
                f"Server CPU: {cpu_total:.1f} s for {requests:,} requests, {per_request:.1f} ms "
                f"a request (so {os.cpu_count()} idle CPUs would hold about "
                f"{os.cpu_count() * 1000 / per_request:.0f} requests/s of this mix)"
            )


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM to bin/serve, which stops gunicorn and the worker; the group if it lingers."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# --- Locust and its figures ----------------------------------------------------------------------


def run_locust(
    host: str, manifest: Path, users: int, duration: int, spawn_rate: float, classes: list[str]
) -> Path:
    """Locust headless; its own output goes to var/load/locust.log, its CSV summary beside."""
    prefix = OUT_DIR / "locust"
    command = [
        str(BIN / "locust"),
        "--locustfile",
        str(LOAD_DIR / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{duration}s",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        *classes,
    ]
    # Locust's own exit status is 1 on any failure; the figures below say which.
    with (OUT_DIR / "locust.log").open("w") as log:
        subprocess.run(
            command,
            cwd=BASE_DIR,
            env={**os.environ, "LOAD_MANIFEST": str(manifest)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return prefix


@dataclass
class Figures:
    requests: int
    failures: int
    per_second: float
    p50: float
    p95: float
    p99: float


def milliseconds(value: str) -> float:
    """A percentile of Locust's CSV; "N/A" when nothing was asked."""
    return float("nan") if value == "N/A" else float(value)


def read_figures(prefix: Path) -> tuple[Figures, list[dict]]:
    """The overall figures and the per-endpoint rows of Locust's CSV summary."""
    with Path(f"{prefix}_stats.csv").open() as stats:
        rows = list(csv.DictReader(stats))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    figures = Figures(
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        per_second=float(total["Requests/s"]),
        p50=milliseconds(total["50%"]),
        p95=milliseconds(total["95%"]),
        p99=milliseconds(total["99%"]),
    )
    return figures, [row for row in rows if row["Name"] != "Aggregated"]


def print_figures(figures: Figures, endpoints: list[dict], prefix: Path) -> None:
    heads = ("requests", "errors", "req/s", "p50", "p95", "p99")
    print(f"\n{'endpoint':<52} {heads[0]:>8} {heads[1]:>6}", *(f"{h:>6}" for h in heads[2:]))
    for row in endpoints:
        print(
            f"{row['Type'] + ' ' + row['Name']:<52.52} {row['Request Count']:>8} "
            f"{row['Failure Count']:>6} {float(row['Requests/s']):>7.1f} {row['50%']:>6} "
            f"{row['95%']:>6} {row['99%']:>6}"
        )
    print(
        f"\nOverall: {figures.per_second:.1f} requests/s, p50 {figures.p50:.0f} ms, "
        f"p95 {figures.p95:.0f} ms, p99 {figures.p99:.0f} ms, {figures.requests:,} requests, "
        f"{figures.failures:,} errors"
    )
    failures = Path(f"{prefix}_failures.csv")
    if figures.failures and failures.exists():
        print("\nErrors:")
        print(failures.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=int(os.environ.get("USERS", 50)))
    parser.add_argument(
        "--duration",
        type=int,
        default=int(os.environ.get("DURATION", 60)),
        help="Seconds of traffic once all users have started arriving.",
    )
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="New users a second.")
    parser.add_argument(
        "--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument(
        "--only",
        nargs="*",
        default=[],
        metavar="CLASS",
        help="Only these visitors (PublicVisitor, SignedInMember); all by default.",
    )
    parser.add_argument(
        "--think-time",
        default=os.environ.get("LOAD_THINK_TIME", "0,0.5"),
        metavar="MIN,MAX",
        help="Seconds a visitor waits between requests (default 0,0.5; bench/load/locustfile.py).",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("LOAD_REDIS_URL", DEFAULT_REDIS_URL),
        help="The server's shared cache (page cache, limits); '' for the database cache.",
    )
    parser.add_argument("--reseed", action="store_true", help="Seed the city again.")
    parser.add_argument("--sample-every", type=float, default=5.0, help="Seconds between samples.")
    args = parser.parse_args()

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    os.environ["LOAD_THINK_TIME"] = args.think_time  # read by the locustfile
    manifest = prepare(args.database_url, args.reseed)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    with (OUT_DIR / "serve.log").open("w") as log:
        server = subprocess.Popen(
            [str(BASE_DIR / "bin" / "serve")],
            cwd=BASE_DIR,
            env=server_environment(port, args.redis_url),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_health(f"{host}/healthz", server)
        sampler = UsageSampler(root=server.pid, every=args.sample_every)
        thread = threading.Thread(target=sampler.run, daemon=True)
        thread.start()
        load_before = os.getloadavg()
        print(
            f"\n{args.users} users (waiting {args.think_time} s) for {args.duration} s on {host} "
            f"(load average before: {' '.join(f'{x:.2f}' for x in load_before)}; "
            f"{os.cpu_count()} CPUs; shared cache: {args.redis_url or 'the database'}; "
            f"page cache {'off' if os.environ.get('PAGE_CACHE') == '0' else 'on'})",
            flush=True,
        )
        prefix = run_locust(host, manifest, args.users, args.duration, args.spawn_rate, args.only)
        load_after = os.getloadavg()
        sampler.stop.set()
        thread.join()
    finally:
        stop_server(server)
    figures, endpoints = read_figures(prefix)
    print_figures(figures, endpoints, prefix)
    after = " ".join(f"{x:.2f}" for x in load_after)
    print(f"Load average after: {after} (the whole machine's, not only this run's)")
    met = figures.per_second >= GOAL_REQUESTS_PER_SECOND and figures.p95 <= GOAL_P95_MS
    print(
        f"Goal at 50 users: ≥ {GOAL_REQUESTS_PER_SECOND} requests/s at p95 ≤ {GOAL_P95_MS} ms "
        f"and no error: {'met' if met and not figures.failures else 'not met'} this run"
    )
    sampler.report(figures.requests)
    return 1 if figures.failures else 0


if __name__ == "__main__":
    sys.exit(main())
