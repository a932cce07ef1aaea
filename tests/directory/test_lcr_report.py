"""`manage.py lcr_report`: the API's figures for operators, as a table, CSV or JSON."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from directory.lcr.services import lcr_year_publish
from tests.directory.test_lcr import YEAR, purchase
from tests.factories import EnterpriseFactory, outside_district


@pytest.fixture(autouse=True)
def _default_trajectory(settings):
    settings.LCR_DEFAULT_BASELINE_YEAR = 2025


@pytest.fixture
def firms(anchor):
    """Two buyers: `anchor` 25 % local (behind the 46 % target), `leader` 80 % local."""
    local = EnterpriseFactory(name_zh="本地电解质")
    remote = EnterpriseFactory(name_zh="外地正极", district=outside_district())
    leader = EnterpriseFactory(kind="anchor", name_zh="领先电池")
    purchase(anchor, "250.00", supplier=local)
    purchase(anchor, "750.00", supplier=remote, category="cathode")
    purchase(leader, "800.00", supplier=local)
    purchase(leader, "200.00", supplier=remote, category="cathode")
    return anchor, leader


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("lcr_report", *args, stdout=out)
    return out.getvalue()


def test_city_table_shows_the_city_figure_and_every_firm(firms):
    anchor, leader = firms

    output = run("--year", str(YEAR))

    assert f"Local content ratio {YEAR}, city-wide" in output
    assert "52.50" in output  # 1,050 of 2,000
    assert "46.00" in output
    anchor_line = next(line for line in output.splitlines() if anchor.uscc in line)
    leader_line = next(line for line in output.splitlines() if leader.uscc in line)
    assert "25.00" in anchor_line
    assert anchor_line.rstrip().endswith("yes")
    assert "80.00" in leader_line
    assert not leader_line.rstrip().endswith("yes")


def test_buyer_csv_gives_the_figure_and_its_groups(firms):
    anchor, _leader = firms

    rows = list(
        csv.DictReader(
            io.StringIO(
                run(
                    "--year",
                    str(YEAR),
                    "--buyer",
                    anchor.uscc,
                    "--group-by",
                    "category",
                    "--format",
                    "csv",
                )
            )
        )
    )

    assert [(r["group"], r["local_value"], r["total_value"], r["lcr_percent"]) for r in rows] == [
        ("", "250.00", "1000.00", "25.00"),
        ("cathode", "0.00", "750.00", "0.00"),
        ("sulfide-electrolyte", "250.00", "250.00", "100.00"),
    ]
    assert rows[0]["buyer_uscc"] == anchor.uscc
    assert rows[0]["behind_target"] == "yes"


def test_buyer_csv_by_basis_names_each_basis(firms):
    anchor, _leader = firms
    output = run(
        "--year", str(YEAR), "--buyer", anchor.uscc, "--group-by", "basis", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(output)))

    # No product on any line: everything rests on no share, the local part counted whole.
    assert [(r["group"], r["local_value"], r["total_value"]) for r in rows[1:]] == [
        ("none", "250.00", "1000.00")
    ]
    assert rows[1]["group_name"] in {"No share (counts whole)", "无份额（全额计入）"}


def test_city_csv_lists_the_city_then_each_firm(firms):
    rows = list(csv.DictReader(io.StringIO(run("--year", str(YEAR), "--format", "csv"))))

    assert rows[0]["buyer_uscc"] == ""
    assert rows[0]["lcr_percent"] == "52.50"
    assert sorted(r["lcr_percent"] for r in rows[1:]) == ["25.00", "80.00"]


def test_json_is_the_apis_answer(api_client, firms, official):
    anchor, _leader = firms
    lcr_year_publish(actor=official, year=YEAR)
    api_client.force_authenticate(official)

    command = json.loads(
        run(
            "--year", str(YEAR), "--buyer", anchor.uscc, "--group-by", "quarter", "--format", "json"
        )
    )
    api = api_client.get(
        "/api/v1/lcr/", {"buyer": anchor.uscc, "year": YEAR, "group_by": "quarter"}
    ).json()

    assert command == api


def test_city_json_carries_the_firms(firms):
    data = json.loads(run("--year", str(YEAR), "--format", "json"))

    assert data["city"]["lcr_percent"] == "52.50"
    assert data["city"]["buyer"] is None
    assert {firm["lcr_percent"] for firm in data["firms"]} == {"25.00", "80.00"}


def test_unknown_buyer_is_an_error_naming_the_code(db):
    with pytest.raises(CommandError, match="91330100000000999"):
        run("--buyer", "91330100000000999X")


def test_year_out_of_range_is_an_error(db):
    with pytest.raises(CommandError, match="--year"):
        run("--year", "1850")


def test_year_without_purchases_prints_no_ratio(db):
    output = run("--year", "2020")

    assert "LCR (%)" in output
    assert "—" in output
