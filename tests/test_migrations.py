"""Migrations are complete, and the data migrations loaded what the portal relies on."""

import importlib
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from directory.models import District, SupplyCategory
from ssb_portal.roles import ANCHOR_GROUP, OFFICIAL_GROUP, SME_GROUP

pytestmark = pytest.mark.django_db

TALENT_CODENAMES = importlib.import_module(
    "talent.migrations.0002_officials_run_funds_and_experts"
).CODENAMES
ALLIANCE_CODENAMES = importlib.import_module(
    "alliance.migrations.0002_officials_decide_memberships_and_participations"
).CODENAMES
LOCKOUT_CODENAMES = importlib.import_module(
    "ssb_portal.migrations.0002_officials_see_and_clear_login_lockouts"
).CODENAMES
OUTGOING_MAIL_CODENAMES = importlib.import_module(
    "ssb_portal.migrations.0010_officials_see_and_resend_mail"
).CODENAMES
SUBSIDIES_CODENAMES = importlib.import_module(
    "subsidies.migrations.0002_officials_permissions_and_append_only_audit"
).SUBSIDIES_CODENAMES

REQUIRED_CATEGORY_SLUGS = {
    "sulfide-electrolyte",
    "oxide-electrolyte",
    "polymer-electrolyte",
    "halide-electrolyte",
    "li-rich-mn-cathode",
    "lithium-metal-anode",
    "composite-current-collector",
    "dry-process-binder",
    "conductive-agent",
    "cell-manufacturing",
    "pack-bms",
    "production-equipment",
    "testing-certification",
}


def test_no_model_change_lacks_a_migration():
    output = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=output, stderr=output)
    except SystemExit:  # makemigrations --check exits with 1 when a migration is missing
        pytest.fail(f"A model changed without a migration:\n{output.getvalue()}")


def test_districts_inside_and_outside_the_municipality_are_loaded():
    local = set(District.objects.filter(is_local=True).values_list("code", flat=True))
    outside = set(District.objects.filter(is_local=False).values_list("code", flat=True))
    assert {"donghu", "hitech", "etdz", "lingang"} <= local
    assert outside == {"other-cn", "abroad"}
    assert not District.objects.filter(name_zh="").exists()
    assert not District.objects.filter(name_en="").exists()


def test_every_required_category_is_loaded_under_a_parent():
    loaded = {
        category.slug: category
        for category in SupplyCategory.objects.select_related("parent").filter(
            slug__in=REQUIRED_CATEGORY_SLUGS
        )
    }
    assert set(loaded) == REQUIRED_CATEGORY_SLUGS
    for category in loaded.values():
        assert category.parent is not None, category.slug
        assert category.parent.parent is None, category.slug  # two levels, no deeper
        assert category.name_zh and category.name_en


def permission_codenames(group_name: str) -> set[str]:
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def test_officials_view_everything_change_only_listings_and_set_lcr_figures():
    codenames = permission_codenames(OFFICIAL_GROUP)
    assert {
        "view_enterprise",
        "change_enterprise",
        "view_product",
        "change_product",
        "view_certification",
        "view_statuschange",
        "view_membership",
        "view_invitation",
        "view_district",
        "view_supplycategory",
        "view_purchaseline",
        "view_purchaselinerevision",
        "view_purchaseimport",
        "change_purchaseimport",
        "view_purchasereviewpolicy",
        "add_purchasereviewpolicy",
        "view_purchaseimportreviewchange",
        "view_lcrtrajectory",
        "add_lcrtrajectory",
        "view_lcrpublication",
        "add_lcrpublication",
        "view_lcrpublishedfigure",
        "view_enterprisegroup",
        "add_enterprisegroup",
        "change_enterprisegroup",
        "view_milestonereport",
        "view_milestonekpivalue",
        "view_demonstrationproject",
        "view_fieldreport",
        "view_sentreminder",
        "view_batterypassport",
        "view_passportversion",
        "view_passportdocument",
    } | set(SUBSIDIES_CODENAMES) | set(ALLIANCE_CODENAMES) | set(TALENT_CODENAMES) | set(
        LOCKOUT_CODENAMES
    ) | set(OUTGOING_MAIL_CODENAMES) == codenames
    assert not {name for name in codenames if name.endswith("auditentry")} - {"view_auditentry"}


@pytest.mark.parametrize("group_name", [SME_GROUP, ANCHOR_GROUP])
def test_enterprise_members_manage_their_own_listing(group_name):
    codenames = permission_codenames(group_name)
    assert {
        "view_enterprise",
        "change_enterprise",
        "add_product",
        "change_product",
        "delete_product",
        "add_certification",
        "add_invitation",
    } <= codenames
    # Nobody but the services changes a status or deletes an enterprise.
    assert "delete_enterprise" not in codenames
    assert "add_enterprise" not in codenames
    assert not {name for name in codenames if name.endswith("statuschange")}
