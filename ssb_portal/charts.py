"""The one chart drawer: inline SVG drawn on the server from plain numbers, for every app.

No JavaScript and nothing from a CDN: the page works offline, prints, and reads out. Each
chart carries a <title> and a <desc> for screen readers, and pages print the same numbers as a
table beside it. This module holds the palette (the stylesheet's colours, static/css/portal.css),
the pieces every chart shares (the document head, axes and scales, legends) and the charts
that know nothing of any app: horizontal bars and a scatter with its fitted line. The apps'
own charts (directory's LCR years, programme's indicators) are drawn from these pieces.

Every text written into a chart is escaped here or by the caller's `escape`; numbers are
formatted, never inserted raw, so a chart is safe to insert in a page as it is.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# --- palette --------------------------------------------------------------------------------

BAR = "#0b3d6e"
BAR_BEHIND = "#a3231b"
TARGET = "#7a4d00"
PUBLISHED = "#14663d"
GRID = "#d5dbe3"
INK = "#46525f"
#: The halo drawn behind a value written over other marks, so that it stays readable.
HALO = "#ffffff"

#: The width of a page-wide chart (the viewBox scales it down on a phone).
WIDTH = 720


# --- numbers and words ----------------------------------------------------------------------


def n(number: float) -> str:
    """A coordinate as written in the SVG: one decimal."""
    return f"{number:.1f}"


def text_units(label: str) -> int:
    """The width of a label in Latin letters: a Chinese character counts as two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in label)


def shorten(label: str, units: int) -> str:
    """The label cut with "…" once it is wider than `units` Latin letters."""
    width = 0
    for index, char in enumerate(label):
        width += 2 if ord(char) > 0x2E80 else 1
        if width > units:
            return label[:index] + "…"
    return label


def x_scale(low: float, high: float, left: float, width: float) -> Callable[[float], float]:
    """The horizontal position of a value on an axis from `low` (at `left`) to `high`."""

    def x(value: float) -> float:
        return left + width * (value - low) / (high - low)

    return x


def y_scale(
    low: float, high: float, top: float, height: float, *, clamp: bool = False
) -> Callable[[float], float]:
    """The vertical position of a value on an axis from `low` (at the bottom) to `high`.

    With `clamp`, values beyond the axis stop at its ends (a negative figure sits at zero).
    """

    def y(value: Decimal | float) -> float:
        share = (float(value) - low) / (high - low)
        if clamp:
            share = min(max(share, 0.0), 1.0)
        return top + height * (1 - share)

    return y


def ticks(low: float, high: float, count: int = 5) -> list[float]:
    """`count` evenly spaced values from `low` to `high` (one when they are equal)."""
    if high == low:
        return [low]
    return [low + (high - low) * i / (count - 1) for i in range(count)]


def round_top(largest: float, divisions: int) -> float:
    """A round top for a value axis from zero, so that its `divisions` steps are round too."""
    if largest <= 0:
        return float(divisions)
    exponent = 10 ** math.floor(math.log10(largest))
    # Below ten, only 5 and 10 split into whole steps: an axis never reads 0.2 projects.
    tops = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if exponent >= 10 else (5, 10)
    return float(next(top * exponent for top in tops if largest <= top * exponent))


# --- pieces ---------------------------------------------------------------------------------


def grid_line(*, y: str, left: float, right: float, label: str, font_size: int) -> str:
    """A horizontal grid line across the plot with its (escaped) label on the left."""
    return (
        f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="{GRID}" '
        f'stroke-width="1"/><text x="{left - 6}" y="{y}" dy="4" text-anchor="end" '
        f'font-size="{font_size}" fill="{INK}">{escape(label)}</text>'
    )


def swatch(colour: str) -> str:
    """A legend's square of a bar colour."""
    return f'<rect width="12" height="12" fill="{colour}"/>'


