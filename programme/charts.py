"""The dashboard's charts: inline SVG drawn on the server from an indicator's yearly figures.

No JavaScript and nothing from a CDN, so the page works offline. The viewBox lets a chart
shrink to a phone's width; <title> and <desc> give screen readers the indicator and every
figure, and the page prints the same numbers as a table under each chart. Colours are those
of the directory's charts (and so of the stylesheet).
"""

import math

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from directory.charts import BAR, BAR_BEHIND, GRID, INK, TARGET
from programme.selectors import LINE, MONEY, PERCENT, Indicator, Number, YearFigure

#: Small on purpose: a phone shows the chart at about 80 % of this size, a desktop three
#: side by side, so that 12-unit text stays readable on both.
WIDTH = 400
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 52, 10, 22, 58
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM
DIVISIONS = 5


def format_figure(value: Number | None, kind: str) -> str:
    """A figure as tables and CSV-readers see it: 61.23 %, 1,250,000.00, 42."""
    if value is None:
        return "—"
    if kind == PERCENT:
        return f"{value:.2f} %"
    if kind == MONEY:
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}"


def _compact(value: float, kind: str) -> str:
    """A short label for an axis or a bar: 12.5M, 300k, 61.2."""
    if kind == PERCENT:
        return f"{value:.1f}"
    magnitude = abs(value)
    if magnitude >= 1e9:
        return f"{value / 1e9:.1f}".removesuffix(".0") + "B"
    if magnitude >= 1e6:
        return f"{value / 1e6:.1f}".removesuffix(".0") + "M"
    if magnitude >= 1e4:
        return f"{value / 1e3:.0f}k"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:.1f}"


def _axis_top(largest: float, kind: str) -> float:
    """A round top for the value axis, so that its five steps are round numbers too."""
    if kind == PERCENT:
        return 100.0
    if largest <= 0:
        return float(DIVISIONS)
    exponent = 10 ** math.floor(math.log10(largest))
    # Below ten, only 5 and 10 split into whole steps: an axis never reads 0.2 projects.
    tops = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if exponent >= 10 else (5, 10)
    return float(next(top * exponent for top in tops if largest <= top * exponent))


def _n(number: float) -> str:
    return f"{number:.1f}"


def _describe(indicator: Indicator) -> str:
    """Every figure of the chart in words, for screen readers."""
    parts = []
    for figure in indicator.series:
        if figure.value is None and figure.target is None:
            continue
        text = f"{figure.year}: {format_figure(figure.value, indicator.kind)}"
        if figure.target is not None:
            text += " (" + _("target %(target)s") % {
                "target": format_figure(figure.target, indicator.kind)
            }
            if figure.met is not None:
                text += ", " + (_("met") if figure.met else _("not met"))
            text += ")"
        parts.append(text)
    unit = "" if indicator.kind == PERCENT else f" ({indicator.unit})"
    return f"{indicator.name}{unit}. " + "; ".join(parts) + "."


def _legend(entries: list[tuple[str, str]]) -> str:
    parts = []
    x = 8
    y = HEIGHT - 18
    for symbol, label in entries:
        parts.append(
            f'<g transform="translate({x},{y})">{symbol}<text x="20" y="11" font-size="12" '
            f'fill="{INK}">{escape(label)}</text></g>'
        )
        # Chinese labels are about twice as wide per character as Latin ones.
        x += 40 + 8 * sum(2 if ord(char) > 0x2E80 else 1 for char in label)
    return "".join(parts)


