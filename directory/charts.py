"""The LCR chart: a ratio per year against its target, drawn with the shared chart kit.

The pieces (palette, scales, legend, the labelled SVG document) are `ssb_portal.charts`; this
module draws the years of a ratio in percent, their target and the frozen published figures.
Pages print the same numbers as a table beside it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString

from ssb_portal import charts
from ssb_portal.charts import BAR, BAR_BEHIND, INK, PUBLISHED, WIDTH, n

HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 20, 64
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM

# Vertical position of a percentage; the axis runs from 0 % to 100 %.
_y = charts.y_scale(0, 100, TOP, PLOT_H, clamp=True)


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


def _grid() -> list[str]:
    return [
        charts.grid_line(
            y=n(_y(percent)), left=LEFT, right=WIDTH - RIGHT, label=f"{percent} %", font_size=11
        )
        for percent in range(0, 101, 20)
    ]


def _legend(legend: Legend, *, behind: bool, target: bool, published: bool) -> str:
    entries = [(charts.swatch(BAR), legend.value)]
    if behind:
        entries.append((charts.swatch(BAR_BEHIND), legend.value_behind))
    if target:
        entries.append((charts.target_symbol(), legend.target))
    if published:
        entries.append(
            (
                f'<line x1="0" x2="14" y1="6" y2="6" stroke="{PUBLISHED}" stroke-width="3"/>',
                legend.published,
            )
        )
    return charts.legend(entries, x=LEFT, y=HEIGHT - 20)


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
            f'<text x="{n(centre)}" y="{TOP + PLOT_H + 18}" text-anchor="middle" '
            f'font-size="12" fill="{INK}">{point.year}</text>'
        )
        if point.value is not None:
            behind = point.target is not None and point.value < point.target
            top = _y(point.value)
            height = TOP + PLOT_H - top
            # The label sits inside a bar tall enough to hold it, clear of the target line.
            label_y, label_fill = (top + 14, charts.HALO) if height >= 22 else (top - 5, INK)
            parts.append(
                f'<rect x="{n(centre - bar_width / 2)}" y="{n(top)}" width="{n(bar_width)}" '
                f'height="{n(height)}" fill="{BAR_BEHIND if behind else BAR}"/>'
                f'<text x="{n(centre)}" y="{n(label_y)}" text-anchor="middle" font-size="11" '
                f'fill="{label_fill}">{point.value:.2f}</text>'
            )
        if point.published is not None:
            y = n(_y(point.published))
            half = bar_width / 2 + 4
            parts.append(
                f'<line x1="{n(centre - half)}" x2="{n(centre + half)}" y1="{y}" y2="{y}" '
                f'stroke="{PUBLISHED}" stroke-width="3"/>'
            )
        if point.target is not None:
            target_points.append((centre, _y(point.target)))
    if target_points:
        parts.append(charts.target_polyline(target_points))
        parts.extend(charts.target_dots(target_points))
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
    return charts.document(
        parts,
        chart_id=chart_id,
        width=WIDTH,
        height=HEIGHT,
        title=title,
        description=description,
    )
