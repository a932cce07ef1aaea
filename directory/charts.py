"""Charts drawn on the server as inline SVG, from plain numbers.

No JavaScript and nothing from a CDN: the page works offline, prints, and reads out. Each
chart carries a <title> and a <desc> for screen readers; pages print the same numbers as a
table beside it. Colours are the stylesheet's (static/css/portal.css).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 20, 64
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM

BAR = "#0b3d6e"
BAR_BEHIND = "#a3231b"
TARGET = "#7a4d00"
PUBLISHED = "#14663d"
GRID = "#d5dbe3"
INK = "#46525f"


@dataclass(frozen=True)
class YearPoint:
    """One year of a ratio chart, in percent; None where there is no figure."""

    year: int
    value: Decimal | None
    target: Decimal | None = None
    published: Decimal | None = None


@dataclass(frozen=True)
class Legend:
    """The chart's translated words (the module translates nothing itself)."""

    value: str
    value_behind: str
    target: str
    published: str


def _y(percent: Decimal | float) -> float:
    """Vertical position of a percentage; the axis runs from 0 % to 100 %."""
    clamped = min(max(float(percent), 0.0), 100.0)
    return TOP + PLOT_H * (1 - clamped / 100)


def _n(number: float) -> str:
    return f"{number:.1f}"


def _grid() -> list[str]:
    parts = []
    for percent in range(0, 101, 20):
        y = _n(_y(percent))
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}" '
            f'stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y}" dy="4" text-anchor="end" font-size="11" '
            f'fill="{INK}">{percent} %</text>'
        )
    return parts


def _legend(legend: Legend, *, behind: bool, target: bool, published: bool) -> str:
    entries = [(f'<rect width="12" height="12" fill="{BAR}"/>', legend.value)]
    if behind:
        entries.append((f'<rect width="12" height="12" fill="{BAR_BEHIND}"/>', legend.value_behind))
    if target:
        entries.append(
            (
                f'<line x1="0" x2="14" y1="6" y2="6" stroke="{TARGET}" stroke-width="2" '
                f'stroke-dasharray="4 3"/><circle cx="7" cy="6" r="3" fill="{TARGET}"/>',
                legend.target,
            )
        )
    if published:
        entries.append(
            (
                f'<line x1="0" x2="14" y1="6" y2="6" stroke="{PUBLISHED}" stroke-width="3"/>',
                legend.published,
            )
        )
    parts = []
    x = LEFT
    y = HEIGHT - 20
    for symbol, label in entries:
        parts.append(
            f'<g transform="translate({x},{y})">{symbol}<text x="20" y="11" font-size="12" '
            f'fill="{INK}">{escape(label)}</text></g>'
        )
        # Chinese labels are about twice as wide per character as Latin ones.
        x += 40 + 8 * sum(2 if ord(char) > 0x2E80 else 1 for char in label)
    return "".join(parts)


def ratio_chart(
    points: Sequence[YearPoint], *, chart_id: str, title: str, description: str, legend: Legend
) -> SafeString:
    """A bar per year (the ratio) against a dashed line (the target) and frozen marks.

    Bars of years below their target are drawn in red, and each bar is labelled with its
    value, so colour is never the only carrier of meaning.
    """
    slot = PLOT_W / max(len(points), 1)
    bar_width = min(slot * 0.6, 48)
    parts = _grid()
    target_points = []
    for index, point in enumerate(points):
        centre = LEFT + slot * (index + 0.5)
        parts.append(
            f'<text x="{_n(centre)}" y="{TOP + PLOT_H + 18}" text-anchor="middle" '
            f'font-size="12" fill="{INK}">{point.year}</text>'
        )
        if point.value is not None:
            behind = point.target is not None and point.value < point.target
            top = _y(point.value)
            height = TOP + PLOT_H - top
            # The label sits inside a bar tall enough to hold it, clear of the target line.
            label_y, label_fill = (top + 14, "#ffffff") if height >= 22 else (top - 5, INK)
            parts.append(
                f'<rect x="{_n(centre - bar_width / 2)}" y="{_n(top)}" width="{_n(bar_width)}" '
                f'height="{_n(height)}" fill="{BAR_BEHIND if behind else BAR}"/>'
                f'<text x="{_n(centre)}" y="{_n(label_y)}" text-anchor="middle" font-size="11" '
                f'fill="{label_fill}">{point.value:.2f}</text>'
            )
        if point.published is not None:
            y = _n(_y(point.published))
            half = bar_width / 2 + 4
            parts.append(
                f'<line x1="{_n(centre - half)}" x2="{_n(centre + half)}" y1="{y}" y2="{y}" '
                f'stroke="{PUBLISHED}" stroke-width="3"/>'
            )
        if point.target is not None:
            target_points.append((centre, _y(point.target)))
    if target_points:
        coordinates = " ".join(f"{_n(x)},{_n(y)}" for x, y in target_points)
        parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="{TARGET}" stroke-width="2" '
            f'stroke-dasharray="6 4"/>'
        )
        parts.extend(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{TARGET}"/>' for x, y in target_points
        )
    parts.append(
        _legend(
            legend,
            behind=any(
                p.value is not None and p.target is not None and p.value < p.target for p in points
            ),
            target=bool(target_points),
            published=any(p.published is not None for p in points),
        )
    )
    head = format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-labelledby="{}-title {}-desc" '
        'preserveAspectRatio="xMidYMid meet" font-family="system-ui, sans-serif">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
    )
    # Every part above is built from numbers and escaped labels only.
    return mark_safe(head + "".join(parts) + "</svg>")
