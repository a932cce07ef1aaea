"""A demonstration project per scenario of the seed (two for drones), with field reports
filed by the demo anchor's login through the services: some targets met, some not, and a grid
project with enough reports for the cycle-life projection."""

import datetime
from decimal import Decimal

from alliance.demonstrations.models import DemonstrationScenario, DemonstrationStatus
from alliance.demonstrations.services import demonstration_create, field_report_file

#: (scenario, name, site, kWh, days since start, reports: (days ago, cycles, measures)).
PROJECTS = [
    (
        DemonstrationScenario.GRID_STORAGE,
        "临港电网侧固态储能示范站 / Lingang grid-side solid-state storage",
        "临港变电站 / Lingang substation",
        Decimal("20000"),
        720,
        [
            (
                600,
                500,
                {"capacity_retention_percent": "99.60", "round_trip_efficiency_percent": "95.8"},
            ),
            (
                450,
                1200,
                {"capacity_retention_percent": "99.05", "round_trip_efficiency_percent": "95.6"},
            ),
            (
                300,
                2000,
                {"capacity_retention_percent": "98.45", "round_trip_efficiency_percent": "95.5"},
            ),
            (
                150,
                2800,
                {"capacity_retention_percent": "97.85", "round_trip_efficiency_percent": "95.4"},
            ),
            (
                20,
                3500,
                {"capacity_retention_percent": "97.30", "round_trip_efficiency_percent": "95.3"},
            ),
        ],
    ),
    (
        DemonstrationScenario.DRONES,
        "低空物流无人机示范航线 / Low-altitude logistics drone route",
        "高新区物流园 / Hi-tech zone logistics park",
        Decimal("12.5"),
        400,
        [
            (
                300,
                150,
                {
                    "specific_energy_wh_per_kg": "415",
                    "lowest_temperature_c": "-12",
                    "highest_temperature_c": "41",
                },
            ),
            (
                90,
                420,
                {
                    "specific_energy_wh_per_kg": "408",
                    "lowest_temperature_c": "-22",
                    "highest_temperature_c": "61",
                },
            ),
        ],
    ),
    (
        DemonstrationScenario.DRONES,
        "山区巡检无人机 / Mountain inspection drones",
        "西山林区 / Western hills forest",
        Decimal("4.8"),
        200,
        # Below the specific-energy target and never flown below −20 °C: targets not met.
        [(60, 90, {"specific_energy_wh_per_kg": "362", "lowest_temperature_c": "-8"})],
    ),
    (
        DemonstrationScenario.HUMANOID_ROBOTS,
        "人形机器人电池包示范线 / Humanoid robot battery pack line",
        "经开区智能制造园 / ETDZ smart manufacturing park",
        Decimal("3.2"),
        300,
        [
            (200, 80, {"volumetric_energy_wh_per_l": "920", "peak_discharge_c_rate": "5.5"}),
            (40, 260, {"volumetric_energy_wh_per_l": "1040", "peak_discharge_c_rate": "5.8"}),
        ],
    ),
]


def seed_demonstrations(*, actor, operator, suppliers, today: datetime.date) -> tuple[int, int]:
    """The three projects and their reports; returns (projects, reports)."""
    reports = 0
    for scenario, name, site, size, started, rows in PROJECTS:
        project = demonstration_create(
            actor=actor,
            operator=operator,
            suppliers=suppliers,
            data={
                "scenario": scenario,
                "name": name,
                "site": site,
                "system_size_kwh": size,
                "start_date": today - datetime.timedelta(days=started),
                "status": DemonstrationStatus.OPERATING,
                "description": "Demo city project.",
            },
        )
        for days_ago, cycles, measures in rows:
            field_report_file(
                actor=actor,
                project=project,
                data={
                    "reported_on": today - datetime.timedelta(days=days_ago),
                    "cycles_done": cycles,
                    **{key: Decimal(value) for key, value in measures.items()},
                },
            )
            reports += 1
    return len(PROJECTS), reports
