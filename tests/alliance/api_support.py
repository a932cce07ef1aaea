"""What the alliance API tests share: endpoint addresses, times, the 400 body, and the API's own
demand, invitation and collaboration fixtures (modules bind those they use by name).
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from alliance.models import Collaboration
from alliance.services import responses as response_services
from tests.factories import DemandFactory

MEMBERS = "/api/v1/alliance/members/"


DEMANDS = "/api/v1/demands/"


COLLABORATIONS = "/api/v1/collaborations/"


STANDARDS = "/api/v1/standards/"


def demand_url(demand, action: str = "") -> str:
    pk = demand if isinstance(demand, int | str) else demand.pk
    return f"{DEMANDS}{pk}/" + (f"{action}/" if action else "")


def response_url(response, action: str = "") -> str:
    return f"/api/v1/responses/{response.pk}/" + (f"{action}/" if action else "")


def meeting_url(meeting, action: str = "") -> str:
    return f"/api/v1/meetings/{meeting.pk}/" + (f"{action}/" if action else "")


def in_days(days: int, hour: int = 10) -> str:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def errors(response) -> dict:
    assert response.status_code == 400, (response.status_code, response.content)
    return response.json()


@pytest.fixture
def demand(member_anchor):
    return DemandFactory(owner=member_anchor, ionic_conductivity_min=0.001, asr_max=40.0)


@pytest.fixture
def invitation(demand, member_anchor, member_sme):
    return response_services.supplier_invite(
        actor=member_anchor.owner, demand=demand, supplier=member_sme
    )


@pytest.fixture
def collaboration(member_anchor, member_sme):
    collaboration = Collaboration.objects.create(
        title="Sulfide electrolyte supply",
        model="supply",
        agreed_value_cny=Decimal("900000.00"),
        starts_on=timezone.localdate().replace(month=1, day=1),
        committed_annual_volume=Decimal("10.00"),
        volume_unit="t",
    )
    collaboration.parties.create(enterprise=member_anchor, role="anchor")
    collaboration.parties.create(enterprise=member_sme, role="supplier")
    return collaboration
