"""Demonstration scenarios: the public showcase, a project with its field reports and targets,
and the LCOS and drone flight-time calculators.

Projects are public. A member of the operating organisation records a project and files its
field reports (the services check it again: anybody else gets 403).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance.demonstrations import selectors, services, targets
from alliance.demonstrations.calculators import drone_flight, lcos_comparison
from alliance.demonstrations.forms import (
    SYSTEMS,
    DemonstrationForm,
    DroneForm,
    FieldReportForm,
    LcosForm,
)
from alliance.demonstrations.models import DemonstrationScenario, DemonstrationStatus
from directory.access import enterprises_of_member
from ssb_portal import formulas
from ssb_portal.forms import add_service_errors
from ssb_portal.pages import form_status, page_of, posted


def _judge(project) -> None:
    project.targets = targets.judge(project.scenario, project.reports.all())


def demonstrations(request: HttpRequest) -> HttpResponse:
    """Every demonstration project with its status against the scenario's targets."""
    queryset = selectors.demonstrations_public()
    scenario = request.GET.get("scenario", "")
    if scenario in DemonstrationScenario.values:
        queryset = queryset.filter(scenario=scenario)
    else:
        scenario = ""
    page = page_of(request, queryset)
    for project in page.object_list:
        _judge(project)
    return render(
        request,
        "alliance/demonstrations/list.html",
        {
            "page": page,
            "scenario": scenario,
            "scenarios": DemonstrationScenario.choices,
            "can_add": request.user.is_authenticated,
        },
    )


def _detail(request: HttpRequest, project, report_form=None, status: int = 200) -> HttpResponse:
    _judge(project)
    is_operator = selectors.is_demonstration_operator(request.user, project)
    if is_operator and report_form is None:
        report_form = FieldReportForm()
    return render(
        request,
        "alliance/demonstrations/detail.html",
        {
            "project": project,
            "reports": list(project.reports.all()),
            "is_operator": is_operator,
            "report_form": report_form if is_operator else None,
        },
        status=status,
    )


def demonstration(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.demonstration_public(pk))


@login_required
@require_POST
def demonstration_report(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.demonstration_public(pk)
    if not selectors.is_demonstration_operator(request.user, project):
        raise PermissionDenied(_("Only members of the operator may file field reports."))
    form = FieldReportForm(request.POST)
    if form.is_valid():
        try:
            services.field_report_file(
                actor=request.user, project=project, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("The field report is filed."))
            return redirect("alliance:demonstration", pk=project.pk)
    project = selectors.demonstration_public(pk)
    return _detail(request, project, report_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def demonstration_new(request: HttpRequest) -> HttpResponse:
    enterprises = enterprises_of_member(request.user).order_by("name_zh", "pk")
    if not enterprises.exists():
        return render(request, "alliance/demonstrations/form.html", {"form": None})
    form = DemonstrationForm(
        posted(request),
        enterprises=enterprises,
        initial={"status": DemonstrationStatus.OPERATING},
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.demonstration_create(
                actor=request.user,
                operator=form.cleaned_data["operator"],
                suppliers=list(form.cleaned_data["suppliers"]),
                data=form.service_data(),
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("The demonstration project is recorded."))
            return redirect("alliance:demonstration", pk=project.pk)
    return render(
        request,
        "alliance/demonstrations/form.html",
        {"form": form},
        status=form_status(form),
    )


# --- calculators -----------------------------------------------------------------------------


def _bound(request: HttpRequest) -> Any:
    """The calculators read the query string: a result can be linked to and shared."""
    return request.GET if request.GET else None


def calculator_lcos(request: HttpRequest) -> HttpResponse:
    form = LcosForm(_bound(request))
    result = None
    if form.is_bound and form.is_valid():
        result = lcos_comparison(
            discount_rate=form.cleaned_data["discount_rate"],
            solid_state=form.system("ssb"),
            incumbent=form.system("incumbent"),
        )
    groups = [
        (label, [form[name] for name in form.fields if name.startswith(f"{prefix}_")])
        for prefix, label in SYSTEMS
    ]
    return render(
        request,
        "alliance/demonstrations/calculator_lcos.html",
        {"form": form, "groups": groups, "result": result},
        status=form_status(form),
    )


def calculator_drone(request: HttpRequest) -> HttpResponse:
    form = DroneForm(_bound(request))
    result = None
    if form.is_bound and form.is_valid():
        result = drone_flight(**form.cleaned_data)
    return render(
        request,
        "alliance/demonstrations/calculator_drone.html",
        {
            "form": form,
            "result": result,
            "target": formulas.DRONE_SPECIFIC_ENERGY_TARGET_WH_PER_KG,
        },
        status=form_status(form),
    )
