"""A university's workspace: its programmes, training bases, students and the internships it
offers them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from directory.models import Enterprise
from talent import selectors, services
from talent.forms import (
    InternshipOfferForm,
    LinkAccountForm,
    StudentForm,
    StudyProgrammeForm,
    TrainingBaseForm,
    add_service_errors,
    initial_of,
)
from talent.models import Student
from talent.services import STUDENT_FIELDS
from talent.views.common import _page, _posted, _status, _university, _university_url
from talent.views.graduates import _reports
from talent.views.internships import _internship_rows, _move


@login_required
@require_GET
def university(request: HttpRequest, uscc: str) -> HttpResponse:
    """A university's workspace: programmes, training bases, students, internships, reports."""
    university = _university(request, uscc)
    query = request.GET.get("q", "").strip()
    students = selectors.students_with_internships(university).order_by("student_number")
    if query:
        students = students.filter(Q(student_number__icontains=query) | Q(name__icontains=query))
    students_page = _page(request, students)
    internships_page = _page(
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
        "internship_rows": _internship_rows(internships_page.object_list, "university"),
        "reports": _reports(university),
    }
    return render(request, "talent/university.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def programme_add(request: HttpRequest, uscc: str) -> HttpResponse:
    university = _university(request, uscc)
    form = StudyProgrammeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.study_programme_add(
                actor=request.user, university=university, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": programme})
            return redirect(_university_url(uscc, "programmes"))
    return render(
        request,
        "talent/form.html",
        {
            "university": university,
            "form": form,
            "title": _("Add a study programme"),
            "submit": _("Add the programme"),
            "cancel_url": _university_url(uscc, "programmes"),
        },
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_base_add(request: HttpRequest, uscc: str) -> HttpResponse:
    university = _university(request, uscc)
    form = TrainingBaseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            base = services.training_base_create(
                actor=request.user,
                university=university,
                enterprise=form.cleaned_data["enterprise"],
                data=data,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("The training base %(name)s is open.") % {"name": base})
            return redirect(_university_url(uscc, "bases"))
    return render(
        request,
        "talent/form.html",
        {
            "university": university,
            "form": form,
            "title": _("Open a training base"),
            "submit": _("Open the training base"),
            "cancel_url": _university_url(uscc, "bases"),
        },
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def student_add(request: HttpRequest, uscc: str) -> HttpResponse:
    university = _university(request, uscc)
    form = StudentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            student = services.student_add(
                actor=request.user, university=university, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("%(name)s is recorded.") % {"name": student})
            return redirect(_university_url(uscc, "students"))
    return render(
        request,
        "talent/form.html",
        {
            "university": university,
            "form": form,
            "title": _("Add a student"),
            "submit": _("Add the student"),
            "cancel_url": _university_url(uscc, "students"),
        },
        status=_status(form),
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
    university = _university(request, uscc)
    student = _student_of(request, university, pk)
    form = StudentForm(_posted(request), initial=initial_of(student, STUDENT_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            services.student_update(actor=request.user, student=student, data=form.service_data())
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": student})
            return redirect(_university_url(uscc, "students"))
    return _render_student(
        request, university, student, form, LinkAccountForm(initial={"email": student.email})
    )


@login_required
@require_http_methods(["GET", "POST"])
def student_link(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    """Link the student's own login (found by its email), so they can apply for scholarships."""
    university = _university(request, uscc)
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
    university = _university(request, uscc)
    initial = {"student": request.GET.get("student", "")}
    form = InternshipOfferForm(
        _posted(request),
        initial=initial,
        students=selectors.students_visible_to(request.user).filter(university=university),
        bases=university.training_bases.all(),
    )
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.internship_offer(
                actor=request.user,
                student=cleaned["student"],
                host=cleaned["host"],
                starts_on=cleaned["starts_on"],
                ends_on=cleaned["ends_on"],
                training_base=cleaned["training_base"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("The internship is offered; %(host)s confirms it on its page.")
                % {"host": cleaned["host"].name_zh},
            )
            return redirect(_university_url(uscc, "internships"))
    return render(
        request,
        "talent/form.html",
        {
            "university": university,
            "form": form,
            "title": _("Offer an internship"),
            "submit": _("Offer the internship"),
            "cancel_url": _university_url(uscc, "internships"),
        },
        status=_status(form),
    )


@login_required
@require_POST
def university_internship_move(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    university = _university(request, uscc)
    internship = get_object_or_404(
        selectors.internships_visible_to(request.user).filter(student__university=university),
        pk=pk,
    )
    return _move(request, internship, _university_url(uscc, "internships"))
