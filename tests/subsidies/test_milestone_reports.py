"""R&D fund milestone reports: an awarded project reports each milestone with its evidence and
KPI values; the KPI status compares the latest value with the proposal's target and the
seed's; officials see every funded project's status in one table."""

import datetime
import json
import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ssb_portal.models import AuditEntry
from subsidies.kpi import KpiValue, kpi_status
from subsidies.models import KpiTarget, Milestone, MilestoneReport
from subsidies.selectors.milestones import application_kpi_status, rd_kpi_table
from subsidies.services.milestones import milestone_report_file
from tests.factories import ApplicationFactory, EnterpriseFactory, ProgrammeFactory
from tests.subsidies.conftest import PDF_BYTES, pdf

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
BOLTZMANN_EV_PER_K = 8.617333262e-5


def arrhenius_csv(sigma_25c: float, activation_energy_ev: float = 0.3) -> bytes:
    """Conductivity at 25, 40, 60 and 80 °C following σ = A·exp(−Eₐ/kT) exactly."""
    rows = ["Temperature (°C),Conductivity (S/cm)"]
    for celsius in (25, 40, 60, 80):
        kelvin = celsius + 273.15
        sigma = sigma_25c * math.exp(
            -activation_energy_ev / BOLTZMANN_EV_PER_K * (1 / kelvin - 1 / 298.15)
        )
        rows.append(f"{celsius},{sigma:.6e}")
    return ("\n".join(rows) + "\n").encode()


CSV_BYTES = arrhenius_csv(0.011)
#: Capacity falling 0.035 % per cycle from 310 mAh/g, charge 0.3 % above discharge.
CAPACITY_CSV = (
    "cycle,discharge capacity,charge capacity\n"
    + "".join(
        f"{n},{310 * (1 - 0.00035) ** n:.4f},{310 * (1 - 0.00035) ** n * 1.003:.4f}\n"
        for n in range(1, 201, 10)
    )
).encode()


