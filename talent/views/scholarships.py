"""The student's side: the open scholarship funds, applying and withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ssb_portal import formulas
from ssb_portal.audit_chain.heads import receipt_text
from ssb_portal.forms import add_service_errors
from ssb_portal.pages import error_messages, form_status, posted
from talent import selectors, services
from talent.forms import ScholarshipApplyForm
from talent.models import ScholarshipStatus, Student


def _own_student(request: HttpRequest) -> Student | None:
    return (
        selectors.students_visible_to(request.user)
        .filter(user=request.user)
        .select_related("university")
        .first()
    )


def _own_applications(request: HttpRequest) -> QuerySet:
    return selectors.scholarship_applications_visible_to(request.user).filter(
        student__user=request.user
    )


@login_required
@require_GET
def scholarships(request: HttpRequest) -> HttpResponse:
    """The open funds and the student's own applications; an explanation for anybody else."""
    student = _own_student(request)
    if student is None:
        return render(request, "talent/scholarships_no_student.html", {})
    applications = list(_own_applications(request))
    applied = {application.fund_id for application in applications}
    context = {
        "student": student,
        "funds": [(fund, fund.pk in applied) for fund in selectors.funds_open()],
        "applications": applications,
        "submitted": ScholarshipStatus.SUBMITTED,
    }
    return render(request, "talent/scholarships.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scholarship_apply(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = get_object_or_404(selectors.funds_open(), pk=fund_id)
    student = _own_student(request)
    if student is None:
        return redirect("talent:scholarships")
    form = ScholarshipApplyForm(
        posted(request),
        initial={"degree": student.degree, "field": student.field},
        awards=_own_applications(request).filter(status=ScholarshipStatus.AWARDED),
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.scholarship_apply(
                actor=request.user, fund=fund, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("Your application to the %(year)s scholarships is submitted.")
                % {"year": fund.year}
                + " "
                + receipt_text(application.receipt),
            )
            return redirect("talent:scholarships")
    return render(
        request,
        "talent/scholarship_apply.html",
        {
            "fund": fund,
            "student": student,
            "form": form,
            "fund_total": formulas.scholarship_fund_cny(fund.awards, fund.award_cny),
        },
        status=form_status(form),
    )


@login_required
@require_POST
def scholarship_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(_own_applications(request), pk=pk)
    try:
        services.scholarship_withdraw(actor=request.user, application=application)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("talent:scholarships")
