"""Demo battery passports (issue 19): a few cells and packs of listed cell and pack makers, and
the demo SME's materials, each declared through the passport service by a member of its own
organisation; one cell has two versions, so the history shows."""

import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from directory.demo.documents import blank_pdf
from directory.demo.users import demo_clerk
from directory.models import (
    Enterprise,
    ListingStatus,
    Product,
)
from directory.passport.services import passport_document_upload, passport_version_create

#: (category slug, level, battery category, chemistry short and full name) per demo passport.
KINDS = {
    "cell-manufacturing": (
        "cell",
        "ev",
        "LFP",
        "磷酸铁锂 / 石墨 (lithium iron phosphate / graphite)",
    ),
    "pack-bms": (
        "pack",
        "industrial",
        "LFP",
        "磷酸铁锂 / 石墨 (lithium iron phosphate / graphite)",
    ),
}
MATERIAL = ("material", "ev", "Li6PS5Cl", "硫化物固态电解质 (argyrodite sulfide electrolyte)")
ELECTROLYTE_SALT = {"name": "LiPF6", "cas_number": "21324-40-3", "concentration_percent": "1.2"}


def _figures(rng: random.Random, level: str, category: str, short: str, clear: str) -> dict:
    stages = [
        Decimal(rng.randint(280, 520)) / 10,
        Decimal(rng.randint(80, 220)) / 10,
        Decimal(rng.randint(5, 15)) / 10,
        Decimal(rng.randint(5, 30)) / 10,
    ]
    figures = {
        "level": level,
        "battery_category": category,
        "chemistry_short_name": short,
        "chemistry_clear_name": clear,
        "critical_raw_materials": ["Lithium", "Natural graphite"],
        "carbon_footprint_total": sum(stages),
        "carbon_footprint_raw_materials": stages[0],
        "carbon_footprint_production": stages[1],
        "carbon_footprint_distribution": stages[2],
        "carbon_footprint_end_of_life": stages[3],
        "recycled_cobalt_share": Decimal(0),
        "recycled_lithium_share": Decimal(rng.randint(0, 160)) / 10,
        "recycled_nickel_share": Decimal(0),
        "recycled_lead_share": Decimal(0),
    }
    if level == "material":
        return figures
    # A 280 Ah cell; the pack is sixteen of them in series.
    capacity = Decimal(280)
    voltage = Decimal("3.2") if level == "cell" else Decimal("51.2")
    milli = Decimal("0.001")
    return {
        **figures,
        "hazardous_substances": [ELECTROLYTE_SALT],
        "rated_capacity_ah": capacity,
        "nominal_voltage_v": voltage,
        "minimum_voltage_v": (voltage * Decimal("0.78125")).quantize(milli),
        "maximum_voltage_v": (voltage * Decimal("1.140625")).quantize(milli),
        "original_power_w": capacity * voltage,
        "internal_resistance_mohm": Decimal("0.18") if level == "cell" else Decimal("12"),
        "expected_cycle_life": rng.choice([6000, 8000, 10000]),
        "round_trip_efficiency_percent": Decimal(rng.randint(930, 960)) / 10,
        "temperature_min_c": Decimal(-20),
        "temperature_max_c": Decimal(55),
    }


def _declarer(enterprise: Enterprise):
    """A member of the enterprise to declare its passport: its first member, else a
    passport clerk who cannot sign in (the seeded firms have no logins)."""
    membership = enterprise.memberships.select_related("user").order_by("pk").first()
    if membership is not None:
        return membership.user
    return demo_clerk(enterprise)


def seed_passports(
    *, rng: random.Random, sme_enterprise: Enterprise | None, per_kind: int = 3
) -> int:
    """Passports for a few listed cells and packs and the demo SME's products; returns how
    many versions were recorded."""
    chosen: list[tuple[Product, tuple]] = []
    for slug, kind in KINDS.items():
        products = (
            Product.objects.filter(
                category__slug=slug,
                status=ListingStatus.VERIFIED,
                enterprise__status=ListingStatus.VERIFIED,
                passport__isnull=True,
            )
            .select_related("enterprise")
            .order_by("pk")[:per_kind]
        )
        chosen += [(product, kind) for product in products]
    if sme_enterprise is not None:
        chosen += [(product, MATERIAL) for product in sme_enterprise.products.order_by("pk")[:2]]
    versions = 0
    for index, (product, (level, category, short, clear)) in enumerate(chosen):
        actor = _declarer(product.enterprise)
        study = passport_document_upload(
            actor=actor,
            product=product,
            kind="carbon_footprint",
            upload=SimpleUploadedFile("carbon-footprint-study.pdf", blank_pdf()),
        )
        figures = _figures(rng, level, category, short, clear)
        passport_version_create(
            actor=actor,
            product=product,
            data=figures,
            document_ids=[study.pk],
            note="首次申报 / first declaration",
        )
        versions += 1
        if index == 0:
            # A recycling contract raised the recycled lithium, split by the waste it comes
            # from (the total is their sum): a second version.
            figures["recycled_lithium_share"] = Decimal("16.0")
            figures["recycled_lithium_pre_consumer_share"] = Decimal("6.0")
            figures["recycled_lithium_post_consumer_share"] = Decimal("10.0")
            passport_version_create(
                actor=actor,
                product=product,
                data=figures,
                note="再生锂合同生效 / recycled-lithium contract in force",
            )
            versions += 1
    return versions
