"""Benchmark of the Local Content Ratio (issue 3): the city-wide table and the purchase import.

Seeds anchor firms × years × lines of purchases (default 100 × 5 × 10,000 = 5 million) into
a database of its own (products' verified shares with dated histories, one or two shares
each, so that each line counts with the share in force on its invoice date), then times:

  (a) the per-firm-per-year LCR table through `directory.lcr.selectors.lcr_by_buyer_and_year()`
      (it reads the LCR year table; the same table summed from the rollup and from the
      supplier-level ledger is timed beside it for reference);
  (b) the same figures as the best hand-written SQL found (see BEST_SQL_SHAPES: every shape
      is timed in every run and the fastest is the baseline; the selector's own shape, three
      joins and a correlated share lookup per line, is timed beside them for reference);
  (c) pandas grouping the same lines, loaded into memory once (outside the timing);

(a), (b) and (c) run interleaved, round by round, after a warm-up round; min and median
are printed, and the rows of `make bench-all` (bench/benchkit.py) written.
  (e) the public pages /directory/lcr/ and /programme/ and the officials' /directory/lcr/city/
      through Django's test client: uncached (the figures' cache retired before each request)
      and cached, p50 and p95 of --page-requests requests each.
  (d) a 100,000-line CSV import through the path of `manage.py import_purchases`: held for
      an official's review (written, measured, undone), then counting at once, first all
      new, then the same file again (all unchanged).

Not a test and not run by CI:

    python bench/lcr.py [--firms 100] [--years 5] [--lines-per-firm-year 10000]
                        [--runs 5] [--reseed] [--skip-import]

The database is var/bench_lcr.sqlite3 unless DATABASE_URL names another one; its name must
contain "bench", because seeding empties the directory's tables.
"""

import argparse
import datetime
import io
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from benchkit import Row, django_setup, interleaved, min_median, percentile, record

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# Share of lines bought from a local verified supplier: each firm starts somewhere between
# these and buys more locally every year, so the table shows firms behind and ahead of target.
LOCAL_SHARE_START = (0.35, 0.65)
LOCAL_SHARE_GROWTH_PER_YEAR = 0.05
UNREGISTERED_BY_NAME = 0.07  # supplier_uscc NULL: known by name only
UNREGISTERED_WITH_USCC = 0.03  # a USCC that is not in the directory
LINES_WITH_PRODUCT = 0.5  # of the lines bought from directory suppliers
CREDIT_NOTES = 0.01
LINES_PER_INVOICE = 5
SUPPLIERS = 3000
UNREGISTERED_SUPPLIERS = 500
PRODUCTS_PER_SUPPLIER = 2
IMPORT_LINES = 100_000

# Issue 17's goals: the city table from a maintained ledger, imports near COPY's speed.
GOAL_TABLE_SECONDS = 0.05
GOAL_RATIO_TO_RAW = 1.5
GOAL_IMPORT_LINES_PER_SECOND = 30_000

# USCC serial ranges, so the bench's codes never collide with each other.
ANCHOR_SERIAL = 1
SUPPLIER_SERIAL = 100_000
UNREGISTERED_SERIAL = 900_000
IMPORT_BUYER_SERIAL = 999_999


def configure_django() -> None:
    # The test client of (e) asks for "testserver"; a production host list would refuse it.
    django_setup("bench_lcr.sqlite3", ALLOWED_HOSTS="testserver")

    from django.db import connection
    from django.utils import translation

    # The portal speaks Chinese by default; the bench's output is read in English.
    translation.activate("en")

    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name:
        sys.exit(f"Refusing to seed {name!r}: the benchmark's database name must contain 'bench'.")


def uscc(serial: int) -> str:
    from directory.validators import uscc_check_character

    body = f"91330100{serial:09d}"
    return body + uscc_check_character(body)


# --- seeding ---------------------------------------------------------------------------------


