"""Benchmark of `verify_audit_log` (issue 17): entries checked per second, before and after.

Seeds N audit entries into a database of its own (default var/bench_audit.sqlite3, or
DATABASE_URL; the name must contain "bench"): the bulk of them hashed and keyed with the chain's
own rule (`entry_hash_of`) and inserted in bulk with valid links, then a sample appended
through the real `audit_append`, so the head and the last entries are exactly what the portal
writes. Then it times, in interleaved rounds (the order alternates each round), the walk as it
was before issue 17 (a model instance per row, `json.dumps` and `hmac.new` per entry, kept
below as `verify_before`) and `audit_chain_verify` as it is now, on the same data, and prints
entries/s, min and median of each; the median of the walk as it is now goes to the table of
`make bench-all` (bench/benchkit.py) against issue 17's goal of 100,000 entries/s.

Not a test and not run by CI:

    python bench/audit_verify.py [--entries 200000] [--appends 200] [--rounds 5]

Seeding needs an empty database (the chain is append-only; on PostgreSQL its tables refuse
TRUNCATE): drop the bench database, or delete the SQLite file, to seed another size.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from benchkit import Row, django_setup, record

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
GOAL_ENTRIES_PER_S = 100_000


def configure_django() -> None:
    """benchkit.django_setup with persistent connections, the bench database's name checked
    and its tables migrated."""
    django_setup("bench_audit.sqlite3", CONN_MAX_AGE="600")
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name:
        sys.exit(f"Refusing to seed {name!r}: the benchmark's database name must contain 'bench'.")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def sample_data(sequence: int) -> dict:
    """What real entries carry: status moves, money as text, Chinese notes, lists of ids."""
    moves = [("draft", "submitted"), ("submitted", "under_review"), ("under_review", "approved")]
    before, after = moves[sequence % 3]
    data = {"from": before, "to": after, "note": "" if sequence % 4 else "材料齐全，同意受理"}
    if sequence % 5 == 0:
        data["amount"] = f"{sequence % 997 * 1234.5:.2f}"
        data["lines"] = [sequence, sequence + 1, sequence + 7]
    return data


def seed(entries: int, appends: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from ssb_portal.audit_chain.chain import GENESIS_HASH, audit_append, entry_hash_of, plain
    from ssb_portal.audit_chain.keys import current_key
    from ssb_portal.audit_chain.models import AuditChainHead, AuditEntry

    present = AuditEntry.objects.count()
    if present == entries:
        return
    if present:
        sys.exit(f"The bench database holds {present:,} entries, not {entries:,}: use a fresh one.")
    actor, _ = get_user_model().objects.get_or_create(username="bench-audit")
    key_id, secret = current_key()
    bulk = entries - appends
    now = timezone.now().replace(microsecond=0)
    started = now - datetime.timedelta(days=3 * 365)
    previous = GENESIS_HASH
    batch = []
    began = time.perf_counter()
    for sequence in range(1, bulk + 1):
        entry = AuditEntry(
            sequence=sequence,
            created_at=started + datetime.timedelta(seconds=sequence * 7, microseconds=sequence),
            actor_id=actor.pk if sequence % 2 else None,
            actor_name=actor.username if sequence % 2 else "",
            action="status",
            object_type="subsidies.application",
            object_id=str(sequence % 20_000 + 1),
            data=plain(sample_data(sequence)),
            previous_hash=previous,
            key_id=key_id,
        )
        entry.entry_hash = entry_hash_of(entry, secret)
        previous = entry.entry_hash
        batch.append(entry)
        if len(batch) == 5000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)
    if bulk:
        AuditChainHead.objects.create(pk=1, last_sequence=bulk, last_hash=previous)
    for sequence in range(bulk + 1, entries + 1):
        audit_append(actor=actor, action="status", subject=actor, data=sample_data(sequence))
    print(f"seeded {entries:,} entries in {time.perf_counter() - began:.1f} s")


def verify_before(batch_size: int = 2000):
    """The walk as it was before issue 17 (copied unchanged but for messages): a model
    instance per row through `.iterator()`, `entry_hash_of` (json.dumps, hmac.new) per entry."""
    from ssb_portal.audit_chain.chain import GENESIS_HASH, entry_hash_of
    from ssb_portal.audit_chain.keys import known_keys
    from ssb_portal.audit_chain.models import AuditChainHead, AuditEntry
    from ssb_portal.audit_chain.verify import published_heads

    promised = defaultdict(list)
    for head in published_heads():
        promised[head.sequence].append(head)
    keys = known_keys()
    previous_hash = GENESIS_HASH
    expected = 1
    checked = 0
    keyed_seen = False
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=batch_size):
        problem = None
        if entry.sequence != expected:
            return checked, "missing"
        if entry.previous_hash != previous_hash:
            problem = "link"
        elif entry.key_id and entry.key_id not in keys:
            problem = "key"
        elif not entry.key_id and keyed_seen:
            problem = "unkeyed"
        elif entry_hash_of(entry, keys.get(entry.key_id)) != entry.entry_hash:
            problem = "content"
        else:
            for head in promised.get(entry.sequence, []):
                if head.entry_hash != entry.entry_hash:
                    problem = "head"
        if problem:
            return checked, problem
        keyed_seen = keyed_seen or bool(entry.key_id)
        previous_hash = entry.entry_hash
        expected += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_sequence != checked:
        return checked, "head row"
    return checked, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--appends", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    configure_django()
    from django.db import connection

    from ssb_portal.audit_chain.verify import audit_chain_verify

    seed(args.entries, min(args.appends, args.entries))
    walks = {"before": verify_before, "now": audit_chain_verify}
    seconds = {name: [] for name in walks}
    # This process's CPU seconds beside the wall clock: on a loaded machine the walk waits
    # for a core, and the CPU rate says what it costs when it has one.
    cpu_seconds = {name: [] for name in walks}
    for round_ in range(args.rounds + 1):
        order = list(walks) if round_ % 2 else list(reversed(walks))
        for name in order:
            began, began_cpu = time.perf_counter(), time.process_time()
            checked, broken = walks[name]()
            elapsed, cpu = time.perf_counter() - began, time.process_time() - began_cpu
            if broken is not None or checked != args.entries:
                sys.exit(f"{name}: the chain is broken ({broken}) after {checked:,} entries")
            if round_:  # round 0 warms the cache for both
                seconds[name].append(elapsed)
                cpu_seconds[name].append(cpu)
    load = os.getloadavg()[0]
    print(
        f"{connection.vendor}, {args.entries:,} entries, {args.rounds} interleaved rounds "
        f"(goal >= {GOAL_ENTRIES_PER_S:,} entries/s), load {load:.1f}"
    )
    print(
        f"{'walk':<8}{'min s':>9}{'median s':>10}{'best /s':>12}{'median /s':>12}"
        f"{'CPU median /s':>15}"
    )
    for name, runs in seconds.items():
        best, median = min(runs), statistics.median(runs)
        print(
            f"{name:<8}{best:>9.3f}{median:>10.3f}"
            f"{args.entries / best:>12,.0f}{args.entries / median:>12,.0f}"
            f"{args.entries / statistics.median(cpu_seconds[name]):>15,.0f}"
        )
    ratio = statistics.median(seconds["before"]) / statistics.median(seconds["now"])
    rate = args.entries / statistics.median(seconds["now"])
    verdict = "pass" if rate >= GOAL_ENTRIES_PER_S else "FAIL"
    print(f"speed-up {ratio:.1f}x; now {rate:,.0f} entries/s median: {verdict}")
    before = args.entries / statistics.median(seconds["before"])
    record(
        Row(
            bench="audit",
            measure="verify_audit_log, median",
            ours=rate,
            unit="entries/s",
            at_least=GOAL_ENTRIES_PER_S,
            note=(
                f"{args.entries:,} entries, {connection.vendor}, load {load:.1f}; "
                f"{args.entries / statistics.median(cpu_seconds['now']):,.0f} entries per CPU "
                f"second; no SQL baseline (the walk hashes every entry in Python); before "
                f"issue 17: {before:,.0f} entries/s"
            ),
        )
    )


if __name__ == "__main__":
    main()
