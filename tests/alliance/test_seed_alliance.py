"""`manage.py seed_alliance` opens the demo alliance."""

import io

import pytest
from django.core.management import CommandError, call_command

from alliance.models import AllianceMember, Demand, DemandResponse

pytestmark = pytest.mark.django_db


def test_it_needs_the_demo_official():
    with pytest.raises(CommandError, match="seed_demo first"):
        call_command("seed_alliance", stdout=io.StringIO())


def test_the_demo_logins_join_through_the_services_and_the_anchor_posts_demands(
    official, anchor, sme
):
    anchor.owner.username = "anchor"
    anchor.owner.save(update_fields=["username"])
    sme.owner.username = "sme"
    sme.owner.save(update_fields=["username"])
    call_command("seed_alliance", stdout=io.StringIO())
    assert AllianceMember.objects.get(enterprise=anchor).is_member
    assert AllianceMember.objects.get(enterprise=sme).decided_by == official
    assert Demand.objects.filter(owner=anchor).count() == 2
    assert DemandResponse.objects.get().supplier == sme
    out = io.StringIO()
    call_command("seed_alliance", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
