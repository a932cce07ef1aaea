"""Recycled content per metal split into pre-consumer (manufacturing waste) and post-consumer
shares (EU Battery Regulation art. 8, Annex XIII): the total stays the sum of the two, the
database refuses anything else, and the split travels through the API and the export; the
directory's recycled thresholds keep meaning the total."""

from decimal import Decimal

import jsonschema
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from directory.models import PassportVersion
from directory.passport.export import load_schema, passport_export
from directory.passport.selectors import current_version
from directory.passport.services import passport_version_create
from tests.directory.passport_support import api, create


def test_the_total_is_the_sum_of_the_two_parts_when_left_out(cell):
    version = create(
        cell,
        recycled_lithium_share=None,
        recycled_lithium_pre_consumer_share=Decimal("3.25"),
        recycled_lithium_post_consumer_share=Decimal("5.5"),
    )
    version.refresh_from_db()
    assert version.recycled_lithium_share == Decimal("8.75")
    assert version.recycled_lithium_pre_consumer_share == Decimal("3.25")


def test_a_total_that_agrees_with_its_parts_is_kept(cell):
    version = create(
        cell,
        recycled_lithium_share=Decimal("8.5"),
        recycled_lithium_pre_consumer_share=Decimal("0.1"),
        recycled_lithium_post_consumer_share=Decimal("8.4"),
    )
    assert version.recycled_lithium_share == Decimal("8.5")


def test_a_total_without_parts_is_still_accepted(cell):
    version = create(cell, recycled_cobalt_share=Decimal("12"))
    assert version.recycled_cobalt_pre_consumer_share is None
    assert version.recycled_cobalt_post_consumer_share is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {
                "recycled_lithium_share": Decimal("9"),
                "recycled_lithium_pre_consumer_share": Decimal("3"),
                "recycled_lithium_post_consumer_share": Decimal("5"),
            },
            "recycled_lithium_share",
        ),
        (
            {"recycled_nickel_pre_consumer_share": Decimal("2")},
            "recycled_nickel_post_consumer_share",
        ),
        (
            {"recycled_cobalt_post_consumer_share": Decimal("2")},
            "recycled_cobalt_pre_consumer_share",
        ),
        (
            {
                "recycled_lead_share": None,
                "recycled_lead_pre_consumer_share": Decimal("60"),
                "recycled_lead_post_consumer_share": Decimal("45"),
            },
            "recycled_lead_post_consumer_share",
        ),
        (
            {
                "recycled_lead_pre_consumer_share": Decimal("-1"),
                "recycled_lead_post_consumer_share": Decimal("1"),
            },
            "recycled_lead_pre_consumer_share",
        ),
    ],
)
def test_an_inconsistent_split_is_refused_naming_the_field(cell, changes, field):
    with pytest.raises(ValidationError) as refused:
        create(cell, **changes)
    assert field in refused.value.message_dict
    assert not PassportVersion.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"recycled_lithium_share": Decimal("9")},
        {"recycled_lithium_post_consumer_share": None},
        {"recycled_lithium_share": None},
    ],
)
def test_the_database_refuses_a_total_that_is_not_the_sum(cell, changes):
    version = create(
        cell,
        recycled_lithium_share=None,
        recycled_lithium_pre_consumer_share=Decimal("0.1"),
        recycled_lithium_post_consumer_share=Decimal("0.2"),
    )
    assert version.recycled_lithium_share == Decimal("0.3")
    with transaction.atomic(), pytest.raises(IntegrityError):
        PassportVersion.objects.filter(pk=version.pk).update(**changes)


def split_lithium_export(cell) -> dict:
    """The export of a version declaring lithium as 3 % pre- and 5.5 % post-consumer."""
    create(
        cell,
        recycled_lithium_share=None,
        recycled_lithium_pre_consumer_share=Decimal("3"),
        recycled_lithium_post_consumer_share=Decimal("5.5"),
    )
    return passport_export(current_version(cell))


def test_the_export_carries_the_split_and_stays_valid(cell):
    document = split_lithium_export(cell)
    jsonschema.Draft202012Validator(
        load_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(document)
    recycled = {row["recycledMaterial"]: row for row in document["circularity"]["recycledContent"]}
    assert recycled["Lithium"] == {
        "recycledMaterial": "Lithium",
        "recycledContentShare": 8.5,
        "preConsumerShare": 3,
        "postConsumerShare": 5.5,
    }
    # A metal declared only as a total carries no split.
    assert recycled["Cobalt"] == {"recycledMaterial": "Cobalt", "recycledContentShare": 0}


def test_the_schema_refuses_a_post_consumer_share_above_100(cell):
    document = split_lithium_export(cell)
    lithium = next(
        row
        for row in document["circularity"]["recycledContent"]
        if row["recycledMaterial"] == "Lithium"
    )
    lithium["postConsumerShare"] = 101
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(load_schema()).validate(document)


def test_the_api_takes_and_gives_the_split(cell):
    body = {
        "level": "cell",
        "battery_category": "ev",
        "chemistry_short_name": "NMC811",
        "recycled_nickel_pre_consumer_share": {"value": 4, "unit": "%"},
        "recycled_nickel_post_consumer_share": {"value": 2.5, "unit": "%"},
    }
    url = reverse("api:passport-versions", args=[cell.enterprise.uscc, cell.pk])
    answer = api(cell.clerk).post(url, body, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["recycled_nickel_share"] == "6.50"
    assert answer.json()["recycled_nickel_post_consumer_share"] == "2.50"

    half = {**body, "recycled_nickel_post_consumer_share": None}
    refused = api(cell.clerk).post(url, half, format="json")
    assert refused.status_code == 400
    assert "recycled_nickel_post_consumer_share" in refused.json()


@pytest.mark.django_db
def test_the_recycled_lithium_threshold_still_means_the_total(cell):
    create(
        cell,
        recycled_lithium_share=None,
        recycled_lithium_pre_consumer_share=Decimal("6"),
        recycled_lithium_post_consumer_share=Decimal("4"),
    )
    search = api().get(reverse("api:enterprise-list"), {"recycled_lithium_min": "9"})
    assert [row["uscc"] for row in search.json()["results"]] == [cell.enterprise.uscc]


def test_a_version_made_by_the_service_only_with_parts_exports_valid(cell):
    passport_version_create(
        actor=cell.clerk,
        product=cell,
        data={
            "level": "material",
            "battery_category": "industrial",
            "chemistry_short_name": "NCM",
            "recycled_cobalt_pre_consumer_share": Decimal("0"),
            "recycled_cobalt_post_consumer_share": Decimal("16"),
        },
    )
    document = passport_export(current_version(cell))
    jsonschema.Draft202012Validator(load_schema()).validate(document)
    assert document["circularity"]["recycledContent"] == [
        {
            "recycledMaterial": "Cobalt",
            "recycledContentShare": 16,
            "preConsumerShare": 0,
            "postConsumerShare": 16,
        }
    ]
