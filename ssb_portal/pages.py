"""What the apps' server-rendered pages share: the posted form data, the status a form page
answers, a service's refusal as messages, a page of a list with the links to the others, and a
page's URL with a section anchor."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.urls import reverse

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


def page_of(request: HttpRequest, queryset, size: int = PAGE_SIZE, param: str = "page") -> Page:
    """A page of the queryset, asked for by ?<param>=, with the links to the others (several
    lists may share a page, each with its own parameter)."""
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


def url_at(viewname: str, *args, anchor: str = "") -> str:
    """The URL of a page, at the section `anchor` when one is named."""
    url = reverse(viewname, args=args)
    return f"{url}#{anchor}" if anchor else url
