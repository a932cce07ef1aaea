"""Measurement datasets behind product specs: upload and fit, refusals, review, the
evidence-backed mark and search filter, pages, API and admin."""

import datetime
import math

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.demo.documents import blank_pdf
from directory.evidence.services import dataset_accept, dataset_reject, dataset_upload
from directory.models import DatasetStatus, MeasurementDataset
from ssb_portal import formulas
from tests.factories import EnterpriseFactory, MembershipFactory, ProductFactory, UserFactory

BOLTZMANN = formulas.BOLTZMANN_EV_PER_K
PREFACTOR, ACTIVATION = 25.0, 0.25  # σ(25 °C) ≈ 1.47e-3 S/cm
SIGMA_25 = PREFACTOR * math.exp(-ACTIVATION / (BOLTZMANN * 298.15))
PDF_BYTES = blank_pdf()
SEARCH = reverse("directory:search")


def conductivity_csv(temps_c=(-20, 0, 25, 40, 60, 80)) -> bytes:
    rows = ["温度 (°C),离子电导率 (S/cm)"] + [
        f"{t},{PREFACTOR * math.exp(-ACTIVATION / (BOLTZMANN * (t + 273.15))):.6e}" for t in temps_c
    ]
    return ("\n".join(rows) + "\n").encode()


def capacity_csv(decay=0.0004) -> bytes:
    rows = ["cycle,discharge capacity (mAh/g),charge capacity (mAh/g)"]
    for n in range(0, 1001, 100):
        q = 180 * (1 - decay) ** n
        rows.append(f"{n},{q:.5f},{q / 0.998:.5f}")
    return ("\n".join(rows) + "\n").encode()


