"""What the apps' server-rendered pages share: the posted form data, the status a form page
answers, a service's refusal as messages, a sent form carried out by its service, a page of a
list with the links to the others, and a page's URL with a section anchor."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ssb_portal.forms import add_service_errors

PAGE_SIZE = 20


def posted(request: HttpRequest):
    """The POST data when the form was sent (even empty, so that it is validated), else None."""
    return request.POST if request.method == "POST" else None


def form_status(*forms) -> int:
    """400 when a sent form has errors (the page shows them), else 200."""
    return 400 if any(form is not None and form.is_bound and form.errors for form in forms) else 200


def error_messages(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal as error messages on the next page shown."""
    for message in error.messages:
        messages.error(request, message)


def form_carried_out(
    request: HttpRequest,
    form,
    act: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    to: str | Callable[[Any], str],
    refused: Callable[[ValidationError], None] | None = None,
) -> HttpResponse | None:
    """Carry out a sent form: when `form` is valid, `act()` calls the service; what it returns
    may word the `success` message and name the page `to` redirect to. When the form is not
    sent or not valid, or the service refuses (its errors go on the form, through `refused`
    where the form places them its own way), None: the view shows the form again."""
    if not form.is_valid():
        return None
    try:
        result = act()
    except ValidationError as error:
        if refused is None:
            add_service_errors(error, form)
        else:
            refused(error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(to(result) if callable(to) else to)


def page_of(
    request: HttpRequest,
    queryset,
    size: int = PAGE_SIZE,
    param: str = "page",
    paginator_class: type[Paginator] = Paginator,
) -> Page:
    """A page of the queryset, asked for by ?<param>=, with the links to the others (several
    lists may share a page, each with its own parameter)."""
    page = paginator_class(queryset, size).get_page(request.GET.get(param))

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


def url_at(viewname: str, *args, anchor: str = "") -> str:
    """The URL of a page, at the section `anchor` when one is named."""
    url = reverse(viewname, args=args)
    return f"{url}#{anchor}" if anchor else url
