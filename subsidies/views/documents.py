"""An application's documents: add, remove and download (members and officials only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ssb_portal.forms import add_service_errors
from ssb_portal.pages import posted
from ssb_portal.private_files import document_response
from subsidies.forms import DocumentForm
from subsidies.models import DocumentKind
from subsidies.selectors.access import application_for, application_for_member
from subsidies.services import drafting
from subsidies.views.common import application_url, not_editable


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_member(request.user, pk)
    if not application.is_editable:
        return not_editable(request, application)
    form = DocumentForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        programme=application.programme,
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = drafting.document_add(
                actor=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("“%(name)s” is attached as %(kind)s.")
                % {"name": document.original_name, "kind": document.get_kind_display()},
            )
            return redirect(application_url(application, "documents"))
    attached = set(application.documents.values_list("kind", flat=True))
    return render(
        request,
        "subsidies/document_form.html",
        {
            "application": application,
            "form": form,
            "required_documents": [
                (DocumentKind(kind).label, kind in attached)
                for kind in application.programme.required_documents
                if kind in DocumentKind.values
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    application = application_for_member(request.user, pk)
    document = get_object_or_404(application.documents.all(), pk=document_id)
    if not application.is_editable:
        return not_editable(request, application)
    if request.method == "POST":
        try:
            drafting.document_delete(actor=request.user, document=document)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("“%(name)s” is removed.") % {"name": document.original_name}
            )
        return redirect(application_url(application, "documents"))
    return render(
        request,
        "subsidies/confirm.html",
        {
            "application": application,
            "title": _("Remove a document"),
            "question": _("Remove “%(name)s” (%(kind)s) from application #%(pk)s?")
            % {
                "name": document.original_name,
                "kind": document.get_kind_display(),
                "pk": application.pk,
            },
            "action": _("Remove the document"),
            "danger": True,
        },
    )


def document(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """Stream a private document to the applicant's members and officials; 404 for anyone
    else (anonymous visitors included: the page does not reveal that the file exists)."""
    application = application_for(request.user, pk)
    document = get_object_or_404(application.documents.all(), pk=document_id)
    return document_response(document)