def csv_file(name: str = "conductivity.csv", content: bytes = CSV_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def make_project(applicant, *, status: str = "approved", programme=None) -> object:
    """An R&D project of `applicant` in `status`, with three KPIs and two milestones."""
    application = ApplicationFactory(
        programme=programme or ProgrammeFactory(kind="rd_fund"),
        applicant=applicant,
        status=status,
    )
    KpiTarget.objects.create(
        application=application, kpi="ionic_conductivity", baseline_value=1e-3, target_value=5e-3
    )
    KpiTarget.objects.create(
        application=application, kpi="decay_rate", baseline_value=0.1, target_value=0.04
    )
    KpiTarget.objects.create(
        application=application, kpi="cost", baseline_value=100, target_value=60
    )
    today = timezone.localdate()
    Milestone.objects.create(
        application=application, title="Pilot cell", due_on=today + datetime.timedelta(days=90)
    )
    Milestone.objects.create(
        application=application, title="Scale-up", due_on=today + datetime.timedelta(days=360)
    )
    return application


@pytest.fixture
def project(sme):
    return make_project(sme)


def report(project, values, *, day=None, dataset=None, actor=None, milestone=None, **more):
    if dataset is not None:
        more.setdefault("dataset_kind", "conductivity")
        more.setdefault("temperature_unit", "C")
    return milestone_report_file(
        actor=actor or project.applicant.owner,
        application=project,
        milestone=milestone or project.milestones.first(),
        reported_on=day or timezone.localdate(),
        summary="Pilot cells built and measured.",
        evidence=pdf("test-report.pdf"),
        dataset=dataset,
        values=values,
        **more,
    )


def status_of(project) -> dict:
    return {item.kpi: item for item in application_kpi_status(project)}


# --- the KPI status -------------------------------------------------------------------------


def test_a_report_updates_the_kpi_status_against_the_proposal_and_the_seed(project):
    before = status_of(project)
    assert before["ionic_conductivity"].value is None
    assert before["ionic_conductivity"].meets_target is None

    report(
        project,
        [
            {"kpi": "ionic_conductivity", "value": 6e-3, "source": "reported"},
            {"kpi": "decay_rate", "value": 0.045, "source": "reported"},
            {"kpi": "cost", "value": 50, "source": "reported"},
        ],
        day=timezone.localdate() - datetime.timedelta(days=10),
    )
    status = status_of(project)
    # 6e-3 S/cm reaches the proposal's 5e-3 but not the seed's > 1e-2.
    assert status["ionic_conductivity"].meets_target is True
    assert status["ionic_conductivity"].meets_seed is False
    # 0.045 %/cycle misses the proposal's 0.04 but beats the seed's < 0.05.
    assert status["decay_rate"].meets_target is False
    assert status["decay_rate"].meets_seed is True
    # Cost halved from the baseline of 100: the seed's 50 % reduction is met.
    assert status["cost"].meets_target is True
    assert status["cost"].meets_seed is True
    assert status["cost"].seed_target == 50

    report(
        project,
        [{"kpi": "ionic_conductivity", "value": 1.2e-2, "source": "reported"}],
        milestone=project.milestones.last(),
    )
    status = status_of(project)
    assert status["ionic_conductivity"].value == 1.2e-2
    assert status["ionic_conductivity"].meets_seed is True
    assert AuditEntry.objects.filter(action="milestone_report").count() == 2


def test_a_fitted_value_is_preferred_over_a_later_typed_one(project):
    report(
        project,
        [{"kpi": "ionic_conductivity", "value": 1.1e-2, "source": "fitted"}],
        day=timezone.localdate() - datetime.timedelta(days=5),
        dataset=csv_file(),
    )
    report(project, [{"kpi": "ionic_conductivity", "value": 2e-3, "source": "reported"}])
    item = status_of(project)["ionic_conductivity"]
    assert item.source == "fitted"
    assert item.value == pytest.approx(1.1e-2, rel=1e-4)
    assert item.meets_seed is True


def test_the_fit_of_the_dataset_replaces_a_typed_fitted_value_and_fills_blank_kpis(sme):
    project = make_project(sme)
    KpiTarget.objects.create(
        application=project, kpi="coulombic_efficiency", baseline_value=98, target_value=99.5
    )
    saved = report(
        project,
        [{"kpi": "decay_rate", "value": 0.01, "source": "fitted"}],
        dataset=SimpleUploadedFile("fade.csv", CAPACITY_CSV),
        dataset_kind="capacity",
    )
    assert saved.fit["kind"] == "capacity"
    status = status_of(project)
    # The typed 0.01 is replaced by what the data say: 0.035 % per cycle.
    assert status["decay_rate"].value == pytest.approx(0.035, rel=1e-3)
    assert status["decay_rate"].source == "fitted"
    assert (status["decay_rate"].meets_target, status["decay_rate"].meets_seed) == (True, True)
    # Not typed at all: the coulombic efficiency comes from the charge column.
    assert status["coulombic_efficiency"].value == pytest.approx(100 / 1.003, rel=1e-4)
    assert status["coulombic_efficiency"].meets_seed is True
    assert status["ionic_conductivity"].value is None


def test_the_seed_targets_are_strict_and_the_cost_target_is_relative():
    day = datetime.date(2026, 1, 1)
    at_target = kpi_status(
        kpi="ionic_conductivity",
        baseline=1e-3,
        target=1e-2,
        values=[KpiValue(value=1e-2, source="reported", reported_on=day)],
    )
    assert at_target.meets_target is True  # the proposal's target is reached when equalled
    assert at_target.meets_seed is False  # the seed asks for more than 1e-2
    asr = kpi_status(kpi="asr", baseline=30, target=12, values=[KpiValue(9.9, "reported", day)])
    assert (asr.meets_target, asr.meets_seed) == (True, True)
    cost = kpi_status(kpi="cost", baseline=80, target=60, values=[KpiValue(41, "reported", day)])
    assert (cost.seed_target, cost.meets_target, cost.meets_seed) == (40, True, False)


# --- who may report and when ----------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "under_review", "rejected"])
def test_an_unawarded_application_cannot_report(sme, status):
    project = make_project(sme, status=status)
    with pytest.raises(ValidationError, match="once the application is approved"):
        report(project, [{"kpi": "cost", "value": 50, "source": "reported"}])
    assert not MilestoneReport.objects.exists()


def test_an_unawarded_application_page_has_no_milestone_reports(client, sme):
    project = make_project(sme, status="under_review")
    client.force_login(sme.owner)
    page = client.get(reverse("subsidies:application", args=[project.pk]))
    assert page.status_code == 200
    assert "Milestone reports" not in page.content.decode()
    form = client.get(
        reverse("subsidies:milestone_report", args=[project.pk, project.milestones.first().pk])
    )
    assert form.status_code == 302


def test_only_the_applicants_members_report(project, official):
    with pytest.raises(PermissionDenied):
        report(project, [], actor=official)


def test_another_enterprises_member_gets_404(client, api_client, project, anchor):
    report(project, [{"kpi": "cost", "value": 50, "source": "reported"}])
    saved = MilestoneReport.objects.get()
    milestone = project.milestones.first()
    client.force_login(anchor.owner)
    urls = [
        reverse("subsidies:milestone_report", args=[project.pk, milestone.pk]),
        reverse("subsidies:milestone_report_download", args=[project.pk, saved.pk, "evidence"]),
        reverse("subsidies:rd_kpis"),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    api_client.force_login(anchor.owner)
    answer = api_client.post(
        f"/api/v1/applications/{project.pk}/milestones/{milestone.pk}/reports/",
        {"reported_on": "2026-01-01", "summary": "x", "evidence": pdf()},
        format="multipart",
    )
    assert answer.status_code == 404
    assert api_client.get(f"/api/v1/applications/{project.pk}/kpis/").status_code == 404


def test_a_milestone_of_another_project_is_not_found(client, project, sme):
    other = make_project(sme)
    client.force_login(sme.owner)
    url = reverse("subsidies:milestone_report", args=[project.pk, other.milestones.first().pk])
    assert client.get(url).status_code == 404


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            [{"kpi": "ionic_conductivity", "value": -1, "source": "reported"}],
            "ionic_conductivity",
            "above zero",
        ),
        ([{"kpi": "decay_rate", "value": 140, "source": "reported"}], "decay_rate", "0 and 100"),
        ([{"kpi": "cost", "value": "cheap", "source": "reported"}], "cost", "number"),
        ([{"kpi": "cost", "value": 50, "source": "fitted"}], "cost", "dataset"),
        ([{"kpi": "cost", "value": 50, "source": "guessed"}], "cost", "fitted or reported"),
        ([{"kpi": "asr", "value": 5, "source": "reported"}], "values", "not one of"),
    ],
)
def test_bad_values_are_refused_naming_the_field(api_client, project, values, field, message):
    api_client.force_login(project.applicant.owner)
    milestone = project.milestones.first()
    answer = api_client.post(
        f"/api/v1/applications/{project.pk}/milestones/{milestone.pk}/reports/",
        {
            "reported_on": timezone.localdate().isoformat(),
            "summary": "Measured.",
            "evidence": pdf(),
            "values": json.dumps(values),
        },
        format="multipart",
    )
    assert answer.status_code == 400
    assert message in " ".join(answer.json()[field])
    assert not MilestoneReport.objects.exists()


