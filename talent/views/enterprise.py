"""An enterprise's talent page: the internships it hosts, the graduates reported as its hires
(which it confirms) and its overseas experts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from directory.models import Enterprise
from ssb_portal import formulas
from ssb_portal.forms import add_service_errors
from ssb_portal.pages import error_messages, page_of, posted
from talent import selectors, services
from talent.forms import BenefitFormSet, ExpertForm, benefit_rows, initial_of
from talent.models import Destination, OverseasExpert
from talent.services import EXPERT_FIELDS
from talent.views.common import enterprise_url, member_enterprise
from talent.views.internships import internship_rows, move_internship


@login_required
@require_GET
def enterprise(request: HttpRequest, uscc: str) -> HttpResponse:
    """An enterprise's talent page: the internships it hosts, the graduates reported as its
    hires, its overseas experts."""
    enterprise = member_enterprise(request, uscc)
    internships_page = page_of(
        request,
        selectors.internships_visible_to(request.user).filter(host=enterprise),
        param="internships_page",
    )
    hires = page_of(
        request,
        selectors.graduates_visible_to(request.user).filter(
            employer=enterprise, destination=Destination.LOCAL_SSB
        ),
        param="hires_page",
    )
    context = {
        "enterprise": enterprise,
        "internships": internships_page,
        "internship_rows": internship_rows(internships_page.object_list, "host"),
        "hires": hires,
        "experts": list(selectors.experts_visible_to(request.user).filter(host=enterprise)),
        "expert_min_years": formulas.EXPERT_MIN_EXPERIENCE_YEARS,
    }
    return render(request, "talent/enterprise.html", context)


@login_required
@require_POST
def enterprise_internship_move(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    enterprise = member_enterprise(request, uscc)
    internship = get_object_or_404(
        selectors.internships_visible_to(request.user).filter(host=enterprise), pk=pk
    )
    return move_internship(request, internship, enterprise_url(uscc, "internships"))


@login_required
@require_POST
def graduate_confirm(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    """The employer confirms it hired a graduate its university reported."""
    enterprise = member_enterprise(request, uscc)
    graduate = get_object_or_404(
        selectors.graduates_visible_to(request.user).filter(employer=enterprise), pk=pk
    )
    try:
        services.graduate_confirm_hire(actor=request.user, graduate=graduate)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request,
            _("The hire of graduate %(number)s is confirmed.")
            % {"number": graduate.student_number},
        )
    return redirect(enterprise_url(uscc, "hires"))


def _expert_form(request: HttpRequest, enterprise: Enterprise, expert: OverseasExpert | None):
    initial = initial_of(expert, EXPERT_FIELDS) if expert else {}
    benefits = (
        [{"label": b.label, "amount_cny": b.amount_cny} for b in expert.benefits.all()]
        if expert
        else []
    )
    form = ExpertForm(posted(request), initial=initial)
    # Posted rows are compared with nothing: a row left as it was is still a benefit.
    formset = (
        BenefitFormSet(request.POST, prefix="benefits")
        if request.method == "POST"
        else BenefitFormSet(initial=benefits, prefix="benefits")
    )
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        rows, positions = benefit_rows(formset)
        try:
            saved = services.expert_save(
                actor=request.user,
                host=enterprise,
                data=form.service_data(),
                benefits=rows,
                expert=expert,
            )
        except ValidationError as error:
            for key, messages_ in error.message_dict.items():
                if key.startswith("benefits["):
                    index = int(key[len("benefits[") : -1])
                    formset.forms[positions[index]].add_error(None, messages_)
                else:
                    add_service_errors(ValidationError({key: messages_}), form)
        else:
            messages.success(
                request,
                _("%(name)s is saved; the total package is %(total)s CNY a year.")
                % {"name": saved.name, "total": f"{saved.total_package_cny:,.2f}"},
            )
            return redirect(enterprise_url(enterprise.uscc, "experts"))
    failed = bool(form.errors or any(f.errors for f in formset.forms) or formset.non_form_errors())
    return render(
        request,
        "talent/expert_form.html",
        {
            "enterprise": enterprise,
            "expert": expert,
            "form": form,
            "formset": formset,
            "expert_min_years": formulas.EXPERT_MIN_EXPERIENCE_YEARS,
        },
        status=400 if failed else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_add(request: HttpRequest, uscc: str) -> HttpResponse:
    return _expert_form(request, member_enterprise(request, uscc), None)


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    enterprise = member_enterprise(request, uscc)
    expert = get_object_or_404(
        selectors.experts_visible_to(request.user).filter(host=enterprise), pk=pk
    )
    return _expert_form(request, enterprise, expert)
