"""The dashboard's charts: inline SVG drawn on the server from an indicator's yearly figures.

No JavaScript and nothing from a CDN, so the page works offline. The viewBox lets a chart
shrink to a phone's width; <title> and <desc> give screen readers the indicator and every
figure, and the page prints the same numbers as a table under each chart. The palette and
the pieces are the shared chart kit's (`ssb_portal.charts`).
"""

import math

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from programme.selectors.figures import LINE, MONEY, PERCENT, Indicator, Number, YearFigure
from ssb_portal import charts
from ssb_portal.charts import BAR, BAR_BEHIND, HALO, INK, n

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
    return charts.round_top(largest, DIVISIONS)


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
    y_of = charts.y_scale(0, top_value, TOP, PLOT_H, clamp=True)

    parts = []
    for step in range(DIVISIONS + 1):
        tick = top_value * step / DIVISIONS
        label = f"{tick:.0f} %" if indicator.kind == PERCENT else _compact(tick, indicator.kind)
        parts.append(
            charts.grid_line(
                y=n(y_of(tick)), left=LEFT, right=WIDTH - RIGHT, label=label, font_size=12
            )
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
                f'<text x="{n(centre)}" y="{TOP + PLOT_H + 18}" text-anchor="middle" '
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
                f'<circle cx="{n(centre)}" cy="{n(top)}" r="5" fill="{colour}" '
                f'stroke="{HALO}" stroke-width="1.5"/>'
            )
        else:
            parts.append(
                f'<rect x="{n(centre - bar_width / 2)}" y="{n(top)}" width="{n(bar_width)}" '
                f'height="{n(TOP + PLOT_H - top)}" fill="{colour}"/>'
            )
        if label_values or figure is current:
            parts.append(
                f'<text x="{n(centre)}" y="{n(top - 8)}" text-anchor="middle" font-size="12" '
                f'fill="{INK}" stroke="{HALO}" stroke-width="3" paint-order="stroke">'
                f"{escape(_compact(float(figure.value), indicator.kind))}</text>"
            )
    if len(line_points) > 1:
        coordinates = " ".join(f"{n(x)},{n(y)}" for x, y in line_points)
        # Under the marks: drawn first among the line's parts.
        parts.insert(
            DIVISIONS + 1,
            f'<polyline points="{coordinates}" fill="none" stroke="{BAR}" stroke-width="3"/>',
        )
    if target_points:
        half = min(slot * 0.4, 30)
        if len(target_points) > 1:
            parts.append(charts.target_polyline(target_points))
        else:
            x, y = target_points[0]
            parts.append(
                f'<line x1="{n(x - half)}" x2="{n(x + half)}" y1="{n(y)}" y2="{n(y)}" '
                f'stroke="{charts.TARGET}" stroke-width="2" stroke-dasharray="6 4"/>'
            )
        parts.extend(charts.target_dots(target_points))
    legend = [(charts.swatch(BAR), _("Value"))]
    if behind:
        legend.append((charts.swatch(BAR_BEHIND), _("Below the target")))
    if target_points:
        legend.append((charts.target_symbol(), _("Target")))
    parts.append(charts.legend(legend, x=8, y=HEIGHT - 18))
    return charts.document(
        parts,
        chart_id=chart_id,
        width=WIDTH,
        height=HEIGHT,
        title=indicator.name,
        description=_describe(indicator),
    )
