"""The supplier's battery-passport pages: a member adds a version through a form grouped as the
service's figure groups (units in the labels), attaches evidence through the private-document
kit, reads the history and makes an older version current with a reason. Errors name the field
and nothing is half-saved; another organisation's user gets 404; zh-hans and en."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.models import PassportDocument, PassportVersion
from directory.passport.selectors import current_version
from ssb_portal.audit_chain.models import AuditEntry
from tests.directory.passport_support import create, pdf
from tests.factories import MembershipFactory


def new_url(product) -> str:
    return reverse("directory:passport_version_add", args=[product.enterprise.uscc, product.pk])


def current_url(product) -> str:
    return reverse("directory:passport_set_current", args=[product.enterprise.uscc, product.pk])


def page_url(product) -> str:
    return reverse("directory:passport", args=[product.enterprise.uscc, product.pk])


def posted(**changes) -> dict:
    """What a supplier types into the form: a complete, consistent set of figures."""
    data = {
        "level": "cell",
        "battery_category": "ev",
        "chemistry_short_name": "LFP",
        "chemistry_clear_name": "lithium iron phosphate / graphite",
        "hazardous_substances": "Lithium hexafluorophosphate; 21324-40-3; 1.2",
        "critical_raw_materials": "Lithium\nNatural graphite",
        "carbon_footprint_total": "61.5",
        "carbon_footprint_raw_materials": "40.2",
        "carbon_footprint_production": "18.3",
        "carbon_footprint_distribution": "1.0",
        "carbon_footprint_end_of_life": "2.0",
        "recycled_lithium_pre_consumer_share": "3",
        "recycled_lithium_post_consumer_share": "5.5",
        "rated_capacity_ah": "280",
        "nominal_voltage_v": "3.2",
        "minimum_voltage_v": "2.5",
        "maximum_voltage_v": "3.65",
        "expected_cycle_life": "8000",
        "temperature_min_c": "-20",
        "temperature_max_c": "55",
        "note": "first declaration",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def member_client(client, cell):
    client.force_login(cell.clerk)
    return client


def test_the_form_groups_the_figures_and_shows_their_units(member_client, cell):
    form = member_client.get(new_url(cell))
    assert form.status_code == 200
    text = form.content.decode()
    for heading in ("Chemistry and materials", "Carbon footprint", "Recycled content"):
        assert heading in text
    assert "carbon footprint (kg CO₂e/kWh)".lower() in text.lower()
    assert "recycled lithium from post-consumer waste (% of lithium)" in text.lower()
    assert 'name="file"' in text
    assert 'enctype="multipart/form-data"' in text


def test_a_member_adds_a_version_with_new_evidence(member_client, cell):
    answer = member_client.post(
        new_url(cell), posted(file_kind="carbon_footprint", file=pdf("lca.pdf"))
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert answer["Location"] == page_url(cell)
    version = current_version(cell)
    assert version.number == 1
    assert version.carbon_footprint_total == Decimal("61.500")
    assert version.recycled_lithium_share == Decimal("8.50")
    assert version.hazardous_substances == [
        {
            "name": "Lithium hexafluorophosphate",
            "cas_number": "21324-40-3",
            "concentration_percent": "1.2",
        }
    ]
    assert version.critical_raw_materials == ["Lithium", "Natural graphite"]
    [document] = version.documents.all()
    assert (document.original_name, document.kind) == ("lca.pdf", "carbon_footprint")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"passport_version", "passport_document"} <= actions


def test_the_form_starts_from_the_current_version_and_keeps_its_evidence(member_client, cell):
    first = member_client.post(new_url(cell), posted(file_kind="carbon_footprint", file=pdf()))
    assert first.status_code == 302
    study = current_version(cell).documents.get()
    form = member_client.get(new_url(cell)).content.decode()
    assert 'value="61.500"' in form
    assert "Lithium hexafluorophosphate; 21324-40-3; 1.2" in form
    second = member_client.post(
        new_url(cell), posted(documents=[study.pk], carbon_footprint_total=None)
    )
    assert second.status_code == 302
    assert list(current_version(cell).documents.all()) == [study]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"carbon_footprint_total": "70"}, "carbon_footprint_total"),
        ({"recycled_lithium_post_consumer_share": "101"}, "recycled_lithium_post_consumer_share"),
        ({"recycled_lithium_post_consumer_share": ""}, "recycled_lithium_post_consumer_share"),
        ({"recycled_lithium_share": "9"}, "recycled_lithium_share"),
        ({"temperature_min_c": "60"}, "temperature_min_c"),
        ({"hazardous_substances": "Lead; 7439-92-1; 120"}, "hazardous_substances"),
        ({"hazardous_substances": "just a name"}, "hazardous_substances"),
        ({"battery_category": "toy"}, "battery_category"),
        ({"chemistry_short_name": ""}, "chemistry_short_name"),
        ({"file": None}, "file"),
        ({"file_kind": ""}, "file_kind"),
    ],
)
def test_a_bad_figure_is_refused_naming_the_field_and_nothing_is_saved(
    member_client, cell, changes, field
):
    with_evidence = posted(file_kind="carbon_footprint", file=pdf()) | changes
    answer = member_client.post(
        new_url(cell), {key: value for key, value in with_evidence.items() if value is not None}
    )
    assert answer.status_code == 400
    form = answer.context["form"]
    assert field in form.errors, form.errors
    assert not PassportVersion.objects.exists()
    assert not PassportDocument.objects.exists()


def test_a_script_named_pdf_is_refused_and_nothing_is_saved(member_client, cell):
    fake = SimpleUploadedFile("lca.pdf", b"#!/bin/sh\necho hi\n", content_type="application/pdf")
    answer = member_client.post(new_url(cell), posted(file_kind="carbon_footprint", file=fake))
    assert answer.status_code == 400
    assert "file" in answer.context["form"].errors
    assert not PassportVersion.objects.exists()
    assert not PassportDocument.objects.exists()


def test_the_history_lists_versions_and_an_older_one_becomes_current_with_a_reason(
    member_client, cell, django_assert_max_num_queries
):
    create(cell)
    for share in ("9", "10", "11"):
        create(cell, recycled_lithium_share=Decimal(share))
    with django_assert_max_num_queries(12):
        page = member_client.get(page_url(cell))
    text = page.content.decode()
    assert new_url(cell) in text
    assert current_url(cell) in text

    refused = member_client.post(current_url(cell), {"number": "1", "reason": " "})
    assert refused.status_code == 400
    assert "reason" in refused.context["current_form"].errors
    assert current_version(cell).number == 4

    missing = member_client.post(current_url(cell), {"number": "9", "reason": "typo"})
    assert missing.status_code == 400
    assert "number" in missing.context["current_form"].errors

    done = member_client.post(current_url(cell), {"number": "1", "reason": "v2-v4 were typos"})
    assert done.status_code == 302
    assert current_version(cell).number == 1
    entry = AuditEntry.objects.filter(action="passport_current").get()
    assert entry.data["reason"] == "v2-v4 were typos"


def test_another_organisations_user_gets_404_everywhere(client, cell):
    create(cell)
    client.force_login(MembershipFactory().user)
    assert client.get(new_url(cell)).status_code == 404
    assert client.post(new_url(cell), posted()).status_code == 404
    assert client.post(current_url(cell), {"number": "1", "reason": "x"}).status_code == 404
    assert PassportVersion.objects.count() == 1
    # The public page shows no way to change the passport.
    assert new_url(cell) not in client.get(page_url(cell)).content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, cell):
    answer = client.get(new_url(cell))
    assert answer.status_code == 302
    assert "login" in answer["Location"]


def test_the_product_and_listing_pages_link_the_passport(member_client, cell):
    mine = member_client.get(reverse("directory:my_enterprise", args=[cell.enterprise.uscc]))
    assert page_url(cell) in mine.content.decode()
    edit = member_client.get(
        reverse("directory:product_edit", args=[cell.enterprise.uscc, cell.pk])
    )
    assert new_url(cell) in edit.content.decode()


def test_the_form_speaks_chinese(member_client, cell):
    form = member_client.get(new_url(cell), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = form.content.decode()
    assert "新增护照版本" in text
    assert "消费后" in text
    refused = member_client.post(
        new_url(cell), posted(recycled_lithium_share="9"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "预消费" in refused.content.decode() or "消费前" in refused.content.decode()


def test_making_a_version_current_without_a_passport_is_an_error_not_a_crash(member_client, cell):
    answer = member_client.post(current_url(cell), {"number": "1", "reason": "typo"})
    assert answer.status_code == 400
    assert "number" in answer.context["current_form"].errors
