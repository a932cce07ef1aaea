"""What the alliance's pages share: links to a demand or a collaboration, a capacity unit in
words, the user's organisations and the demand only its owner may see.
"""

from django.http import Http404, HttpRequest

from alliance import selectors
from alliance.models import Demand
from directory.access import enterprises_of_member
from directory.models import CapacityUnit
from ssb_portal.pages import url_at


def demand_url(demand_id: int, anchor: str = "") -> str:
    return url_at("alliance:demand", demand_id, anchor=anchor)


def collaboration_url(collaboration_id: int, anchor: str = "") -> str:
    return url_at("alliance:collaboration", collaboration_id, anchor=anchor)


def unit_label(unit: str) -> str:
    return str(dict(CapacityUnit.choices).get(unit, unit))


def my_enterprise_ids(user) -> set[int]:
    return set(enterprises_of_member(user).values_list("pk", flat=True))


def owned_demand(request: HttpRequest, pk: int) -> Demand:
    """A demand for its owner's members; 404 for everybody else."""
    demand = selectors.demand_for(request.user, pk)
    if not selectors.is_demand_owner(request.user, demand):
        raise Http404
    return demand
