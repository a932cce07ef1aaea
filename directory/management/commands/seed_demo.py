"""Load a believable demo city into the directory.

`manage.py seed_demo` writes enterprises of every kind across every supply category and
district, their products with technical specs, certifications, the verification history and
four demo logins. Everything is drawn from one random seed, so the same seed gives the same
city (names, USCCs, specs); dates are relative to today.

Demo data is not a user action: it is written with bulk inserts (COPY on PostgreSQL, a
prepared INSERT run by executemany on SQLite), the documented exception to "every write goes
through services", so that 100,000 enterprises load in two or three minutes. It keeps to the
models' constraints by construction (recommended only when verified and local, specs within
their ranges, USCC check characters computed by `uscc_check_character`). It hands out the
ids itself, so run it while nobody else writes to the directory.

    manage.py seed_demo [--enterprises 240] [--seed 2025] [--products-per-enterprise 3]
                        [--if-empty | --replace]
"""

import random
import time
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from directory.demo.city import City, build_plan, kind_counts
from directory.demo.composition import seed_composition
from directory.demo.enterprises import Draft, draw_enterprise
from directory.demo.evidence import seed_evidence
from directory.demo.passports import seed_passports
from directory.demo.purchases import seed_held_import, seed_purchases
from directory.demo.storage import (
    SEEDED_MODELS,
    delete_directory_data,
    insert,
    refresh_statistics,
    reset_sequences,
)
from directory.demo.users import (
    ANCHOR_USERNAME,
    OFFICIAL_USERNAME,
    SME_USERNAME,
    attach_demo_members,
    demo_logins,
    ensure_demo_users,
)
from directory.lcr.selectors import lcr_published
from directory.lcr.services import lcr_year_publish
from directory.models import District, Enterprise, EnterpriseKind, SupplyCategory

DEFAULT_ENTERPRISES = 240
DEFAULT_SEED = 2025
DEFAULT_PRODUCTS_PER_ENTERPRISE = 3.0
CHUNK = 2_000  # enterprises generated and inserted at a time
DEFAULT_PURCHASE_LINES = 120  # per verified anchor firm and year, last year and this year


