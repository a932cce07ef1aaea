"""The dashboard's building blocks: how a figure is written and drawn, the dataclasses
(year figure, indicator, detail table, section, dashboard) and the small helpers every section
uses."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language

from ssb_portal import formulas

#: Firms named in each of the officials' "top" tables.
TOP_FIRMS = 10

#: How a figure is written: a percentage, an amount of CNY, a count, a decimal head count.
PERCENT = "percent"
MONEY = "money"
COUNT = "count"
DECIMAL = "decimal"

#: How an indicator is drawn: bars against target marks, or a line against a trajectory.
BARS = "bars"
LINE = "line"

Number = Decimal | int


@dataclass(frozen=True)
class YearFigure:
    """One year of an indicator: its value, the target of that year and whether it is met.

    `met` is None where there is nothing to judge: no value, no target, or a reference (a
    budget) that is a ceiling rather than a goal.
    """

    year: int
    value: Number | None
    target: Number | None = None
    met: bool | None = None


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    unit: str
    kind: str
    #: The seed's target in words ("more than 500 a year"), or why there is none.
    target_text: str
    series: tuple[YearFigure, ...]
    chart: str = BARS

    @property
    def current(self) -> YearFigure | None:
        """The latest year that has a value."""
        with_value = [figure for figure in self.series if figure.value is not None]
        return with_value[-1] if with_value else None

    @property
    def has_data(self) -> bool:
        return self.current is not None


@dataclass(frozen=True)
class DetailRow:
    """One line of a detail table: a programme, a scenario's target, or (officials) a firm."""

    name: str
    year: int
    value: Number | None
    target: Number | None = None
    met: bool | None = None
    note: str = ""


@dataclass(frozen=True)
class DetailTable:
    key: str
    title: str
    unit: str
    kind: str
    value_label: str
    target_label: str
    rows: tuple[DetailRow, ...]
    #: Whether the rows name firms (such tables are for officials only).
    names_firms: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    aim: str
    empty_text: str
    indicators: tuple[Indicator, ...]
    tables: tuple[DetailTable, ...] = ()
    #: What the figures do not show by themselves ("nothing awarded yet").
    notes: tuple[str, ...] = ()

    @property
    def has_data(self) -> bool:
        return any(indicator.has_data for indicator in self.indicators)


@dataclass(frozen=True)
class Dashboard:
    sections: tuple[Section, ...]
    for_officials: bool
    built_on: datetime.date


# --- helpers ----------------------------------------------------------------------------------


def target_met(
    value: Number | None, target: Number | None, *, strictly: bool = False
) -> bool | None:
    """Whether the value reaches the target (passes it, if `strictly`); None if either is
    missing."""
    if value is None or target is None:
        return None
    return value > target if strictly else value >= target


def localized_name(name_zh: str, name_en: str) -> str:
    """The Chinese name in a Chinese page, the English one (if any) otherwise."""
    if (get_language() or "").startswith("zh") or not name_en:
        return name_zh
    return name_en


def years_to_now(years: Iterable[int]) -> range:
    """From the first year given to the later of the last one and this year."""
    years = list(years)
    return range(min(years), max(*years, timezone.localdate().year) + 1)


def running_totals(counts: dict[int, int], years: range) -> list[tuple[int, int]]:
    """Each year with the count up to its end: what was in place then."""
    total, totals = 0, []
    for year in years:
        total += counts.get(year, 0)
        totals.append((year, total))
    return totals


def to_cny(value) -> Decimal:
    """A sum read from the database as CNY to the fen (None is zero)."""
    # SQLite sums decimals as floats; figures are shown to the fen.
    return formulas.quantize_cny(Decimal(value or 0))
