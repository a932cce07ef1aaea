"""Demonstration projects: recorded and reported by their operator, shown publicly against
the scenario's targets, and refused to anybody else."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from alliance.demonstrations import services as demonstration_services
from alliance.demonstrations.models import DemonstrationProject, FieldReport
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 1, 15)


def project_data(**changes):
    data = {
        "scenario": "grid_storage",
        "name": "江北储能电站",
        "site": "江北新区",
        "system_size_kwh": Decimal("2000"),
        "start_date": START,
        "status": "operating",
        "description": "",
    }
    data.update(changes)
    return data


def make_project(operator, *, suppliers=(), **changes) -> DemonstrationProject:
    return demonstration_services.demonstration_create(
        actor=operator.owner, operator=operator, data=project_data(**changes), suppliers=suppliers
    )


def file_report(project, actor, **values) -> FieldReport:
    data = {"reported_on": START + datetime.timedelta(days=30), "cycles_done": 100}
    data.update(values)
    return demonstration_services.field_report_file(actor=actor, project=project, data=data)


@pytest.fixture
def project(anchor, sme):
    return make_project(anchor, suppliers=[sme])


def retention_reports(project, actor, points):
    for days, (cycles, retention) in enumerate(points, start=1):
        file_report(
            project,
            actor,
            reported_on=START + datetime.timedelta(days=days * 30),
            cycles_done=cycles,
            capacity_retention_percent=Decimal(retention),
            round_trip_efficiency_percent=Decimal("96.2"),
        )


# --- services ---------------------------------------------------------------------------------


def test_a_member_of_the_operator_records_a_project_with_its_suppliers(anchor, sme):
    project = make_project(anchor, suppliers=[sme])

    assert project.operator == anchor
    assert list(project.suppliers.all()) == [sme]
    assert project.created_by == anchor.owner


def test_only_members_of_the_operator_record_its_project(anchor, sme):
    with pytest.raises(PermissionDenied):
        demonstration_services.demonstration_create(
            actor=sme.owner, operator=anchor, data=project_data()
        )
    assert not DemonstrationProject.objects.exists()


def test_a_project_needs_a_positive_size(anchor):
    with pytest.raises(ValidationError) as error:
        make_project(anchor, system_size_kwh=Decimal("0"))
    assert "system_size_kwh" in error.value.message_dict


def test_another_organisations_member_cannot_file_a_report(project, sme):
    with pytest.raises(PermissionDenied):
        file_report(project, sme.owner)
    assert not FieldReport.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"capacity_retention_percent": Decimal("101")}, "capacity_retention_percent"),
        ({"round_trip_efficiency_percent": Decimal("-1")}, "round_trip_efficiency_percent"),
        ({"specific_energy_wh_per_kg": Decimal("-3")}, "specific_energy_wh_per_kg"),
        (
            {"lowest_temperature_c": Decimal("10"), "highest_temperature_c": Decimal("-5")},
            "highest_temperature_c",
        ),
        ({"lowest_temperature_c": Decimal("-150")}, "lowest_temperature_c"),
        ({"reported_on": START - datetime.timedelta(days=1)}, "reported_on"),
        ({"reported_on": timezone.localdate() + datetime.timedelta(days=2)}, "reported_on"),
        ({"incident_count": 2, "incidents": ""}, "incidents"),
    ],
)
def test_a_report_out_of_range_is_refused_naming_the_field(project, anchor, values, field):
    with pytest.raises(ValidationError) as error:
        file_report(project, anchor.owner, **values)
    assert field in error.value.message_dict


# --- pages ------------------------------------------------------------------------------------


def test_showcase_lists_projects_with_their_targets(client, project, anchor, sme):
    retention_reports(project, anchor.owner, [(0, "100"), (1000, "99.0"), (2000, "98.02")])

    response = client.get(reverse("alliance:demonstrations"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "江北储能电站" in text
    assert "Grid-side energy storage" in text
    assert anchor.name_zh in text or anchor.name_en in text
    assert sme.name_zh in text or sme.name_en in text
    # D ≈ 1e-5 per cycle: about 22,000 cycles to 80 %; efficiency 96.2 % > 95 %.
    assert text.count(">Met<") == 2


def test_showcase_filters_by_scenario(client, anchor):
    make_project(anchor, name="Grid A")
    make_project(anchor, name="Drone B", scenario="drones")

    text = client.get(reverse("alliance:demonstrations"), {"scenario": "drones"}).content.decode()

    assert "Drone B" in text
    assert "Grid A" not in text


def test_showcase_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for number in range(6):
        operator = EnterpriseFactory(kind="anchor")
        owner = UserFactory()
        MembershipFactory(user=owner, enterprise=operator, role="owner")
        operator.owner = owner
        project = make_project(
            operator,
            name=f"Project {number}",
            suppliers=[EnterpriseFactory(), EnterpriseFactory()],
        )
        retention_reports(project, owner, [(0, "100"), (500, "99.5"), (1000, "99.0")])

    # count, projects with operators, suppliers, reports (+ session-less user lookups: none)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("alliance:demonstrations"))

    assert response.content.decode().count("Project ") >= 6


def test_project_page_shows_reports_and_the_report_form_to_the_operator(client, project, anchor):
    file_report(project, anchor.owner, cycles_done=321, incident_count=1, incidents="BMS reset")
    url = reverse("alliance:demonstration", args=[project.pk])

    public = client.get(url).content.decode()
    assert "321" in public and "BMS reset" in public
    assert "File the report" not in public
    assert "Not enough reports" in public

    client.force_login(anchor.owner)
    assert "File the report" in client.get(url).content.decode()


def test_operator_files_a_report_on_the_page(client, project, anchor):
    client.force_login(anchor.owner)

    response = client.post(
        reverse("alliance:demonstration_report", args=[project.pk]),
        {
            "reported_on": "2025-03-01",
            "cycles_done": "450",
            "capacity_retention_percent": "99.6",
            "incident_count": "0",
        },
    )

    assert response.status_code == 302
    report = project.reports.get()
    assert report.cycles_done == 450
    assert report.filed_by == anchor.owner


def test_report_page_names_the_wrong_field(client, project, anchor):
    client.force_login(anchor.owner)

    response = client.post(
        reverse("alliance:demonstration_report", args=[project.pk]),
        {"reported_on": "2025-03-01", "cycles_done": "-4", "incident_count": "0"},
    )

    assert response.status_code == 400
    assert "cycles_done" in response.context["report_form"].errors
    assert not project.reports.exists()


def test_another_organisations_member_cannot_post_a_report_page(client, project, sme):
    client.force_login(sme.owner)

    response = client.post(
        reverse("alliance:demonstration_report", args=[project.pk]),
        {"reported_on": "2025-03-01", "cycles_done": "450", "incident_count": "0"},
    )

    assert response.status_code == 403
    assert not project.reports.exists()


def test_member_records_a_project_on_the_page(client, anchor, sme):
    client.force_login(anchor.owner)

    response = client.post(
        reverse("alliance:demonstration_new"),
        {
            "operator": anchor.pk,
            "suppliers": [sme.pk],
            "scenario": "humanoid_robots",
            "name": "Robot line",
            "site": "Plant 3",
            "system_size_kwh": "12.5",
            "start_date": "2025-02-01",
            "status": "operating",
        },
    )

    project = DemonstrationProject.objects.get()
    assert response.status_code == 302
    assert project.operator == anchor
    assert list(project.suppliers.all()) == [sme]


def test_nobody_records_a_project_for_an_organisation_they_do_not_belong_to(client, anchor, sme):
    client.force_login(sme.owner)

    response = client.post(
        reverse("alliance:demonstration_new"),
        {
            "operator": anchor.pk,
            "scenario": "drones",
            "name": "Not mine",
            "site": "X",
            "system_size_kwh": "1",
            "start_date": "2025-02-01",
            "status": "planned",
        },
    )

    assert response.status_code == 400
    assert "operator" in response.context["form"].errors
    assert not DemonstrationProject.objects.exists()


# --- API --------------------------------------------------------------------------------------


def test_api_lists_projects_publicly_with_targets(api_client, project, anchor):
    file_report(project, anchor.owner, round_trip_efficiency_percent=Decimal("94.5"))

    response = api_client.get("/api/v1/demonstrations/")

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["name"] == "江北储能电站"
    assert item["operator"]["uscc"] == anchor.uscc
    targets = {t["key"]: t["status"] for t in item["targets"]}
    assert targets == {"cycle_life": "not_enough_reports", "round_trip_efficiency": "not_met"}


def test_api_list_takes_a_fixed_number_of_queries(
    api_client, anchor, django_assert_max_num_queries
):
    for number in range(5):
        project = make_project(anchor, name=f"P{number}", suppliers=[EnterpriseFactory()])
        retention_reports(project, anchor.owner, [(0, "100"), (500, "99.5"), (1000, "99.0")])

    with django_assert_max_num_queries(4):
        response = api_client.get("/api/v1/demonstrations/")

    assert len(response.json()["results"]) == 5


def test_api_operator_records_a_project_and_files_reports(api_client, anchor, sme):
    api_client.force_authenticate(anchor.owner)

    created = api_client.post(
        "/api/v1/demonstrations/",
        {
            "operator": anchor.uscc,
            "suppliers": [sme.uscc],
            "scenario": "drones",
            "name": "Logistics drones",
            "site": "Airport",
            "system_size_kwh": "3.2",
            "start_date": "2025-01-20",
            "status": "operating",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]

    report = api_client.post(
        f"/api/v1/demonstrations/{pk}/reports/",
        {
            "reported_on": "2025-04-01",
            "cycles_done": 80,
            "specific_energy_wh_per_kg": "410",
            "lowest_temperature_c": "-22",
            "highest_temperature_c": "61",
        },
        format="json",
    )

    assert report.status_code == 201, report.json()
    targets = {t["key"]: t["status"] for t in report.json()["targets"]}
    assert targets == {"specific_energy": "met", "operating_range": "met"}


def test_api_another_organisations_member_cannot_file_a_report(api_client, project, sme):
    api_client.force_authenticate(sme.owner)

    response = api_client.post(
        f"/api/v1/demonstrations/{project.pk}/reports/",
        {"reported_on": "2025-04-01", "cycles_done": 80},
        format="json",
    )

    assert response.status_code == 403
    assert not project.reports.exists()


def test_api_anonymous_cannot_file_or_record(api_client, project):
    assert api_client.post(f"/api/v1/demonstrations/{project.pk}/reports/", {}).status_code == 401
    assert api_client.post("/api/v1/demonstrations/", {}).status_code == 401


def test_api_report_names_the_wrong_field(api_client, project, anchor):
    api_client.force_authenticate(anchor.owner)

    response = api_client.post(
        f"/api/v1/demonstrations/{project.pk}/reports/",
        {"reported_on": "2025-04-01", "cycles_done": 80, "capacity_retention_percent": "140"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["capacity_retention_percent"]


def test_api_report_on_a_missing_project_is_404(api_client, anchor):
    api_client.force_authenticate(anchor.owner)

    response = api_client.post(
        "/api/v1/demonstrations/999999/reports/",
        {"reported_on": "2025-04-01", "cycles_done": 80},
        format="json",
    )

    assert response.status_code == 404


# --- admin ------------------------------------------------------------------------------------


def test_officials_read_projects_and_reports_but_change_nothing(client, official, project, anchor):
    file_report(project, anchor.owner)
    client.force_login(official)

    listing = client.get(reverse("admin:alliance_demonstrationproject_changelist"))
    page = client.get(reverse("admin:alliance_demonstrationproject_change", args=[project.pk]))
    reports = client.get(reverse("admin:alliance_fieldreport_changelist"))

    assert listing.status_code == page.status_code == reports.status_code == 200
    assert "江北储能电站" in listing.content.decode()
    assert client.get(reverse("admin:alliance_demonstrationproject_add")).status_code == 403


@pytest.mark.parametrize(
    "values",
    [
        {"capacity_retention_percent": Decimal("140")},
        {"round_trip_efficiency_percent": Decimal("-2")},
        {"lowest_temperature_c": Decimal("30"), "highest_temperature_c": Decimal("20")},
    ],
)
def test_the_database_refuses_impossible_reports(project, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        FieldReport.objects.create(project=project, reported_on=START, cycles_done=1, **values)
