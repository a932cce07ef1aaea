"""`manage.py seed_programmes` opens this year's programmes through the services."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from ssb_portal.audit_chain.verify import audit_chain_verify
from subsidies.models import Application, Programme, ProgrammeKind, SupportCap
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_needs_the_demo_official():
    with pytest.raises(CommandError, match="seed_demo first"):
        call_command("seed_programmes", stdout=io.StringIO())


def test_it_opens_every_kind_with_the_seeds_parameters_and_a_whole_audit_chain(official, sme):
    sme.owner.username = "sme"
    sme.owner.save(update_fields=["username"])
    call_command("seed_programmes", stdout=io.StringIO())
    programmes = {programme.kind: programme for programme in Programme.objects.all()}
    assert set(programmes) == set(ProgrammeKind.values)
    assert programmes[ProgrammeKind.LOCAL_PROCUREMENT].rate_percent == 5
    assert programmes[ProgrammeKind.NATIONAL_MATCHING].rate_percent == 15
    assert programmes[ProgrammeKind.STANDARDS_REWARD].lead_reward_cny == 1_000_000
    assert programmes[ProgrammeKind.ENERGY_QUOTA].budget_cny is None
    assert SupportCap.objects.count() == 1
    # Returned, in notice, disbursed, and the awarded R&D project (subsidies/demo).
    assert Application.objects.filter(applicant=sme).count() == 4
    assert audit_chain_verify()[1] is None


def test_if_empty_leaves_existing_programmes_alone(official):
    call_command("seed_programmes", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_programmes", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert Programme.objects.count() == len(ProgrammeKind.values)


def test_a_login_named_official_without_the_role_opens_nothing(db):
    UserFactory(username="official")
    with pytest.raises(PermissionDenied, match="Only officials"):
        call_command("seed_programmes", stdout=io.StringIO())
    assert not Programme.objects.exists()
