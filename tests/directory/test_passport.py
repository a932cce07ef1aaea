"""Battery-passport data (issue 19): versions that never rewrite old ones, an explicit current
version, refusals that name the field, evidence files, the organisation-only writes (404 for
others), the directory search's passport thresholds and the BatteryPass-shaped export checked
against our JSON Schema."""

import json
import random
from decimal import Decimal

import jsonschema
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from directory.demo.passports import seed_passports
from directory.models import BatteryPassport, PassportVersion, SupplyCategory
from directory.passport.export import load_schema, passport_export
from directory.passport.selectors import current_version
from directory.passport.services import (
    passport_document_upload,
    passport_set_current,
    passport_version_create,
)
from ssb_portal.audit_chain.models import AuditEntry
from tests.directory.passport_support import FIGURES, api, create, pdf
from tests.factories import EnterpriseFactory, MembershipFactory, ProductFactory, UserFactory

# --- versions --------------------------------------------------------------------------------


def test_a_new_version_becomes_current_and_leaves_the_old_one_as_it_was(cell):
    first = create(cell)
    second = create(cell, carbon_footprint_total=None, recycled_lithium_share=Decimal("12"))

    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.recycled_lithium_share == Decimal("8.50")
    assert first.carbon_footprint_total == Decimal("61.500")
    assert current_version(cell) == second
    assert BatteryPassport.objects.get(product=cell).current_version == second


def test_an_earlier_version_can_be_made_current_again_with_a_reason(cell):
    first = create(cell)
    create(cell, recycled_lithium_share=Decimal("12"))

    with pytest.raises(ValidationError) as refused:
        passport_set_current(actor=cell.clerk, product=cell, number=1, reason=" ")
    assert "reason" in refused.value.message_dict

    passport_set_current(actor=cell.clerk, product=cell, number=1, reason="v2 was a typo")
    assert current_version(cell) == first
    assert PassportVersion.objects.filter(passport__product=cell).count() == 2


def test_every_version_and_change_of_current_is_audited(cell):
    create(cell)
    passport_set_current(actor=cell.clerk, product=cell, number=1, reason="check")
    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True))
    assert actions[-2:] == ["passport_version", "passport_current"]
    entry = AuditEntry.objects.filter(action="passport_version").get()
    assert entry.data["figures"]["carbon_footprint_total"] == "61.5"


def test_another_organisation_may_not_write_a_passport(cell):
    stranger = MembershipFactory().user
    with pytest.raises(PermissionDenied):
        passport_version_create(actor=stranger, product=cell, data=FIGURES)
    assert not PassportVersion.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"carbon_footprint_total": Decimal("-1")}, "carbon_footprint_total"),
        ({"carbon_footprint_production": Decimal("-0.5")}, "carbon_footprint_production"),
        ({"recycled_lithium_share": Decimal("100.01")}, "recycled_lithium_share"),
        ({"recycled_cobalt_share": Decimal("-3")}, "recycled_cobalt_share"),
        ({"round_trip_efficiency_percent": Decimal("101")}, "round_trip_efficiency_percent"),
        ({"carbon_footprint_total": Decimal("70")}, "carbon_footprint_total"),
        ({"temperature_min_c": Decimal("60")}, "temperature_min_c"),
        ({"nominal_voltage_v": Decimal("4.2")}, "nominal_voltage_v"),
        ({"chemistry_short_name": ""}, "chemistry_short_name"),
        ({"battery_category": "toy"}, "battery_category"),
        (
            {"hazardous_substances": [{"name": "Pb", "concentration_percent": "120"}]},
            "hazardous_substances",
        ),
        ({"hazardous_substances": [{"concentration_percent": "1"}]}, "hazardous_substances"),
        ({"critical_raw_materials": ["Cobalt", ""]}, "critical_raw_materials"),
    ],
)
def test_bad_figures_are_refused_naming_the_field_and_nothing_is_saved(cell, changes, field):
    with pytest.raises(ValidationError) as refused:
        create(cell, **changes)
    assert field in refused.value.message_dict
    assert not PassportVersion.objects.exists()


def test_the_database_refuses_a_share_above_100_percent_too(cell):
    version = create(cell)
    with transaction.atomic(), pytest.raises(IntegrityError):
        PassportVersion.objects.filter(pk=version.pk).update(recycled_nickel_share=Decimal("150"))