@pytest.mark.parametrize(
    ("extra", "content", "field", "message"),
    [
        ({"dataset_kind": ""}, CSV_BYTES, "dataset_kind", "what the dataset measures"),
        ({"temperature_unit": ""}, CSV_BYTES, "temperature_unit", "°C or K"),
        ({}, b"temperature,conductivity\n25,0.01\n40,-1\n60,0.03\n", "dataset", "row 3"),
        (
            {"dataset_kind": "capacity", "temperature_unit": ""},
            CAPACITY_CSV,
            "ionic_conductivity",
            "gives no value",
        ),
    ],
)
def test_bad_datasets_are_refused_naming_the_field(
    api_client, project, extra, content, field, message
):
    api_client.force_login(project.applicant.owner)
    milestone = project.milestones.first()
    data = {
        "reported_on": timezone.localdate().isoformat(),
        "summary": "Measured.",
        "evidence": pdf(),
        "dataset": SimpleUploadedFile("data.csv", content),
        "dataset_kind": "conductivity",
        "temperature_unit": "C",
        "values": json.dumps([{"kpi": "ionic_conductivity", "value": 0.01, "source": "fitted"}]),
        **extra,
    }
    answer = api_client.post(
        f"/api/v1/applications/{project.pk}/milestones/{milestone.pk}/reports/",
        data,
        format="multipart",
    )
    assert answer.status_code == 400
    assert message in " ".join(answer.json()[field])
    assert not MilestoneReport.objects.exists()


