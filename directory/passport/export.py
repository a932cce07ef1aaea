"""One product's passport as JSON shaped like the BatteryPass data model (DIN DKE SPEC 99100):
its aspects generalProductInformation, materialComposition, carbonFootprint, circularity,
performance and supplyChainDueDiligence, with that model's attribute names. The shape is
written down in battery_passport.schema.json (our own text) and the tests validate against it.
"""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from directory.models import PassportDocumentKind, PassportVersion
from directory.passport.services import RECYCLED_SPLITS

SCHEMA_PATH = Path(__file__).with_name("battery_passport.schema.json")
SCHEMA_ID = "https://ssb-portal.example/schemas/battery-passport/1.0.json"

#: Our battery categories as the export names them.
CATEGORY_NAMES = {
    "ev": "EV",
    "lmt": "LMT",
    "industrial": "Industrial",
    "sli": "SLI",
    "portable": "Portable",
}
#: Our life-cycle stages as the BatteryPass model names them (Battery Regulation Annex II).
STAGE_NAMES = {
    "carbon_footprint_raw_materials": "RawMaterialExtraction",
    "carbon_footprint_production": "MainProduction",
    "carbon_footprint_distribution": "Distribution",
    "carbon_footprint_end_of_life": "Recycling",
}
#: Our metals as the BatteryPass model names the recycled materials.
RECYCLED_MATERIALS = {"cobalt": "Cobalt", "lithium": "Lithium", "nickel": "Nickel", "lead": "Lead"}


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _number(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Absent figures are left out rather than sent as null (the schema has no nulls)."""
    return {key: value for key, value in data.items() if value not in (None, [], {}, "")}


def _documents(version: PassportVersion, kinds: set[str]) -> list[dict[str, Any]]:
    return [
        {
            "documentKind": document.kind,
            "fileName": document.original_name,
            "contentType": document.content_type,
            "sha256": document.sha256,
            "uploadedAt": document.uploaded_at.isoformat(),
        }
        for document in version.documents.all()
        if document.kind in kinds
    ]


def passport_export(version: PassportVersion) -> dict[str, Any]:
    """The version as a BatteryPass-shaped document; `version` comes with its passport,
    product, enterprise and documents loaded (directory.passport.selectors)."""
    product = version.passport.product
    enterprise = product.enterprise
    stages = [
        {"lifecycleStage": STAGE_NAMES[name], "carbonFootprint": _number(getattr(version, name))}
        for name in STAGE_NAMES
        if getattr(version, name) is not None
    ]
    recycled = [
        _without_empty(
            {
                "recycledMaterial": RECYCLED_MATERIALS[metal],
                "recycledContentShare": _number(getattr(version, total)),
                "preConsumerShare": _number(getattr(version, pre)),
                "postConsumerShare": _number(getattr(version, post)),
            }
        )
        for metal, (total, pre, post) in RECYCLED_SPLITS.items()
        if getattr(version, total) is not None
    ]
    temperature = _without_empty(
        {
            "temperatureRangeIdleStateLowerLimit": _number(version.temperature_min_c),
            "temperatureRangeIdleStateUpperLimit": _number(version.temperature_max_c),
        }
    )
    return _without_empty(
        {
            "$schema": SCHEMA_ID,
            "passportVersion": version.number,
            "issuedAt": version.created_at.isoformat(),
            "generalProductInformation": _without_empty(
                {
                    "productIdentifier": f"ssb:{enterprise.uscc}:product:{product.pk}",
                    "productName": product.name,
                    "batteryCategory": CATEGORY_NAMES[version.battery_category],
                    "batteryLevel": version.level,
                    "manufacturerInformation": _without_empty(
                        {
                            "manufacturerName": enterprise.name_zh,
                            "manufacturerNameEnglish": enterprise.name_en,
                            "manufacturerIdentifier": enterprise.uscc,
                        }
                    ),
                }
            ),
            "materialComposition": _without_empty(
                {
                    "batteryChemistry": _without_empty(
                        {
                            "shortName": version.chemistry_short_name,
                            "clearName": version.chemistry_clear_name,
                        }
                    ),
                    "hazardousSubstances": [
                        _without_empty(
                            {
                                "hazardousSubstanceName": item["name"],
                                "hazardousSubstanceIdentifier": item["cas_number"],
                                "hazardousSubstanceConcentration": _number(
                                    Decimal(item["concentration_percent"])
                                ),
                            }
                        )
                        for item in version.hazardous_substances
                    ],
                    "criticalRawMaterials": list(version.critical_raw_materials),
                }
            ),
            "carbonFootprint": _without_empty(
                {
                    "batteryCarbonFootprint": _number(version.carbon_footprint_total),
                    "carbonFootprintPerLifecycleStage": stages,
                    "carbonFootprintStudy": _documents(
                        version, {PassportDocumentKind.CARBON_FOOTPRINT_STUDY}
                    ),
                }
            ),
            "circularity": _without_empty(
                {
                    "recycledContent": recycled,
                    "recycledContentDocumentation": _documents(
                        version, {PassportDocumentKind.RECYCLED_CONTENT}
                    ),
                }
            ),
            "performance": _without_empty(
                {
                    "ratedCapacity": _number(version.rated_capacity_ah),
                    "nominalVoltage": _number(version.nominal_voltage_v),
                    "minimumVoltage": _number(version.minimum_voltage_v),
                    "maximumVoltage": _number(version.maximum_voltage_v),
                    "originalPowerCapability": _number(version.original_power_w),
                    "initialInternalResistance": _number(version.internal_resistance_mohm),
                    "expectedNumberOfCycles": version.expected_cycle_life,
                    "initialRoundTripEnergyEfficiency": _number(
                        version.round_trip_efficiency_percent
                    ),
                    "temperatureRangeIdleState": temperature,
                    "testReports": _documents(
                        version,
                        {PassportDocumentKind.TEST_REPORT, PassportDocumentKind.SAFETY_DATA_SHEET},
                    ),
                }
            ),
            "supplyChainDueDiligence": _without_empty(
                {
                    "supplyChainDueDiligenceReport": _documents(
                        version, {PassportDocumentKind.DUE_DILIGENCE_REPORT}
                    ),
                }
            ),
        }
    )