def data_upload(content: bytes | None = None, name="sigma.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or conductivity_csv(), content_type="text/csv")


def report_upload(content: bytes = PDF_BYTES, name="report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(actor, product, **overrides) -> MeasurementDataset:
    arguments = {
        "actor": actor,
        "product": product,
        "kind": "conductivity",
        "temperature_unit": "C",
        "lab": "CNAS L1234",
        "method": "EIS, blocking electrodes",
        "measured_on": datetime.date(2026, 5, 4),
        "data_file": data_upload(),
        "report": report_upload(),
    }
    arguments.update(overrides)
    return dataset_upload(**arguments)


@pytest.fixture
def product(sme):
    return ProductFactory(enterprise=sme, ionic_conductivity=1.5e-3, decay_rate=0.04)


# --- upload and fit ------------------------------------------------------------------------


def test_upload_fits_the_arrhenius_parameters_and_keeps_the_files(sme, product):
    dataset = upload(sme.owner, product)
    assert dataset.status == DatasetStatus.SUBMITTED
    assert dataset.fit["activation_energy_ev"] == pytest.approx(ACTIVATION, rel=1e-3)
    assert dataset.fit["conductivity_25c_s_per_cm"] == pytest.approx(SIGMA_25, rel=1e-3)
    assert dataset.series["temperature"][0] == -20.0
    assert not dataset.contradicts_spec
    assert dataset.file.read().startswith("温度".encode())
    assert dataset.report.read() == PDF_BYTES
    assert dataset.file_format == "csv"


def test_capacity_upload_gives_decay_cycles_to_80_and_efficiency(sme, product):
    dataset = upload(
        sme.owner,
        product,
        kind="capacity",
        temperature_unit="",
        data_file=data_upload(capacity_csv(), "cycling.csv"),
    )
    assert dataset.fit["decay_percent_per_cycle"] == pytest.approx(0.04, rel=1e-3)
    assert dataset.fit["cycles_to_80_percent"] == pytest.approx(
        math.log(0.8) / math.log(1 - 0.0004), rel=1e-3
    )
    assert dataset.fit["coulombic_efficiency_percent"] == pytest.approx(99.8, rel=1e-4)
    assert not dataset.contradicts_spec


@pytest.mark.parametrize(
    ("content", "name", "field", "message"),
    [
        (
            b"temperature,conductivity\n0,1e-4\n25,-2e-4\n50,3e-4\n",
            "s.csv",
            "data_file",
            "row 3, conductivity: must be positive",
        ),
        (
            b"temperature,conductivity\n25,1e-4\n25,1.1e-4\n60,3e-4\n",
            "s.csv",
            "data_file",
            "at least 3 different temperatures",
        ),
        (PDF_BYTES, "sigma.csv", "data_file", "neither a CSV text file nor an XLSX"),
        (conductivity_csv(), "sigma.xlsx", "data_file", "is a CSV file but its name"),
    ],
)
def test_bad_data_is_refused_naming_the_problem_and_nothing_is_stored(
    sme, product, content, name, field, message
):
    with pytest.raises(ValidationError) as caught:
        upload(sme.owner, product, data_file=data_upload(content, name))
    assert message in " ".join(caught.value.message_dict[field])
    assert not MeasurementDataset.objects.exists()


def test_report_must_be_a_pdf(sme, product):
    with pytest.raises(ValidationError) as caught:
        upload(sme.owner, product, report=report_upload(b"\x89PNG\r\n\x1a\n....", "r.png"))
    assert "report" in caught.value.message_dict
    assert not MeasurementDataset.objects.exists()


def test_conductivity_needs_a_temperature_unit(sme, product):
    with pytest.raises(ValidationError) as caught:
        upload(sme.owner, product, temperature_unit="")
    assert "temperature_unit" in caught.value.message_dict


def test_another_enterprises_member_may_not_upload(product):
    other = EnterpriseFactory()
    stranger = UserFactory()
    MembershipFactory(user=stranger, enterprise=other, role="owner")
    with pytest.raises(PermissionDenied):
        upload(stranger, product)


# --- contradiction and review ----------------------------------------------------------------


def test_data_contradicting_the_typed_spec_are_flagged_and_officials_told(
    sme, official, django_capture_on_commit_callbacks
):
    official.email = "official@example.com"
    official.save()
    product = ProductFactory(enterprise=sme, ionic_conductivity=1e-2)  # data say 1.5e-3
    with django_capture_on_commit_callbacks(execute=True):
        dataset = upload(sme.owner, product)
    assert dataset.contradicts_spec
    assert "more than 20" in dataset.contradiction_note
    (message,) = mail.outbox
    assert message.to == ["official@example.com"]
    assert product.name in message.subject


def test_within_tolerance_is_not_flagged(sme):
    product = ProductFactory(enterprise=sme, ionic_conductivity=SIGMA_25 * 1.15)
    assert not upload(sme.owner, product).contradicts_spec


def test_official_accepts_and_rejects_with_reason(sme, product, official):
    dataset = upload(sme.owner, product)
    with pytest.raises(PermissionDenied):
        dataset_accept(actor=sme.owner, dataset=dataset)
    with pytest.raises(ValidationError):
        dataset_reject(actor=official, dataset=dataset, reason=" ")
    accepted = dataset_accept(actor=official, dataset=dataset)
    assert accepted.status == DatasetStatus.ACCEPTED and accepted.decided_by == official
    with pytest.raises(ValidationError):
        dataset_accept(actor=official, dataset=accepted)
    rejected = dataset_reject(actor=official, dataset=accepted, reason="Wrong cell")
    assert rejected.status == DatasetStatus.REJECTED
    assert rejected.decision_reason == "Wrong cell"


# --- evidence-backed search ------------------------------------------------------------------


def names_on(response) -> list[str]:
    return [result.enterprise.name_zh for result in response.context["results"]]


def test_evidence_backed_filter_keeps_only_accepted_agreeing_specs(client, sme, official):
    backed = ProductFactory(enterprise=sme, ionic_conductivity=1.5e-3)
    dataset_accept(actor=official, dataset=upload(sme.owner, backed))
    typed_only = ProductFactory(ionic_conductivity=2e-3)
    pending = ProductFactory(ionic_conductivity=1.5e-3)
    owner = UserFactory()
    MembershipFactory(user=owner, enterprise=pending.enterprise, role="owner")
    upload(owner, pending)  # submitted, not accepted

    plain = names_on(client.get(SEARCH, {"ionic_conductivity_min": "1e-3"}))
    assert set(plain) == {sme.name_zh, typed_only.enterprise.name_zh, pending.enterprise.name_zh}
    evidence = {"ionic_conductivity_min": "1e-3", "evidence_backed": "true"}
    assert names_on(client.get(SEARCH, evidence)) == [sme.name_zh]
    assert names_on(client.get(SEARCH, {"evidence_backed": "true"})) == [sme.name_zh]
    # The API and the export share the filter.
    api = client.get(reverse("api:enterprise-list"), evidence).json()
    assert [row["uscc"] for row in api["results"]] == [sme.uscc]
    export = client.get(reverse("directory:export", args=["csv"]), evidence)
    assert sme.name_zh in export.content.decode()
    assert typed_only.enterprise.name_zh not in export.content.decode()


def test_evidence_backed_filter_refuses_nonsense(client, db):
    response = client.get(SEARCH, {"evidence_backed": "maybe"})
    assert response.status_code == 400


def test_an_accepted_contradicting_fit_does_not_back_the_spec(client, sme, official):
    product = ProductFactory(enterprise=sme, ionic_conductivity=1e-2)
    dataset_accept(actor=official, dataset=upload(sme.owner, product))
    assert names_on(client.get(SEARCH, {"evidence_backed": "true"})) == []


# --- pages -------------------------------------------------------------------------------


def test_public_page_shows_accepted_fit_beside_spec_with_mark_and_plot(client, sme, official):
    product = ProductFactory(enterprise=sme, ionic_conductivity=1.5e-3)
    dataset = upload(sme.owner, product)
    page = client.get(reverse("directory:detail", args=[sme.uscc])).content.decode()
    assert "Evidence-backed" not in page  # submitted only
    dataset_accept(actor=official, dataset=dataset)
    page = client.get(reverse("directory:detail", args=[sme.uscc])).content.decode()
    assert "Evidence-backed" in page
    assert "<svg" in page and "Arrhenius plot" in page
    assert "0.001486" in page  # the fitted σ at 25 °C next to the typed 0.0015
    assert "dataset_download" not in page and "/datasets/" not in page


def test_member_uploads_on_the_page_and_sees_row_errors(client, sme, product):
    client.force_login(sme.owner)
    url = reverse("directory:dataset_add", args=[sme.uscc, product.pk])
    form = {
        "kind": "conductivity",
        "temperature_unit": "C",
        "lab": "Lab",
        "method": "EIS",
        "measured_on": "2026-05-04",
    }
    bad = b"temperature,conductivity\n0,1e-4\n25,0\n50,3e-4\n"
    response = client.post(url, {**form, "data_file": data_upload(bad), "report": report_upload()})
    assert response.status_code == 400
    assert "row 3, conductivity: must be positive" in response.content.decode()

    response = client.post(url, {**form, "data_file": data_upload(), "report": report_upload()})
    assert response.status_code == 302
    page = client.get(reverse("directory:product_edit", args=[sme.uscc, product.pk]))
    content = page.content.decode()
    assert "Submitted" in content and "<svg" in content
    dataset = MeasurementDataset.objects.get()
    download = client.get(reverse("directory:dataset_download", args=[dataset.pk, "report"]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_another_enterprises_member_gets_404(client, sme, product):
    dataset = upload(sme.owner, product)
    other = EnterpriseFactory()
    stranger = UserFactory()
    MembershipFactory(user=stranger, enterprise=other, role="owner")
    client.force_login(stranger)
    assert (
        client.get(reverse("directory:dataset_add", args=[sme.uscc, product.pk])).status_code == 404
    )
    for which in ("data", "report"):
        url = reverse("directory:dataset_download", args=[dataset.pk, which])
        assert client.get(url).status_code == 404
    api = reverse("api:dataset-list", args=[sme.uscc, product.pk])
    response = client.post(
        api,
        {
            "kind": "conductivity",
            "temperature_unit": "C",
            "lab": "x",
            "method": "x",
            "measured_on": "2026-01-01",
            "data_file": data_upload(),
            "report": report_upload(),
        },
    )
    assert response.status_code == 404


def test_official_downloads_the_data_file(client, sme, product, official):
    dataset = upload(sme.owner, product)
    client.force_login(official)
    response = client.get(reverse("directory:dataset_download", args=[dataset.pk, "data"]))
    assert response.status_code == 200


def test_detail_page_queries_do_not_grow_with_datasets(
    client, sme, official, django_assert_max_num_queries
):
    def count(bound):
        with django_assert_max_num_queries(bound) as context:
            client.get(reverse("directory:detail", args=[sme.uscc]))
        return len(context.captured_queries)

    product = ProductFactory(enterprise=sme, ionic_conductivity=1.5e-3)
    dataset_accept(actor=official, dataset=upload(sme.owner, product))
    few = count(10)
    for _ in range(4):
        other = ProductFactory(enterprise=sme, ionic_conductivity=1.5e-3)
        dataset_accept(actor=official, dataset=upload(sme.owner, other))
    assert count(10) == few


# --- API -----------------------------------------------------------------------------------


def test_api_member_uploads_and_public_lists_accepted_fits(api_client, sme, product, official):
    url = reverse("api:dataset-list", args=[sme.uscc, product.pk])
    api_client.force_authenticate(sme.owner)
    response = api_client.post(
        url,
        {
            "kind": "capacity",
            "lab": "Lab",
            "method": "0.5C cycling",
            "measured_on": "2026-05-04",
            "data_file": data_upload(capacity_csv(), "cycling.csv"),
            "report": report_upload(),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["fit"]["decay_percent_per_cycle"] == pytest.approx(0.04, rel=1e-3)
    assert body["status"] == "submitted" and body["report_url"].endswith("/report/")

    bad = api_client.post(
        url,
        {
            "kind": "capacity",
            "lab": "Lab",
            "method": "m",
            "measured_on": "2026-05-04",
            "data_file": data_upload(b"cycle,discharge\n1,100\n2,x\n3,98\n", "c.csv"),
            "report": report_upload(),
        },
        format="multipart",
    )
    assert bad.status_code == 400
    assert bad.json()["data_file"] == ["row 3, discharge capacity: not a number"]

    api_client.force_authenticate(None)
    assert api_client.get(url).json() == []
    dataset_accept(actor=official, dataset=MeasurementDataset.objects.get())
    (public,) = api_client.get(url).json()
    assert public["evidence_backed"] is True
    assert "report_url" not in public and "contradicts_spec" not in public


def test_api_list_queries_do_not_grow(api_client, sme, product, django_assert_max_num_queries):
    for _ in range(5):
        upload(sme.owner, product)
    api_client.force_authenticate(sme.owner)
    url = reverse("api:dataset-list", args=[sme.uscc, product.pk])
    with django_assert_max_num_queries(4):
        response = api_client.get(url)
    assert len(response.json()) == 5


def test_api_unknown_product_is_404(api_client, sme):
    hidden = ProductFactory(enterprise=sme, status="pending")
    assert (
        api_client.get(reverse("api:dataset-list", args=[sme.uscc, hidden.pk])).status_code == 404
    )


# --- admin ---------------------------------------------------------------------------------


def test_admin_lists_filters_and_rejects_with_reason(client, sme, product, official):
    flagged_product = ProductFactory(enterprise=sme, ionic_conductivity=1e-2)
    flagged = upload(sme.owner, flagged_product)
    upload(sme.owner, product)
    client.force_login(official)
    changelist = reverse("admin:directory_measurementdataset_changelist")
    response = client.get(changelist, {"contradicts_spec__exact": "1"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [flagged]
    response = client.post(
        changelist,
        {
            "action": "reject",
            "_selected_action": [flagged.pk],
            "post": "yes",
            "reason": "Typed value is off",
        },
    )
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.status == DatasetStatus.REJECTED
    assert flagged.decision_reason == "Typed value is off"
    page = client.get(reverse("admin:directory_measurementdataset_change", args=[flagged.pk]))
    assert page.status_code == 200
