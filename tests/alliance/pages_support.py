"""What the alliance page tests share: page addresses and text, times as forms send them, the
demand form, and the pages' own demand and collaboration fixtures (modules bind those they
use by name).
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.models import Collaboration
from tests.factories import DemandFactory


def text_of(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def url(name: str, *args) -> str:
    return reverse(f"alliance:{name}", args=args)


def local_input(moment: datetime.datetime) -> str:
    """A moment as a datetime-local input sends it (local time, minutes)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def tomorrow_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def as_user(client, user):
    client.force_login(user)
    return client


DEMAND_FORM = {
    "title": "Sulfide electrolyte for the A-sample line",
    "description": "Dry-room grade, 25 kg drums.",
    "ionic_conductivity_min": "0.002",
    "asr_max": "",
    "specific_capacity_min": "",
    "decay_rate_max": "",
    "coulombic_efficiency_min": "99",
    "weight_reduction_min": "",
    "required_certifications": ["ISO 9001"],
    "annual_volume": "100",
    "volume_unit": "t",
    "needed_by": "",
    "preferred_model": "supply",
    "visibility": "members",
}


def demand_form(**changes) -> dict:
    from directory.models import SupplyCategory

    data = dict(DEMAND_FORM)
    data["category"] = SupplyCategory.objects.get(slug="sulfide-electrolyte").pk
    data.update(changes)
    return data


@pytest.fixture
def demand(anchor_member):
    return DemandFactory(
        owner=anchor_member,
        title="Sulfide electrolyte, 100 t a year",
        ionic_conductivity_min=0.002,
        required_certifications=["ISO 9001"],
        annual_volume=Decimal("100"),
        volume_unit="t",
    )


@pytest.fixture
def collaboration(anchor_member, sme_member):
    collaboration = Collaboration.objects.create(
        title="Long-term electrolyte supply",
        model="supply",
        starts_on=datetime.date(timezone.localdate().year, 1, 1),
        committed_annual_volume=Decimal("100"),
        volume_unit="t",
    )
    collaboration.parties.create(enterprise=anchor_member, role="anchor")
    collaboration.parties.create(enterprise=sme_member, role="supplier")
    return collaboration