def test_evidence_is_kept_privately_and_carried_to_the_next_version(cell):
    study = passport_document_upload(
        actor=cell.clerk, product=cell, kind="carbon_footprint", upload=pdf()
    )
    first = passport_version_create(
        actor=cell.clerk, product=cell, data=FIGURES, document_ids=[study.pk]
    )
    second = create(cell, recycled_lithium_share=Decimal("9"))
    assert list(first.documents.all()) == [study]
    assert list(second.documents.all()) == [study]


def test_a_script_named_pdf_is_refused_as_evidence(cell):
    fake = SimpleUploadedFile("study.pdf", b"#!/bin/sh\necho hi\n", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        passport_document_upload(actor=cell.clerk, product=cell, kind="due_diligence", upload=fake)
    assert "file" in refused.value.message_dict


def test_another_passports_evidence_cannot_be_listed(cell):
    other = ProductFactory(enterprise=cell.enterprise)
    foreign = passport_document_upload(
        actor=cell.clerk, product=other, kind="due_diligence", upload=pdf()
    )
    with pytest.raises(ValidationError) as refused:
        passport_version_create(
            actor=cell.clerk, product=cell, data=FIGURES, document_ids=[foreign.pk]
        )
    assert "documents" in refused.value.message_dict


# --- export ----------------------------------------------------------------------------------


def test_the_export_is_valid_against_our_batterypass_schema(cell):
    study = passport_document_upload(
        actor=cell.clerk, product=cell, kind="carbon_footprint", upload=pdf()
    )
    report = passport_document_upload(
        actor=cell.clerk, product=cell, kind="due_diligence", upload=pdf("dd.pdf")
    )
    passport_version_create(
        actor=cell.clerk, product=cell, data=FIGURES, document_ids=[study.pk, report.pk]
    )
    document = passport_export(current_version(cell))

    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(document)
    assert document["carbonFootprint"]["batteryCarbonFootprint"] == 61.5
    assert {"lifecycleStage": "MainProduction", "carbonFootprint": 18.3} in document[
        "carbonFootprint"
    ]["carbonFootprintPerLifecycleStage"]
    assert {"recycledMaterial": "Lithium", "recycledContentShare": 8.5} in document["circularity"][
        "recycledContent"
    ]
    assert document["materialComposition"]["batteryChemistry"]["shortName"] == "LFP"
    assert document["performance"]["expectedNumberOfCycles"] == 8000
    [due_diligence] = document["supplyChainDueDiligence"]["supplyChainDueDiligenceReport"]
    assert due_diligence["sha256"] == report.sha256


def test_a_sparse_passport_exports_valid_too(cell):
    passport_version_create(
        actor=cell.clerk,
        product=cell,
        data={"level": "material", "battery_category": "industrial", "chemistry_short_name": "NCM"},
    )
    document = passport_export(current_version(cell))
    jsonschema.Draft202012Validator(load_schema()).validate(document)
    assert "carbonFootprint" not in document


def test_the_schema_refuses_a_share_above_100_percent(cell):
    create(cell)
    document = passport_export(current_version(cell))
    document["circularity"]["recycledContent"][0]["recycledContentShare"] = 120
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(load_schema()).validate(document)


# --- API -------------------------------------------------------------------------------------


def url(name: str, product) -> str:
    return reverse(f"api:{name}", args=[product.enterprise.uscc, product.pk])


def quantities(**overrides) -> dict:
    body = {
        "level": "pack",
        "battery_category": "industrial",
        "chemistry_short_name": "LFP",
        "carbon_footprint_total": {"value": 55, "unit": "kg CO2e/kWh"},
        "recycled_lithium_share": {"value": 10, "unit": "%"},
        "rated_capacity_ah": {"value": 280000, "unit": "mAh"},
        "temperature_min_c": {"value": 253.15, "unit": "K"},
        "temperature_max_c": {"value": 50, "unit": "°C"},
        "hazardous_substances": [{"name": "LiPF6", "concentration_percent": "1.1"}],
    }
    return {**body, **overrides}


def test_a_member_adds_a_version_with_units_and_they_are_converted(cell):
    answer = api(cell.clerk).post(url("passport-versions", cell), quantities(), format="json")
    assert answer.status_code == 201, answer.json()
    version = current_version(cell)
    assert version.rated_capacity_ah == Decimal("280")
    assert version.temperature_min_c == Decimal("-20")
    assert answer.json()["carbon_footprint_total"] == "55.000"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"carbon_footprint_total": {"value": -5, "unit": "kg CO2e/kWh"}},
            "carbon_footprint_total",
        ),
        ({"recycled_lithium_share": {"value": 140, "unit": "%"}}, "recycled_lithium_share"),
        ({"carbon_footprint_total": {"value": 50}}, "carbon_footprint_total"),
        ({"rated_capacity_ah": 280}, "rated_capacity_ah"),
        ({"rated_capacity_ah": {"value": 280, "unit": "Wh"}}, "rated_capacity_ah"),
        ({"nominal_voltage_v": {"value": "abc", "unit": "V"}}, "nominal_voltage_v"),
        (
            {"hazardous_substances": [{"name": "Pb", "concentration_percent": 101}]},
            "hazardous_substances",
        ),
        ({"colour": "green"}, "colour"),
    ],
)
def test_bad_api_input_is_a_400_naming_the_field(cell, changes, field):
    answer = api(cell.clerk).post(
        url("passport-versions", cell), quantities(**changes), format="json"
    )
    assert answer.status_code == 400
    assert field in answer.json()
    assert not PassportVersion.objects.exists()