class Command(BaseCommand):
    help = (
        "Load a demo city into the directory: enterprises of every kind across every supply "
        "category and district, products with specs, certifications, verification history and "
        "the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enterprises",
            type=int,
            default=DEFAULT_ENTERPRISES,
            help=f"How many enterprises (default {DEFAULT_ENTERPRISES}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Random seed; the same seed gives the same city.",
        )
        parser.add_argument(
            "--products-per-enterprise",
            type=float,
            default=DEFAULT_PRODUCTS_PER_ENTERPRISE,
            help="Average number of products per enterprise, between 1 and 4 (default 3).",
        )
        parser.add_argument(
            "--purchase-lines",
            type=int,
            default=DEFAULT_PURCHASE_LINES,
            help="Purchase lines per verified anchor firm for last year and for this year, "
            f"recorded through the import service (default {DEFAULT_PURCHASE_LINES}; 0: none).",
        )
        parser.add_argument(
            "--outside-development",
            action="store_true",
            help="Load even though DEBUG is off, e.g. into a benchmark database. The demo "
            "logins have a published password: never use this on a production database.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the demo logins) when the directory holds enterprises.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="DELETE every enterprise first, with everything that refers to one (products, "
            "certifications, memberships, purchases...); districts, categories and users stay.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["outside_development"]:
            raise CommandError(
                "seed_demo creates logins with a published password, so it runs only in "
                "development (DEBUG on). Pass --outside-development to load a benchmark "
                "database."
            )
        if options["if_empty"] and Enterprise.objects.exists():
            self.stdout.write(
                f"The directory holds {Enterprise.objects.count():,} enterprises already; "
                "nothing loaded."
            )
            self.stdout.write(self.style.SUCCESS(demo_logins()))
            return
        if Enterprise.objects.exists() and not options["replace"]:
            raise CommandError(
                "The directory holds enterprises already. Use --if-empty to keep them or "
                "--replace to delete them first."
            )
        if not 1 <= options["products_per_enterprise"] <= 4:
            raise CommandError("--products-per-enterprise must be between 1 and 4.")
        started = time.monotonic()
        with transaction.atomic():
            if options["replace"]:
                delete_directory_data()
            counts = self.seed(options)
        if connection.vendor == "postgresql":
            refresh_statistics()
        self.report(counts, time.monotonic() - started)

    def seed(self, options) -> Counter:
        users = ensure_demo_users()
        leaves = list(
            SupplyCategory.objects.filter(parent__isnull=False, children__isnull=True)
            .select_related("parent")
            .order_by("sort_order", "slug")
        )
        districts = list(District.objects.order_by("sort_order", "code"))
        city = City(
            rng=random.Random(options["seed"]),
            now=timezone.now(),
            today=timezone.localdate(),
            leaves=leaves,
            by_slug={leaf.slug: leaf for leaf in leaves},
            districts=districts,
            official_id=users[OFFICIAL_USERNAME].pk,
            products_per_enterprise=options["products_per_enterprise"],
            last_ids={
                model: model.objects.aggregate(last=Max("pk"))["last"] or 0
                for model in SEEDED_MODELS
            },
        )
        n = options["enterprises"]
        if kind_counts(n)[EnterpriseKind.SME] < len(leaves) or n < len(districts):
            raise CommandError(
                f"Seed at least {len(leaves) + 10} enterprises, so that every category and "
                "district has one."
            )
        plan = build_plan(city, n)
        counts: Counter = Counter()
        demo_enterprises = {}
        for start in range(0, n, CHUNK):
            chunk = plan[start : start + CHUNK]
            drafts = [draw_enterprise(city, item) for item in chunk]
            insert(city, drafts)
            for item, draft in zip(chunk, drafts, strict=True):
                if item.demo:
                    demo_enterprises[item.demo] = draft.enterprise
            self.count(counts, drafts)
            if n >= 10 * CHUNK and options["verbosity"] and (start + CHUNK) % (5 * CHUNK) == 0:
                self.stdout.write(f"  {counts['enterprises']:,} / {n:,} enterprises")
        reset_sequences()
        attach_demo_members(users, demo_enterprises)
        official = users[OFFICIAL_USERNAME]
        if options["purchase_lines"] > 0:
            counts["purchase lines"] = seed_purchases(city, options["purchase_lines"])
            # Last year is over: an official freezes its figures; this year stays provisional.
            # Published figures never change, so a replaced city keeps an earlier publication.
            if lcr_published(city.today.year - 1) is None:
                lcr_year_publish(actor=official, year=city.today.year - 1)
                counts["published years"] = 1
            if ANCHOR_USERNAME in demo_enterprises:
                counts["verified bills of materials"] = seed_composition(
                    official=official, anchor=demo_enterprises[ANCHOR_USERNAME], today=city.today
                )
                counts["held lines"] = seed_held_import(
                    city, actor=users[ANCHOR_USERNAME], buyer=demo_enterprises[ANCHOR_USERNAME]
                )
        if SME_USERNAME in demo_enterprises:
            counts["datasets"] = seed_evidence(
                sme_user=users[SME_USERNAME],
                official=official,
                enterprise=demo_enterprises[SME_USERNAME],
                today=city.today,
            )
        counts["passport versions"] = seed_passports(
            rng=city.rng, sme_enterprise=demo_enterprises.get(SME_USERNAME)
        )
        return counts

    @staticmethod
    def count(counts: Counter, drafts: list[Draft]) -> None:
        for draft in drafts:
            enterprise = draft.enterprise
            counts["enterprises"] += 1
            counts[enterprise.status] += 1
            counts["recommended"] += enterprise.recommended
            counts["products"] += len(draft.products)
            counts["certifications"] += len(draft.certifications)
            counts["status changes"] += len(draft.events) + len(draft.product_events)

    def report(self, counts: Counter, seconds: float) -> None:
        self.stdout.write(
            f"Loaded {counts['enterprises']:,} enterprises ({counts['verified']:,} verified, "
            f"{counts['pending']:,} pending, {counts['returned']:,} returned, "
            f"{counts['recommended']:,} recommended), {counts['products']:,} products, "
            f"{counts['certifications']:,} certifications, {counts['status changes']:,} "
            f"status changes, {counts['purchase lines']:,} purchase lines "
            f"({counts['published years']} year published; {counts['held lines']} lines of a "
            f"large import await an official), {counts['datasets']} measured "
            f"datasets, {counts['passport versions']} battery-passport versions in "
            f"{seconds:.1f} s."
        )
        self.stdout.write(self.style.SUCCESS(demo_logins()))
