"""Benchmark of the support programmes: claims, submission, approval, public figures, audit log.

Seeds a city's support programmes at realistic volume into a database of its own (default:
2,000 verified local enterprises, half of them anchors; 300 local verified suppliers;
200,000 purchase lines; the seed's five money programmes of this year; 20,000 applications;
100,000 claimed lines; 2,000 recoveries with their repayments; a support cap; 50,000 audit
entries, correctly chained), then times, each several runs, through the real services and
selectors:

  (a) services.application_set_lines: a fresh application claims 500 purchase lines;
  (b) selectors.application_eligibility of that application;
  (c) services.application_submit of it;
  (d) services.application_approve of an application under review (budget and cap sums
      under row locks); a fresh application per run, made through the services;
  (e) selectors.near_duplicate_lines of the 500-line application;
  (f) selectors.claimable_lines(...)[:100] for the buyer with 10,000 lines;
  (g) selectors.programmes_with_money() in full and selectors.awards_public()[:50];
  (h) ssb_portal.audit_chain's audit_append in a loop, and audit_chain_verify (what
      `manage.py verify_audit_log` runs) over the whole log.

Not a test and not run by CI:

    python bench/subsidies.py [--runs 10] [--read-runs 30] [--reseed] [--explain]
                              [--enterprises 2000] [--lines 200000] [--applications 20000] ...

The database is var/bench_subsidies.sqlite3 unless DATABASE_URL names another one; its name
must contain "bench", because seeding drops the database and creates it afresh (the audit
chain's triggers refuse emptying its tables). 90 % of the purchase lines are confirmed by
their supplier, as a line must be for a programme to count it.
Seeding uses bulk inserts (the documented exception to "every write through a service"); it
leaves out what nothing timed reads (status changes, reviews, messages). The timed runs make
their own applications through the services and leave them behind (claims withdrawn,
approvals approved), so the database grows by a few dozen applications per invocation.
"""

import argparse
import datetime
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
from benchkit import Row, django_setup, record

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# The five money programmes of the seed (`manage.py seed_programmes`), with its parameters;
# the share of the applications each receives.
PROGRAMME_SHARES = {
    "local_procurement": 0.45,
    "demonstration_procurement": 0.10,
    "standards_reward": 0.10,
    "national_matching": 0.10,
    "rd_fund": 0.25,
}
LINE_KINDS = ("local_procurement", "demonstration_procurement")
# Most applications were decided and hold money (approved, in notice, disbursed).
STATUS_SHARES = {
    "draft": 0.04,
    "submitted": 0.03,
    "under_review": 0.04,
    "awaiting_confirmation": 0.01,
    "approved": 0.12,
    "in_notice": 0.08,
    "disbursed": 0.55,
    "returned": 0.03,
    "rejected": 0.07,
    "withdrawn": 0.03,
}
RESERVED = ("awaiting_confirmation", "approved", "in_notice", "disbursed")
RELEASED = ("rejected", "withdrawn")
# Days before now at which awards in each state were approved.
DECIDED_DAYS_AGO = {
    "awaiting_confirmation": (0, 10),
    "approved": (0, 30),
    "in_notice": (3, 10),
    "disbursed": (40, 3 * 365),
}

GROUP_SIZE = 3
ENTERPRISES_PER_GROUP = 40  # one enterprise in 40 starts a group of GROUP_SIZE
ANCHOR_LINE_WEIGHT = 3.0  # an anchor buys three times as many lines as an SME
LINES_PER_INVOICE = 5
CURRENT_YEAR_SHARE = 0.85  # the rest were invoiced last year
ELIGIBLE_CATEGORY_SHARE = 0.85  # lines in categories the procurement subsidy pays for
CATALOGUE_SHARE = 0.5  # lines priced as catalogue price x a round quantity (repeat orders)
CREDIT_NOTES = 0.01
CONFIRMED_SHARE = 0.9  # lines their supplier confirmed; the rest are unconfirmed
BIG_BUYER_CLAIMED_SHARE = 0.3  # the big buyer has claimed this share of its lines before
CAP_CNY = Decimal("20000000.00")  # the seed's cap: 20 million CNY per enterprise and group
CAP_YEARS = 3
CAP_FILL = Decimal("0.75")  # seeded awards fill at most this share of a recipient's cap
BUDGET_HEADROOM_CNY = Decimal("500000000.00")  # budget left beyond the seeded awards
APPROVE_LINES = 5  # lines of each application approved in (d)
READ_WARM_UP_RUNS = 3
REPEATS_PER_CLAIM_RUN = 3  # (b) and (e) are reads: timed this many times per claim run
SEED_ACTOR = "bench-seed"
BENCH_SUMMARY = "Bench run"
OFFICIAL_USERNAME = "bench-official"

GOAL_APPROVE_P95_MS = 200.0
GOAL_SUBMIT_P95_MS = 1000.0
GOAL_CLAIMABLE_P95_MS = 200.0
GOAL_VERIFY_ENTRIES_PER_S = 20_000
GOAL_VERIFY_ENTRIES_PER_S_ISSUE_17 = 100_000  # the table of make bench-all

# USCC serial ranges, so the bench's codes never collide with each other.
ENTERPRISE_SERIAL = 1
SUPPLIER_SERIAL = 500_000


def configure_django() -> None:
    """benchkit.django_setup with persistent connections, mail to nowhere and documents in
    a folder of the bench's own; answers in English; refuses a database whose name does not
    say it is a bench's."""
    django_setup(
        "bench_subsidies.sqlite3",
        CONN_MAX_AGE="600",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        PRIVATE_MEDIA_ROOT=str(VAR_DIR / "bench_subsidies_private"),
    )

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