def indicator_chart(indicator: Indicator, *, chart_id: str) -> SafeString:
    """Bars (or a line, for a ratio on a trajectory) per year against the year's target.

    Years behind their target are drawn in red and every value is written beside its mark,
    so colour never carries the meaning alone.
    """
    figures: list[YearFigure] = list(indicator.series)
    numbers = [
        float(number)
        for figure in figures
        for number in (figure.value, figure.target)
        if number is not None
    ]
    top_value = _axis_top(max(numbers, default=0.0), indicator.kind)

    def y_of(value: Number | float) -> float:
        share = min(max(float(value) / top_value, 0.0), 1.0)
        return TOP + PLOT_H * (1 - share)

    parts = []
    for step in range(DIVISIONS + 1):
        tick = top_value * step / DIVISIONS
        y = _n(y_of(tick))
        label = f"{tick:.0f} %" if indicator.kind == PERCENT else _compact(tick, indicator.kind)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}" '
            f'stroke-width="1"/><text x="{LEFT - 6}" y="{y}" dy="4" text-anchor="end" '
            f'font-size="12" fill="{INK}">{escape(label)}</text>'
        )
    slot = PLOT_W / max(len(figures), 1)
    # Every year while the labels fit, else every second or third one, counted from the last.
    label_every = math.ceil(36 / slot)
    # Values are written on every mark while they fit, else on the latest only.
    label_values = slot >= 34
    current = indicator.current
    bar_width = min(slot * 0.6, 40)
    line_points = []
    target_points = []
    behind = False
    for index, figure in enumerate(figures):
        centre = LEFT + slot * (index + 0.5)
        if (len(figures) - 1 - index) % label_every == 0:
            parts.append(
                f'<text x="{_n(centre)}" y="{TOP + PLOT_H + 18}" text-anchor="middle" '
                f'font-size="12" fill="{INK}">{figure.year}</text>'
            )
        if figure.target is not None:
            target_points.append((centre, y_of(figure.target)))
        if figure.value is None:
            continue
        behind = behind or figure.met is False
        colour = BAR_BEHIND if figure.met is False else BAR
        top = y_of(figure.value)
        if indicator.chart == LINE:
            line_points.append((centre, top))
            parts.append(
                f'<circle cx="{_n(centre)}" cy="{_n(top)}" r="5" fill="{colour}" '
                f'stroke="#ffffff" stroke-width="1.5"/>'
            )
        else:
            parts.append(
                f'<rect x="{_n(centre - bar_width / 2)}" y="{_n(top)}" width="{_n(bar_width)}" '
                f'height="{_n(TOP + PLOT_H - top)}" fill="{colour}"/>'
            )
        if label_values or figure is current:
            parts.append(
                f'<text x="{_n(centre)}" y="{_n(top - 8)}" text-anchor="middle" font-size="12" '
                f'fill="{INK}" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                f"{escape(_compact(float(figure.value), indicator.kind))}</text>"
            )
    if len(line_points) > 1:
        coordinates = " ".join(f"{_n(x)},{_n(y)}" for x, y in line_points)
        # Under the marks: drawn first among the line's parts.
        parts.insert(
            DIVISIONS + 1,
            f'<polyline points="{coordinates}" fill="none" stroke="{BAR}" stroke-width="3"/>',
        )
    if target_points:
        half = min(slot * 0.4, 30)
        if len(target_points) > 1:
            coordinates = " ".join(f"{_n(x)},{_n(y)}" for x, y in target_points)
            parts.append(
                f'<polyline points="{coordinates}" fill="none" stroke="{TARGET}" '
                f'stroke-width="2" stroke-dasharray="6 4"/>'
            )
        else:
            x, y = target_points[0]
            parts.append(
                f'<line x1="{_n(x - half)}" x2="{_n(x + half)}" y1="{_n(y)}" y2="{_n(y)}" '
                f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>'
            )
        parts.extend(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{TARGET}"/>' for x, y in target_points
        )
    legend = [(f'<rect width="12" height="12" fill="{BAR}"/>', _("Value"))]
    if behind:
        legend.append(
            (f'<rect width="12" height="12" fill="{BAR_BEHIND}"/>', _("Below the target"))
        )
    if target_points:
        legend.append(
            (
                f'<line x1="0" x2="14" y1="6" y2="6" stroke="{TARGET}" stroke-width="2" '
                f'stroke-dasharray="4 3"/><circle cx="7" cy="6" r="3" fill="{TARGET}"/>',
                _("Target"),
            )
        )
    parts.append(_legend(legend))
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
        indicator.name,
        chart_id,
        _describe(indicator),
    )
    # Every part above is built from numbers and escaped labels only.
    return mark_safe(head + "".join(parts) + "</svg>")
