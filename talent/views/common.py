"""What the talent pages share: paging, form status, the user's university or enterprise
(404 for anybody else), their URLs and the ?year= parameter."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from directory import selectors as directory_selectors
from directory.models import Enterprise
from talent import selectors
from talent.forms import YearForm

PAGE_SIZE = 20


def _posted(request: HttpRequest):
    """The POST data when the form was sent (even empty, so that it is validated), else None."""
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, queryset, param: str = "page", size: int = PAGE_SIZE):
    """A page of the queryset, with the links to the others (several lists share a page)."""
    page = Paginator(queryset, size).get_page(request.GET.get(param))

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}"

    page.links = [
        (number, None if number in (page.number, page.paginator.ELLIPSIS) else url(number))
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    page.previous_url = url(page.previous_page_number()) if page.has_previous() else ""
    page.next_url = url(page.next_page_number()) if page.has_next() else ""
    return page


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _status(form) -> int:
    return 400 if form is not None and form.is_bound and form.errors else 200


def _university(request: HttpRequest, uscc: str) -> Enterprise:
    """A university or institute whose staff the user is; 404 for everybody else."""
    return get_object_or_404(
        selectors.universities_of(request.user).select_related("district"), uscc=uscc
    )


def _enterprise(request: HttpRequest, uscc: str) -> Enterprise:
    return directory_selectors.enterprise_for_member(user=request.user, uscc=uscc)


def _university_url(uscc: str, anchor: str = "") -> str:
    url = reverse("talent:university", args=[uscc])
    return f"{url}#{anchor}" if anchor else url


def _enterprise_url(uscc: str, anchor: str = "") -> str:
    url = reverse("talent:enterprise", args=[uscc])
    return f"{url}#{anchor}" if anchor else url


def _year(request: HttpRequest, default: int) -> tuple[int, list[str]]:
    """The ?year= asked for, or the default, and what is wrong with it, if anything."""
    form = YearForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["year"] or default, []
    return default, [f"{form.fields['year'].label}: {message}" for message in form.errors["year"]]
