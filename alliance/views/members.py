"""The public member directory, a member's page, and applying to join."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance import selectors
from alliance.forms import JoinForm, MemberFilterForm
from alliance.models import CollaborationParty, MemberStatus
from alliance.services import membership as membership_services
from directory.access import enterprises_of_member
from directory.models import Enterprise, ListingStatus
from ssb_portal.forms import add_service_errors
from ssb_portal.pages import page_of, posted


def members(request: HttpRequest) -> HttpResponse:
    """The public member directory, filterable by kind of organisation."""
    form = MemberFilterForm(request.GET)
    queryset = selectors.members_public()
    if form.is_valid() and form.cleaned_data["kind"]:
        queryset = queryset.filter(enterprise__kind=form.cleaned_data["kind"])
    return render(
        request,
        "alliance/members.html",
        {
            "form": form,
            "page": page_of(request, queryset),
            "filtered": bool(request.GET.get("kind")),
        },
    )


def member(request: HttpRequest, uscc: str) -> HttpResponse:
    """A member's public page: its collaborations (no money) and its confirmed standards work."""
    member = selectors.member_public(uscc)
    enterprise = member.enterprise
    collaborations = [party.collaboration for party in enterprise.collaboration_parties.all()]
    prefetch_related_objects(
        collaborations,
        Prefetch("parties", queryset=CollaborationParty.objects.select_related("enterprise")),
    )
    return render(
        request,
        "alliance/member.html",
        {
            "member": member,
            "enterprise": enterprise,
            "collaborations": collaborations,
            "participations": list(enterprise.standard_participations.all()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """A verified organisation's member applies to join; the user's side of each application."""
    enterprises = list(
        enterprises_of_member(request.user)
        .select_related("alliance_membership")
        .order_by("name_zh", "pk")
    )
    rows = [(e, getattr(e, "alliance_membership", None)) for e in enterprises]
    may_apply = [
        e.pk
        for e, membership in rows
        if e.status == ListingStatus.VERIFIED
        and (membership is None or membership.status == MemberStatus.DECLINED)
    ]
    form = None
    if may_apply:
        form = JoinForm(
            posted(request),
            enterprises=Enterprise.objects.filter(pk__in=may_apply).order_by("name_zh", "pk"),
        )
        if request.method == "POST" and form.is_valid():
            try:
                membership_services.member_apply(
                    actor=request.user,
                    enterprise=form.cleaned_data["enterprise"],
                    motivation=form.cleaned_data["motivation"],
                    notify_new_demands=form.cleaned_data["notify_new_demands"],
                )
            except ValidationError as error:
                add_service_errors(error, form)
            else:
                messages.success(
                    request,
                    _(
                        "Your application is sent. The officials decide it; you get an email "
                        "with their decision."
                    ),
                )
                return redirect("alliance:join")
    elif request.method == "POST":
        messages.error(request, _("None of your organisations can apply now."))
        return redirect("alliance:join")
    return render(
        request,
        "alliance/join.html",
        {"rows": rows, "form": form},
        status=400 if form is not None and form.errors else 200,
    )
