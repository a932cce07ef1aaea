"""Benchmark of the directory search (issue 2, section 4): typical searches through the API.

Seeds a city of 100,000 enterprises and about 300,000 products with `manage.py seed_demo`
into a database of its own, then asks GET /api/v1/enterprises/?... for a fixed set of
searches, each --runs times after a warm-up, and prints p50 and p95 latency of each beside
the same search as ONE raw SQL query (the first page and the COUNT, taken from the
FilterSet's queryset: the floor the ORM and the API could reach), the ratio of the two, and
the number of SQL queries per request at page_size 20 and 100 (they must be equal).

Not a test and not run by CI:

    python bench/directory_search.py [--enterprises 100000] [--runs 30] [--reseed] [--explain]

The database is var/bench.sqlite3 unless DATABASE_URL names another one; its name must
contain "bench", because seeding empties the directory's tables.
"""

import argparse
import os
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
LIST_URL = "/api/v1/enterprises/"

GOAL_P95_MS = 100.0
GOAL_RATIO_TO_RAW = 3.0
WARM_UP_RUNS = 3
PRODUCTS_PER_ENTERPRISE = 3.0

# (label, query parameters): what anchor firms and the public typically ask.
SEARCHES: list[tuple[str, dict[str, str]]] = [
    ("no filter", {}),
    ("solid electrolytes (parent)", {"category": "solid-electrolyte"}),
    (
        "sulfide, σ ≥ 1e-2 S/cm",
        {"category": "sulfide-electrolyte", "ionic_conductivity_min": "0.01"},
    ),
    ("recommended, local", {"recommended": "true", "is_local": "true"}),
    ("oxide, ASR ≤ 10 Ω·cm²", {"asr_max": "10", "category": "oxide-electrolyte"}),
    ("capacity ≥ 300, decay ≤ 0.05", {"specific_capacity_min": "300", "decay_rate_max": "0.05"}),
    ("valid IATF 16949", {"certification": "IATF 16949"}),
    ("text: 固态", {"q": "固态"}),
    ("text: electrolyte", {"q": "electrolyte"}),
    ("district: hi-tech zone", {"district": "hitech"}),
    (
        "combined",
        {
            "category": "solid-electrolyte",
            "is_local": "true",
            "certification": "ISO 9001",
            "ionic_conductivity_min": "0.005",
        },
    ),
]