def test_a_missing_unit_is_named_in_the_answer(cell):
    answer = api(cell.clerk).post(
        url("passport-versions", cell),
        quantities(carbon_footprint_total={"value": 50}),
        format="json",
    )
    assert "unit" in answer.json()["carbon_footprint_total"][0]


def test_the_history_is_404_when_signed_out(cell):
    create(cell)
    assert api().get(url("passport-versions", cell)).status_code == 404


def test_another_organisations_user_gets_404_on_every_write_and_the_history(cell):
    stranger = MembershipFactory().user
    client = api(stranger)
    create(cell)
    assert client.get(url("passport-versions", cell)).status_code == 404
    assert (
        client.post(url("passport-versions", cell), quantities(), format="json").status_code == 404
    )
    assert (
        client.post(url("passport-current", cell), {"number": 1, "reason": "x"}, format="json")
    ).status_code == 404
    assert (
        client.post(url("passport-documents", cell), {"kind": "safety", "file": pdf()})
    ).status_code == 404
    assert PassportVersion.objects.count() == 1


def test_the_public_reads_the_current_passport_of_a_listed_product_only(cell):
    create(cell)
    assert api().get(url("passport", cell)).json()["number"] == 1
    export = api().get(url("passport-export", cell))
    assert export.status_code == 200
    jsonschema.Draft202012Validator(load_schema()).validate(export.json())

    cell.status = "pending"
    cell.save(update_fields=["status"])
    assert api().get(url("passport", cell)).status_code == 404
    assert api(UserFactory()).get(url("passport-export", cell)).status_code == 404
    # Its own organisation still sees it before it is listed.
    assert api(cell.clerk).get(url("passport", cell)).status_code == 200


def test_a_member_uploads_evidence_and_lists_the_history(cell, django_assert_max_num_queries):
    answer = api(cell.clerk).post(
        url("passport-documents", cell), {"kind": "due_diligence", "file": pdf()}
    )
    assert answer.status_code == 201, answer.json()
    for share in (5, 6, 7):
        create(cell, recycled_lithium_share=Decimal(share))
    with django_assert_max_num_queries(6):
        history = api(cell.clerk).get(url("passport-versions", cell))
    assert [v["number"] for v in history.json()] == [3, 2, 1]


# --- search ----------------------------------------------------------------------------------


def search(**params):
    return api().get(reverse("api:enterprise-list"), params)


def _uscc_set(answer) -> set[str]:
    return {row["uscc"] for row in answer.json()["results"]}


@pytest.mark.django_db
def test_the_directory_filters_on_the_current_passport(django_assert_max_num_queries):
    clean, dirty, superseded = (ProductFactory() for _ in range(3))
    for product in (clean, dirty, superseded):
        product.clerk = MembershipFactory(enterprise=product.enterprise).user
    create(clean, recycled_lithium_share=Decimal("15"))
    create(
        dirty,
        carbon_footprint_total=Decimal("90"),
        carbon_footprint_raw_materials=Decimal("68.7"),
        recycled_lithium_share=Decimal("3"),
    )
    create(superseded)
    create(superseded, recycled_lithium_share=Decimal("2"))
    for _ in range(3):
        ProductFactory()  # no passport: never matches a passport threshold

    with django_assert_max_num_queries(6):
        low_carbon = search(carbon_footprint_max=70)
    assert _uscc_set(low_carbon) == {clean.enterprise.uscc, superseded.enterprise.uscc}
    recycled = search(recycled_lithium_min=8)
    assert _uscc_set(recycled) == {clean.enterprise.uscc}
    both = search(carbon_footprint_max="61.5", recycled_lithium_min="15")
    assert _uscc_set(both) == {clean.enterprise.uscc}


