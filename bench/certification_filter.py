"""Benchmark of the directory's "valid certification" filter on SQLite and PostgreSQL (issue 17).

Seeds ENTERPRISES verified enterprises and CERTIFICATES certificates (seven schemes, about a
third expired) into a database of its own (default var/bench_certification.sqlite3, or
DATABASE_URL; the name must contain "bench"), then times the directory FilterSet's query for
"valid IATF 16949" (the count and the first page of 20, as the API runs them) and prints the
plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL). A hand-written pair of
statements (a count and a page, the holders read once by a semi-join) is timed in the same
interleaved rounds as the baseline; the p95 of both goes to the table of `make bench-all`
(bench/benchkit.py). Not a test, not in CI:

    python bench/certification_filter.py [--enterprises 100000] [--certificates 30000] [--runs 20]
"""

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

from benchkit import Row, django_setup, interleaved, percentile, record

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


GOAL_P95_MS = 100.0


def configure_django() -> None:
    """benchkit.django_setup, the bench database's name checked and its tables migrated."""
    django_setup("bench_certification.sqlite3")
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name:
        sys.exit(f"Refusing to seed {name!r}: the benchmark's database name must contain 'bench'.")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(enterprises: int, certificates: int) -> None:
    from django.utils import timezone

    from directory.models import Certification, District, Enterprise
    from directory.models.listings import CertificationScheme, ListingStatus
    from directory.validators import uscc_check_character

    if Enterprise.objects.count() == enterprises:
        return
    Certification.objects.all().delete()
    Enterprise.objects.all().delete()
    district = District.objects.order_by("sort_order").first()
    now = timezone.now()
    batch = []
    for number in range(enterprises):
        body = f"91330100{number:09d}"
        batch.append(
            Enterprise(
                uscc=body + uscc_check_character(body),
                name_zh=f"基准企业{number}",
                name_en=f"Bench Co. {number}",
                kind="sme",
                district=district,
                status=ListingStatus.VERIFIED,
                verified_at=now,
            )
        )
    Enterprise.objects.bulk_create(batch, batch_size=5000)
    ids = list(Enterprise.objects.values_list("pk", flat=True))
    schemes = list(CertificationScheme.values)
    today = timezone.localdate()
    certs = [
        Certification(
            enterprise_id=ids[(number * 7919) % len(ids)],
            scheme=schemes[number % len(schemes)],
            number=f"B-{number}",
            valid_until=today + datetime.timedelta(days=(number % 3 - 1) * 200 + 1),
        )
        for number in range(certificates)
    ]
    Certification.objects.bulk_create(certs, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as after autovacuum


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--certificates", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    configure_django()
    from django.db import connection
    from django.utils import timezone

    from directory.filters import EnterpriseFilter
    from directory.models import Enterprise

    began = time.perf_counter()
    seed(args.enterprises, args.certificates)
    print(f"seeded in {time.perf_counter() - began:.1f} s")
    queryset = EnterpriseFilter({"certification": "IATF 16949"}, Enterprise.objects.all()).qs
    page = queryset.order_by("pk")[:20]
    sql, params = page.query.sql_with_params()
    explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {sql}", params)
        print("\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall()))
    today = timezone.localdate()
    holders = (
        "SELECT h.enterprise_id FROM directory_certification h "
        "WHERE h.scheme = %s AND h.valid_until >= %s"
    )
    hand_count = f"SELECT COUNT(*) FROM directory_enterprise WHERE id IN ({holders})"
    hand_page = f"SELECT * FROM directory_enterprise WHERE id IN ({holders}) ORDER BY id LIMIT 20"

    def ours() -> int:
        count = queryset.count()
        list(page.all())  # a fresh queryset each run: `page` keeps the rows it fetched once
        return count

    def hand_written() -> int:
        with connection.cursor() as cursor:
            cursor.execute(hand_count, ["IATF 16949", today])
            count = cursor.fetchone()[0]
            cursor.execute(hand_page, ["IATF 16949", today])
            cursor.fetchall()
        return count

    seconds, counts = interleaved({"ours": ours, "baseline": hand_written}, args.runs)
    if counts["ours"] != counts["baseline"]:
        sys.exit(
            f"The filter finds {counts['ours']:,} holders, "
            f"the hand-written SQL {counts['baseline']:,}"
        )
    p95 = {name: percentile(runs, 95) * 1000 for name, runs in seconds.items()}
    for name, runs in seconds.items():
        print(
            f"{connection.vendor}: valid IATF 16949 -> {counts[name]:,} enterprises; {name}: "
            f"count + first page min {min(runs) * 1000:.1f} ms, median "
            f"{statistics.median(runs) * 1000:.1f} ms, p95 {p95[name]:.1f} ms "
            f"(goal p95 <= {GOAL_P95_MS:.0f} ms)"
        )
    record(
        Row(
            bench="directory",
            measure="valid IATF 16949, count + page, p95",
            ours=p95["ours"],
            unit="ms",
            baseline=p95["baseline"],
            at_most=GOAL_P95_MS,
            note=f"{args.enterprises:,} firms, {connection.vendor}; baseline: hand-written SQL",
        )
    )


if __name__ == "__main__":
    main()
