"""Measurement data and purchase files the store refuses (disk full, object store error): the
reason on the form's or API's field, and no row left behind (issue 20)."""

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from directory.models import MeasurementDataset, PurchaseImport
from tests.directory.test_evidence import data_upload, report_upload
from tests.directory.test_purchase_pages import csv_upload, upload_url
from tests.factories import ProductFactory
from tests.storage_faults import REFUSED, stored_files

pytestmark = pytest.mark.django_db

DATASET_FORM = {
    "kind": "conductivity",
    "temperature_unit": "C",
    "lab": "Lab",
    "method": "EIS",
    "measured_on": "2026-05-04",
}


def test_measurement_data_the_store_refuses_is_an_error_on_the_page(client, sme, refusing_store):
    product = ProductFactory(enterprise=sme)
    client.force_login(sme.owner)

    response = client.post(
        reverse("directory:dataset_add", args=[sme.uscc, product.pk]),
        {**DATASET_FORM, "data_file": data_upload(), "report": report_upload()},
    )

    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not MeasurementDataset.objects.exists()


def test_measurement_data_the_store_refuses_is_a_400_on_the_api_field(
    api_client, sme, refusing_store
):
    product = ProductFactory(enterprise=sme)
    api_client.force_authenticate(sme.owner)

    response = api_client.post(
        reverse("api:dataset-list", args=[sme.uscc, product.pk]),
        {**DATASET_FORM, "data_file": data_upload(), "report": report_upload()},
        format="multipart",
    )

    assert response.status_code == 400
    assert REFUSED in response.json()["data_file"][0]
    assert not MeasurementDataset.objects.exists()


def test_a_report_refused_after_the_data_was_stored_leaves_neither(client, sme, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "tests.storage_faults.ReportsRefused"},
    }
    product = ProductFactory(enterprise=sme)
    client.force_login(sme.owner)

    response = client.post(
        reverse("directory:dataset_add", args=[sme.uscc, product.pk]),
        {**DATASET_FORM, "data_file": data_upload(), "report": report_upload()},
    )

    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not MeasurementDataset.objects.exists()
    assert stored_files(storages["private"]) == []


def test_a_purchase_file_the_store_refuses_is_an_error_on_the_form(client, anchor, refusing_store):
    client.force_login(anchor.owner)

    response = client.post(
        upload_url(anchor), {"file": csv_upload("0001,1,2026-03-31,,Acme,cathode,10.00")}
    )

    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not PurchaseImport.objects.exists()