def test_bad_files_and_dates_are_refused_on_their_fields(client, project, settings):
    client.force_login(project.applicant.owner)
    url = reverse("subsidies:milestone_report", args=[project.pk, project.milestones.first().pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    answer = client.post(
        url,
        {
            "reported_on": tomorrow.isoformat(),
            "summary": "Measured.",
            "evidence": SimpleUploadedFile("photo.png", PNG_BYTES),
            "dataset": SimpleUploadedFile("data.csv", PDF_BYTES[:4] + b"\x00\x01"),
            "dataset_kind": "conductivity",
            "temperature_unit": "C",
            "cost": "50",
            "cost_source": "reported",
            "ionic_conductivity_source": "reported",
            "decay_rate_source": "reported",
        },
    )
    assert answer.status_code == 400
    errors = answer.context["form"].errors
    assert "future" in " ".join(errors["reported_on"])
    assert "CSV" in " ".join(errors["dataset"])
    assert not MilestoneReport.objects.exists()
    # With the date and the dataset right, the PNG is still refused as evidence.
    answer = client.post(
        url,
        {
            "reported_on": timezone.localdate().isoformat(),
            "summary": "Measured.",
            "evidence": SimpleUploadedFile("photo.png", PNG_BYTES),
            "cost_source": "reported",
            "ionic_conductivity_source": "reported",
            "decay_rate_source": "reported",
        },
    )
    assert answer.status_code == 400
    assert "PDF" in " ".join(answer.context["form"].errors["evidence"])
    assert not MilestoneReport.objects.exists()
    # All or nothing: no file of the refused reports stays behind.
    assert not [path for path in settings.PRIVATE_MEDIA_ROOT.rglob("*") if path.is_file()]


# --- pages and API --------------------------------------------------------------------------


def test_a_member_reports_a_milestone_on_the_page(client, project):
    client.force_login(project.applicant.owner)
    page = client.get(reverse("subsidies:application", args=[project.pk]))
    assert "Milestone reports" in page.content.decode()
    assert "Report this milestone" in page.content.decode()
    milestone = project.milestones.first()
    answer = client.post(
        reverse("subsidies:milestone_report", args=[project.pk, milestone.pk]),
        {
            "reported_on": timezone.localdate().isoformat(),
            "summary": "Pilot cells measured at 25 °C.",
            "evidence": pdf("pilot.pdf"),
            "dataset": csv_file(),
            "dataset_kind": "conductivity",
            "temperature_unit": "C",
            "ionic_conductivity": "0.011",
            "ionic_conductivity_source": "fitted",
            "decay_rate_source": "reported",
            "cost_source": "reported",
        },
    )
    assert answer.status_code == 302
    saved = MilestoneReport.objects.get()
    assert saved.dataset_name == "conductivity.csv"
    [(value, source)] = saved.kpi_values.values_list("value", "source")
    assert (value, source) == (pytest.approx(0.011, rel=1e-4), "fitted")
    page = client.get(reverse("subsidies:application", args=[project.pk])).content.decode()
    assert "pilot.pdf" in page and "conductivity.csv" in page
    download = client.get(
        reverse("subsidies:milestone_report_download", args=[project.pk, saved.pk, "dataset"])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == CSV_BYTES


def test_the_api_files_a_report_and_shows_the_kpi_status(api_client, project):
    api_client.force_login(project.applicant.owner)
    milestone = project.milestones.first()
    answer = api_client.post(
        f"/api/v1/applications/{project.pk}/milestones/{milestone.pk}/reports/",
        {
            "reported_on": timezone.localdate().isoformat(),
            "summary": "Measured.",
            "evidence": pdf(),
            "values": json.dumps([{"kpi": "cost", "value": 45, "source": "reported"}]),
        },
        format="multipart",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["values"] == [{"kpi": "cost", "value": 45.0, "source": "reported"}]
    status = {
        row["kpi"]: row for row in api_client.get(f"/api/v1/applications/{project.pk}/kpis/").json()
    }
    assert status["cost"]["value"] == 45.0
    assert status["cost"]["meets_target"] is True
    assert status["cost"]["meets_seed"] is True
    assert status["ionic_conductivity"]["value"] is None


# --- the officials' table -------------------------------------------------------------------


def test_officials_see_every_funded_projects_kpis_in_one_table(client, official, project, sme):
    report(project, [{"kpi": "ionic_conductivity", "value": 1.2e-2, "source": "reported"}])
    draft = make_project(EnterpriseFactory(kind="sme", name_zh="草稿企业"), status="draft")
    client.force_login(official)
    page = client.get(reverse("subsidies:rd_kpis"))
    assert page.status_code == 200
    projects = [p for p, _ in page.context["rows"]]
    assert projects == [project]
    assert draft not in projects
    assert "D fund KPIs" in page.content.decode()
    csv_answer = client.get(reverse("subsidies:rd_kpis_csv"))
    text = csv_answer.content.decode("utf-8-sig")
    assert "Ionic conductivity" in text and "0.012" in text and "met" in text


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_officials_table_is_404_for_everybody_else(client, project, who):
    if who == "member":
        client.force_login(project.applicant.owner)
    assert client.get(reverse("subsidies:rd_kpis")).status_code == 404
    assert client.get(reverse("subsidies:rd_kpis_csv")).status_code == 404


def test_the_officials_table_query_count_does_not_grow_with_projects(
    client, official, django_assert_max_num_queries
):
    programme = ProgrammeFactory(kind="rd_fund")
    for index in range(6):
        enterprise = EnterpriseFactory(kind="sme")
        enterprise.owner = None
        project = make_project(
            enterprise,
            programme=programme,
            status=["approved", "in_notice", "disbursed"][index % 3],
        )
        for milestone in project.milestones.all():
            report_row = MilestoneReport.objects.create(
                milestone=milestone,
                reported_on=timezone.localdate(),
                summary="x",
                original_name="r.pdf",
                content_type="application/pdf",
                size_bytes=1,
                sha256="0" * 64,
                token=f"{index}{milestone.pk}",
            )
            for target in project.kpi_targets.all():
                report_row.kpi_values.create(kpi_target=target, value=0.02, source="reported")
    client.force_login(official)
    # session + user + role check + projects + KPI targets + reported values (+ savepoints).
    with django_assert_max_num_queries(9):
        page = client.get(reverse("subsidies:rd_kpis"))
    assert len(page.context["rows"]) == 6
    assert all(len(statuses) == 3 for _, statuses in page.context["rows"])
    with django_assert_max_num_queries(3):
        rows = rd_kpi_table()
    assert len(rows) == 6


def test_officials_list_milestone_reports_read_only_in_the_admin(client, official, project):
    report(project, [{"kpi": "cost", "value": 50, "source": "reported"}])
    saved = MilestoneReport.objects.get()
    client.force_login(official)
    listing = client.get(reverse("admin:subsidies_milestonereport_changelist"))
    assert listing.status_code == 200
    assert "test-report.pdf" in listing.content.decode()
    page = client.get(reverse("admin:subsidies_milestonereport_change", args=[saved.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_the_application_page_query_count_does_not_grow_with_reports(
    client, project, django_assert_max_num_queries
):
    client.force_login(project.applicant.owner)
    url = reverse("subsidies:application", args=[project.pk])
    report(project, [{"kpi": "cost", "value": 50, "source": "reported"}])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for milestone in project.milestones.all():
        for _ in range(3):
            report(
                project,
                [
                    {"kpi": "cost", "value": 45, "source": "reported"},
                    {"kpi": "decay_rate", "value": 0.03, "source": "reported"},
                ],
                milestone=milestone,
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("test-report.pdf") == 7