def cny(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def split_cents(total: int, parts: int, rng: np.random.Generator) -> list[int]:
    """`total` cents in `parts` positive pieces (none when parts is 0)."""
    if parts <= 1:
        return [total] * parts
    cuts = sorted({int(c) for c in rng.integers(1, total, parts - 1)})
    if len(cuts) != parts - 1:
        cuts = [total * k // parts for k in range(1, parts)]
    bounds = [0, *cuts, total]
    return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


@dataclass(frozen=True)
class Volume:
    enterprises: int
    suppliers: int
    lines: int
    big_buyer_lines: int
    applications: int
    claims: int
    recoveries: int
    audit_entries: int

    @property
    def groups(self) -> int:
        return self.enterprises // ENTERPRISES_PER_GROUP


# --- seeding ---------------------------------------------------------------------------------


def recreate_database(vendor: str) -> None:
    """Drops the bench's database and creates it empty, then migrates it: the audit chain
    refuses TRUNCATE and DELETE of its entries (database triggers), so emptying its tables is
    not an option. The name was checked to contain "bench" (configure_django)."""
    from django.core.management import call_command
    from django.db import connection

    settings = connection.settings_dict
    name = str(settings["NAME"])
    connection.close()
    if vendor == "postgresql":
        import psycopg

        server = psycopg.conninfo.make_conninfo(
            dbname="postgres",
            user=settings["USER"] or None,
            password=settings["PASSWORD"] or None,
            host=settings["HOST"] or None,
            port=str(settings["PORT"]) if settings["PORT"] else None,
        )
        quoted = '"' + name.replace('"', '""') + '"'
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {quoted}")
    elif vendor == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)
    else:
        sys.exit(f"Reseeding a {vendor} database is not supported.")
    call_command("migrate", verbosity=0)


def database_holds(volume: Volume) -> bool:
    """Whether the seeded volume is there; rows the timed runs add are not counted."""
    from directory.models import Enterprise, PurchaseLine, PurchaseLineConfirmation
    from ssb_portal.models import AuditEntry
    from subsidies.models import Application, ClaimedLine, Programme, Recovery

    seeded = Application.objects.filter(created_by__isnull=True)
    return (
        Programme.objects.count() == len(PROGRAMME_SHARES)
        and Enterprise.objects.count() == volume.enterprises + volume.suppliers
        and PurchaseLine.objects.count() == volume.lines
        and PurchaseLine.objects.filter(buyer__uscc=uscc(ENTERPRISE_SERIAL)).count()
        == volume.big_buyer_lines
        and seeded.count() == volume.applications
        and ClaimedLine.objects.filter(application__in=seeded).count() == volume.claims
        and Recovery.objects.count() == volume.recoveries
        and AuditEntry.objects.filter(actor_name=SEED_ACTOR).count() == volume.audit_entries
        # A database seeded before suppliers confirmed lines has none: no line would count.
        and abs(PurchaseLineConfirmation.objects.count() - CONFIRMED_SHARE * volume.lines)
        <= 0.02 * volume.lines
    )


class Seed:
    """Builds the seeded city in one transaction; rows go in with bulk inserts."""

    def __init__(self, volume: Volume, vendor: str):
        from django.utils import timezone

        self.volume = volume
        self.vendor = vendor
        self.rng = np.random.default_rng(2026)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.year = self.today.year

    def step(self, label: str, function: Callable[[], str]) -> None:
        started = time.perf_counter()
        detail = function()
        print(f"  {label:<34} {time.perf_counter() - started:6.1f} s  {detail}", flush=True)

    def run(self) -> None:
        from django.db import connection, transaction

        if self.vendor == "sqlite":
            # The bench's database only: no journal and no fsync while seeding. The connection
            # is closed afterwards, so the timed runs use SQLite's defaults again.
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=OFF")
                cursor.execute("PRAGMA synchronous=OFF")
        with transaction.atomic():
            self.step("enterprises, users, groups", self.enterprises)
            self.step("programmes and support cap", self.programmes)
            self.step("purchase lines", self.purchase_lines)
            self.step("supplier confirmations", self.confirmations)
            self.step("applications and claimed lines", self.applications)
            self.step("recoveries and repayments", self.recoveries)
            self.step("budgets", self.budgets)
            self.step("audit log", self.audit_log)
        with connection.cursor() as cursor:
            # Fresh statistics before anything is timed.
            if self.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")
        connection.close()

    # Enterprises ---------------------------------------------------------------------------

    def enterprises(self) -> str:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import Group

        from directory.models import (
            District,
            Enterprise,
            EnterpriseGroup,
            EnterpriseKind,
            ListingStatus,
            Membership,
            MembershipRole,
        )
        from ssb_portal.roles import OFFICIAL_GROUP

        volume = self.volume
        local = list(District.objects.filter(is_local=True).values_list("pk", flat=True))
        EnterpriseGroup.objects.bulk_create(
            [
                EnterpriseGroup(name=f"基准集团{n:04d}", note="Bench group")
                for n in range(volume.groups)
            ]
        )
        group_ids = list(EnterpriseGroup.objects.order_by("pk").values_list("pk", flat=True))
        applicants = []
        for n in range(volume.enterprises):
            # Enterprise 0 is the big buyer; the next GROUP_SIZE x groups form the groups.
            grouped = 1 <= n <= len(group_ids) * GROUP_SIZE
            anchor = n % 2 == 0
            applicants.append(
                Enterprise(
                    uscc=uscc(ENTERPRISE_SERIAL + n),
                    name_zh=f"基准申请企业{n:05d}",
                    name_en=f"Bench applicant {n:05d}",
                    kind=EnterpriseKind.ANCHOR if anchor else EnterpriseKind.SME,
                    district_id=local[n % len(local)],
                    group_id=group_ids[(n - 1) // GROUP_SIZE] if grouped else None,
                    email=f"contact{n:05d}@bench.example",
                    status=ListingStatus.VERIFIED,
                    verified_at=self.now,
                )
            )
        suppliers = [
            Enterprise(
                uscc=uscc(SUPPLIER_SERIAL + n),
                name_zh=f"基准本地供应商{n:04d}",
                name_en=f"Bench local supplier {n:04d}",
                kind=EnterpriseKind.SME,
                district_id=local[n % len(local)],
                status=ListingStatus.VERIFIED,
                verified_at=self.now,
            )
            for n in range(volume.suppliers)
        ]
        Enterprise.objects.bulk_create(applicants + suppliers, batch_size=1000)
        by_code = dict(Enterprise.objects.values_list("uscc", "pk"))
        self.applicant_ids = np.array([by_code[e.uscc] for e in applicants], dtype=np.int64)
        self.anchor = np.array([n % 2 == 0 for n in range(volume.enterprises)])
        self.supplier_codes = np.array([s.uscc for s in suppliers], dtype=object)
        self.supplier_names = np.array([s.name_zh for s in suppliers], dtype=object)
        groups = dict(Enterprise.objects.filter(group__isnull=False).values_list("pk", "group_id"))
        self.recipient = {
            pk: ("group", groups[pk]) if pk in groups else ("enterprise", pk)
            for pk in self.applicant_ids.tolist()
        }

        User = get_user_model()
        unusable = make_password(None)
        owners = [
            User(
                username=f"bench-owner-{n:05d}",
                email=f"owner{n:05d}@bench.example",
                password=unusable,
            )
            for n in range(volume.enterprises)
        ]
        official = User(
            username=OFFICIAL_USERNAME,
            email="official@bench.example",
            password=unusable,
            is_staff=True,
        )
        User.objects.bulk_create([*owners, official], batch_size=1000)
        users = dict(User.objects.values_list("username", "pk"))
        Membership.objects.bulk_create(
            [
                Membership(
                    user_id=users[owner.username],
                    enterprise_id=int(pk),
                    role=MembershipRole.OWNER,
                )
                for owner, pk in zip(owners, self.applicant_ids, strict=True)
            ],
            batch_size=1000,
        )
        self.official = User.objects.get(username=OFFICIAL_USERNAME)
        self.official.groups.add(Group.objects.get(name=OFFICIAL_GROUP))
        return (
            f"{volume.enterprises:,} applicants ({int(self.anchor.sum()):,} anchors, "
            f"{len(groups):,} in {len(group_ids):,} groups), {volume.suppliers:,} suppliers, "
            f"{len(owners) + 1:,} users"
        )

    # Programmes ----------------------------------------------------------------------------

    def programmes(self) -> str:
        from directory.models import SupplyCategory
        from subsidies.management.commands.seed_programmes import programme_specs
        from subsidies.models import Programme, SupportCap

        specs = {spec["kind"]: spec for spec in programme_specs(self.year, self.today)}
        self.programme = {}
        for kind in PROGRAMME_SHARES:
            spec = dict(specs[kind])
            slugs = spec.pop("categories", [])
            programme = Programme.objects.create(**spec)
            programme.eligible_categories.set(SupplyCategory.objects.filter(slug__in=slugs))
            self.programme[kind] = programme
        # Leaf categories (what lines are bought in) each line programme pays for.
        leaves = list(SupplyCategory.objects.filter(parent__isnull=False).order_by("pk"))
        self.leaf_ids = {}
        for kind in LINE_KINDS:
            parents = set(self.programme[kind].eligible_categories.values_list("pk", flat=True))
            self.leaf_ids[kind] = {leaf.pk for leaf in leaves if leaf.parent_id in parents}
        eligible = self.leaf_ids["local_procurement"]
        self.eligible_leaves = np.array(sorted(eligible))
        self.other_leaves = np.array(sorted(leaf.pk for leaf in leaves if leaf.pk not in eligible))
        SupportCap.objects.create(
            amount_cny=CAP_CNY,
            years=CAP_YEARS,
            effective_from=self.today.replace(year=self.year - CAP_YEARS),
            set_by=self.official,
        )
        return f"{len(self.programme)} programmes of {self.year}, cap {CAP_CNY:,.0f} CNY"

    # Purchase lines ------------------------------------------------------------------------

    def line_counts(self) -> np.ndarray:
        """Lines per applicant: the big buyer's, then anchors ANCHOR_LINE_WEIGHT x an SME's."""
        volume = self.volume
        counts = np.zeros(volume.enterprises, dtype=np.int64)
        counts[0] = volume.big_buyer_lines
        rest = volume.lines - volume.big_buyer_lines
        weights = np.where(self.anchor[1:], ANCHOR_LINE_WEIGHT, 1.0)
        share = rest * weights / weights.sum()
        base = np.floor(share).astype(np.int64)
        base[np.argsort(base - share)[: rest - int(base.sum())]] += 1
        counts[1:] = base
        return counts

    def purchase_lines(self) -> str:
        from directory.lcr.ledger import lcr_ledger_batch
        from directory.models import PurchaseLine

        rng = self.rng
        counts = self.line_counts()
        total = int(counts.sum())
        buyer = np.repeat(np.arange(len(counts)), counts)
        position = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        invoice = position // LINES_PER_INVOICE
        # One supplier and one date per invoice.
        _codes, invoice_of_line = np.unique(buyer * 10**7 + invoice, return_inverse=True)
        invoices = int(invoice_of_line.max()) + 1
        supplier = rng.integers(0, len(self.supplier_codes), invoices)[invoice_of_line]
        this_year = datetime.date(self.year, 1, 1)
        last_year = datetime.date(self.year - 1, 1, 1)
        days_so_far = (self.today - this_year).days + 1
        current = rng.random(invoices) < CURRENT_YEAR_SHARE
        day = np.where(
            current, rng.integers(0, days_so_far, invoices), rng.integers(0, 365, invoices)
        )
        dates = [
            (this_year if is_current else last_year) + datetime.timedelta(days=int(offset))
            for is_current, offset in zip(current, day, strict=True)
        ]
        eligible = rng.random(total) < ELIGIBLE_CATEGORY_SHARE
        category = np.where(
            eligible,
            rng.choice(self.eligible_leaves, total),
            rng.choice(self.other_leaves, total),
        )
        # Half the lines are repeat orders (a catalogue price times a round quantity), so the
        # same supplier and amount recur as they do in real purchase books.
        prices = np.round(rng.lognormal(8.5, 1.0, (len(self.supplier_codes), 4)) * 100)
        quantity = rng.choice([1, 2, 5, 10, 20, 50, 100, 200], total)
        catalogue = prices[supplier, rng.integers(0, 4, total)] * quantity
        free = np.round(rng.lognormal(10.5, 1.2, total) * 100)
        cents = np.where(rng.random(total) < CATALOGUE_SHARE, catalogue, free).astype(np.int64)
        cents = np.maximum(cents, 100)
        cents[rng.random(total) < CREDIT_NOTES] *= -1

        def rows(start: int, stop: int):
            for i in range(start, stop):
                yield PurchaseLine(
                    buyer_id=int(self.applicant_ids[buyer[i]]),
                    supplier_id=self.supplier_codes[supplier[i]],
                    supplier_name=self.supplier_names[supplier[i]],
                    invoice_no=f"B{buyer[i]:05d}-{invoice[i]:06d}",
                    line_no=int(position[i] % LINES_PER_INVOICE + 1),
                    invoice_date=dates[invoice_of_line[i]],
                    category_id=int(category[i]),
                    quantity=Decimal(int(quantity[i])),
                    unit="kg",
                    amount=cny(cents[i]),
                    # A credit note names the invoice it corrects (a database constraint).
                    original_invoice_no=(
                        f"B{buyer[i]:05d}-{max(int(invoice[i]) - 1, 0):06d}" if cents[i] < 0 else ""
                    ),
                    created_at=self.now,
                    updated_at=self.now,
                )

        batch = 5000
        # Each bulk_create would sum its buyers' years into the LCR ledger again: once, after
        # the suppliers' confirmations (`confirmations`), is enough.
        with lcr_ledger_batch():
            for start in range(0, total, batch):
                PurchaseLine.objects.bulk_create(list(rows(start, min(total, start + batch))))
        return f"{total:,} lines on {invoices:,} invoices (big buyer {int(counts[0]):,})"

    def confirmations(self) -> str:
        """CONFIRMED_SHARE of the lines confirmed by their supplier, on the values the line has
        (what counted_for_subsidy() compares: amount, invoice date, supplier, category); the
        rest have no decision, i.e. are unconfirmed, and no programme counts them."""
        from directory.lcr.ledger import rebuild_lcr_ledger
        from directory.models import ConfirmationStatus, PurchaseLine, PurchaseLineConfirmation

        lines = PurchaseLine.objects.order_by("pk").values_list(
            "pk", "amount", "invoice_date", "supplier_id", "category_id"
        )
        confirmed = []
        batch = 5000
        for row in lines.iterator(chunk_size=batch):
            if self.rng.random() < CONFIRMED_SHARE:
                confirmed.append(row)
        self.confirmed_ids = {row[0] for row in confirmed}
        for start in range(0, len(confirmed), batch):
            PurchaseLineConfirmation.objects.bulk_create(
                [
                    PurchaseLineConfirmation(
                        line_id=pk,
                        status=ConfirmationStatus.CONFIRMED,
                        amount=amount,
                        invoice_date=invoice_date,
                        supplier_uscc=supplier,
                        category_id=category,
                        decided_at=self.now,
                    )
                    for pk, amount, invoice_date, supplier, category in confirmed[
                        start : start + batch
                    ]
                ]
            )
        # bulk_create of confirmations sends no signal: the ledger is summed again once.
        rebuild_lcr_ledger()
        return f"{len(confirmed):,} lines confirmed by their supplier"

    # Applications --------------------------------------------------------------------------

    def claim_pools(self) -> dict[str, dict[int, list[tuple]]]:
        """Per line programme and buyer, the lines it could claim, shuffled."""
        from directory.models import PurchaseLine

        big_buyer = int(self.applicant_ids[0])
        pools: dict[str, dict[int, list[tuple]]] = {kind: {} for kind in LINE_KINDS}
        lines = PurchaseLine.objects.filter(invoice_date__year=self.year, amount__gt=0).values_list(
            "pk",
            "buyer_id",
            "category_id",
            "amount",
            "supplier_id",
            "invoice_no",
            "line_no",
            "invoice_date",
        )
        by_buyer: dict[int, list[tuple]] = {}
        for row in lines.order_by("pk"):
            # Only lines their supplier confirmed count for a subsidy (claimable_lines).
            if row[0] in self.confirmed_ids:
                by_buyer.setdefault(row[1], []).append(row)
        for buyer, rows in by_buyer.items():
            order = self.rng.permutation(len(rows))
            rows = [rows[i] for i in order]
            if buyer == big_buyer:
                # Keep most of the big buyer's lines free for the timed claims.
                rows = rows[: int(self.volume.big_buyer_lines * BIG_BUYER_CLAIMED_SHARE)]
            for kind in LINE_KINDS:
                pools[kind][buyer] = [row for row in rows if row[2] in self.leaf_ids[kind]]
        return pools

    def applications(self) -> str:
        from alliance.standard_keys import standard_key
        from subsidies import rules
        from subsidies.models import (
            Application,
            ClaimedLine,
            DisbursementBatch,
            Notice,
        )

        volume, rng, now = self.volume, self.rng, self.now
        count = volume.applications
        kinds = rng.choice(list(PROGRAMME_SHARES), count, p=list(PROGRAMME_SHARES.values()))
        statuses = rng.choice(list(STATUS_SHARES), count, p=list(STATUS_SHARES.values()))
        pools = self.claim_pools()
        applicant = rng.choice(self.applicant_ids, count)
        for kind in LINE_KINDS:
            # Buyers with more lines to claim make more claims.
            buyers = np.array(list(pools[kind]), dtype=np.int64)
            sizes = np.array([len(pools[kind][b]) for b in buyers], dtype=float)
            chosen = kinds == kind
            applicant[chosen] = rng.choice(buyers, int(chosen.sum()), p=sizes / sizes.sum())

        # Lines per line application: at least one, heavy-tailed, summing to volume.claims.
        line_apps = np.flatnonzero(np.isin(kinds, LINE_KINDS))
        if volume.claims < len(line_apps):
            sys.exit(f"--claims must be at least the {len(line_apps):,} line applications.")
        weights = rng.lognormal(0, 1.0, len(line_apps))
        wanted = 1 + rng.multinomial(volume.claims - len(line_apps), weights / weights.sum())
        taken: set[int] = set()
        claims: dict[int, list[tuple]] = {}
        cursor: dict[tuple[str, int], int] = {}

        def take(index: int, n: int) -> int:
            key = (str(kinds[index]), int(applicant[index]))
            pool = pools[key[0]].get(key[1], [])
            got = claims.setdefault(index, [])
            start = cursor.get(key, 0)
            while start < len(pool) and n > 0:
                row = pool[start]
                start += 1
                if row[0] not in taken:
                    taken.add(row[0])
                    got.append(row)
                    n -= 1
            cursor[key] = start
            return len(got)

        for index, n in zip(line_apps, wanted, strict=True):
            take(int(index), int(n))
        short = volume.claims - len(taken)
        while short > 0:
            progress = False
            for index in rng.permutation(line_apps):
                before = len(claims[int(index)])
                after = take(int(index), min(short, 10))
                short -= after - before
                progress |= after > before
                if short == 0:
                    break
            if not progress:
                sys.exit(
                    f"Only {len(taken):,} lines can be claimed; lower --claims or raise --lines."
                )

        # Amounts by each programme's rule, then the states' dates.
        programme = {kind: self.programme[kind] for kind in PROGRAMME_SHARES}
        apps = []
        for index in range(count):
            kind, status = str(kinds[index]), str(statuses[index])
            p = programme[kind]
            lines = claims.get(index, [])
            if kind in LINE_KINDS and not lines:
                status = "draft"
            if status == "awaiting_confirmation" and p.second_approval_above_cny is None:
                status = "approved"
            app = Application(
                programme=p, kind=kind, applicant_id=int(applicant[index]), status=status
            )
            computed = None
            if kind in LINE_KINDS:
                computed = rules.procurement_subsidy_cny([row[3] for row in lines], p.rate_percent)
                if kind == "demonstration_procurement":
                    app.scenario = ("grid_storage", "drones", "humanoid_robots")[index % 3]
                    app.scenario_site = f"基准示范项目{index:05d}"
            elif kind == "standards_reward":
                app.standard_body = "IEC"
                app.standard_number = f"IEC 9{index:05d}-1"
                app.standard_title = f"Bench standard {index:05d}"
                app.standard_is_international = True
                app.standard_role = "lead" if rng.random() < 0.3 else "participate"
                app.standard_key = standard_key(app.standard_body, app.standard_number)
                computed = rules.standards_reward_cny(
                    app.standard_role, p.lead_reward_cny, p.participate_reward_cny
                )
            elif kind == "national_matching":
                app.project_name = f"基准国家重大项目{index:05d}"
                app.approving_ministry = "国家发展和改革委员会"
                app.document_number = f"发改高技〔{self.year}〕{index:05d}号"
                app.document_key = rules.document_key(app.document_number)
                app.total_investment_cny = cny(int(rng.lognormal(np.log(5e8), 0.8)))
                computed = rules.national_matching_cny(app.total_investment_cny, p.rate_percent)
            else:
                app.summary = f"Bench R&D proposal {index:05d}"
                app.requested_amount_cny = cny(int(rng.integers(30, 300)) * 1_000_000)
                computed = app.requested_amount_cny
            if status != "draft":
                app.computed_amount_cny = computed
            if status in RESERVED:
                award = computed
                if kind == "rd_fund":
                    award = (computed * Decimal(str(rng.uniform(0.6, 1.0)))).quantize(
                        Decimal("0.01")
                    )
                app.awarded_amount_cny = award
                low, high = DECIDED_DAYS_AGO[status]
                app.decided_at = now - datetime.timedelta(days=float(rng.uniform(low, high)))
                app.submitted_at = app.decided_at - datetime.timedelta(
                    days=float(rng.uniform(10, 60))
                )
            elif status != "draft":
                app.submitted_at = now - datetime.timedelta(days=float(rng.uniform(1, 120)))
            start = app.submitted_at or now
            app.created_at = start - datetime.timedelta(days=float(rng.uniform(0, 30)))
            apps.append(app)
        refused = self.keep_within_caps(apps)

        notices = {}
        for kind, p in programme.items():
            current = Notice.objects.create(
                programme=p,
                published_by=self.official,
                published_at=now - datetime.timedelta(days=3),
                ends_at=now + datetime.timedelta(days=p.notice_days - 3),
            )
            past = Notice.objects.create(
                programme=p,
                published_by=self.official,
                published_at=now - datetime.timedelta(days=40),
                ends_at=now - datetime.timedelta(days=40 - p.notice_days),
            )
            batch = DisbursementBatch.objects.create(
                reference=f"BENCH-{kind[:20].upper()}",
                created_by=self.official,
                paid_at=now - datetime.timedelta(days=30),
                paid_by=self.official,
                payment_reference=f"BANK-{kind[:12].upper()}",
            )
            notices[kind] = (current, past, batch)
        for app in apps:
            current, past, batch = notices[app.kind]
            if app.status == "awaiting_confirmation":
                app.first_approved_by = self.official
            elif app.status == "in_notice":
                app.notice = current
            elif app.status == "disbursed":
                app.notice = past
                app.disbursement_batch = batch
                app.disbursed_at = min(now, app.decided_at + datetime.timedelta(days=25))
        Application.objects.bulk_create(apps, batch_size=1000)
        if apps[0].pk is None:
            sys.exit("The database did not return the new applications' ids.")
        self.batch_totals(apps, notices)
        self.apps = apps

        claimed = [
            ClaimedLine(
                application_id=apps[index].pk,
                purchase_line_id=row[0],
                amount_cny=row[3],
                supplier_uscc=row[4],
                invoice_key=rules.invoice_key(row[5]),
                line_no=row[6],
                invoice_date=row[7],
                holds_claim=apps[index].status not in RELEASED,
            )
            for index, rows in claims.items()
            for row in rows
        ]
        ClaimedLine.objects.bulk_create(claimed, batch_size=5000)
        by_status = {s: sum(a.status == s for a in apps) for s in STATUS_SHARES}
        shown = ", ".join(f"{s} {n:,}" for s, n in by_status.items() if n)
        return (
            f"{len(apps):,} applications ({shown}; {refused:,} refused for the cap), "
            f"{len(claimed):,} claimed lines"
        )

    def batch_totals(self, apps: list, notices: dict) -> None:
        """Set each disbursement batch's total to what it paid."""
        from subsidies.models import DisbursementBatch

        for kind, (_current, _past, batch) in notices.items():
            total = sum(
                (a.awarded_amount_cny for a in apps if a.kind == kind and a.status == "disbursed"),
                Decimal("0.00"),
            )
            DisbursementBatch.objects.filter(pk=batch.pk).update(total_cny=total)

    def keep_within_caps(self, apps: list) -> int:
        """Refuse, as an official would have, awards that would fill a recipient's cap past
        CAP_FILL; the rest of the cap is room for the timed approvals."""
        limit = CAP_CNY * CAP_FILL
        received: dict[tuple, Decimal] = {}
        refused = 0
        for app in sorted((a for a in apps if a.status in RESERVED), key=lambda a: a.decided_at):
            key = self.recipient[app.applicant_id]
            so_far = received.get(key, Decimal("0.00"))
            if so_far + app.awarded_amount_cny > limit:
                app.status = "rejected"
                app.awarded_amount_cny = None
                app.decided_at = None
                refused += 1
                continue
            received[key] = so_far + app.awarded_amount_cny
        return refused

    # Recoveries ----------------------------------------------------------------------------

    def recoveries(self) -> str:
        from subsidies.models import Recovery, RecoveryReason, RecoveryStatus, Repayment

        rng, now = self.rng, self.now
        disbursed = [a for a in self.apps if a.status == "disbursed"]
        if len(disbursed) < self.volume.recoveries:
            sys.exit(f"Only {len(disbursed):,} disbursed awards to recover from.")
        chosen = rng.choice(len(disbursed), self.volume.recoveries, replace=False)
        reasons = list(RecoveryReason.values)
        recoveries, planned = [], []
        for n, index in enumerate(chosen):
            app = disbursed[int(index)]
            award = int(app.awarded_amount_cny * 100)
            share = (1.0, 0.5, 0.25, float(rng.uniform(0.1, 0.9)))[n % 4]
            amount = max(1, int(award * share))
            opened = min(
                now, app.disbursed_at + datetime.timedelta(days=float(rng.uniform(30, 300)))
            )
            parts = int(rng.choice([0, 1, 2, 3], p=[0.25, 0.35, 0.25, 0.15]))
            repaid = amount if parts and rng.random() < 0.5 else int(amount * rng.uniform(0, 0.9))
            if parts == 0 or repaid < parts:
                parts, repaid = 0, 0
            if parts == 0:
                status = RecoveryStatus.WRITTEN_OFF if rng.random() < 0.1 else RecoveryStatus.OPEN
            else:
                status = RecoveryStatus.REPAID if repaid == amount else RecoveryStatus.PARTLY_REPAID
            recoveries.append(
                Recovery(
                    application_id=app.pk,
                    reason=reasons[n % len(reasons)],
                    basis="Bench recovery: share of the award",
                    amount_cny=cny(amount),
                    repaid_cny=cny(repaid),
                    status=status,
                    opened_by=self.official,
                    opened_at=opened,
                    closed_at=opened
                    if status in (RecoveryStatus.REPAID, RecoveryStatus.WRITTEN_OFF)
                    else None,
                )
            )
            planned.append(split_cents(repaid, parts, rng))
        Recovery.objects.bulk_create(recoveries, batch_size=1000)
        repayments = [
            Repayment(
                recovery_id=recovery.pk,
                amount_cny=cny(part),
                received_on=(recovery.opened_at + datetime.timedelta(days=10 * (k + 1))).date(),
                recorded_by=self.official,
                recorded_at=recovery.opened_at,
            )
            for recovery, parts in zip(recoveries, planned, strict=True)
            for k, part in enumerate(parts)
        ]
        Repayment.objects.bulk_create(repayments, batch_size=1000)
        return f"{len(recoveries):,} recoveries, {len(repayments):,} repayments"

    # Budgets -------------------------------------------------------------------------------

    def budgets(self) -> str:
        """Each programme's budget: what the seeded awards hold plus BUDGET_HEADROOM_CNY."""
        from subsidies.models import Programme

        shown = []
        for kind, programme in self.programme.items():
            held = sum(
                (
                    a.awarded_amount_cny
                    for a in self.apps
                    if a.kind == kind and a.status in RESERVED
                ),
                Decimal("0.00"),
            )
            budget = held + BUDGET_HEADROOM_CNY
            Programme.objects.filter(pk=programme.pk).update(budget_cny=budget)
            shown.append(f"{kind} {budget / 1_000_000:,.0f}M")
        return "CNY " + ", ".join(shown)

    # Audit log -----------------------------------------------------------------------------

    def audit_log(self) -> str:
        """Entries hashed (and keyed) with the audit chain's own rule and inserted in bulk; the
        chain's head is left where audit_append continues it."""
        from ssb_portal.audit_chain import chain as audit
        from ssb_portal.audit_chain.keys import current_key
        from ssb_portal.models import AuditChainHead, AuditEntry

        count = self.volume.audit_entries
        started = self.now - datetime.timedelta(days=3 * 365)
        step = (self.now - started) / max(count, 1)
        previous = audit.GENESIS_HASH
        moves = [
            ("draft", "submitted"),
            ("submitted", "under_review"),
            ("under_review", "approved"),
        ]
        key_id, secret = current_key()
        hashed_in = time.perf_counter()
        entries = []
        for sequence in range(1, count + 1):
            app = self.apps[sequence % len(self.apps)]
            before, after = moves[sequence % len(moves)]
            entry = AuditEntry(
                sequence=sequence,
                created_at=started + step * sequence,
                actor_id=None,
                actor_name=SEED_ACTOR,
                action="status",
                object_type="subsidies.application",
                object_id=str(app.pk),
                data={"from": before, "to": after, "note": ""},
                previous_hash=previous,
                key_id=key_id,
            )
            entry.entry_hash = audit.entry_hash_of(entry, secret)
            previous = entry.entry_hash
            entries.append(entry)
        hashed = time.perf_counter() - hashed_in
        AuditEntry.objects.bulk_create(entries, batch_size=2000)
        AuditChainHead.objects.update_or_create(
            pk=1, defaults={"last_sequence": count, "last_hash": previous}
        )
        rate = count / hashed if hashed else 0
        return f"{count:,} entries (hashing alone {hashed:.2f} s, {rate:,.0f}/s)"


# --- measuring -------------------------------------------------------------------------------


def percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


@dataclass
class Result:
    key: str
    label: str
    goal: str = ""
    samples_ms: list[float] = field(default_factory=list)
    queries: list[dict] = field(default_factory=list)  # of the warm-up run
    note: str = ""
    statuses: list[str] = field(default_factory=list)  # (d): where each approval led
    checked: int = 0  # (h): entries verified

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95)

    def slowest(self, n: int = 2) -> list[dict]:
        """The slowest statements of the warm-up run (COMMIT included: it is the disk's
        flush; BEGIN and savepoints left out)."""
        statements = [
            q for q in self.queries if not q["sql"].startswith(("BEGIN", "SAVEPOINT", "RELEASE"))
        ]
        return sorted(statements, key=lambda q: -float(q["time"]))[:n]


class Bench:
    """The timed operations, each through the portal's own services and selectors."""

    def __init__(self, *, claim_lines: int):
        from django.contrib.auth import get_user_model

        from directory.models import Enterprise, EnterpriseKind
        from subsidies.models import Programme, ProgrammeKind

        self.claim_lines = claim_lines
        self.local = Programme.objects.get(kind=ProgrammeKind.LOCAL_PROCUREMENT)
        self.big_buyer = Enterprise.objects.get(uscc=uscc(ENTERPRISE_SERIAL))
        self.big_owner = self.owner_of(self.big_buyer)
        self.official = get_user_model().objects.get(username=OFFICIAL_USERNAME)
        self.anchors = list(
            Enterprise.objects.filter(kind=EnterpriseKind.ANCHOR, uscc__lt=uscc(SUPPLIER_SERIAL))
            .exclude(pk=self.big_buyer.pk)
            .order_by("pk")
        )
        self.results: dict[str, Result] = {}

    @staticmethod
    def owner_of(enterprise):
        return enterprise.memberships.select_related("user").order_by("pk").first().user

    def result(self, key: str, label: str, goal: str = "") -> Result:
        if key not in self.results:
            self.results[key] = Result(key, label, goal)
        return self.results[key]

    def timed(self, key: str, function: Callable[[], object], *, warm_up: bool):
        """Run once; a warm-up run records its queries instead of a time."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        result = self.results[key]
        if warm_up:
            with CaptureQueriesContext(connection) as captured:
                value = function()
            result.queries = list(captured.captured_queries)
            return value
        started = time.perf_counter()
        value = function()
        result.samples_ms.append((time.perf_counter() - started) * 1000)
        return value

    def invoices_pdf(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from directory.demo.documents import blank_pdf

        return SimpleUploadedFile("invoices.pdf", blank_pdf(), content_type="application/pdf")

    def draft(self, applicant, owner):
        """A fresh draft of the local procurement subsidy with its invoices attached."""
        from subsidies.models import DocumentKind
        from subsidies.services.drafting import application_create, document_add

        application = application_create(
            actor=owner,
            programme=self.local,
            applicant=applicant,
            data={"summary": BENCH_SUMMARY},
        )
        document_add(
            actor=owner,
            application=application,
            kind=DocumentKind.INVOICES,
            upload=self.invoices_pdf(),
        )
        return application

    # (a), (b), (c), (e): one application claiming claim_lines lines, submitted, withdrawn.

    def claim_run(self, *, warm_up: bool) -> None:
        from subsidies.selectors.access import application_for
        from subsidies.selectors.eligibility import (
            application_eligibility,
            claimable_lines,
            near_duplicate_lines,
        )
        from subsidies.services.drafting import application_set_lines
        from subsidies.services.submission import application_submit, application_withdraw

        n = self.claim_lines
        self.result("a", f"(a) application_set_lines, {n} lines")
        self.result("b", "(b) application_eligibility")
        self.result("c", f"(c) application_submit, {n} lines", f"p95 <= {GOAL_SUBMIT_P95_MS:.0f}")
        self.result("e", f"(e) near_duplicate_lines, {n} lines")
        owner = self.big_owner
        application = self.draft(self.big_buyer, owner)
        ids = list(claimable_lines(application).values_list("pk", flat=True)[:n])
        if len(ids) < n:
            sys.exit(f"The big buyer has only {len(ids)} claimable lines; lower --claim-lines.")
        self.timed(
            "a",
            lambda: application_set_lines(actor=owner, application=application, line_ids=ids),
            warm_up=warm_up,
        )
        for repeat in range(REPEATS_PER_CLAIM_RUN):
            viewed = application_for(owner, application.pk)
            eligibility = self.timed(
                "b",
                lambda viewed=viewed: application_eligibility(viewed),
                warm_up=warm_up and repeat == 0,
            )
        if not eligibility.ok:
            sys.exit(f"The bench's application is not eligible: {eligibility.problems[:5]}")
        self.timed(
            "c",
            lambda: application_submit(actor=owner, application=application),
            warm_up=warm_up,
        )
        for repeat in range(REPEATS_PER_CLAIM_RUN):
            viewed = application_for(self.official, application.pk)
            found = self.timed(
                "e",
                lambda viewed=viewed: near_duplicate_lines(viewed),
                warm_up=warm_up and repeat == 0,
            )
        self.results["e"].note = f"{len(found)} pairs flagged"
        # Withdrawing releases the lines, so every run claims the same ones afresh.
        application_withdraw(
            actor=owner, application=application, note="Bench run over: lines released."
        )

    # (d): approval of an application under review, a fresh one per run.

    def approve_candidates(self):
        from subsidies.models import RESERVED_STATUSES, Application

        done = Application.objects.filter(
            programme=self.local, created_by__isnull=False, status__in=RESERVED_STATUSES
        ).count()
        start = done % len(self.anchors)
        while True:
            yield from self.anchors[start:] + self.anchors[:start]

    def approve_run(self, candidates, *, warm_up: bool) -> None:
        from subsidies.selectors.eligibility import claimable_lines
        from subsidies.services.approvals import application_approve
        from subsidies.services.drafting import application_set_lines
        from subsidies.services.reviews import application_start_review
        from subsidies.services.submission import application_submit, application_withdraw

        self.result("d", "(d) application_approve", f"p95 <= {GOAL_APPROVE_P95_MS:.0f}")
        for tried, applicant in enumerate(candidates):
            if tried > len(self.anchors):
                sys.exit("No anchor has purchase lines left to claim for (d).")
            owner = self.owner_of(applicant)
            application = self.draft(applicant, owner)
            ids = list(claimable_lines(application).values_list("pk", flat=True)[:APPROVE_LINES])
            if ids:
                break
            application_withdraw(actor=owner, application=application)
        application_set_lines(actor=owner, application=application, line_ids=ids)
        application_submit(actor=owner, application=application)
        application_start_review(actor=self.official, application=application)
        approved = self.timed(
            "d",
            lambda: application_approve(
                actor=self.official, application=application, note="Bench approval"
            ),
            warm_up=warm_up,
        )
        self.results["d"].statuses.append(approved.status)

    # (f), (g): reads, after READ_WARM_UP_RUNS warm-up runs.

    def reads(self, runs: int) -> None:
        from subsidies.selectors.eligibility import claimable_lines
        from subsidies.selectors.money import programmes_with_money
        from subsidies.selectors.public import awards_public
        from subsidies.services.submission import application_withdraw

        draft = self.draft(self.big_buyer, self.big_owner)
        claimable = claimable_lines(draft)
        reads = [
            (
                "f",
                "(f) claimable_lines()[:100], big buyer",
                f"p95 <= {GOAL_CLAIMABLE_P95_MS:.0f}",
                lambda: list(claimable[:100]),
            ),
            (
                "g1",
                "(g) programmes_with_money(), all",
                "",
                lambda: list(programmes_with_money()),
            ),
            ("g2", "(g) awards_public()[:50]", "", lambda: list(awards_public()[:50])),
        ]
        try:
            for key, label, goal, function in reads:
                self.result(key, label, goal)
                self.timed(key, function, warm_up=True)
                for _ in range(READ_WARM_UP_RUNS - 1):
                    function()
                for _ in range(runs):
                    self.timed(key, function, warm_up=False)
            total = claimable.count()
            self.results["f"].note = f"{total:,} claimable of the buyer's lines"
            programmes = list(programmes_with_money())
            self.results["g1"].note = ", ".join(
                f"{p.kind[:5]} {p.remaining_cny / 1_000_000:,.0f}M left" for p in programmes
            )
        finally:
            application_withdraw(actor=self.big_owner, application=draft)

    # (h): the audit log.

    def audit(self, *, appends: int, verify_runs: int) -> None:
        from django.db import transaction

        from ssb_portal.audit_chain import chain as audit
        from ssb_portal.audit_chain.verify import audit_chain_verify
        from ssb_portal.models import AuditEntry
        from subsidies.models import SupportCap

        subject = SupportCap.objects.order_by("pk").first()
        append = self.result("h1", "(h) audit_append, one per transaction")

        def one() -> None:
            with transaction.atomic():
                audit.audit_append(
                    actor=self.official, action="bench", subject=subject, data={"n": 1}
                )

        self.timed("h1", one, warm_up=True)
        for _ in range(appends):
            self.timed("h1", one, warm_up=False)
        rate = 1000 / statistics.mean(append.samples_ms)
        entries = AuditEntry.objects.count()
        append.note = f"{rate:,.0f} appends/s: 50,000 entries would take {50_000 / rate:,.0f} s"

        verify = self.result(
            "h2", "(h) audit_chain_verify, whole log", f">= {GOAL_VERIFY_ENTRIES_PER_S:,}/s"
        )
        checked = 0
        for run in range(verify_runs + 1):
            checked, broken = self.timed("h2", audit_chain_verify, warm_up=run == 0)
            if broken is not None:
                sys.exit(f"The audit chain is broken at {broken.sequence}: {broken.problem}")
        verify.checked = checked
        slowest = max(verify.samples_ms) / 1000
        verify.note = (
            f"{checked:,} of {entries:,} entries; {checked / (verify.p50 / 1000):,.0f}/s at p50, "
            f"{checked / slowest:,.0f}/s slowest run"
        )


# --- report ----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def goal_met(result: Result) -> bool | None:
    if result.key == "c":
        return result.p95 <= GOAL_SUBMIT_P95_MS
    if result.key == "d":
        return result.p95 <= GOAL_APPROVE_P95_MS
    if result.key == "f":
        return result.p95 <= GOAL_CLAIMABLE_P95_MS
    if result.key == "h2":
        return result.checked / (result.p95 / 1000) >= GOAL_VERIFY_ENTRIES_PER_S
    return None


def print_table(results: list[Result]) -> None:
    header = f"{'operation':<42} {'runs':>4} {'p50 ms':>9} {'p95 ms':>9} {'SQL':>4}  goal"
    print("\n" + header)
    print("-" * len(header) + "-" * 16)
    for r in results:
        met = goal_met(r)
        goal = f"{r.goal} {verdict(met)}" if met is not None else ""
        print(
            f"{r.label:<42} {len(r.samples_ms):>4} {r.p50:>9.1f} {r.p95:>9.1f} "
            f"{len(r.queries):>4}  {goal}"
        )
    print("\nSQL: queries of one (warm-up) run. Notes:")
    for r in results:
        if r.note:
            print(f"  {r.label}: {r.note}")


def print_slowest(results: list[Result]) -> None:
    print("\nSlowest queries of each operation (warm-up run, ms):")
    for r in results:
        for query in r.slowest(2):
            sql = " ".join(query["sql"].split())
            print(f"  {r.key:<3} {float(query['time']) * 1000:7.1f}  {sql[:150]}")


def explain(results: list[Result]) -> None:
    """The plan of the slowest SELECT of each operation: EXPLAIN ANALYZE on PostgreSQL,
    EXPLAIN QUERY PLAN on SQLite."""
    from django.db import connection

    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS)" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    )
    for r in results:
        selects = [
            q
            for q in r.slowest(len(r.queries))
            if q["sql"].lstrip().upper().startswith("SELECT") and "FOR UPDATE" not in q["sql"]
        ]
        if not selects:
            continue
        sql = selects[0]["sql"]
        print(f"\n-- {r.label}: {float(selects[0]['time']) * 1000:.1f} ms\n   {sql[:400]}")
        with connection.cursor() as cursor:
            cursor.execute(f"{prefix} {sql}")
            for row in cursor.fetchall():
                print("   ", row[-1] if connection.vendor == "sqlite" else row[0])


def describe_database() -> str:
    from django.db import connection

    from directory.models import Enterprise, PurchaseLine
    from ssb_portal.models import AuditEntry
    from subsidies.models import Application, ClaimedLine, Recovery, Repayment

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()"
        )
        version = cursor.fetchone()[0].split(" on ")[0]
    return (
        f"Database: {connection.vendor} ({version}) {connection.settings_dict['NAME']}\n"
        f"Volume: {Enterprise.objects.count():,} enterprises, "
        f"{PurchaseLine.objects.count():,} purchase lines, "
        f"{Application.objects.count():,} applications, "
        f"{ClaimedLine.objects.count():,} claimed lines "
        f"({ClaimedLine.objects.filter(holds_claim=True).count():,} held), "
        f"{Recovery.objects.count():,} recoveries, {Repayment.objects.count():,} repayments, "
        f"{AuditEntry.objects.count():,} audit entries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=2000, help="applicant enterprises")
    parser.add_argument("--suppliers", type=int, default=300, help="local verified suppliers")
    parser.add_argument("--lines", type=int, default=200_000, help="purchase lines")
    parser.add_argument("--big-buyer-lines", type=int, default=10_000)
    parser.add_argument("--applications", type=int, default=20_000)
    parser.add_argument("--claims", type=int, default=100_000, help="seeded claimed lines")
    parser.add_argument("--recoveries", type=int, default=2000)
    parser.add_argument("--audit-entries", type=int, default=50_000, help="seeded audit entries")
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each write")
    parser.add_argument("--read-runs", type=int, default=30, help="timed runs of (f) and (g)")
    parser.add_argument("--claim-lines", type=int, default=500, help="lines claimed in (a)")
    parser.add_argument("--appends", type=int, default=300, help="audit_append calls timed")
    parser.add_argument("--verify-runs", type=int, default=3, help="timed chain verifications")
    parser.add_argument("--reseed", action="store_true", help="seed even if the volume is there")
    parser.add_argument(
        "--explain", action="store_true", help="print the plan of each operation's slowest query"
    )
    args = parser.parse_args()
    volume = Volume(
        enterprises=args.enterprises,
        suppliers=args.suppliers,
        lines=args.lines,
        big_buyer_lines=args.big_buyer_lines,
        applications=args.applications,
        claims=args.claims,
        recoveries=args.recoveries,
        audit_entries=args.audit_entries,
    )

    configure_django()
    from django.core.management import call_command
    from django.db import connection

    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    if args.reseed or not database_holds(volume):
        print("Seeding ...", flush=True)
        started = time.perf_counter()
        recreate_database(vendor)
        Seed(volume, vendor).run()
        print(f"Seeded in {time.perf_counter() - started:.1f} s")
    else:
        print("Seeding skipped: the database holds that volume (--reseed to seed again)")
    print(describe_database())
    print(
        f"Runs: {args.runs} of each write after one warm-up run ((b) and (e) "
        f"{REPEATS_PER_CLAIM_RUN}x per run), {args.read_runs} of each read after "
        f"{READ_WARM_UP_RUNS} warm-up runs, {args.appends} appends, {args.verify_runs} "
        "verifications"
    )

    bench = Bench(claim_lines=args.claim_lines)
    for run in range(args.runs + 1):
        print(f"  claim run {run}/{args.runs} ...", file=sys.stderr, flush=True)
        bench.claim_run(warm_up=run == 0)
    candidates = bench.approve_candidates()
    for run in range(args.runs + 1):
        print(f"  approval run {run}/{args.runs} ...", file=sys.stderr, flush=True)
        bench.approve_run(candidates, warm_up=run == 0)
    approved = bench.results["d"]
    approved.note = ", ".join(
        f"{status} {approved.statuses.count(status)}" for status in sorted(set(approved.statuses))
    )
    print("  reads ...", file=sys.stderr, flush=True)
    bench.reads(args.read_runs)
    print("  audit log ...", file=sys.stderr, flush=True)
    bench.audit(appends=args.appends, verify_runs=args.verify_runs)

    order = ["a", "b", "c", "d", "e", "f", "g1", "g2", "h1", "h2"]
    results = [bench.results[key] for key in order]
    print_table(results)
    print_slowest(results)
    print("\nGoals:")
    for key, text in (
        ("d", f"approval p95 <= {GOAL_APPROVE_P95_MS:.0f} ms"),
        ("c", f"submit of {args.claim_lines} lines p95 <= {GOAL_SUBMIT_P95_MS:.0f} ms"),
        ("f", f"claimable_lines page p95 <= {GOAL_CLAIMABLE_P95_MS:.0f} ms"),
    ):
        r = bench.results[key]
        print(f"  {text}: {r.p95:.1f} ms  {verdict(goal_met(r))}")
    verify = bench.results["h2"]
    rate = verify.checked / (verify.p95 / 1000)
    print(
        f"  audit verification >= {GOAL_VERIFY_ENTRIES_PER_S:,} entries/s: {rate:,.0f}/s at p95 "
        f"({verify.checked:,} entries)  {verdict(goal_met(verify))}"
    )
    for key, limit in (
        ("d", GOAL_APPROVE_P95_MS),
        ("c", GOAL_SUBMIT_P95_MS),
        ("f", GOAL_CLAIMABLE_P95_MS),
    ):
        r = bench.results[key]
        record(
            Row(bench="subsidies", measure=f"{r.label} p95", ours=r.p95, unit="ms", at_most=limit)
        )
    record(
        Row(
            bench="subsidies",
            measure=f"verify_audit_log, {verify.checked:,} entries",
            ours=rate,
            unit="entries/s",
            at_least=GOAL_VERIFY_ENTRIES_PER_S_ISSUE_17,
        )
    )
    if args.explain:
        explain(results)


if __name__ == "__main__":
    main()
