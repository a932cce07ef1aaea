"""The demand board (post, change, close a demand) and an SME's "demands for you"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance import selectors
from alliance.forms import (
    CloseForm,
    DemandFilterForm,
    DemandForm,
    NotificationForm,
)
from alliance.models import DemandResponse, DemandStatus, ResponseStatus
from alliance.services import demands as demand_services
from alliance.services import membership as membership_services
from alliance.views.common import demand_url, owned_demand
from directory.models import EnterpriseKind
from ssb_portal.pages import error_messages, form_carried_out, page_of, posted
from ssb_portal.roles import is_official

#: Demands shown per SME on its "demands for you" page.
FOR_ME_LIMIT = 50


@login_required
def demands(request: HttpRequest) -> HttpResponse:
    """The demands the user's alliance organisations may see; a page on joining otherwise."""
    official = is_official(request.user)
    mine = list(selectors.alliance_enterprises_of(request.user))
    if not mine and not official:
        return render(request, "alliance/not_member.html", {})
    form = DemandFilterForm(request.GET)
    queryset = selectors.demands_visible_to(request.user)
    if form.is_valid():
        category = form.cleaned_data["category"]
        if category is not None:
            queryset = queryset.filter(Q(category=category) | Q(category__parent=category))
        if form.cleaned_data["status"]:
            queryset = queryset.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["model"]:
            queryset = queryset.filter(preferred_model=form.cleaned_data["model"])
    return render(
        request,
        "alliance/demands.html",
        {
            "form": form,
            "page": page_of(request, queryset),
            "filtered": any(request.GET.get(name) for name in ("category", "status", "model")),
            "mine": {e.pk for e in mine},
            "can_post": any(e.kind == EnterpriseKind.ANCHOR for e in mine),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def demand_new(request: HttpRequest) -> HttpResponse:
    owners = selectors.alliance_enterprises_of(request.user).filter(kind=EnterpriseKind.ANCHOR)
    if not owners.exists():
        return render(request, "alliance/not_member.html", {"anchor_only": True})
    form = DemandForm(posted(request), owners=owners)
    done = form_carried_out(
        request,
        form,
        lambda: demand_services.demand_create(
            actor=request.user, owner=form.cleaned_data["owner"], data=form.service_data()
        ),
        success=_("Your demand is posted. The SMEs that qualify and asked for it get an email."),
        to=lambda demand: demand_url(demand.pk),
    )
    return done or render(
        request,
        "alliance/demand_form.html",
        {"form": form, "demand": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def demand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    demand = owned_demand(request, pk)
    if demand.status != DemandStatus.OPEN:
        messages.error(request, _("Only an open demand can be changed."))
        return redirect(demand_url(demand.pk))
    form = DemandForm(posted(request), instance=demand)
    done = form_carried_out(
        request,
        form,
        lambda: demand_services.demand_update(
            actor=request.user, demand=demand, data=form.service_data()
        ),
        success=_("The demand is saved."),
        to=demand_url(demand.pk),
    )
    return done or render(
        request,
        "alliance/demand_form.html",
        {"form": form, "demand": demand},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def demand_close(request: HttpRequest, pk: int) -> HttpResponse:
    demand = owned_demand(request, pk)
    form = CloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            demand_services.demand_close(
                actor=request.user, demand=demand, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("The demand is closed."))
        return redirect(demand_url(demand.pk))
    return render(request, "alliance/demand_close.html", {"demand": demand, "form": form})


@login_required
def for_me(request: HttpRequest) -> HttpResponse:
    """For each of the user's alliance SMEs: the open demands that fit its categories."""
    suppliers = list(
        selectors.alliance_enterprises_of(request.user)
        .filter(kind=EnterpriseKind.SME)
        .select_related("alliance_membership")
    )
    sections = []
    for supplier in suppliers:
        demands_ = list(selectors.demands_for_supplier(supplier)[:FOR_ME_LIMIT])
        answered = dict(
            DemandResponse.objects.filter(supplier=supplier, demand__in=demands_).values_list(
                "demand_id", "status"
            )
        )
        for item in demands_:
            status = answered.get(item.pk)
            item.my_status = ResponseStatus(status).label if status else ""
        sections.append(
            {
                "enterprise": supplier,
                "demands": demands_,
                "form": NotificationForm(
                    initial={"notify_new_demands": supplier.alliance_membership.notify_new_demands},
                    auto_id=f"id_notify{supplier.pk}_%s",
                ),
            }
        )
    return render(request, "alliance/for_me.html", {"sections": sections})


@login_required
@require_POST
def notifications(request: HttpRequest, uscc: str) -> HttpResponse:
    supplier = get_object_or_404(
        selectors.alliance_enterprises_of(request.user).select_related("alliance_membership"),
        uscc=uscc,
    )
    form = NotificationForm(request.POST)
    form.is_valid()
    notify = bool(form.cleaned_data.get("notify_new_demands"))
    membership_services.member_set_notifications(
        actor=request.user, member=supplier.alliance_membership, notify_new_demands=notify
    )
    message = (
        _("%(name)s gets an email when a demand that fits is posted.")
        if notify
        else _("%(name)s no longer gets emails of new demands.")
    )
    messages.success(request, message % {"name": supplier.name_zh})
    return redirect("alliance:for_me")
