"""What every benchmark shares: Django set up for a run, interleaved timing and the one result
table of `make bench-all`.

Rounds are interleaved (a, b, c, a, b, c, ...) so that the machine's load and the database's
cache fall on every way alike; each bench prints the minimum and the median of its ways.

A bench reports a measure with `record(Row(...))`: printed at once, and, when the environment
names a file in BENCH_RESULTS, appended to it as one JSON line. `bench/all.py` reads that file
and prints one table: measure, ours, baseline, ratio, goal, pass/fail.

The ratio is always "how many times worse than the baseline": ours / baseline for times,
baseline / ours for rates (lines/s, entries/s). A goal is met when every bound given holds.
"""

import json
import os
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS_ENV = "BENCH_RESULTS"
BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
VAR_DIR = BASE_DIR / "var"


def django_setup(sqlite_file: str, **environ: str) -> None:
    """Django for a benchmark run: the bench's own database (`var/<sqlite_file>` unless
    DATABASE_URL names another), debug off (it would keep every query in memory), keys that
    are obviously not production secrets, plain HTTP (a test client speaks no TLS), quiet
    request logs, mail kept in memory and no page cache (a bench repeats one request: a kept
    answer would time the cache, not the work; `make load-test` measures the cache).
    `environ` gives a bench's own variables; like these defaults, each yields to the
    environment. The bench folder leaves the import path first:
    bench/subsidies.py would shadow the subsidies app.
    """
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]
    sys.path.insert(0, str(BASE_DIR))
    VAR_DIR.mkdir(exist_ok=True)
    defaults = {
        "DATABASE_URL": f"sqlite:///{VAR_DIR / sqlite_file}",
        "DJANGO_SETTINGS_MODULE": "ssb_portal.settings",
        "SECRET_KEY": "bench-only-not-a-secret",
        "AUDIT_CHAIN_KEY": "bench-only-audit-chain-key-not-a-secret",
        "SECURE_SSL_REDIRECT": "0",
        "REQUEST_LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PAGE_CACHE": "0",
    }
    for name, value in {**defaults, **environ}.items():
        os.environ.setdefault(name, value)
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


RATE_UNITS = ("lines/s", "entries/s", "rows/s")


def interleaved(
    ways: dict[str, Callable[[], object]], rounds: int, warm_up: int = 1
) -> tuple[dict[str, list[float]], dict[str, object]]:
    """Run each way once per round, in the order given, `rounds` times after `warm_up`
    untimed rounds; (seconds of each run by way, last result by way)."""
    results: dict[str, object] = {}
    for _ in range(warm_up):
        for name, way in ways.items():
            results[name] = way()
    durations: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(rounds):
        for name, way in ways.items():
            started = time.perf_counter()
            results[name] = way()
            durations[name].append(time.perf_counter() - started)
    return durations, results


def percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def min_median(seconds: list[float], unit: str = "s") -> str:
    scale = 1000 if unit == "ms" else 1
    return (
        f"min {min(seconds) * scale:8.3f} {unit}   median "
        f"{statistics.median(seconds) * scale:8.3f} {unit}"
    )


@dataclass
class Row:
    """One measure of one bench. `ours` and `baseline` are in `unit`; bounds left None are
    not part of the goal."""

    bench: str
    measure: str
    ours: float
    unit: str
    baseline: float | None = None
    at_most: float | None = None  # ours <= at_most (times)
    at_least: float | None = None  # ours >= at_least (rates)
    ratio_at_most: float | None = None  # ratio <= ratio_at_most
    # With ratio_at_most, a fixed allowance on top: ours <= ratio_at_most × baseline + this
    # (a request's fixed cost is no multiple of a one-millisecond query).
    plus_at_most: float | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def is_rate(self) -> bool:
        return self.unit in RATE_UNITS

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0 or self.ours == 0:
            return None
        return self.baseline / self.ours if self.is_rate else self.ours / self.baseline

    @property
    def goal(self) -> str:
        parts = []
        if self.at_most is not None:
            parts.append(f"≤ {number(self.at_most)} {self.unit}")
        if self.at_least is not None:
            parts.append(f"≥ {number(self.at_least)} {self.unit}")
        if self.ratio_at_most is not None and self.plus_at_most is not None:
            parts.append(f"≤ {self.ratio_at_most:g}× baseline + {self.plus_at_most:g} {self.unit}")
        elif self.ratio_at_most is not None:
            parts.append(f"≤ {self.ratio_at_most:g}× baseline")
        return ", ".join(parts) or "—"

    @property
    def passed(self) -> bool | None:
        """None when the row states no goal; False when a ratio goal has no baseline."""
        checks = []
        if self.at_most is not None:
            checks.append(self.ours <= self.at_most)
        if self.at_least is not None:
            checks.append(self.ours >= self.at_least)
        if self.ratio_at_most is not None and self.plus_at_most is not None:
            checks.append(
                self.baseline is not None
                and self.ours <= self.ratio_at_most * self.baseline + self.plus_at_most
            )
        elif self.ratio_at_most is not None:
            ratio = self.ratio
            checks.append(ratio is not None and ratio <= self.ratio_at_most)
        return all(checks) if checks else None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> "Row":
        return cls(**json.loads(line))


def number(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if value < 1 else f"{value:.2f}"


def record(row: Row) -> Row:
    """Print the row and append it to the results file, if the environment names one."""
    ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "—"
    verdict = {True: "pass", False: "FAIL", None: ""}[row.passed]
    print(
        f"  [{row.bench}] {row.measure}: {number(row.ours)} {row.unit}, baseline "
        f"{number(row.baseline) if row.baseline is not None else '—'}, {ratio}; "
        f"goal {row.goal} {verdict}".rstrip()
    )
    path = os.environ.get(RESULTS_ENV)
    if path:
        with Path(path).open("a", encoding="utf-8") as out:
            out.write(row.to_json() + "\n")
    return row


def read_rows(path: Path) -> list[Row]:
    if not path.exists():
        return []
    return [Row.from_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


COLUMNS = [
    ("bench", "<", 10),
    ("measure", "<", 30),
    ("ours", ">", 10),
    ("baseline", ">", 10),
    ("unit", "<", 9),
    ("ratio", ">", 7),
    ("goal", "<", 12),
    ("result", "<", 6),
]


def width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, align: str, columns: int) -> str:
    fill = " " * max(0, columns - width(text))
    return text + fill if align == "<" else fill + text


def cells(row: Row) -> list[str]:
    return [
        row.bench,
        row.measure,
        number(row.ours),
        number(row.baseline) if row.baseline is not None else "—",
        row.unit,
        f"{row.ratio:.2f}×" if row.ratio is not None else "—",
        row.goal,
        {True: "pass", False: "FAIL", None: "—"}[row.passed],
    ]


def format_table(rows: list[Row]) -> str:
    """Columns as wide as their widest cell (at least the width in COLUMNS)."""
    body = [cells(row) for row in rows]
    widths = [
        max([minimum, width(name), *(width(values[index]) for values in body)])
        for index, (name, _, minimum) in enumerate(COLUMNS)
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            pad(value, align, columns)
            for value, (_, align, _), columns in zip(values, COLUMNS, widths, strict=True)
        ).rstrip()

    lines = [line([name for name, _, _ in COLUMNS])]
    lines.append(line(["-" * columns for columns in widths]))
    lines += [line(values) for values in body]
    judged = [row for row in rows if row.passed is not None]
    met = sum(1 for row in judged if row.passed)
    lines.append(f"\n{met} of {len(judged)} goals met.")
    return "\n".join(lines)