def configure_django() -> None:
    """Settings for the run: the bench's own database, debug off (it would keep every query
    in memory), a key that is obviously not a production secret, persistent connections."""
    sys.path.insert(0, str(BASE_DIR))
    VAR_DIR.mkdir(exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{VAR_DIR / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssb_portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("CONN_MAX_AGE", "600")
    os.environ["DEBUG"] = "0"
    # The audit chain needs a key without debug: a fixed one, so a seeded chain verifies.
    os.environ.setdefault("AUDIT_CHAIN_KEY", "bench-only-audit-chain-key-not-a-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()

    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name:
        sys.exit(f"Refusing to seed {name!r}: the benchmark's database name must contain 'bench'.")


def ensure_seeded(enterprises: int, reseed: bool) -> None:
    from django.core.management import call_command

    from directory.models import Enterprise

    if not reseed and Enterprise.objects.count() == enterprises:
        print("Seeding skipped: the database holds that many enterprises (--reseed to seed again)")
        return
    print(f"Seeding {enterprises:,} enterprises ...", flush=True)
    call_command(
        "seed_demo",
        enterprises=enterprises,
        products_per_enterprise=PRODUCTS_PER_ENTERPRISE,
        purchase_lines=0,
        replace=True,
        outside_development=True,
    )


# --- one search --------------------------------------------------------------------------------


@dataclass
class Result:
    label: str
    matches: int
    queries_20: int
    queries_100: int
    api_ms: list[float]
    raw_ms: list[float]

    @property
    def api_p95(self) -> float:
        return percentile(self.api_ms, 95)

    @property
    def raw_p95(self) -> float:
        return percentile(self.raw_ms, 95)

    @property
    def ratio(self) -> float:
        return self.api_p95 / self.raw_p95

    @property
    def meets_goal(self) -> bool:
        return (
            self.api_p95 <= GOAL_P95_MS
            and self.ratio <= GOAL_RATIO_TO_RAW
            and self.queries_20 == self.queries_100
        )


def percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def timed_ms(function: Callable[[], object], runs: int) -> list[float]:
    for _ in range(WARM_UP_RUNS):
        function()
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def api_get(client, params: dict[str, str]) -> dict:
    response = client.get(f"{LIST_URL}?{urlencode(params)}", HTTP_ACCEPT="application/json")
    if response.status_code != 200:
        sys.exit(f"GET {LIST_URL}?{urlencode(params)} answered {response.status_code}")
    return response.json()


def queries_per_request(client, params: dict[str, str], page_size: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        api_get(client, {**params, "page_size": str(page_size)})
    return len(captured)


def raw_query(params: dict[str, str], page_size: int = 20) -> tuple[str, list]:
    """The first page and the total, as ONE statement: the FilterSet's own SQL for the page
    (with the district, as the API joins it) and for the count, run by the database in one
    round trip. What the API adds on top (prefetching products, categories and certificates,
    serialising, DRF) is the difference to the API's time."""
    from directory.filters import EnterpriseFilter
    from directory.selectors import enterprises_public

    search = EnterpriseFilter(params, queryset=enterprises_public())
    if not search.is_valid():
        sys.exit(f"Invalid search {params}: {search.errors}")
    matches = search.qs
    page_sql, page_params = matches.select_related("district")[:page_size].query.sql_with_params()
    count_sql, count_params = matches.order_by().values("pk").query.sql_with_params()
    sql = (
        f"SELECT page.*, (SELECT COUNT(*) FROM ({count_sql}) matches) AS total "
        f"FROM ({page_sql}) page"
    )
    return sql, [*count_params, *page_params]


def run_raw(sql: str, params: list) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return rows[0][-1] if rows else 0


def measure(client, label: str, params: dict[str, str], runs: int) -> Result:
    sql, sql_params = raw_query(params)
    matches = api_get(client, params)["count"]
    raw_total = run_raw(sql, sql_params)
    if raw_total != matches:
        sys.exit(f"{label}: the raw query counts {raw_total}, the API {matches}")
    return Result(
        label=label,
        matches=matches,
        queries_20=queries_per_request(client, params, 20),
        queries_100=queries_per_request(client, params, 100),
        api_ms=timed_ms(lambda: api_get(client, params), runs),
        raw_ms=timed_ms(lambda: run_raw(sql, sql_params), runs),
    )


def explain(label: str, params: dict[str, str]) -> None:
    """The plan of the raw statement: EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on
    SQLite."""
    from django.db import connection

    sql, sql_params = raw_query(params)
    prefix = "EXPLAIN ANALYZE" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {sql}", sql_params)
        rows = cursor.fetchall()
    print(f"\n-- {label}: {urlencode(params)}")
    for row in rows:
        print("   ", row[-1] if connection.vendor == "sqlite" else row[0])


# --- report ------------------------------------------------------------------------------------

COLUMNS = [
    ("search", "<", 30),
    ("matches", ">", 8),
    ("SQL@20", ">", 6),
    ("SQL@100", ">", 7),
    ("API p50", ">", 8),
    ("API p95", ">", 8),
    ("raw p50", ">", 8),
    ("raw p95", ">", 8),
    ("p95/raw", ">", 7),
    ("goal", "<", 6),
]


def row(values: list[str]) -> str:
    return "  ".join(
        pad(value, align, width) for value, (_, align, width) in zip(values, COLUMNS, strict=True)
    ).rstrip()


def pad(text: str, align: str, width: int) -> str:
    """Pad to a width in terminal columns: Chinese characters take two."""
    columns = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    fill = " " * max(0, width - columns)
    return text + fill if align == "<" else fill + text


def print_table(results: list[Result]) -> None:
    print()
    print(row([name for name, _, _ in COLUMNS]))
    print(row(["-" * width for _, _, width in COLUMNS]))
    for r in results:
        print(
            row(
                [
                    r.label,
                    f"{r.matches:,}",
                    str(r.queries_20),
                    str(r.queries_100),
                    f"{statistics.median(r.api_ms):.1f}",
                    f"{r.api_p95:.1f}",
                    f"{statistics.median(r.raw_ms):.1f}",
                    f"{r.raw_p95:.1f}",
                    f"{r.ratio:.1f}×",
                    "met" if r.meets_goal else "MISSED",
                ]
            )
        )
    print(
        f"\nTimes in ms. Goal: API p95 ≤ {GOAL_P95_MS:.0f} ms and ≤ {GOAL_RATIO_TO_RAW:.0f}× "
        "the raw query's p95, with as many SQL queries at page_size 100 as at 20."
    )
    missed = [r.label for r in results if not r.meets_goal]
    print("All searches meet the goal." if not missed else f"Missed: {', '.join(missed)}.")


def describe_database() -> str:
    from django.db import connection

    from directory.models import Enterprise, Product

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()"
        )
        version = cursor.fetchone()[0].split(" on ")[0]
    return (
        f"Database: {connection.vendor} ({version}) {connection.settings_dict['NAME']}\n"
        f"Volume: {Enterprise.objects.count():,} enterprises, {Product.objects.count():,} products"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each search")
    parser.add_argument("--reseed", action="store_true", help="seed even if the volume is there")
    parser.add_argument(
        "--explain", action="store_true", help="print the plan of each raw query too"
    )
    parser.add_argument(
        "--only", metavar="TEXT", help="run only the searches whose label contains TEXT"
    )
    args = parser.parse_args()
    searches = [(label, p) for label, p in SEARCHES if (args.only or "") in label]

    configure_django()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    ensure_seeded(args.enterprises, args.reseed)
    print(describe_database())
    print(f"Runs: {args.runs} per search after {WARM_UP_RUNS} warm-up runs, anonymous GET")

    client = Client()
    results = []
    for label, params in searches:
        print(f"  {label} ...", file=sys.stderr, flush=True)
        results.append(measure(client, label, params, args.runs))
    print_table(results)
    if args.explain:
        for label, params in searches:
            explain(label, params)


if __name__ == "__main__":
    main()