def target_symbol(*, dot: bool = True) -> str:
    """A legend's dashed target line, with the target's dot when the chart marks each year."""
    symbol = (
        f'<line x1="0" x2="14" y1="6" y2="6" stroke="{TARGET}" stroke-width="2" '
        f'stroke-dasharray="4 3"/>'
    )
    return symbol + (f'<circle cx="7" cy="6" r="3" fill="{TARGET}"/>' if dot else "")


def target_polyline(points: Sequence[tuple[float, float]]) -> str:
    """The dashed line joining the targets of successive years."""
    coordinates = " ".join(f"{n(x)},{n(y)}" for x, y in points)
    return (
        f'<polyline points="{coordinates}" fill="none" stroke="{TARGET}" stroke-width="2" '
        f'stroke-dasharray="6 4"/>'
    )


def target_dots(points: Sequence[tuple[float, float]]) -> list[str]:
    """A dot on each year's target."""
    return [f'<circle cx="{n(x)}" cy="{n(y)}" r="3.5" fill="{TARGET}"/>' for x, y in points]


def legend(entries: Sequence[tuple[str, str]], *, x: float, y: float) -> str:
    """The (symbol, label) entries in a row from (x, y); labels are escaped here."""
    parts = []
    for symbol, label in entries:
        parts.append(
            f'<g transform="translate({x},{y})">{symbol}<text x="20" y="11" font-size="12" '
            f'fill="{INK}">{escape(label)}</text></g>'
        )
        # Chinese labels are about twice as wide per character as Latin ones.
        x += 40 + 8 * text_units(label)
    return "".join(parts)


def document(
    parts: Sequence[str],
    *,
    chart_id: str,
    width: float,
    height: float,
    title: str,
    description: str,
    css_class: str = "chart",
) -> SafeString:
    """The SVG element around `parts`, labelled by its escaped title and description.

    Every part must be built from numbers and escaped labels only.
    """
    head = format_html(
        '<svg class="{}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-labelledby="{}-title {}-desc" '
        'preserveAspectRatio="xMidYMid meet" font-family="system-ui, sans-serif">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        css_class,
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
    )
    return mark_safe(head + "".join(parts) + "</svg>")


# --- horizontal bars ------------------------------------------------------------------------

