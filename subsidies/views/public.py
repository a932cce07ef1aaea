"""The public pages: the programmes, the awards granted (disclosure, also as CSV) and the
public notices, where signed-in visitors lodge objections.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from directory.access import enterprises_of_member
from ssb_portal.exports import csv_content, spreadsheet_download
from ssb_portal.forms import add_service_errors
from ssb_portal.formulas import quantize_cny
from ssb_portal.pages import page_of, posted
from subsidies.forms import AwardFilterForm, ObjectionForm
from subsidies.models import Application
from subsidies.models import ApplicationStatus as S
from subsidies.selectors.access import applications_of_member
from subsidies.selectors.money import support_by_enterprise
from subsidies.selectors.public import (
    awards_public,
    notice_public,
    notices_listed,
    programmes_listed,
)
from subsidies.services.notices_and_objections import objection_lodge
from subsidies.views.common import PAGE_SIZE, dress_programme

#: The public awards page also lists this many largest recipients, net of recoveries.
TOP_RECIPIENTS = 10
AWARDS_PAGE_SIZE = 50


def programmes(request: HttpRequest) -> HttpResponse:
    """Every programme: open now first, then upcoming, then closed."""
    listed = [dress_programme(programme) for programme in programmes_listed()]
    return render(
        request,
        "subsidies/programmes.html",
        {
            "open_now": [p for p in listed if p.phase == 0],
            "upcoming": [p for p in listed if p.phase == 1],
            "closed": [p for p in listed if p.phase == 2],
        },
    )


def programme(request: HttpRequest, pk: int) -> HttpResponse:
    programme = dress_programme(get_object_or_404(programmes_listed(), pk=pk))
    enterprises = list(enterprises_of_member(request.user))
    mine = (
        list(
            applications_of_member(request.user)
            .filter(programme=programme)
            .order_by("-created_at", "-pk")
        )
        if enterprises
        else []
    )
    return render(
        request,
        "subsidies/programme.html",
        {
            "programme": programme,
            "enterprises": enterprises,
            "my_applications": mine,
            "closed": timezone.localdate() > programme.closes_on,
            "categories": list(programme.eligible_categories.all()),
        },
    )


def _award_filter(request: HttpRequest) -> tuple[AwardFilterForm, QuerySet | None]:
    form = AwardFilterForm(request.GET)
    if not form.is_valid():
        return form, None
    awards = awards_public()
    if form.cleaned_data.get("programme"):
        awards = awards.filter(programme=form.cleaned_data["programme"])
    if form.cleaned_data.get("year"):
        awards = awards.filter(programme__year=form.cleaned_data["year"])
    return form, awards


def awards(request: HttpRequest) -> HttpResponse:
    """Public disclosure of the awards of public money: programme, recipient, amount, date."""
    form, queryset = _award_filter(request)
    if queryset is None:
        return render(request, "subsidies/awards.html", {"form": form, "page": None}, status=400)
    page = page_of(request, queryset, AWARDS_PAGE_SIZE)
    recipients = list(support_by_enterprise()[:TOP_RECIPIENTS])
    return render(
        request, "subsidies/awards.html", {"form": form, "page": page, "recipients": recipients}
    )


def awards_csv(request: HttpRequest) -> HttpResponse:
    """The same awards as the page, filtered alike, as CSV (UTF-8 with BOM for spreadsheets)."""
    form, queryset = _award_filter(request)
    if queryset is None:
        return render(request, "subsidies/awards.html", {"form": form, "page": None}, status=400)
    header = [
        _("Programme"),
        _("Year"),
        _("Recipient"),
        _("USCC"),
        _("Amount (CNY)"),
        _("Approved on"),
        _("Status"),
        _("Recovered (CNY)"),
    ]
    rows = (
        [
            award.programme.name_zh,
            award.programme.year,
            award.applicant.name_zh,
            award.applicant.uscc,
            quantize_cny(award.awarded_amount_cny),
            timezone.localdate(award.decided_at) if award.decided_at else "",
            award.get_status_display(),
            quantize_cny(award.recovered_cny),
        ]
        for award in queryset.iterator(chunk_size=2000)
    )
    return spreadsheet_download(
        csv_content(header, rows),
        fmt="csv",
        filename=f"ssb-awards-{timezone.localdate():%Y-%m-%d}",
    )


def notices(request: HttpRequest) -> HttpResponse:
    page = page_of(request, notices_listed(), PAGE_SIZE)
    return render(request, "subsidies/notices.html", {"page": page, "now": timezone.now()})


@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """A public notice: its awards and the objections lodged, with their outcomes.

    While the notice runs, a logged-in user may object to one award, signed with a name and
    an organisation; the objections and their outcomes stay public after the period.
    """
    notice = notice_public(pk)
    is_open = notice.is_open_at(timezone.now())
    awards = list(notice.applications.all())
    objections = list(notice.objections.all())
    # An upheld objection takes its award out of the notice; the objection still names it.
    known = {award.pk: award for award in awards}
    missing = {objection.application_id for objection in objections} - known.keys()
    if missing:
        known.update(Application.objects.select_related("applicant").in_bulk(missing))
    for objection in objections:
        objection.award = known[objection.application_id]
    for award in awards:
        award.objection_list = [o for o in objections if o.application_id == award.pk]
    objectable = [award for award in awards if award.status == S.IN_NOTICE]
    form = None
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.is_authenticated and is_open and objectable:
        enterprise = enterprises_of_member(request.user).order_by("pk").first()
        initial = {
            "author_name": request.user.get_full_name() or request.user.get_username(),
            "organisation": enterprise.name_zh if enterprise else "",
            "application": request.GET.get("award", "")
            or (objectable[0].pk if len(objectable) == 1 else ""),
        }
        form = ObjectionForm(posted(request), awards=objectable, initial=initial)
        if request.method == "POST" and form.is_valid():
            application = known[form.cleaned_data["application"]]
            try:
                objection_lodge(
                    actor=request.user,
                    application=application,
                    author_name=form.cleaned_data["author_name"],
                    organisation=form.cleaned_data["organisation"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(error, form)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Your objection is recorded and published. The award cannot be paid "
                        "until an official resolves it."
                    ),
                )
                return redirect(reverse("subsidies:notice", args=[notice.pk]) + "#objections")
    elif request.method == "POST":
        messages.error(request, _("Objections to this notice are closed."))
        return redirect("subsidies:notice", pk=notice.pk)
    return render(
        request,
        "subsidies/notice.html",
        {
            "notice": notice,
            "is_open": is_open,
            "awards": awards,
            "objections": objections,
            "form": form,
            "total": sum((a.awarded_amount_cny or Decimal(0) for a in awards), Decimal(0)),
        },
    )