@pytest.mark.django_db
def test_a_passport_threshold_out_of_range_is_an_error_naming_it():
    answer = search(recycled_lithium_min=101, carbon_footprint_max=-1)
    assert answer.status_code == 400
    assert {"recycled_lithium_min", "carbon_footprint_max"} <= set(answer.json())


def test_an_unlisted_enterprise_never_matches(cell):
    create(cell)
    hidden = EnterpriseFactory(status="pending")
    hidden_product = ProductFactory(enterprise=hidden)
    hidden_product.clerk = MembershipFactory(enterprise=hidden).user
    create(hidden_product)
    assert _uscc_set(search(carbon_footprint_max=100)) == {cell.enterprise.uscc}


# --- pages and admin -------------------------------------------------------------------------


def page(product) -> str:
    return reverse("directory:passport", args=[product.enterprise.uscc, product.pk])


def test_the_enterprise_page_links_a_listed_products_passport(client, cell):
    create(cell)
    detail = client.get(reverse("directory:detail", args=[cell.enterprise.uscc]))
    assert page(cell) in detail.content.decode()
    shown = client.get(page(cell))
    assert shown.status_code == 200
    assert "61.500" in shown.content.decode()
    assert "Recycled lithium (% of lithium)" in shown.content.decode()
    download = client.get(reverse("directory:passport_json", args=[cell.enterprise.uscc, cell.pk]))
    jsonschema.Draft202012Validator(load_schema()).validate(json.loads(download.content))


def test_the_passport_page_speaks_chinese(client, cell):
    create(cell)
    shown = client.get(page(cell), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "电池护照" in shown.content.decode()
    assert "碳足迹" in shown.content.decode()


def test_evidence_files_are_for_the_organisation_and_officials_only(client, cell, official):
    document = passport_document_upload(
        actor=cell.clerk, product=cell, kind="due_diligence", upload=pdf()
    )
    passport_version_create(
        actor=cell.clerk, product=cell, data=FIGURES, document_ids=[document.pk]
    )
    url_ = reverse("directory:passport_document", args=[document.pk])
    assert client.get(url_).status_code == 404
    client.force_login(MembershipFactory().user)
    assert client.get(url_).status_code == 404
    client.force_login(official)
    assert client.get(url_).status_code == 200
    client.force_login(cell.clerk)
    assert client.get(url_).status_code == 200
    members_page = client.get(page(cell)).content.decode()
    assert url_ in members_page


def test_an_unlisted_product_has_no_public_passport_page(client, cell):
    create(cell)
    cell.status = "pending"
    cell.save(update_fields=["status"])
    assert client.get(page(cell)).status_code == 404
    client.force_login(cell.clerk)
    assert client.get(page(cell)).status_code == 200


@pytest.mark.parametrize("model", ["batterypassport", "passportversion", "passportdocument"])
def test_officials_read_passports_in_the_admin_and_cannot_change_them(
    client, official, cell, model
):
    passport_document_upload(actor=cell.clerk, product=cell, kind="safety", upload=pdf())
    version = create(cell)
    client.force_login(official)
    assert client.get(reverse(f"admin:directory_{model}_changelist")).status_code == 200
    if model == "passportversion":
        change = reverse("admin:directory_passportversion_change", args=[version.pk])
        assert client.get(change).status_code == 200
        assert client.post(change, {"note": "edited"}).status_code == 403


def test_the_demo_declares_passports_for_cells_and_packs_through_the_service(db):
    for slug in ("cell-manufacturing", "pack-bms"):
        ProductFactory(category=SupplyCategory.objects.get(slug=slug))
    versions = seed_passports(rng=random.Random(7), sme_enterprise=None)
    assert versions == 3  # two passports, the first with two versions
    assert BatteryPassport.objects.filter(current_version__isnull=False).count() == 2
    for passport in BatteryPassport.objects.select_related("current_version"):
        document = passport_export(current_version(passport.product))
        jsonschema.Draft202012Validator(load_schema()).validate(document)
    assert AuditEntry.objects.filter(action="passport_version").count() == 3
