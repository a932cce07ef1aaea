"""An application document or a milestone report whose file the store refuses (disk full,
object store error) is answered with the reason on its field, on the page and in the API, and
leaves no row behind (issue 20)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from subsidies.models import Document, MilestoneReport
from tests.storage_faults import REFUSED, stored_files
from tests.subsidies.api_support import url as api_url
from tests.subsidies.conftest import pdf
from tests.subsidies.pages_support import url
from tests.subsidies.test_milestone_reports import csv_file, make_project, report


def test_a_document_the_store_refuses_is_an_error_on_the_page(member, empty_draft, refusing_store):
    response = member.post(
        url("document_add", empty_draft.pk), {"kind": "invoices", "file": pdf("发票.pdf")}
    )

    assert response.status_code in (200, 400)
    assert REFUSED in response.content.decode()
    assert not Document.objects.exists()


def test_a_document_the_store_refuses_is_a_400_on_the_api_field(as_anchor, draft, refusing_store):
    before = Document.objects.count()

    response = as_anchor.post(
        api_url(draft, "documents"), {"kind": "invoices", "file": pdf()}, format="multipart"
    )

    assert response.status_code == 400
    assert REFUSED in response.json()["file"][0]
    assert Document.objects.count() == before


def test_a_milestone_report_the_store_refuses_is_an_error_on_its_field(refusing_store, client, sme):
    project = make_project(sme)
    client.force_login(sme.owner)
    milestone = project.milestones.first()

    response = client.post(
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

    assert response.status_code in (200, 400)
    assert REFUSED in response.content.decode()
    assert not MilestoneReport.objects.exists()


def test_a_dataset_refused_after_the_evidence_was_stored_leaves_neither(settings, sme):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "tests.storage_faults.DataFilesRefused"},
    }
    project = make_project(sme)

    with pytest.raises(ValidationError) as refusal:
        report(project, [], dataset=csv_file())

    assert REFUSED in refusal.value.message_dict["dataset"][0]
    assert not MilestoneReport.objects.exists()
    assert stored_files(storages["private"]) == []
