"""The talent dashboard's horizontal bar chart, drawn on the server as inline SVG."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from directory import charts


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int | None
    text: str


BAR_ROW = 26
BAR_LABEL_WIDTH = 230
BAR_RIGHT = 70
BAR_LABEL_UNITS = 34


def _short(label: str) -> str:
    """A label cut to fit left of the bars; Chinese characters are about twice as wide."""
    units = 0
    for index, char in enumerate(label):
        units += 2 if ord(char) > 0x2E80 else 1
        if units > BAR_LABEL_UNITS:
            return label[:index] + "…"
    return label


def bar_chart(
    bars: list[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    maximum: float,
    value_label: str,
    target: Decimal | None = None,
    behind_label: str = "",
    target_label: str = "",
) -> SafeString:
    """Horizontal bars, one per organisation, drawn on the server as inline SVG (offline, no
    script). Bars below the target are red and every bar carries its value as text, so colour
    is never the only carrier of meaning; the page's table holds the same numbers."""
    width = charts.WIDTH
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
            f'font-size="12" fill="{charts.INK}">{escape(_short(bar.label))}</text>'
        )
        bar_w = 0.0
        if bar.value is not None:
            behind = target is not None and bar.value < target
            any_behind = any_behind or behind
            bar_w = min(float(bar.value), maximum) * scale
            parts.append(
                f'<rect x="{plot_x}" y="{y + 5}" width="{bar_w:.1f}" height="{BAR_ROW - 10}" '
                f'fill="{charts.BAR_BEHIND if behind else charts.BAR}"/>'
            )
        # Drawn last, with a white halo: readable where it crosses the target line.
        values.append(
            f'<text x="{plot_x + bar_w + 6:.1f}" y="{y + BAR_ROW / 2 + 4:.1f}" font-size="11" '
            f'fill="{charts.INK}" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
            f"{escape(bar.text)}</text>"
        )
    parts.append(
        f'<line x1="{plot_x}" x2="{plot_x}" y1="{top}" y2="{top + plot_h}" '
        f'stroke="{charts.GRID}" stroke-width="1"/>'
    )
    legend = [(f'<rect width="12" height="12" fill="{charts.BAR}"/>', value_label)]
    if any_behind:
        legend.append((f'<rect width="12" height="12" fill="{charts.BAR_BEHIND}"/>', behind_label))
    if target is not None and maximum > 0:
        x = plot_x + float(target) * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{top + plot_h + 4}" '
            f'stroke="{charts.TARGET}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        legend.append(
            (
                f'<line x1="0" x2="14" y1="6" y2="6" stroke="{charts.TARGET}" stroke-width="2" '
                f'stroke-dasharray="4 3"/>',
                target_label,
            )
        )
    parts.extend(values)
    x = plot_x
    for symbol, label in legend:
        parts.append(
            f'<g transform="translate({x},{height - 22})">{symbol}<text x="20" y="11" '
            f'font-size="12" fill="{charts.INK}">{escape(label)}</text></g>'
        )
        x += 40 + 8 * sum(2 if ord(char) > 0x2E80 else 1 for char in label)
    head = format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-labelledby="{}-title {}-desc" '
        'preserveAspectRatio="xMidYMid meet" font-family="system-ui, sans-serif">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
    )
    # Every part above is built from numbers and escaped labels only.
    return mark_safe(head + "".join(parts) + "</svg>")
