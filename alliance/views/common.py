"""What the alliance's pages share: pagination, form data, links to a demand or a collaboration,
error messages, the user's organisations.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.urls import reverse

from alliance import selectors
from alliance.models import Demand
from directory import selectors as directory_selectors
from directory.models import CapacityUnit

PAGE_SIZE = 20


def _posted(request: HttpRequest):
    """The POST data when the form was sent (even empty, so that it is validated), else None."""
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    page.elided_range = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return page


def _demand_url(demand_id: int, anchor: str = "") -> str:
    url = reverse("alliance:demand", args=[demand_id])
    return f"{url}#{anchor}" if anchor else url


def _collaboration_url(collaboration_id: int, anchor: str = "") -> str:
    url = reverse("alliance:collaboration", args=[collaboration_id])
    return f"{url}#{anchor}" if anchor else url


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _unit_label(unit: str) -> str:
    return str(dict(CapacityUnit.choices).get(unit, unit))


def _my_enterprise_ids(user) -> set[int]:
    return set(directory_selectors.enterprises_of_member(user).values_list("pk", flat=True))


def _owned_demand(request: HttpRequest, pk: int) -> Demand:
    """A demand for its owner's members; 404 for everybody else."""
    demand = selectors.demand_for(request.user, pk)
    if not selectors.is_demand_owner(request.user, demand):
        raise Http404
    return demand
