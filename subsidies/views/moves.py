"""The applicant's moves from the application page: submit, withdraw, appeal, and
messages to the officials.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from directory.templatetags.directory_tags import local_name
from ssb_portal.audit_chain.heads import receipt_text
from ssb_portal.forms import add_service_errors
from ssb_portal.pages import posted
from ssb_portal.roles import is_official
from subsidies.forms import AppealForm, MessageForm, WithdrawForm
from subsidies.models import ApplicationStatus as S
from subsidies.selectors.access import application_for, application_for_member
from subsidies.selectors.eligibility import application_eligibility
from subsidies.services.submission import (
    appeal_file,
    application_submit,
    application_withdraw,
    message_post,
)
from subsidies.views.applications import render_application
from subsidies.views.common import appealable_rejection, application_url, can_move, dress_programme


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the submission; an ineligible application shows what is missing and stays."""
    application = application_for_member(request.user, pk)
    if not can_move(application, S.SUBMITTED):
        messages.error(
            request,
            _("Application #%(pk)s is “%(status)s”: it cannot be submitted now.")
            % {"pk": application.pk, "status": application.get_status_display()},
        )
        return redirect(application_url(application))
    errors: list[str] = []
    if request.method == "POST":
        try:
            application = application_submit(actor=request.user, application=application)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _(
                    "Application #%(pk)s is submitted. The officials review it; you get an email "
                    "at every decision."
                )
                % {"pk": application.pk}
                + " "
                + receipt_text(application.receipt),
            )
            return redirect(application_url(application))
    eligibility = application_eligibility(application)
    return render(
        request,
        "subsidies/submit.html",
        {
            "application": application,
            "programme": dress_programme(application.programme),
            "eligibility": eligibility,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_member(request.user, pk)
    if not can_move(application, S.WITHDRAWN):
        messages.error(
            request,
            _("Application #%(pk)s is “%(status)s”: it can no longer be withdrawn.")
            % {"pk": application.pk, "status": application.get_status_display()},
        )
        return redirect(application_url(application))
    form = WithdrawForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(
                actor=request.user, application=application, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request, _("Application #%(pk)s is withdrawn.") % {"pk": application.pk}
            )
            return redirect(application_url(application))
    return render(
        request,
        "subsidies/confirm.html",
        {
            "application": application,
            "title": _("Withdraw the application"),
            "question": _(
                "Withdraw application #%(pk)s to %(programme)s? A withdrawn application cannot "
                "be taken up again, and its claims are released."
            )
            % {"pk": application.pk, "programme": local_name(application.programme)},
            "action": _("Withdraw the application"),
            "danger": True,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """Appeal a rejection once, with grounds; another official decides."""
    application = application_for_member(request.user, pk)
    transitions = list(application.transitions.order_by("created_at", "pk"))
    rejection = appealable_rejection(application, transitions, list(application.appeals.all()))
    if rejection is None:
        messages.error(
            request,
            _("Application #%(pk)s cannot be appealed: only a rejection can, once.")
            % {"pk": application.pk},
        )
        return redirect(application_url(application))
    form = AppealForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            appeal_file(
                actor=request.user, application=application, grounds=form.cleaned_data["grounds"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "note" in error.error_dict:
                form.add_error("grounds", error.error_dict.pop("note"))
            if not hasattr(error, "error_dict") or error.error_dict:
                add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("Your appeal is filed. An official other than the one who rejected decides it."),
            )
            return redirect(application_url(application, "appeals"))
    return render(
        request,
        "subsidies/appeal.html",
        {
            "application": application,
            "form": form,
            "rejection": rejection,
        },
    )


@login_required
@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    """Post to the application's thread (officials may mark an internal note)."""
    application = application_for(request.user, pk)
    official = is_official(request.user)
    form = MessageForm(request.POST, official=official)
    if form.is_valid():
        try:
            message_post(
                actor=request.user,
                application=application,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data.get("internal", False),
            )
        except ValidationError as error:
            add_service_errors(error, form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(application_url(application, "messages"))
    return render_application(request, pk, message_form=form, status=400)
