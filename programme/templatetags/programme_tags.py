"""The dashboard's charts and figures in templates."""

from django import template
from django.utils.safestring import SafeString

from programme import charts
from programme.selectors.figures import Indicator, Number

register = template.Library()


@register.simple_tag
def indicator_chart(indicator: Indicator, section_key: str) -> SafeString:
    return charts.indicator_chart(indicator, chart_id=f"chart-{section_key}-{indicator.key}")


@register.filter
def figure(value: Number | None, kind: str) -> str:
    return charts.format_figure(value, kind)
