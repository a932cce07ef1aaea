"""What the battery-passport tests share: a complete set of figures, a version made through the
service, a small valid PDF, an API client (the `cell` fixture is in conftest.py)."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from directory.demo.documents import blank_pdf
from directory.passport.services import passport_version_create

FIGURES = {
    "level": "cell",
    "battery_category": "ev",
    "chemistry_short_name": "LFP",
    "chemistry_clear_name": "lithium iron phosphate / graphite",
    "hazardous_substances": [
        {
            "name": "Lithium hexafluorophosphate",
            "cas_number": "21324-40-3",
            "concentration_percent": "1.2",
        }
    ],
    "critical_raw_materials": ["Lithium", "Natural graphite"],
    "carbon_footprint_total": Decimal("61.5"),
    "carbon_footprint_raw_materials": Decimal("40.2"),
    "carbon_footprint_production": Decimal("18.3"),
    "carbon_footprint_distribution": Decimal("1.0"),
    "carbon_footprint_end_of_life": Decimal("2.0"),
    "recycled_cobalt_share": Decimal("0"),
    "recycled_lithium_share": Decimal("8.5"),
    "recycled_nickel_share": Decimal("0"),
    "recycled_lead_share": Decimal("0"),
    "rated_capacity_ah": Decimal("280"),
    "nominal_voltage_v": Decimal("3.2"),
    "minimum_voltage_v": Decimal("2.5"),
    "maximum_voltage_v": Decimal("3.65"),
    "original_power_w": Decimal("1792"),
    "internal_resistance_mohm": Decimal("0.18"),
    "expected_cycle_life": 8000,
    "round_trip_efficiency_percent": Decimal("95"),
    "temperature_min_c": Decimal("-20"),
    "temperature_max_c": Decimal("55"),
}


def pdf(name="study.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, blank_pdf(), content_type="application/pdf")


def create(product, **changes):
    return passport_version_create(
        actor=product.clerk, product=product, data={**FIGURES, **changes}
    )


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