class Seed:
    """The reference data the purchase lines point at, built once per seeding."""

    def __init__(self, *, firms: int, years: list[int]):
        from directory.models import District, SupplyCategory

        self.firms = firms
        self.years = years
        self.local_districts = list(
            District.objects.filter(is_local=True).values_list("pk", flat=True)
        )
        self.outside_districts = list(
            District.objects.filter(is_local=False).values_list("pk", flat=True)
        )
        leaves = SupplyCategory.objects.filter(parent__isnull=False).order_by("pk")
        self.category_ids = np.array([pk for pk, _slug in leaves.values_list("pk", "slug")])
        self.category_slugs = np.array([slug for _pk, slug in leaves.values_list("pk", "slug")])
        self.unregistered_codes = np.array(
            [uscc(UNREGISTERED_SERIAL + n) for n in range(UNREGISTERED_SUPPLIERS)], dtype=object
        )

    def enterprises(self) -> None:
        """Anchor firms, suppliers (local verified, outside, pending, returned) and products."""
        from directory.models import Enterprise, EnterpriseKind, ListingStatus, Product

        rng = np.random.default_rng(7)
        anchors = [
            Enterprise(
                uscc=uscc(ANCHOR_SERIAL + number),
                name_zh=f"基准锚定企业{number:03d}",
                name_en=f"Bench anchor {number:03d}",
                kind=EnterpriseKind.ANCHOR,
                district_id=self.local_districts[number % len(self.local_districts)],
                status=ListingStatus.VERIFIED,
            )
            for number in range(self.firms)
        ]
        anchors.append(
            Enterprise(
                uscc=uscc(IMPORT_BUYER_SERIAL),
                name_zh="导入基准企业",
                name_en="Bench import buyer",
                kind=EnterpriseKind.ANCHOR,
                district_id=self.local_districts[0],
                status=ListingStatus.VERIFIED,
            )
        )
        suppliers = []
        for number in range(SUPPLIERS):
            # Tenths: 5 local verified, 3 outside verified, 1 local pending or returned,
            # 1 outside pending.
            tenth = number % 10
            local = tenth < 5 or tenth == 8
            if tenth < 8:
                status = ListingStatus.VERIFIED
            elif tenth == 8 and number % 20 == 18:
                status = ListingStatus.RETURNED
            else:
                status = ListingStatus.PENDING
            districts = self.local_districts if local else self.outside_districts
            suppliers.append(
                Enterprise(
                    uscc=uscc(SUPPLIER_SERIAL + number),
                    name_zh=f"基准供应商{number:04d}",
                    name_en=f"Bench supplier {number:04d}",
                    kind=EnterpriseKind.SME,
                    district_id=districts[number % len(districts)],
                    status=status,
                )
            )
        Enterprise.objects.bulk_create(anchors + suppliers, batch_size=1000)
        supplier_rows = dict(
            Enterprise.objects.filter(uscc__in=[s.uscc for s in suppliers]).values_list(
                "uscc", "pk"
            )
        )
        products = []
        for number, supplier in enumerate(suppliers):
            for index in range(PRODUCTS_PER_SUPPLIER):
                has_share = rng.random() < 0.4
                products.append(
                    Product(
                        enterprise_id=supplier_rows[supplier.uscc],
                        name=f"基准产品{number:04d}-{index}",
                        category_id=int(rng.choice(self.category_ids)),
                        local_content_share=(
                            Decimal(int(rng.integers(2000, 9000))) / 100 if has_share else None
                        ),
                        status=(
                            ListingStatus.VERIFIED if rng.random() < 0.8 else ListingStatus.PENDING
                        ),
                    )
                )
        Product.objects.bulk_create(products, batch_size=1000)
        self.share_history(rng)

    def share_history(self, rng: np.random.Generator) -> None:
        """Each verified share in force from a day within the years (lines before it count in
        full); every second product had an earlier share, replaced by its current one."""
        from directory.models import ListingStatus, LocalContentShare, Product

        first = datetime.date(self.years[0], 1, 1)
        span = (datetime.date(self.years[-1] + 1, 1, 1) - first).days
        shares = []
        for pk, share in Product.objects.filter(
            status=ListingStatus.VERIFIED, local_content_share__isnull=False
        ).values_list("pk", "local_content_share"):
            verified = first + datetime.timedelta(days=int(rng.integers(0, span // 2)))
            if rng.random() < 0.5:
                earlier = Decimal(int(rng.integers(2000, 9000))) / 100
                shares.append(LocalContentShare(product_id=pk, share=earlier, valid_from=verified))
                verified += datetime.timedelta(days=int(rng.integers(30, span // 2)))
            shares.append(LocalContentShare(product_id=pk, share=share, valid_from=verified))
        LocalContentShare.objects.bulk_create(shares, batch_size=1000)

    def load_pools(self) -> None:
        from directory.models import Enterprise, ListingStatus, Product

        local_verified = []
        others = []
        for code, name, status, is_local in Enterprise.objects.filter(
            uscc__gte=uscc(SUPPLIER_SERIAL), uscc__lt=uscc(UNREGISTERED_SERIAL)
        ).values_list("uscc", "name_zh", "status", "district__is_local"):
            pool = local_verified if status == ListingStatus.VERIFIED and is_local else others
            pool.append((code, name))
        products: dict[str, list[int]] = {}
        for code, pk in Product.objects.order_by("pk").values_list("enterprise__uscc", "pk"):
            products.setdefault(code, []).append(pk)
        self.pools = []
        for pool in (local_verified, others):
            codes = np.array([code for code, _name in pool], dtype=object)
            names = np.array([name for _code, name in pool], dtype=object)
            product_table = np.array(
                [products.get(code, [None] * PRODUCTS_PER_SUPPLIER) for code in codes],
                dtype=object,
            )
            self.pools.append((codes, names, product_table))

    def lines(self, *, firm: int, year: int, count: int, prefix: str) -> pd.DataFrame:
        """One firm's lines of one year, columns as the import file has them (plus ids)."""
        rng = np.random.default_rng(firm * 10_000 + year)
        start = (
            LOCAL_SHARE_START[0]
            + (LOCAL_SHARE_START[1] - LOCAL_SHARE_START[0]) * ((firm * 37) % 100) / 100
        )
        local = min(0.9, start + LOCAL_SHARE_GROWTH_PER_YEAR * (year - self.years[0]))
        draw = rng.random(count)
        by_name = draw < UNREGISTERED_BY_NAME
        with_uscc = ~by_name & (draw < UNREGISTERED_BY_NAME + UNREGISTERED_WITH_USCC)
        directory = ~by_name & ~with_uscc
        from_local = directory & (rng.random(count) < local)

        supplier_uscc = np.full(count, None, dtype=object)
        supplier_name = np.empty(count, dtype=object)
        product_id = np.full(count, None, dtype=object)
        wants_product = rng.random(count) < LINES_WITH_PRODUCT
        product_index = rng.integers(0, PRODUCTS_PER_SUPPLIER, count)
        for mask, (codes, names, products) in zip(
            (from_local, directory & ~from_local), self.pools, strict=True
        ):
            picks = rng.integers(0, len(codes), count)[mask]
            supplier_uscc[mask] = codes[picks]
            supplier_name[mask] = names[picks]
            chosen = products[picks, product_index[mask]]
            product_id[mask] = np.where(wants_product[mask], chosen, None)
        unregistered = rng.integers(0, UNREGISTERED_SUPPLIERS, count)
        supplier_name[by_name] = [f"未登记供应商{n:03d}" for n in unregistered[by_name]]
        supplier_uscc[with_uscc] = self.unregistered_codes[unregistered[with_uscc]]
        supplier_name[with_uscc] = [f"市外供应商{n:03d}" for n in unregistered[with_uscc]]

        cents = np.round(rng.lognormal(mean=10.5, sigma=1.2, size=count) * 100).astype(np.int64)
        row = np.arange(count)
        invoice_no = np.array([f"{prefix}{year}-{n:06d}" for n in row // LINES_PER_INVOICE])
        # A credit note corrects a line of the invoice before it: the same seller (and
        # product), at most that line's amount, naming that invoice.
        credit = rng.random(count) < CREDIT_NOTES
        credit[:LINES_PER_INVOICE] = False
        credit[LINES_PER_INVOICE:] &= ~credit[:-LINES_PER_INVOICE]
        corrected = np.flatnonzero(credit) - LINES_PER_INVOICE
        for column in (supplier_uscc, supplier_name, product_id):
            column[credit] = column[corrected]
        cents[credit] = -np.minimum(cents[credit], cents[corrected])
        original_invoice_no = np.full(count, "", dtype=object)
        original_invoice_no[credit] = invoice_no[corrected]
        days = (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days
        dates = np.datetime64(f"{year}-01-01") + rng.integers(0, days, count).astype(
            "timedelta64[D]"
        )
        categories = rng.integers(0, len(self.category_ids), count)
        return pd.DataFrame(
            {
                "invoice_no": invoice_no,
                "line_no": row % LINES_PER_INVOICE + 1,
                "invoice_date": np.datetime_as_string(dates, unit="D"),
                "supplier_uscc": supplier_uscc,
                "supplier_name": supplier_name,
                "category_id": self.category_ids[categories],
                "category": self.category_slugs[categories],
                "product": product_id,
                "quantity": rng.integers(1, 5000, count),
                "unit": "kg",
                "amount": [f"{c / 100:.2f}" for c in cents],
                "original_invoice_no": original_invoice_no,
                "description": "",
            }
        )


def table_columns() -> list[str]:
    return [
        "buyer_id",
        "supplier_uscc",
        "supplier_name",
        "invoice_no",
        "line_no",
        "invoice_date",
        "category_id",
        "description",
        "product_id",
        "quantity",
        "unit",
        "amount",
        "original_invoice_no",
        "created_at",
        "updated_at",
    ]


def table_frame(lines: pd.DataFrame, *, buyer_id: int, now: str) -> pd.DataFrame:
    frame = lines.rename(columns={"product": "product_id"}).assign(
        buyer_id=buyer_id, created_at=now, updated_at=now
    )
    return frame[table_columns()]


def database_holds(*, firms: int, years: list[int], per_year: int) -> bool:
    from directory.models import Enterprise, PurchaseLine

    anchors = Enterprise.objects.filter(uscc__lt=uscc(SUPPLIER_SERIAL)).count()
    return anchors == firms and PurchaseLine.objects.count() == firms * len(years) * per_year


def empty_database(vendor: str) -> None:
    from django.db import connection

    from directory.models import Enterprise, Product, PurchaseImport, PurchaseLineRevision

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "TRUNCATE directory_purchaselinerevision, directory_purchaseline, "
                "directory_purchaseimport, directory_product, directory_enterprise CASCADE"
            )
            return
        cursor.execute("DELETE FROM directory_purchaselinerevision")
        cursor.execute("DELETE FROM directory_purchaseline")
    PurchaseLineRevision.objects.all().delete()
    PurchaseImport.objects.all().delete()
    Product.objects.all().delete()
    Enterprise.objects.all().delete()


def purchase_line_indexes(cursor, vendor: str) -> list[tuple[str, str, str]]:
    """(drop, create) statements of the secondary indexes (and, on PostgreSQL, the foreign
    keys) of the purchase-line table: a load is much faster without them, and rebuilding
    each once at the end checks all rows in one pass instead of one by one."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT format('DROP INDEX %I', indexname), indexdef FROM pg_indexes"
            " WHERE tablename = 'directory_purchaseline' AND indexname NOT IN"
            " (SELECT conname FROM pg_constraint"
            "  WHERE conrelid = 'directory_purchaseline'::regclass)"
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT format('ALTER TABLE directory_purchaseline DROP CONSTRAINT %I', conname),"
            " format('ALTER TABLE directory_purchaseline ADD CONSTRAINT %I %s', conname,"
            "        pg_get_constraintdef(oid))"
            " FROM pg_constraint"
            " WHERE conrelid = 'directory_purchaseline'::regclass AND contype = 'f'"
        )
        return indexes + cursor.fetchall()
    cursor.execute(
        "SELECT 'DROP INDEX \"' || name || '\"', sql FROM sqlite_master WHERE type = 'index'"
        " AND tbl_name = 'directory_purchaseline' AND sql IS NOT NULL"
    )
    return cursor.fetchall()


def seed(*, vendor: str, firms: int, years: list[int], per_year: int) -> None:
    """Everything in one transaction; the secondary indexes are built once, after the load."""
    from django.db import connection, transaction
    from django.utils import timezone

    from directory.models import Enterprise

    empty_database(vendor)
    plan = Seed(firms=firms, years=years)
    plan.enterprises()
    plan.load_pools()
    buyers = dict(
        Enterprise.objects.filter(uscc__lt=uscc(SUPPLIER_SERIAL)).values_list("uscc", "pk")
    )
    now = timezone.now().strftime("%Y-%m-%d %H:%M:%S.%f")
    if vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
    columns = ", ".join(table_columns())
    with transaction.atomic(), connection.cursor() as cursor:
        rebuilt = purchase_line_indexes(cursor, vendor)
        for drop, _create in rebuilt:
            cursor.execute(drop)
        if vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for firm in range(firms):
            buyer_id = buyers[uscc(ANCHOR_SERIAL + firm)]
            frames = [
                table_frame(
                    plan.lines(firm=firm, year=year, count=per_year, prefix=f"B{firm:03d}-"),
                    buyer_id=buyer_id,
                    now=now,
                )
                for year in years
            ]
            frame = pd.concat(frames, ignore_index=True)
            if vendor == "postgresql":
                text = frame.to_csv(sep="\t", header=False, index=False, na_rep="\\N")
                with cursor.copy(f"COPY directory_purchaseline ({columns}) FROM STDIN") as copy:
                    copy.write(text)
            else:
                placeholders = ", ".join(["%s"] * len(frame.columns))
                cursor.executemany(
                    f"INSERT INTO directory_purchaseline ({columns}) VALUES ({placeholders})",
                    list(frame.itertuples(index=False, name=None)),
                )
            if (firm + 1) % 10 == 0:
                print(f"  {firm + 1}/{firms} firms loaded", flush=True)
        print(f"  building {len(rebuilt)} indexes and foreign keys", flush=True)
        for _drop, create in rebuilt:
            cursor.execute(create)
    with connection.cursor() as cursor:
        # Fresh statistics of every table (and, on PostgreSQL, the visibility map) before
        # anything is timed: the planner would otherwise think the directory nearly empty.
        if vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE directory_purchaseline")
        cursor.execute("ANALYZE")


# --- the three ways to the per-firm-per-year table ------------------------------------------


def selector_table() -> dict[tuple[str, int], tuple[Decimal, Decimal]]:
    from directory.lcr.selectors import lcr_by_buyer_and_year

    return {
        (row["buyer_uscc"], row["year"]): (row["local_value"], row["total_value"])
        for row in lcr_by_buyer_and_year()
    }


def rollup_table() -> dict[tuple[str, int], tuple[Decimal, Decimal]]:
    from directory.lcr.selectors import lcr_by_buyer_and_year, lcr_rollup

    return {
        (row["buyer_uscc"], row["year"]): (row["local_value"], row["total_value"])
        for row in lcr_by_buyer_and_year(lcr_rollup())
    }


def ledger_table() -> dict[tuple[str, int], tuple[Decimal, Decimal]]:
    from directory.lcr.selectors import lcr_by_buyer_and_year, lcr_ledger

    return {
        (row["buyer_uscc"], row["year"]): (row["local_value"], row["total_value"])
        for row in lcr_by_buyer_and_year(lcr_ledger())
    }


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


# (e): the pages, their goal (p95, seconds), and who asks.
PAGES = (
    ("public /directory/lcr/", "lcr:city", None, 0.150),
    ("public /programme/", "programme:dashboard", None, 0.150),
    ("officials' /directory/lcr/city/", "lcr:dashboard", "official", 0.300),
)


def time_refreshes(rounds: int, scale: str) -> None:
    """What the writes pay to keep the ledger, the rollup and the year table (each undone
    after): one (buyer, year) summed again from its lines, as an import or a correction does;
    and a supplier verified, which adds its ledger rows' local value to the rollup and year
    rows of every buyer-year it sold to (the supplier in the most ledger rows is taken)."""
    from django.db import transaction
    from django.db.models import Count

    from directory.lcr.ledger import refresh_lcr_ledger
    from directory.lcr.rollup import move_rollup_of_suppliers
    from directory.models import LcrLedgerRow

    pair = LcrLedgerRow.objects.values_list("buyer_id", "year").order_by("-year", "buyer_id")[0]
    busiest = (
        LcrLedgerRow.objects.exclude(supplier_id=None)
        .values("supplier_id")
        .annotate(pairs=Count("pk"))
        .order_by("-pairs", "supplier_id")[0]
    )

    def undone(write):
        def run():
            with transaction.atomic():
                write()
                transaction.set_rollback(True)

        return run

    ways = {
        "one buyer-year from its lines": undone(lambda: refresh_lcr_ledger({pair})),
        "a supplier verified, its rollup rows": undone(
            lambda: move_rollup_of_suppliers(set(), {busiest["supplier_id"]})
        ),
    }
    print(
        f"\nKeeping the ledger, rollup and year table, {rounds} interleaved rounds "
        f"(load average {load_average()}; the busiest supplier is in "
        f"{busiest['pairs']:,} ledger rows):"
    )
    durations, _results = interleaved(ways, rounds)
    for name, times in durations.items():
        print(f"  {name:34} {min_median(times, 'ms')}")
        record(Row(bench="lcr", measure=f"refresh: {name}", ours=min(times), unit="s", note=scale))


def time_pages(requests: int, scale: str) -> None:
    """Each page `requests` times uncached (the figures' cache retired first) and cached.
    Static files are named as with DEBUG on: the manifest `make serve` collects is not there
    (a dictionary look-up either way)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import override_settings

    from ssb_portal.roles import OFFICIAL_GROUP

    official, _created = get_user_model().objects.get_or_create(username="bench-lcr-official")
    official.groups.add(Group.objects.get_or_create(name=OFFICIAL_GROUP)[0])
    print(f"\nPages, {requests} requests each (load average {load_average()}):")
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        for label, name, who, goal in PAGES:
            time_page(label, name, goal, requests, scale, official if who else None)


def time_page(label: str, name: str, goal: float, requests: int, scale: str, user) -> None:
    from django.test import Client
    from django.urls import reverse

    from directory.lcr.cache import lcr_cache_invalidate

    client = Client()
    if user is not None:
        client.force_login(user)
    url = reverse(name)
    lcr_cache_invalidate()
    assert client.get(url).status_code == 200, url
    seconds: dict[str, list[float]] = {"uncached": [], "cached": []}
    for _ in range(requests):
        for state in ("uncached", "cached"):
            if state == "uncached":
                lcr_cache_invalidate()
            started = time.perf_counter()
            response = client.get(url)
            seconds[state].append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
    for state, runs in seconds.items():
        p50, p95 = percentile(runs, 50), percentile(runs, 95)
        print(f"  {label:34} {state:9} p50 {p50 * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms")
        record(
            Row(
                bench="lcr",
                measure=f"{label}, {state}, p95",
                ours=p95,
                unit="s",
                at_most=goal,
                note=scale,
            )
        )


# The verified share of the line's product in force on its invoice date (NULL: none).
SHARE_IN_FORCE_SQL = """
SELECT share.share FROM directory_localcontentshare share
WHERE share.product_id = line.product_id AND share.valid_from <= line.invoice_date
ORDER BY share.valid_from DESC LIMIT 1
"""

# The selector's shape, written by hand: every line joins its supplier and the supplier's
# district, and looks its product's share up in a correlated subquery. Timed for reference
# only (it is what this bench's baseline used to be, and it hid what a better shape gains).
SELECTOR_SHAPE_SQL = """
SELECT buyer.uscc, totals.year, totals.local_value, totals.total_value
FROM (
    SELECT line.buyer_id, {year} AS year,
           SUM(CASE
                 WHEN supplier.status = 'verified' AND district.is_local THEN
                   line.amount * COALESCE(({share_in_force}), 100) / 100
                 ELSE 0 END) AS local_value,
           SUM(line.amount) AS total_value
    FROM directory_purchaseline line
    LEFT JOIN directory_enterprise supplier ON supplier.uscc = line.supplier_uscc
    LEFT JOIN directory_district district ON district.id = supplier.district_id
    GROUP BY line.buyer_id, {year}
) totals
JOIN directory_enterprise buyer ON buyer.id = totals.buyer_id
"""

# What the shapes below share: the few thousand local verified suppliers, and each share's
# period (valid_from up to the next share's valid_from), both tiny next to the lines.
SMALL_SIDES_SQL = """
WITH local_supplier AS (
    SELECT supplier.uscc FROM directory_enterprise supplier
    JOIN directory_district district ON district.id = supplier.district_id
    WHERE supplier.status = 'verified' AND district.is_local
), share_period AS (
    SELECT product_id, share, valid_from,
           LEAD(valid_from) OVER (PARTITION BY product_id ORDER BY valid_from) AS valid_to
    FROM directory_localcontentshare
)
"""

PERIOD_JOIN = """
    LEFT JOIN share_period period ON period.product_id = line.product_id
        AND period.valid_from <= line.invoice_date
        AND (period.valid_to IS NULL OR line.invoice_date < period.valid_to)
"""

# Candidates for the best hand-written SQL; all are timed in every run and the fastest one
# (by its minimum) is the baseline, so the baseline is the best shape on this database at
# this scale, not a guess. None joins the 100k-row enterprise table per line or runs a
# correlated subquery per line; the local suppliers and the share periods are hashed once.
# Measured on PostgreSQL 15, 2 cores, 200,000 lines (min of 3 interleaved rounds): "local
# join" 0.285 s (the best: the local flag by a hash join to the local suppliers, the share
# by a range join to the share periods), "semi-join" 0.395 s (the flag as a hashed IN test),
# "pre-aggregate" 0.469 s (local lines summed per buyer, year, product and share period
# first, the share applied to those sums; two passes over the lines); the selector's own
# shape 0.545 s, the selector 0.661 s. The selector also splits the local value by the
# suppliers' confirmations, which these shapes leave out (the figures compared are the
# local and total values, to the fen).
BEST_SQL_SHAPES = {
    "semi-join": SMALL_SIDES_SQL
    + """
SELECT buyer.uscc, totals.year, totals.local_value, totals.total_value
FROM (
    SELECT line.buyer_id, {year} AS year,
           SUM(CASE WHEN line.supplier_uscc IN (SELECT uscc FROM local_supplier)
                    THEN line.amount * COALESCE(period.share, 100) / 100
                    ELSE 0 END) AS local_value,
           SUM(line.amount) AS total_value
    FROM directory_purchaseline line"""
    + PERIOD_JOIN
    + """
    GROUP BY line.buyer_id, {year}
) totals
JOIN directory_enterprise buyer ON buyer.id = totals.buyer_id
""",
    "local join": SMALL_SIDES_SQL
    + """
SELECT buyer.uscc, totals.year, totals.local_value, totals.total_value
FROM (
    SELECT line.buyer_id, {year} AS year,
           SUM(CASE WHEN local_supplier.uscc IS NOT NULL
                    THEN line.amount * COALESCE(period.share, 100) / 100
                    ELSE 0 END) AS local_value,
           SUM(line.amount) AS total_value
    FROM directory_purchaseline line
    LEFT JOIN local_supplier ON local_supplier.uscc = line.supplier_uscc"""
    + PERIOD_JOIN
    + """
    GROUP BY line.buyer_id, {year}
) totals
JOIN directory_enterprise buyer ON buyer.id = totals.buyer_id
""",
    "pre-aggregate": SMALL_SIDES_SQL
    + """
, local_part AS (
    SELECT line.buyer_id, {year} AS year, period.share, SUM(line.amount) AS amount
    FROM directory_purchaseline line"""
    + PERIOD_JOIN
    + """
    WHERE line.supplier_uscc IN (SELECT uscc FROM local_supplier)
    GROUP BY line.buyer_id, {year}, line.product_id, period.valid_from, period.share
), local_sum AS (
    SELECT buyer_id, year, SUM(amount * COALESCE(share, 100) / 100) AS local_value
    FROM local_part GROUP BY buyer_id, year
), total_sum AS (
    SELECT line.buyer_id, {year} AS year, SUM(line.amount) AS total_value
    FROM directory_purchaseline line GROUP BY line.buyer_id, {year}
)
SELECT buyer.uscc, total_sum.year, COALESCE(local_sum.local_value, 0), total_sum.total_value
FROM total_sum
LEFT JOIN local_sum ON local_sum.buyer_id = total_sum.buyer_id
    AND local_sum.year = total_sum.year
JOIN directory_enterprise buyer ON buyer.id = total_sum.buyer_id
""",
}

YEAR_SQL = {
    "postgresql": "EXTRACT(YEAR FROM line.invoice_date)",
    "sqlite": "CAST(strftime('%Y', line.invoice_date) AS INTEGER)",
}


def sql_table(vendor: str, shape: str) -> dict[tuple[str, int], tuple[Decimal, Decimal]]:
    from django.db import connection

    from ssb_portal.formulas import quantize_cny

    sql = SELECTOR_SHAPE_SQL if shape == "selector shape" else BEST_SQL_SHAPES[shape]
    with connection.cursor() as cursor:
        cursor.execute(sql.format(year=YEAR_SQL[vendor], share_in_force=SHARE_IN_FORCE_SQL))
        return {
            (code, int(year)): (quantize_cny(Decimal(local)), quantize_cny(Decimal(total)))
            for code, year, local, total in cursor.fetchall()
        }


EXPORT_SQL = f"""
SELECT buyer.uscc AS buyer_uscc, line.invoice_date, line.amount,
       supplier.status AS supplier_status, district.is_local AS supplier_is_local,
       ({SHARE_IN_FORCE_SQL}) AS share_in_force
FROM directory_purchaseline line
JOIN directory_enterprise buyer ON buyer.id = line.buyer_id
LEFT JOIN directory_enterprise supplier ON supplier.uscc = line.supplier_uscc
LEFT JOIN directory_district district ON district.id = supplier.district_id
"""


def export_csv(vendor: str, path: Path) -> None:
    """The lines with what their local share needs, as a finance team's export would be."""
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            with (
                path.open("wb") as out,
                cursor.copy(f"COPY ({EXPORT_SQL}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy,
            ):
                for block in copy:
                    out.write(block)
            return
    first = True
    for chunk in pd.read_sql_query(EXPORT_SQL, connection.connection, chunksize=500_000):
        # SQLite has no boolean: write what PostgreSQL writes, so the reader is the same.
        chunk["supplier_is_local"] = chunk["supplier_is_local"].map({1: "t", 0: "f"})
        chunk.to_csv(path, mode="w" if first else "a", header=first, index=False)
        first = False


def pandas_lines(path: Path) -> pd.DataFrame:
    """The lines with their local share, read from the export once (not timed): what an
    analyst would have in memory before asking for the table."""
    lines = pd.read_csv(
        path,
        dtype={
            "buyer_uscc": "category",
            "invoice_date": str,
            "amount": "float64",
            "supplier_status": "category",
            "supplier_is_local": "category",
            "share_in_force": "float64",
        },
    )
    local_supplier = (lines["supplier_status"] == "verified") & (lines["supplier_is_local"] == "t")
    return pd.DataFrame(
        {
            "buyer_uscc": lines["buyer_uscc"],
            "year": lines["invoice_date"].str.slice(0, 4).astype("int16"),
            "amount": lines["amount"],
            "share": np.where(local_supplier, lines["share_in_force"].fillna(100) / 100, 0.0),
        }
    )


def pandas_table(lines: pd.DataFrame) -> dict[tuple[str, int], tuple[float, float]]:
    """The timed part: weigh each line by its share and group by firm and year, in memory."""
    grouped = (
        lines.assign(local=lines["amount"] * lines["share"])
        .groupby(["buyer_uscc", "year"], observed=True)[["local", "amount"]]
        .sum()
    )
    return {
        (code, int(year)): (local, total)
        for (code, year), local, total in zip(
            grouped.index, grouped["local"], grouped["amount"], strict=True
        )
    }


def compare(tables: dict[str, dict], keys: list[tuple[str, int]]) -> list[str]:
    """Differences above one fen between the ways, on the keys given (all if none differ)."""
    reference = tables["selector"]
    problems = []
    for name, table in tables.items():
        if set(table) != set(reference):
            problems.append(f"{name}: {len(table)} rows, selector: {len(reference)} rows")
        for key in keys:
            mine, theirs = table.get(key), reference.get(key)
            if mine is None or theirs is None:
                problems.append(f"{name}: no row for {key}")
                continue
            for label, a, b in zip(("local", "total"), mine, theirs, strict=True):
                if abs(float(a) - float(b)) > 0.01:
                    problems.append(f"{name} {key} {label}: {a} vs selector {b}")
    return problems


# --- the import ------------------------------------------------------------------------------


def import_file(plan: Seed, path: Path, count: int) -> None:
    years = plan.years
    per_year = -(-count // len(years))
    frames = [
        plan.lines(firm=IMPORT_BUYER_SERIAL, year=year, count=per_year, prefix="IMP-")
        for year in years
    ]
    lines = pd.concat(frames, ignore_index=True).head(count)
    columns = ["invoice_no", "line_no", "invoice_date", "supplier_uscc", "supplier_name"]
    columns += ["category", "product", "quantity", "unit", "amount", "original_invoice_no"]
    columns += ["description"]
    lines[columns].to_csv(path, index=False)


def run_import(path: Path, buyer) -> tuple[float, str]:
    """One import of the file as `manage.py import_purchases` does it; (seconds, summary)."""
    from django.core.management import call_command

    from directory.models import PurchaseImportSource
    from directory.purchases.services import purchase_lines_import

    command = BASE_DIR / "directory" / "management" / "commands" / "import_purchases.py"
    started = time.perf_counter()
    if command.exists():
        out = io.StringIO()
        call_command("import_purchases", str(path), "--buyer", buyer.uscc, stdout=out)
        summary = out.getvalue().strip().splitlines()[-1] if out.getvalue().strip() else ""
    else:
        rows = pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records")
        _record, outcome = purchase_lines_import(
            actor=None,
            buyer=buyer,
            raw_rows=rows,
            source=PurchaseImportSource.COMMAND,
            filename=path.name,
        )
        if not outcome.ok:
            sys.exit(f"The import refused the bench file: {outcome.errors[:5]}")
        summary = outcome.summary()
    return time.perf_counter() - started, summary


def counting_review_policy():
    """Review thresholds under which any import counts at once (the bench's own database)."""
    from directory.models import PurchaseReviewPolicy

    return PurchaseReviewPolicy.objects.create(
        max_share_percent=Decimal(100),
        max_lcr_points=Decimal(100),
        floor_cny=Decimal("1e13"),
    )


def holding_review_policy():
    """Review thresholds that hold any import adding value, whatever the scale: the first
    run is then always the held one (at a smoke scale the defaults' 2 million CNY floor let
    it count at once, and the "fresh" run found every line there already)."""
    from directory.models import PurchaseReviewPolicy

    return PurchaseReviewPolicy.objects.create(
        max_share_percent=Decimal(0), max_lcr_points=Decimal(0), floor_cny=Decimal(0)
    )


def clear_import_buyer() -> None:
    """Take the import's lines out again, so the LCR table always sees the seeded volume."""
    from django.db import connection, transaction

    from directory.lcr.ledger import refresh_lcr_ledger
    from directory.models import Enterprise, LcrLedgerRow, PurchaseImport

    buyer = Enterprise.objects.filter(uscc=uscc(IMPORT_BUYER_SERIAL)).first()
    if buyer is None:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM directory_purchaselinerevision WHERE line_id IN"
            " (SELECT id FROM directory_purchaseline WHERE buyer_id = %s)",
            [buyer.pk],
        )
        cursor.execute("DELETE FROM directory_purchaseline WHERE buyer_id = %s", [buyer.pk])
        PurchaseImport.objects.filter(buyer=buyer).delete()
        # Deleted around the ORM: the buyer's ledger, rollup and year rows are summed again.
        refresh_lcr_ledger(
            set(LcrLedgerRow.objects.filter(buyer=buyer).values_list("buyer_id", "year"))
        )


# --- report ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--firms", type=int, default=100)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--lines-per-firm-year", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="interleaved timed rounds")
    parser.add_argument("--import-lines", type=int, default=IMPORT_LINES)
    parser.add_argument("--reseed", action="store_true", help="seed even if the volume is there")
    parser.add_argument("--skip-import", action="store_true", help="leave out (d)")
    parser.add_argument("--page-requests", type=int, default=20, help="requests per page, (e)")
    args = parser.parse_args()

    configure_django()
    from django.core.management import call_command
    from django.db import connection

    from directory.lcr.ledger import rebuild_lcr_ledger
    from directory.models import Enterprise, LcrLedgerRow, LcrRollupRow, LcrYearRow

    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    last_year = datetime.date.today().year
    years = list(range(last_year - args.years + 1, last_year + 1))
    total_lines = args.firms * len(years) * args.lines_per_firm_year
    print(f"Database: {vendor} {connection.settings_dict['NAME']}")
    print(
        f"Volume: {args.firms} firms x {len(years)} years ({years[0]}-{years[-1]}) x "
        f"{args.lines_per_firm_year:,} lines = {total_lines:,} purchase lines"
    )

    clear_import_buyer()
    seeded = False
    export_path = VAR_DIR / f"bench_lcr_lines_{vendor}.csv"
    if args.reseed or not database_holds(
        firms=args.firms, years=years, per_year=args.lines_per_firm_year
    ):
        print("Seeding ...", flush=True)
        seeded = True
        started = time.perf_counter()
        seed(vendor=vendor, firms=args.firms, years=years, per_year=args.lines_per_firm_year)
        print(f"Seeded in {time.perf_counter() - started:.1f} s")
        export_path.unlink(missing_ok=True)
    else:
        print("Seeding skipped: the database holds that volume (--reseed to seed again)")
    if seeded or not all(
        model.objects.exists() for model in (LcrLedgerRow, LcrRollupRow, LcrYearRow)
    ):
        # The lines were loaded straight into the table: the ledger is summed once.
        started = time.perf_counter()
        rows = rebuild_lcr_ledger()
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE directory_lcrledgerrow")
                cursor.execute("VACUUM ANALYZE directory_lcrrolluprow")
                cursor.execute("VACUUM ANALYZE directory_lcryearrow")
        print(
            f"LCR ledger rebuilt ({rows:,} rows, rollup {LcrRollupRow.objects.count():,} rows, "
            f"year table {LcrYearRow.objects.count():,} rows) "
            f"in {time.perf_counter() - started:.1f} s"
        )
    if not export_path.exists():
        started = time.perf_counter()
        export_csv(vendor, export_path)
        took = time.perf_counter() - started
        size = export_path.stat().st_size / 1e6
        print(f"Exported {export_path.name} ({size:.0f} MB) in {took:.1f} s")

    lines = pandas_lines(export_path)
    ways = {
        "selector": selector_table,
        "from the rollup": rollup_table,
        "from the ledger": ledger_table,
    }
    ways.update(
        {
            f"sql: {shape}": (lambda shape=shape: sql_table(vendor, shape))
            for shape in [*BEST_SQL_SHAPES, "selector shape"]
        }
    )
    ways["pandas"] = lambda: pandas_table(lines)
    print(f"\nPer-firm-per-year LCR table, {args.runs} interleaved rounds after a warm-up:")
    print(f"  load average {load_average()} (a shared machine: figures are noisy)")
    durations, tables = interleaved(ways, args.runs)
    for name, times in durations.items():
        print(f"  {name:28} {min_median(times)}  {len(tables[name])} rows")
    keys = sorted(tables["selector"])
    sample = keys[:: max(1, len(keys) // 5)][:5]
    problems = compare(tables, keys)
    if problems:
        print("  FIGURES DIFFER:\n    " + "\n    ".join(problems))
    else:
        selector = tables["selector"]
        shown = ", ".join(
            f"{code[-6:]}/{year} {selector[(code, year)][0] / selector[(code, year)][1]:.2%}"
            for code, year in sample
        )
        print(f"  Same figures in all {len(ways)} ways, all {len(keys)} firm-years (e.g. {shown})")
    best_shape = min(BEST_SQL_SHAPES, key=lambda shape: min(durations[f"sql: {shape}"]))
    best = min(durations["selector"])
    scale = f"{total_lines:,} lines, {vendor}"
    record(
        Row(
            bench="lcr",
            measure="city LCR by buyer/year vs SQL",
            ours=best,
            unit="s",
            baseline=min(durations[f"sql: {best_shape}"]),
            at_most=GOAL_TABLE_SECONDS,
            ratio_at_most=GOAL_RATIO_TO_RAW,
            note=f"{scale}; best SQL: {best_shape}" + ("; FIGURES DIFFER" if problems else ""),
        )
    )
    record(
        Row(
            bench="lcr",
            measure="city LCR by buyer/year vs pandas",
            ours=best,
            unit="s",
            baseline=min(durations["pandas"]),
            ratio_at_most=1.0,
            note=scale,
        )
    )
    time_refreshes(args.runs, scale)
    time_pages(args.page_requests, scale)
    if args.skip_import:
        return
    command = BASE_DIR / "directory" / "management" / "commands" / "import_purchases.py"
    route = (
        "manage.py import_purchases (call_command)"
        if command.exists()
        else "services.purchase_lines_import with rows read by pandas "
        "(import_purchases command not there yet)"
    )
    print(f"\nImport of {args.import_lines:,} lines through {route}:")
    plan = Seed(firms=args.firms, years=years)
    plan.load_pools()
    path = VAR_DIR / "bench_lcr_import.csv"
    import_file(plan, path, args.import_lines)
    buyer = Enterprise.objects.get(uscc=uscc(IMPORT_BUYER_SERIAL))
    rates = []
    policies = []
    try:
        # First, under thresholds that hold it, the run is written, measured and undone,
        # and waits for an official. Then, under thresholds that let everything count, the
        # path every ordinary import takes: all new, then the same file again.
        for label in ("held for review (undone)", "fresh (all new)", "repeated (all unchanged)"):
            if label.startswith("held"):
                policies.append(holding_review_policy())
            elif label.startswith("fresh"):
                policies.append(counting_review_policy())
            duration, summary = run_import(path, buyer)
            rate = args.import_lines / duration
            rates.append(rate)
            print(f"  {label:26} {duration:7.2f} s  {rate:9,.0f} lines/s  [{summary}]")
    finally:
        for policy in policies:
            policy.delete()
        clear_import_buyer()
    record(
        Row(
            bench="lcr",
            measure=f"import {args.import_lines:,} lines, slowest run",
            ours=min(rates),
            unit="lines/s",
            at_least=GOAL_IMPORT_LINES_PER_SECOND,
        )
    )


if __name__ == "__main__":
    main()
