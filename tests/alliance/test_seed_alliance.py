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
    # Two demands of seed_alliance and three of the demo city's collaborations (alliance/demo).
    assert Demand.objects.filter(owner=anchor).count() == 5
    assert set(DemandResponse.objects.values_list("supplier", flat=True)) == {sme.pk}
    out = io.StringIO()
    call_command("seed_alliance", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
