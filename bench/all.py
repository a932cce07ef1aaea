"""`make bench-all`: every benchmark at a stated scale, then one table of all their measures.

    python bench/all.py [--only lcr,directory_search] [--stop-on-failure]
    BENCH_SCALE=full python bench/all.py        # issue 17's scale (hours on two cores)
    BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432 python bench/all.py

Scale "small" (the default) finishes in a few minutes on a two-core machine; "full" is the
scale issue 17 measured at (100,000 enterprises, 5,000,000 purchase lines). Each bench runs
in a process of its own, its output in var/bench_<name>.log; its rows go to
var/bench_results.jsonl (BENCH_RESULTS), read back here into one table: measure, ours,
baseline, ratio, goal, pass/fail (bench/benchkit.py). With BENCH_POSTGRES, each bench gets
a PostgreSQL database of its own on that server, bench_<name> (created when missing; the
prefix is BENCH_DB_PREFIX's);
without it, each uses its SQLite file in var/. bench/two_servers.py stays separate
(`make bench-two-servers`): it starts servers rather than measuring a query. A bench that
fails is named at the end (exit status 1); the others' rows are still in the table.
The audit chain refuses to be emptied, so bench/audit_verify.py seeds only into a database
without entries: after changing the scale, drop bench_audit_verify (or delete
var/bench_audit.sqlite3) first.
"""

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from benchkit import RESULTS_ENV, format_table, read_rows

BENCH_DIR = Path(__file__).resolve().parent
VAR_DIR = BENCH_DIR.parent / "var"

SCALES: dict[str, dict[str, list[str]]] = {
    "small": {
        "lcr": ["--firms", "20", "--lines-per-firm-year", "2000", "--runs", "3"]
        + ["--import-lines", "10000"],
        "directory_search": ["--enterprises", "10000", "--runs", "15"],
        "subsidies": ["--enterprises", "400", "--suppliers", "100", "--lines", "20000"]
        + ["--big-buyer-lines", "2000", "--applications", "2000", "--claims", "10000"]
        + ["--recoveries", "200", "--audit-entries", "10000", "--runs", "5", "--read-runs", "10"],
        "alliance_matching": ["--enterprises", "10000", "--runs", "15"],
        "certification_filter": ["--enterprises", "10000", "--certificates", "3000"]
        + ["--runs", "15"],
        "audit_verify": ["--entries", "50000", "--rounds", "3"],
        "xlsx_read": ["--rows", "20000", "--rounds", "3"],
        "bom_rollup": ["--products", "10000", "--runs", "5"],
    },
    "full": {
        "lcr": ["--firms", "100", "--lines-per-firm-year", "10000", "--runs", "5"],
        "directory_search": ["--enterprises", "100000", "--runs", "30"],
        "subsidies": [],
        "alliance_matching": ["--enterprises", "100000", "--runs", "30"],
        "certification_filter": ["--enterprises", "100000", "--certificates", "30000"]
        + ["--runs", "20"],
        "audit_verify": ["--entries", "200000", "--rounds", "5"],
        "xlsx_read": ["--rows", "50000", "--rounds", "5"],
        "bom_rollup": ["--products", "10000", "--runs", "9"],
    },
}


def database_url(server: str, bench: str) -> str:
    """<prefix><name> on the server, created when missing."""
    import psycopg

    name = os.environ.get("BENCH_DB_PREFIX", "bench_") + bench
    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server.rstrip('/')}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated benches (e.g. lcr,xlsx_read)")
    parser.add_argument(
        "--stop-on-failure", action="store_true", help="stop at the first bench that fails"
    )
    args = parser.parse_args()
    scale = os.environ.get("BENCH_SCALE", "small")
    if scale not in SCALES:
        sys.exit(f"BENCH_SCALE must be one of {', '.join(SCALES)}, not {scale!r}")
    benches = SCALES[scale]
    if args.only:
        wanted = args.only.split(",")
        benches = {name: argv for name, argv in benches.items() if name in wanted}
    VAR_DIR.mkdir(exist_ok=True)
    results = VAR_DIR / "bench_results.jsonl"
    results.unlink(missing_ok=True)
    server = os.environ.get("BENCH_POSTGRES")
    failed = []
    for name, argv in benches.items():
        env = {**os.environ, RESULTS_ENV: str(results), "PYTHONUNBUFFERED": "1"}
        if server and name != "xlsx_read":
            env["DATABASE_URL"] = database_url(server, name)
        log = VAR_DIR / f"bench_{name}.log"
        print(f"{name} {' '.join(argv)} ... (output in {log})", flush=True)
        started = time.perf_counter()
        with log.open("w") as out:
            done = subprocess.run(
                [sys.executable, str(BENCH_DIR / f"{name}.py"), *argv],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        print(f"  {time.perf_counter() - started:.0f} s, exit {done.returncode}", flush=True)
        if done.returncode:
            failed.append(name)
            if args.stop_on_failure:
                sys.exit(f"{name} failed: see {log}")
    load = os.getloadavg()
    where = f"PostgreSQL at {server}" if server else "SQLite files in var/"
    print(
        f"\nScale: {scale}; databases: {where}; {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
    )
    print(format_table(read_rows(results)))
    if failed:
        sys.exit(f"Benches that failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
