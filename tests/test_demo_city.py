"""The demo loaders (make demo) fill every part of the programme, through the services, and
`--if-empty` leaves a loaded city alone (issue 21)."""

import io

import pytest
from django.core.management import call_command

from alliance.demonstrations.models import DemonstrationProject, FieldReport
from alliance.models import Collaboration, Demand, DemandResponse, Meeting
from directory.models import LcrPublication, MeasurementDataset, PurchaseImport, PurchaseLine
from programme.selectors.dashboard import programme_dashboard_public
from subsidies.models import Application, MilestoneReport, Objection, ProgrammeKind, Recovery
from talent.models import Graduate, OverseasExpert, ScholarshipApplication

pytestmark = pytest.mark.django_db

LOADERS = ("seed_demo", "seed_alliance", "seed_programmes", "seed_talent")


def load(*args: str) -> str:
    out = io.StringIO()
    for loader in LOADERS:
        call_command(loader, *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [
        DemonstrationProject,
        FieldReport,
        MeasurementDataset,
        MilestoneReport,
        Collaboration,
        Demand,
        DemandResponse,
        Meeting,
        Application,
        Objection,
        Recovery,
        ScholarshipApplication,
        OverseasExpert,
        Graduate,
        LcrPublication,
        PurchaseLine,
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def city(settings):
    settings.DEBUG = True
    return load()


def test_every_part_of_the_programme_has_data_and_if_empty_changes_nothing(city):
    assert " s." in city  # each loader prints its time
    # Demonstrations: every scenario, several reports, targets met and not met.
    scenarios = set(DemonstrationProject.objects.values_list("scenario", flat=True))
    assert scenarios == {"grid_storage", "drones", "humanoid_robots"}
    grid = DemonstrationProject.objects.get(scenario="grid_storage")
    assert grid.reports.count() >= 3  # enough for the cycle-life projection
    # Evidence: accepted and backing its spec, flagged as contradicting, waiting for review.
    datasets = set(MeasurementDataset.objects.values_list("kind", "status", "contradicts_spec"))
    assert ("conductivity", "accepted", False) in datasets
    assert any(flagged for _kind, _status, flagged in datasets)
    assert {status for _kind, status, _flagged in datasets} >= {"accepted", "submitted"}
    # R&D fund: an awarded project with a milestone report.
    assert MilestoneReport.objects.filter(
        milestone__application__programme__kind="rd_fund"
    ).exists()
    # Alliance: the three models, meetings, open demands with interest and an invitation.
    assert set(Collaboration.objects.values_list("model", flat=True)) == {
        "licensing",
        "supply",
        "standard",
    }
    assert Meeting.objects.filter(status="accepted").exists()
    assert set(DemandResponse.objects.values_list("status", flat=True)) >= {
        "interested",
        "invited",
        "accepted",
    }
    # Support: every state of the workflow, across the seven kinds.
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses >= {
        "draft",
        "submitted",
        "under_review",
        "returned",
        "awaiting_confirmation",
        "in_notice",
        "disbursed",
    }
    assert set(Application.objects.values_list("programme__kind", flat=True)) == set(
        ProgrammeKind.values
    )
    assert Objection.objects.filter(status="open").exists()
    assert Recovery.objects.count() == 1
    # Talent: applications, awards, a renewal; experts; graduates of two years.
    assert ScholarshipApplication.objects.filter(status="awarded").count() >= 2
    assert ScholarshipApplication.objects.filter(renewal_of__isnull=False).exists()
    assert OverseasExpert.objects.exists()
    assert Graduate.objects.values("year").distinct().count() == 2
    # LCR: last year published (frozen), this year provisional.
    assert LcrPublication.objects.count() == 1
    # A large import of this year waits in the officials' queue, counting nowhere.
    assert PurchaseImport.objects.filter(review_status="awaiting").count() == 1
    # Every indicator with a target shows a value above zero.
    for section in programme_dashboard_public().sections:
        for indicator in section.indicators:
            current = indicator.current
            if current is not None and current.target is not None:
                assert current.value, indicator.name

    before = counts()
    again = load("--if-empty")
    assert "nothing" in again
    assert counts() == before


def test_the_audit_chain_is_whole_after_loading(city):
    out = io.StringIO()
    call_command("verify_audit_log", stdout=out)  # raises CommandError on a broken chain
    assert "broken" not in out.getvalue().lower()
