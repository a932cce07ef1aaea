"""A university's workspace: its programmes, training bases, students and the internships it
offers them."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from directory.models import Enterprise
from ssb_portal.forms import add_service_errors
from ssb_portal.pages import form_status, page_of, posted
from talent import selectors, services
from talent.forms import (
    InternshipOfferForm,
    LinkAccountForm,
    StudentForm,
    StudyProgrammeForm,
    TrainingBaseForm,
    initial_of,
)
from talent.models import Student
from talent.services import STUDENT_FIELDS
from talent.views.common import staff_university, university_url
from talent.views.graduates import graduate_reports
from talent.views.internships import internship_rows, move_internship


@login_required
@require_GET
def university(request: HttpRequest, uscc: str) -> HttpResponse:
    """A university's workspace: programmes, training bases, students, internships, reports."""
    university = staff_university(request, uscc)
    query = request.GET.get("q", "").strip()
    students = selectors.students_with_internships(university).order_by("student_number")
    if query:
        students = students.filter(Q(student_number__icontains=query) | Q(name__icontains=query))
    students_page = page_of(request, students)
    internships_page = page_of(
        request,
        selectors.internships_visible_to(request.user).filter(student__university=university),
        param="internships_page",
    )
    context = {
        "university": university,
        "programmes": list(university.study_programmes.all()),
        "bases": list(university.training_bases.select_related("enterprise")),
        "query": query,
        "students": students_page,
        "internships": internships_page,
        "internship_rows": internship_rows(internships_page.object_list, "university"),
        "reports": graduate_reports(university),
    }
    return render(request, "talent/university.html", context)


def _workspace_form(
    request: HttpRequest,
    university: Enterprise,
    form,
    *,
    write: Callable[[], Any],
    done: Callable[[Any], str],
    section: str,
    title: str,
    submit: str,
) -> HttpResponse:
    """A form of the university's workspace: once it is valid, `write()` calls the service and
    `done(result)` says what happened, back in the workspace's `section`; a refusal goes back on
    the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write()
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, done(result))
            return redirect(university_url(university.uscc, section))
    return render(
        request,
        "talent/form.html",
        {
            "university": university,
            "form": form,
            "title": title,
            "submit": submit,
            "cancel_url": university_url(university.uscc, section),
        },
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_add(request: HttpRequest, uscc: str) -> HttpResponse:
    university = staff_university(request, uscc)
    form = StudyProgrammeForm(posted(request))
    return _workspace_form(
        request,
        university,
        form,
        write=lambda: services.study_programme_add(
            actor=request.user, university=university, data=form.service_data()
        ),
        done=lambda programme: _("%(name)s is added.") % {"name": programme},
        section="programmes",
        title=_("Add a study programme"),
        submit=_("Add the programme"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_base_add(request: HttpRequest, uscc: str) -> HttpResponse:
    university = staff_university(request, uscc)
    form = TrainingBaseForm(posted(request))
    return _workspace_form(
        request,
        university,
        form,
        write=lambda: services.training_base_create(
            actor=request.user,
            university=university,
            enterprise=form.cleaned_data["enterprise"],
            data=form.service_data(),
        ),
        done=lambda base: _("The training base %(name)s is open.") % {"name": base},
        section="bases",
        title=_("Open a training base"),
        submit=_("Open the training base"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def student_add(request: HttpRequest, uscc: str) -> HttpResponse:
    university = staff_university(request, uscc)
    form = StudentForm(posted(request))
    return _workspace_form(
        request,
        university,
        form,
        write=lambda: services.student_add(
            actor=request.user, university=university, data=form.service_data()
        ),
        done=lambda student: _("%(name)s is recorded.") % {"name": student},
        section="students",
        title=_("Add a student"),
        submit=_("Add the student"),
    )


def _student_of(request: HttpRequest, university: Enterprise, pk: int) -> Student:
    return get_object_or_404(
        selectors.students_visible_to(request.user)
        .filter(university=university)
        .select_related("user"),
        pk=pk,
    )


def _render_student(request, university, student, form, link_form) -> HttpResponse:
    return render(
        request,
        "talent/student.html",
        {"university": university, "student": student, "form": form, "link_form": link_form},
        status=400 if form.errors or link_form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def student_edit(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    university = staff_university(request, uscc)
    student = _student_of(request, university, pk)
    form = StudentForm(posted(request), initial=initial_of(student, STUDENT_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            services.student_update(actor=request.user, student=student, data=form.service_data())
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": student})
            return redirect(university_url(uscc, "students"))
    return _render_student(
        request, university, student, form, LinkAccountForm(initial={"email": student.email})
    )


@login_required
@require_http_methods(["GET", "POST"])
def student_link(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    """Link the student's own login (found by its email), so they can apply for scholarships."""
    university = staff_university(request, uscc)
    student = _student_of(request, university, pk)
    if request.method == "GET":
        return redirect("talent:student_edit", uscc=uscc, pk=pk)
    link_form = LinkAccountForm(request.POST)
    if link_form.is_valid():
        try:
            services.student_link_account(
                actor=request.user, student=student, email=link_form.cleaned_data["email"]
            )
        except ValidationError as error:
            add_service_errors(error, link_form)
        else:
            messages.success(
                request,
                _("%(name)s's login is linked: they can apply for scholarships now.")
                % {"name": student},
            )
            return redirect("talent:student_edit", uscc=uscc, pk=pk)
    form = StudentForm(initial=initial_of(student, STUDENT_FIELDS))
    return _render_student(request, university, student, form, link_form)


@login_required
@require_http_methods(["GET", "POST"])
def internship_offer(request: HttpRequest, uscc: str) -> HttpResponse:
    university = staff_university(request, uscc)
    initial = {"student": request.GET.get("student", "")}
    form = InternshipOfferForm(
        posted(request),
        initial=initial,
        students=selectors.students_visible_to(request.user).filter(university=university),
        bases=university.training_bases.all(),
    )

    def write():
        cleaned = form.cleaned_data
        return services.internship_offer(
            actor=request.user,
            student=cleaned["student"],
            host=cleaned["host"],
            starts_on=cleaned["starts_on"],
            ends_on=cleaned["ends_on"],
            training_base=cleaned["training_base"],
        )

    return _workspace_form(
        request,
        university,
        form,
        write=write,
        done=lambda _internship: _("The internship is offered; %(host)s confirms it on its page.")
        % {"host": form.cleaned_data["host"].name_zh},
        section="internships",
        title=_("Offer an internship"),
        submit=_("Offer the internship"),
    )


@login_required
@require_POST
def university_internship_move(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    university = staff_university(request, uscc)
    internship = get_object_or_404(
        selectors.internships_visible_to(request.user).filter(student__university=university),
        pk=pk,
    )
    return move_internship(request, internship, university_url(uscc, "internships"))
