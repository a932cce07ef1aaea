"""Small display helpers for the directory's templates."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from directory.models import ListingStatus

register = template.Library()

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")

# What a status-change row may record besides the listing statuses.
OTHER_STATUS_LABELS = {
    "recommended": _("Recommended"),
    "not recommended": _("Not recommended"),
    "added": _("Added"),
    "deleted": _("Removed"),
    "": "—",
}


def local_name(obj) -> str:
    """The Chinese name in a Chinese page, the English one (if any) otherwise."""
    if (get_language() or "").startswith("zh") or not getattr(obj, "name_en", ""):
        return obj.name_zh
    return obj.name_en


register.filter("local_name", local_name)


@register.filter
def spec_value(value) -> str:
    """A measured value, readable: 1.2×10⁻⁴ for tiny conductivities, no trailing zeros."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return str(value)
    value = float(value)
    if value != 0 and abs(value) < 1e-3:
        mantissa, exponent = f"{value:.2e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}×10{str(int(exponent)).translate(SUPERSCRIPT)}"
    return f"{value:.6f}".rstrip("0").rstrip(".")


@register.filter
def status_label(value: str) -> str:
    """The label of a listing status, or of the other moves a status change records."""
    if value in ListingStatus.values:
        return ListingStatus(value).label
    return OTHER_STATUS_LABELS.get(value, value)
