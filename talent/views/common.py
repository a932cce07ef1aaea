"""What the talent pages share: the user's university or enterprise (404 for anybody else),
their URLs and the ?year= parameter."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from directory.access import enterprise_for_member
from directory.models import Enterprise
from ssb_portal.pages import url_at
from talent import selectors
from talent.forms import YearForm


def staff_university(request: HttpRequest, uscc: str) -> Enterprise:
    """A university or institute whose staff the user is; 404 for everybody else."""
    return get_object_or_404(
        selectors.universities_of(request.user).select_related("district"), uscc=uscc
    )


def member_enterprise(request: HttpRequest, uscc: str) -> Enterprise:
    return enterprise_for_member(user=request.user, uscc=uscc)


def university_url(uscc: str, anchor: str = "") -> str:
    return url_at("talent:university", uscc, anchor=anchor)


def enterprise_url(uscc: str, anchor: str = "") -> str:
    return url_at("talent:enterprise", uscc, anchor=anchor)


def year_asked(request: HttpRequest, default: int) -> tuple[int, list[str]]:
    """The ?year= asked for, or the default, and what is wrong with it, if anything."""
    form = YearForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["year"] or default, []
    return default, [f"{form.fields['year'].label}: {message}" for message in form.errors["year"]]