BAR_ROW = 26
BAR_LABEL_WIDTH = 230
BAR_RIGHT = 70
BAR_LABEL_UNITS = 34


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None: no figure) and the value as the page writes it."""

    label: str
    value: Decimal | int | float | None
    text: str


def horizontal_bars(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    maximum: float,
    value_label: str,
    target: Decimal | None = None,
    behind_label: str = "",
    target_label: str = "",
    width: int = WIDTH,
) -> SafeString:
    """Horizontal bars, one per row (an organisation, say), against an optional target.

    Bars below the target are red and every bar carries its value as text, so colour is never
    the only carrier of meaning; the page's table holds the same numbers.
    """
    plot_x = BAR_LABEL_WIDTH
    plot_w = width - BAR_LABEL_WIDTH - BAR_RIGHT
    top = 10
    plot_h = BAR_ROW * len(bars)
    height = top + plot_h + 44
    scale = plot_w / maximum if maximum > 0 else 0
    parts, values = [], []
    any_behind = False
    for index, bar in enumerate(bars):
        y = top + index * BAR_ROW
        parts.append(
            f'<text x="{plot_x - 8}" y="{y + BAR_ROW / 2 + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="{INK}">{escape(shorten(bar.label, BAR_LABEL_UNITS))}</text>'
        )
        bar_w = 0.0
        if bar.value is not None:
            behind = target is not None and bar.value < target
            any_behind = any_behind or behind
            bar_w = min(float(bar.value), maximum) * scale
            parts.append(
                f'<rect x="{plot_x}" y="{y + 5}" width="{bar_w:.1f}" height="{BAR_ROW - 10}" '
                f'fill="{BAR_BEHIND if behind else BAR}"/>'
            )
        # Drawn last, with a white halo: readable where it crosses the target line.
        values.append(
            f'<text x="{plot_x + bar_w + 6:.1f}" y="{y + BAR_ROW / 2 + 4:.1f}" font-size="11" '
            f'fill="{INK}" stroke="{HALO}" stroke-width="3" paint-order="stroke">'
            f"{escape(bar.text)}</text>"
        )
    parts.append(
        f'<line x1="{plot_x}" x2="{plot_x}" y1="{top}" y2="{top + plot_h}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    entries = [(swatch(BAR), value_label)]
    if any_behind:
        entries.append((swatch(BAR_BEHIND), behind_label))
    if target is not None and maximum > 0:
        x = plot_x + float(target) * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{top + plot_h + 4}" '
            f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        entries.append((target_symbol(dot=False), target_label))
    parts.extend(values)
    parts.append(legend(entries, x=plot_x, y=height - 22))
    return document(
        parts,
        chart_id=chart_id,
        width=width,
        height=height,
        title=title,
        description=description,
    )


# --- a scatter with its fitted line ---------------------------------------------------------

SCATTER_W, SCATTER_H = 480, 280
SCATTER_LEFT, SCATTER_RIGHT, SCATTER_TOP, SCATTER_BOTTOM = 64, 16, 16, 48


def scatter_with_line(
    points: Sequence[tuple[float, float]],
    line: Sequence[tuple[float, float]],
    *,
    chart_id: str,
    title: str,
    x_label: str,
    y_label: str,
    css_class: str = "chart",
) -> SafeString:
    """Measured points as dots with the fitted line through them, on axes that hold both.

    The description names the axes and the number of points for screen readers.
    """
    xs = [x for x, _y in [*points, *line]]
    ys = [y for _x, y in [*points, *line]]
    x_low, x_high = min(xs), max(xs)
    y_low, y_high = min(ys), max(ys)
    if x_high == x_low:
        x_high = x_low + 1
    if y_high == y_low:
        y_high = y_low + 1
    y_pad = (y_high - y_low) * 0.05
    y_low, y_high = y_low - y_pad, y_high + y_pad
    plot_w = SCATTER_W - SCATTER_LEFT - SCATTER_RIGHT
    plot_h = SCATTER_H - SCATTER_TOP - SCATTER_BOTTOM
    sx = x_scale(x_low, x_high, SCATTER_LEFT, plot_w)
    sy = y_scale(y_low, y_high, SCATTER_TOP, plot_h)

    parts = []
    for y in ticks(y_low, y_high):
        parts.append(
            f'<line x1="{SCATTER_LEFT}" x2="{SCATTER_W - SCATTER_RIGHT}" y1="{sy(y):.1f}" '
            f'y2="{sy(y):.1f}" stroke="{GRID}"/>'
            f'<text x="{SCATTER_LEFT - 6}" y="{sy(y):.1f}" dy="4" text-anchor="end" '
            f'font-size="10" fill="{INK}">{y:.3g}</text>'
        )
    for x in ticks(x_low, x_high):
        parts.append(
            f'<text x="{sx(x):.1f}" y="{SCATTER_H - SCATTER_BOTTOM + 16}" text-anchor="middle" '
            f'font-size="10" fill="{INK}">{x:.3g}</text>'
        )
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for i, (x, y) in enumerate(line)
    )
    parts.append(f'<path d="{path}" fill="none" stroke="{BAR_BEHIND}" stroke-width="2"/>')
    for x, y in points:
        parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3.5" fill="{BAR}"/>')
    parts.append(
        f'<text x="{SCATTER_LEFT + plot_w / 2:.1f}" y="{SCATTER_H - 8}" text-anchor="middle" '
        f'font-size="11" fill="{INK}">{escape(x_label)}</text>'
        f'<text transform="translate(14 {SCATTER_TOP + plot_h / 2:.1f}) rotate(-90)" '
        f'text-anchor="middle" font-size="11" fill="{INK}">{escape(y_label)}</text>'
    )
    return document(
        parts,
        chart_id=chart_id,
        width=SCATTER_W,
        height=SCATTER_H,
        title=title,
        description=f"{x_label} / {y_label}: {len(points)}",
        css_class=css_class,
    )
