"""The passport figures the directory search (and the API's FilterSet) filters on: filter name
-> (the current passport version's field, lookup). A product qualifies by its current version
only; older versions never count."""

from django.utils.translation import gettext_lazy as _

CURRENT = "passport__current_version__"

PASSPORT_THRESHOLDS = {
    "carbon_footprint_max": (CURRENT + "carbon_footprint_total", "lte"),
    "recycled_cobalt_min": (CURRENT + "recycled_cobalt_share", "gte"),
    "recycled_lithium_min": (CURRENT + "recycled_lithium_share", "gte"),
    "recycled_nickel_min": (CURRENT + "recycled_nickel_share", "gte"),
    "recycled_lead_min": (CURRENT + "recycled_lead_share", "gte"),
}

PASSPORT_THRESHOLD_LABELS = {
    "carbon_footprint_max": _("Carbon footprint at most (kg CO₂e/kWh)"),
    "recycled_cobalt_min": _("Recycled cobalt at least (%)"),
    "recycled_lithium_min": _("Recycled lithium at least (%)"),
    "recycled_nickel_min": _("Recycled nickel at least (%)"),
    "recycled_lead_min": _("Recycled lead at least (%)"),
}
