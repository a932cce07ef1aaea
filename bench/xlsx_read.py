"""How long reading an uploaded workbook takes: pandas with openpyxl against calamine.

    .venv/bin/python bench/xlsx_read.py [--rows 50000] [--rounds 5]

Builds a purchase-like sheet of `--rows` rows (text, numbers, dates) in memory, then reads it
the way `ssb_portal.tabular` does (header=None, dtype=object, na_filter=False) with each
engine in turn, interleaved round by round so that the machine's load falls on both alike;
prints the minimum and the median of each, the ratio, and the cost of the zip bound check.
No database or Django settings are needed.
"""

import argparse
import datetime
import io
import statistics
import sys
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchkit import Row, interleaved, min_median, record  # noqa: E402

HEADER = [
    "invoice_code", "invoice_no", "line_no", "invoice_date", "supplier_uscc", "supplier_name",
    "category", "quantity", "unit", "amount", "amount_incl_vat", "vat_amount", "description",
]  # fmt: skip


def workbook(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("purchases")
    sheet.append(HEADER)
    day = datetime.date(2026, 1, 1)
    for n in range(rows):
        sheet.append(
            [
                "3300261130",
                f"{n:08d}",
                1 + n % 5,
                day + datetime.timedelta(days=n % 365),
                "91330100MA2H3K4L5X",
                f"示例固态材料有限公司 {n % 300}",
                "sulfide-electrolyte",
                250.0 + n % 17,
                "kg",
                187500.00 + n,
                211875.00 + n,
                24375.00,
                f"Li6PS5Cl 电解质粉体 batch {n}",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data: bytes, engine: str) -> int:
    frame = pd.read_excel(
        io.BytesIO(data), engine=engine, header=None, dtype=object, na_filter=False
    )
    return len(frame)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()

    data = workbook(options.rows)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
    expanded = sum(part.file_size for part in parts)
    worst = max(parts, key=lambda part: part.file_size / max(part.compress_size, 1))
    print(
        f"{options.rows:,} rows: {len(data) / 1e6:.1f} MB zipped, {expanded / 1e6:.1f} MB "
        f"expanded; highest ratio {worst.file_size / max(worst.compress_size, 1):.1f} "
        f"({worst.filename})"
    )

    import django
    from django.conf import settings

    settings.configure()
    django.setup()
    from ssb_portal.tabular import check_workbook_bounds

    def portal() -> int:
        check_workbook_bounds(data)
        return read(data, "calamine")

    times, counts = interleaved(
        {
            "openpyxl": lambda: read(data, "openpyxl"),
            "calamine": lambda: read(data, "calamine"),
            "bounds check": lambda: check_workbook_bounds(data),
            "portal": portal,
        },
        options.rounds,
        warm_up=0,
    )
    for name in ("openpyxl", "calamine", "portal"):
        assert counts[name] == options.rows + 1, counts[name]

    for name, values in times.items():
        print(f"{name:>12}: {min_median(values)}")
    ratio = statistics.median(times["openpyxl"]) / statistics.median(times["calamine"])
    print(f"calamine is {ratio:.1f}x faster than openpyxl (medians)")
    record(
        Row(
            bench="xlsx",
            measure=f"read {options.rows:,} rows, bounds checked",
            ours=min(times["portal"]),
            unit="s",
            baseline=min(times["calamine"]),
            note="baseline: calamine alone; no goal in issue 17",
        )
    )


if __name__ == "__main__":
    main()
