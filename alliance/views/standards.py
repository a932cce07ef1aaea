"""Standards work: the public list, recording a standard, declaring a participation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliance import selectors
from alliance.forms import ParticipationForm, StandardForm
from alliance.models import Standard
from alliance.services import standards as standard_services
from directory.access import enterprises_of_member
from ssb_portal.forms import add_service_errors
from ssb_portal.pages import page_of, posted


def standards(request: HttpRequest) -> HttpResponse:
    """Every recorded standard with its confirmed lead and participants."""
    page = page_of(request, selectors.standards_public())
    for standard in page.object_list:
        confirmed = standard.confirmed_participations
        standard.leads = [p for p in confirmed if p.role == "lead"]
        standard.participants = [p for p in confirmed if p.role != "lead"]
    return render(request, "alliance/standards.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def standard_new(request: HttpRequest) -> HttpResponse:
    form = StandardForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            standard = standard_services.standard_register(
                actor=request.user, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("%(standard)s is recorded. Now declare your organisation's role in it.")
                % {"standard": standard},
            )
            return redirect(f"{reverse('alliance:participation_new')}?standard={standard.pk}")
    return render(
        request, "alliance/standard_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def participation_new(request: HttpRequest) -> HttpResponse:
    enterprises = enterprises_of_member(request.user).order_by("name_zh", "pk")
    if not enterprises.exists():
        return render(request, "alliance/participation_form.html", {"form": None})
    initial = {}
    standard_id = request.GET.get("standard", "")
    if standard_id.isdigit():
        initial["standard"] = Standard.objects.filter(pk=standard_id).first()
    form = ParticipationForm(posted(request), enterprises=enterprises, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            participation = standard_services.participation_declare(
                actor=request.user,
                standard=data["standard"],
                enterprise=data["enterprise"],
                role=data["role"],
                joined_on=data["joined_on"],
                left_on=data["left_on"],
                evidence=data["evidence"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _(
                    "The participation of %(name)s in %(standard)s is declared. It is listed once "
                    "an official confirms it."
                )
                % {"name": participation.enterprise.name_zh, "standard": participation.standard},
            )
            return redirect("alliance:standards")
    return render(
        request,
        "alliance/participation_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
