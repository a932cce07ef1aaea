"""The programme dashboard: every target against its figures, public and for officials."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from alliance.models import Collaboration, DemonstrationProject, FieldReport
from directory.services.enterprises import enterprise_set_recommended
from programme import charts
from programme.selectors import dashboard, figures
from ssb_portal.charts import BAR, BAR_BEHIND
from subsidies.models import (
    KpiTarget,
    Milestone,
    MilestoneKpiValue,
    MilestoneReport,
    Recovery,
)
from talent.models import Graduate, OverseasExpert, ScholarshipApplication
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    ProgrammeFactory,
    PurchaseLineFactory,
    ScholarshipFundFactory,
    StudentFactory,
    UniversityFactory,
    UserFactory,
    outside_district,
)

THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1
ANCHOR_NAME = "链主甲固态电池有限公司"
ANCHOR_NAME_EN = "Anchor Alpha Solid-State Battery Co."
OPERATOR_NAME = "低空乙无人机有限公司"
PUBLIC = reverse("programme:dashboard")
PUBLIC_CSV = reverse("programme:dashboard_csv")
OFFICIALS = reverse("programme:officials")
OFFICIALS_CSV = reverse("programme:officials_csv")


@pytest.fixture(autouse=True)
def _trajectory_from_last_year(settings):
    """40 % last year, 46 % this year on the default trajectory to 70 % in five years."""
    settings.LCR_DEFAULT_BASELINE_YEAR = LAST_YEAR


def _purchases(anchor, *, year: int, local: str, remote: str, local_supplier, remote_supplier):
    PurchaseLineFactory(
        buyer=anchor,
        supplier=local_supplier,
        amount=Decimal(local),
        invoice_date=datetime.date(year, 5, 1),
    )
    PurchaseLineFactory(
        buyer=anchor,
        supplier=remote_supplier,
        amount=Decimal(remote),
        invoice_date=datetime.date(year, 6, 1),
    )


def _demonstration(operator, *, scenario: str, name: str, **report) -> DemonstrationProject:
    project = DemonstrationProject.objects.create(
        scenario=scenario,
        name=name,
        site="Industrial park",
        operator=operator,
        system_size_kwh=Decimal("50.00"),
        start_date=datetime.date(THIS_YEAR, 2, 1),
        status="operating",
    )
    FieldReport.objects.create(
        project=project, reported_on=datetime.date(THIS_YEAR, 3, 1), cycles_done=10, **report
    )
    return project


def _rd_project(applicant, programme, *, conductivity_reached: float):
    """An approved R&D project with two KPIs; only conductivity has been reported."""
    project = ApplicationFactory(programme=programme, applicant=applicant, status="approved")
    conductivity = KpiTarget.objects.create(
        application=project, kpi="ionic_conductivity", baseline_value=1e-3, target_value=5e-3
    )
    KpiTarget.objects.create(
        application=project, kpi="decay_rate", baseline_value=0.1, target_value=0.04
    )
    milestone = Milestone.objects.create(
        application=project, title="Pilot cell", due_on=timezone.localdate()
    )
    report = MilestoneReport.objects.create(
        milestone=milestone,
        reported_on=timezone.localdate(),
        summary="Pilot cells measured.",
        file="evidence.pdf",
        original_name="evidence.pdf",
        content_type="application/pdf",
        size_bytes=100,
        sha256="0" * 64,
    )
    MilestoneKpiValue.objects.create(
        report=report, kpi_target=conductivity, value=conductivity_reached, source="reported"
    )
    return project


@pytest.fixture
def world(db, official):
    """Several rows in every section, from one named anchor firm and its partners."""
    anchor = EnterpriseFactory(kind="anchor", name_zh=ANCHOR_NAME, name_en=ANCHOR_NAME_EN)
    local = EnterpriseFactory(name_zh="本地电解质供应商")
    remote = EnterpriseFactory(name_zh="外地正极供应商", district=outside_district())
    second_anchor = EnterpriseFactory(kind="anchor", name_zh="链主丙", name_en="Anchor Gamma")
    # LCR: 30 % last year (target 40 %), 60 % this year (target 46 %).
    _purchases(
        anchor, year=LAST_YEAR, local="300.00", remote="700.00",
        local_supplier=local, remote_supplier=remote,
    )  # fmt: skip
    _purchases(
        anchor, year=THIS_YEAR, local="500.00", remote="500.00",
        local_supplier=local, remote_supplier=remote,
    )  # fmt: skip
    _purchases(
        second_anchor, year=THIS_YEAR, local="700.00", remote="300.00",
        local_supplier=local, remote_supplier=remote,
    )  # fmt: skip
    enterprise_set_recommended(actor=official, enterprise=local, recommended=True)
    # Alliance: two supply agreements, one licensing deal, one terminated co-creation.
    for model, status in (
        ("supply", "active"), ("supply", "completed"), ("licensing", "active"),
        ("standard", "terminated"),
    ):  # fmt: skip
        Collaboration.objects.create(
            title=f"{model} with {ANCHOR_NAME}",
            model=model,
            status=status,
            starts_on=datetime.date(THIS_YEAR, 1, 10),
        )
    # Demonstrations: a drone project meeting both targets, a robot project missing one.
    operator = EnterpriseFactory(name_zh=OPERATOR_NAME)
    _demonstration(
        operator, scenario="drones", name=f"{OPERATOR_NAME}应急配送",
        specific_energy_wh_per_kg=Decimal("420"), lowest_temperature_c=Decimal("-25"),
        highest_temperature_c=Decimal("65"),
    )  # fmt: skip
    _demonstration(
        anchor, scenario="humanoid_robots", name="Robot line",
        volumetric_energy_wh_per_l=Decimal("1100"), peak_discharge_c_rate=Decimal("4"),
    )  # fmt: skip
    # Support money: 10,000,000 budget; 250,000 approved, 100,000 paid of which 40,000 repaid.
    procurement = ProgrammeFactory(kind="local_procurement")
    ApplicationFactory(
        programme=procurement, applicant=anchor, status="approved",
        awarded_amount_cny=Decimal("250000.00"),
    )  # fmt: skip
    paid = ApplicationFactory(
        programme=procurement, applicant=second_anchor, status="disbursed",
        awarded_amount_cny=Decimal("100000.00"),
    )  # fmt: skip
    Recovery.objects.create(
        application=paid, reason="targets_not_met", basis="Pro rata",
        amount_cny=Decimal("40000.00"), repaid_cny=Decimal("40000.00"), status="repaid",
    )  # fmt: skip
    # R&D: two funded projects, one reaching its conductivity target and the seed's.
    rd_fund = ProgrammeFactory(kind="rd_fund")
    _rd_project(anchor, rd_fund, conductivity_reached=2e-2)
    _rd_project(second_anchor, rd_fund, conductivity_reached=2e-3)
    # Talent: 10 graduates this year, 7 stay locally; two experts signed; three scholarships.
    university = UniversityFactory()
    for number in range(10):
        stays = number < 7
        Graduate.objects.create(
            university=university, year=THIS_YEAR, student_number=f"G{number}",
            degree="master", field="Electrochemistry",
            destination="local_ssb" if stays else "outside", employer=anchor if stays else None,
        )  # fmt: skip
    for number in range(2):
        OverseasExpert.objects.create(
            host=anchor, name=f"Dr. Expert {number}", country="Japan", field="Anodes",
            years_experience=8, status="signed", signed_on=datetime.date(THIS_YEAR, 4, 1),
            base_salary_cny=500000, total_package_cny=500000,
        )  # fmt: skip
    fund = ScholarshipFundFactory(year=THIS_YEAR)
    for _number in range(3):
        ScholarshipApplication.objects.create(
            fund=fund, student=StudentFactory(university=university), degree="master",
            field="x", grade_average=90, statement="s", status="awarded",
        )  # fmt: skip
    return {"anchor": anchor, "official": official}


def _sections(dashboard) -> dict:
    return {section.key: section for section in dashboard.sections}


def _indicators(section) -> dict:
    return {indicator.key: indicator for indicator in section.indicators}


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- the figures ------------------------------------------------------------------------------


def test_the_lcr_runs_by_year_against_the_trajectory(world):
    lcr = _indicators(_sections(dashboard.programme_dashboard_public())["lcr"])["lcr"]
    by_year = {figure.year: figure for figure in lcr.series}

    assert by_year[LAST_YEAR].value == Decimal("30.00")
    assert by_year[LAST_YEAR].target == Decimal("40.00")
    assert by_year[LAST_YEAR].met is False
    assert by_year[THIS_YEAR].value == Decimal("60.00")  # 1,200 local of 2,000 CNY
    assert by_year[THIS_YEAR].target == Decimal("46.00")
    assert by_year[THIS_YEAR].met is True
    assert lcr.current == by_year[THIS_YEAR]
    # The path ahead shows its targets, with no value and nothing judged.
    assert by_year[LAST_YEAR + 5].target == Decimal("70.00")
    assert by_year[LAST_YEAR + 5].value is None and by_year[LAST_YEAR + 5].met is None


def test_the_directory_counts_listed_and_recommended_enterprises(world):
    directory = _indicators(_sections(dashboard.programme_dashboard_public())["directory"])

    # Anchor, second anchor, local, remote, operator, university.
    assert directory["verified"].current.value == 6
    assert directory["local"].current.value == 5
    assert directory["recommended"].current.value == 1
    assert directory["recommended"].current.met is None


def test_collaborations_are_counted_by_model_without_the_terminated_ones(world):
    alliance = _indicators(_sections(dashboard.programme_dashboard_public())["alliance"])

    assert alliance["all"].current.value == 3
    assert alliance["supply"].current.value == 2
    assert alliance["licensing"].current.value == 1
    assert alliance["standard"].current.value == 0


def test_demonstrations_are_judged_against_their_scenarios_targets(world):
    section = _sections(dashboard.programme_dashboard_public())["demonstrations"]
    demonstrations = _indicators(section)

    assert demonstrations["drones"].current.value == 1
    assert demonstrations["drones"].current.met is True
    assert demonstrations["drones-met"].current.value == 1
    assert demonstrations["drones-met"].current.met is True
    assert demonstrations["humanoid_robots-met"].current.value == 0
    assert demonstrations["humanoid_robots-met"].current.met is False
    # No grid project: the scenario is behind its one flagship project.
    assert demonstrations["grid_storage"].current.value == 0
    assert demonstrations["grid_storage"].current.met is False
    (targets,) = section.tables
    peak = next(row for row in targets.rows if "5C" in row.name)
    assert (peak.value, peak.target, peak.met) == (0, 1, False)


def test_support_money_is_net_of_recoveries_against_the_budget(world):
    subsidies = _sections(dashboard.programme_dashboard_public())["subsidies"]
    procurement = _indicators(subsidies)["local_procurement"].current

    assert procurement.value == Decimal("310000.00")  # 250,000 + 100,000 − 40,000
    assert procurement.target == Decimal("10000000.00")
    assert procurement.met is None  # a budget is a ceiling, not a goal
    (by_programme,) = subsidies.tables  # the public version: no table of awards by firm
    (row,) = [row for row in by_programme.rows if row.target == procurement.target]
    assert row.value == Decimal("310000.00")
    assert row.note == "40,000.00 CNY recovered"


def test_rd_kpis_count_what_the_projects_met(world):
    rd = _indicators(_sections(dashboard.programme_dashboard_public())["rd"])

    assert rd["projects"].current.value == 2
    proposal = rd["kpis-proposal"].current
    assert (proposal.value, proposal.target, proposal.met) == (1, 4, False)
    seed = rd["kpis-seed"].current
    assert (seed.value, seed.target, seed.met) == (1, 4, False)


def test_talent_figures_follow_the_talent_dashboard(world):
    talent = _indicators(_sections(dashboard.programme_dashboard_public())["talent"])

    assert talent["graduates"].current.value == 10
    assert talent["p_retain"].current.value == Decimal("70.00")
    assert talent["p_retain"].current.met is True
    assert talent["influx"].current.value == Decimal("7.00")
    assert talent["influx"].current.met is False
    assert talent["experts"].current.value == 2
    assert talent["experts"].current.met is False
    assert talent["scholarships"].current.value == 3
    assert talent["scholarship-money"].current.value == Decimal("60000.00")


# --- the pages --------------------------------------------------------------------------------


def test_the_public_page_shows_every_section_with_charts_and_tables(client, world):
    response = client.get(PUBLIC)
    page = response.content.decode()

    assert response.status_code == 200
    for title in ("Local content ratio", "Alliance collaborations", "R&amp;D fund KPIs", "Talent"):
        assert title in page
    assert page.count("<svg") >= 10
    assert f'viewBox="0 0 {charts.WIDTH} {charts.HEIGHT}"' in page and 'role="img"' in page
    # Screen readers get the figures: the chart's description holds them.
    assert "60.00 % (target 46.00 %, met)" in page
    assert "<details" in page and "The numbers of this chart" in page
    # The charts need no script: the only one is the header's phone menu, from our own files.
    assert "cdn" not in page.lower()
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/site-menu.js">']


def test_the_public_page_and_csv_name_no_firm(client, world):
    page = client.get(PUBLIC).content.decode()
    exported = client.get(PUBLIC_CSV).content.decode("utf-8-sig")

    for text in (page, exported):
        assert ANCHOR_NAME not in text
        assert ANCHOR_NAME_EN not in text
        assert OPERATOR_NAME not in text
        assert world["anchor"].uscc not in text


def test_officials_see_the_firms_behind_the_figures(client, world):
    client.force_login(world["official"])

    page = client.get(OFFICIALS).content.decode()
    rows = _csv_rows(client.get(OFFICIALS_CSV))

    assert ANCHOR_NAME_EN in page  # top anchors, largest awards, R&D projects (English page)
    assert OPERATOR_NAME in page
    top = [row for row in rows if row[1].startswith("Firms with the highest local content")]
    assert [row[1].split(": ", 1)[1] for row in top] == ["Anchor Gamma", ANCHOR_NAME_EN]
    assert [row[3] for row in top] == ["70.00", "50.00"]


def test_the_officials_page_is_for_officials_only(client, world):
    for url in (OFFICIALS, OFFICIALS_CSV):
        anonymous = client.get(url)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith(reverse("login"))
    client.force_login(UserFactory(username="ordinary"))
    assert client.get(OFFICIALS).status_code == 404
    assert client.get(OFFICIALS_CSV).status_code == 404


def test_an_official_is_led_from_the_public_page_to_their_version(client, world):
    assert OFFICIALS not in client.get(PUBLIC).content.decode()
    client.force_login(world["official"])
    assert OFFICIALS in client.get(PUBLIC).content.decode()


def test_the_csv_holds_every_indicator_by_year(client, world):
    response = client.get(PUBLIC_CSV)
    rows = _csv_rows(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ssb-programme-')
    assert rows[0] == ["Section", "Indicator", "Year", "Value", "Target", "Unit", "Met"]
    assert [
        "Local content ratio", "Local content ratio (LCR)", str(THIS_YEAR), "60.00", "46.00",
        "%", "True",
    ] in rows  # fmt: skip
    assert [
        "Support money against budgets", "Local procurement subsidy", str(THIS_YEAR),
        "310000.00", "10000000.00", "CNY", "",
    ] in rows  # fmt: skip
    assert [
        "Alliance collaborations", "Long-term supply agreement", str(THIS_YEAR), "2", "",
        "collaborations", "",
    ] in rows  # fmt: skip


def test_with_no_data_every_section_says_so(client, db):
    page = client.get(PUBLIC).content.decode()
    rows = _csv_rows(client.get(PUBLIC_CSV))

    for text in (
        "No purchases recorded yet",
        "No enterprise is listed in the directory yet.",
        "No collaboration has begun in the alliance yet.",
        "No demonstration project is recorded yet.",
        "No support programme with a budget has been set up yet.",
        "No R&amp;D project has been funded yet.",
        "No graduates, overseas experts or scholarship funds are recorded yet.",
    ):
        assert text in page
    assert "<svg" not in page
    assert ">met<" not in page
    # Only the LCR trajectory ahead: targets with no value, nothing judged.
    assert all(row[3] == "" and row[6] == "" for row in rows[1:])


def test_the_page_speaks_chinese_and_english(client, world):
    english = client.get(PUBLIC, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.cookies["django_language"] = "zh-hans"
    with translation.override("zh-hans"):
        chinese = client.get(PUBLIC, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert '<html lang="en">' in english
    assert '<html lang="zh-hans">' in chinese
    assert "人才" in chinese  # the navigation's "Talent"
    assert "Talent" in english


@pytest.mark.parametrize("url", [PUBLIC, OFFICIALS, PUBLIC_CSV, OFFICIALS_CSV])
def test_the_dashboard_takes_a_fixed_number_of_queries(
    client, world, url, django_assert_max_num_queries
):
    """Twice the data in every section costs no query more."""
    client.force_login(world["official"])
    with django_assert_max_num_queries(30) as before:
        client.get(url)
    more = EnterpriseFactory(kind="anchor", name_zh="链主丁")
    local = EnterpriseFactory()
    _purchases(
        more, year=THIS_YEAR, local="10.00", remote="10.00",
        local_supplier=local, remote_supplier=local,
    )  # fmt: skip
    Collaboration.objects.create(
        title="More", model="licensing", starts_on=datetime.date(LAST_YEAR, 1, 1)
    )
    _demonstration(more, scenario="grid_storage", name="Grid", round_trip_efficiency_percent=96)
    ApplicationFactory(
        programme=ProgrammeFactory(kind="standards_reward"), applicant=more, status="approved",
        awarded_amount_cny=Decimal("500000.00"),
    )  # fmt: skip
    _rd_project(more, ProgrammeFactory(kind="rd_fund", year=LAST_YEAR), conductivity_reached=1e-2)
    ScholarshipFundFactory(year=LAST_YEAR)

    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)

    assert response.status_code == 200


def test_budgets_without_awards_are_not_shown_as_spending(client, db):
    ProgrammeFactory(kind="local_procurement")

    subsidies = _sections(dashboard.programme_dashboard_public())["subsidies"]
    page = client.get(PUBLIC).content.decode()

    assert subsidies.notes == ("No money has been awarded yet; the budgets are shown.",)
    assert "No money has been awarded yet; the budgets are shown." in page
    assert all(f.met is None for i in subsidies.indicators for f in i.series)


def test_a_chart_draws_years_behind_their_target_in_red_and_writes_the_figures():
    indicator = figures.Indicator(
        key="influx",
        name="Graduates <entering>",
        unit="graduates",
        kind=figures.COUNT,
        target_text="more than 500",
        series=(
            figures.YearFigure(2025, 420, 500, False),
            figures.YearFigure(2026, 640, 500, True),
        ),
    )

    svg = charts.indicator_chart(indicator, chart_id="chart-t")

    assert svg.count(f'fill="{BAR_BEHIND}"') == 2  # the 2025 bar and its legend entry
    assert svg.count(f'fill="{BAR}"') == 2  # the 2026 bar and its legend entry
    assert ">420<" in svg and ">640<" in svg
    assert "Graduates &lt;entering&gt;" in svg and "<entering>" not in svg
    assert "2025: 420 (target 500, not met); 2026: 640 (target 500, met)" in svg
    assert 'aria-labelledby="chart-t-title chart-t-desc"' in svg


def test_the_directory_counts_each_enterprise_from_the_year_it_was_listed(official):
    listed_long_ago = datetime.datetime(LAST_YEAR - 1, 6, 1, tzinfo=datetime.UTC)
    EnterpriseFactory(verified_at=listed_long_ago)
    recommended = EnterpriseFactory(verified_at=listed_long_ago)
    EnterpriseFactory(status="pending", verified_at=None)  # not listed: counted nowhere
    enterprise_set_recommended(actor=official, enterprise=recommended, recommended=True)

    directory = _indicators(_sections(dashboard.programme_dashboard_public())["directory"])
    verified = {figure.year: figure.value for figure in directory["verified"].series}
    on_the_list = {figure.year: figure.value for figure in directory["recommended"].series}

    assert verified == {LAST_YEAR - 1: 2, LAST_YEAR: 2, THIS_YEAR: 2}
    # Recommended this year (the service's record), though listed two years ago.
    assert on_the_list == {LAST_YEAR - 1: 0, LAST_YEAR: 0, THIS_YEAR: 1}
