"""One demand's page and what is posted from it: interest, invitations, the responses' moves,
meetings (with their calendar file) and the agreement to collaborate.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance import calendar, selectors
from alliance.forms import (
    AnswerForm,
    InterestForm,
    InviteForm,
    MeetingAnswerForm,
    MeetingForm,
    TermsForm,
    slot_label,
    terms_initial,
)
from alliance.models import (
    DEMAND_THRESHOLDS,
    Demand,
    DemandResponse,
    DemandStatus,
    Meeting,
    MeetingStatus,
    ResponseStatus,
)
from alliance.services import collaborations as collaboration_services
from alliance.services import responses as response_services
from alliance.views.common import (
    collaboration_url,
    demand_url,
    my_enterprise_ids,
    owned_demand,
    unit_label,
)
from directory.models import EnterpriseKind
from directory.passport.thresholds import PASSPORT_THRESHOLDS
from ssb_portal.forms import add_service_errors
from ssb_portal.pages import error_messages, form_carried_out
from ssb_portal.roles import is_official


@dataclass
class MeetingView:
    meeting: Meeting
    mine: bool
    slots: list[str]
    answer_form: MeetingAnswerForm | None = None


@dataclass
class Thread:
    """One response as one of its sides (or an official) sees it on the demand page."""

    response: DemandResponse
    side: str | None  # "owner", "supplier" or None (an official reading)
    meetings: list[MeetingView] = field(default_factory=list)
    meeting_form: MeetingForm | None = None
    answer_form: AnswerForm | None = None
    terms_form: TermsForm | None = None
    can_shortlist: bool = False
    can_invite: bool = False
    can_decline: bool = False
    can_agree: bool = False
    terms: list[tuple[str, str]] = field(default_factory=list)


TERM_LABELS = {
    "agreed_value_cny": gettext_lazy("Agreed value (CNY)"),
    "starts_on": gettext_lazy("Starts on"),
    "ends_on": gettext_lazy("Ends on"),
    "committed_annual_volume": gettext_lazy("Committed annual volume"),
}


def _terms_display(terms: dict[str, Any]) -> list[tuple[str, str]]:
    """The anchor's terms (stored as text) as (label, value) a person reads."""
    unit = unit_label(terms.get("volume_unit") or "")
    rows = []
    for name in ("agreed_value_cny", "starts_on", "ends_on", "committed_annual_volume"):
        value = terms.get(name)
        if value in (None, ""):
            continue
        if name == "agreed_value_cny":
            value = number_format(Decimal(value), decimal_pos=2, force_grouping=True)
        elif name == "committed_annual_volume":
            value = f"{number_format(Decimal(value), force_grouping=True)} {unit}".strip()
        rows.append((str(TERM_LABELS[name]), value))
    return rows


def _thread(
    response: DemandResponse, demand: Demand, side: str | None, bound: dict[tuple, Any]
) -> Thread:
    thread = Thread(response=response, side=side)
    status = response.status
    is_open = demand.status == DemandStatus.OPEN
    thread.terms = _terms_display(response.owner_terms)
    my_enterprise = None
    if side == "owner":
        my_enterprise = demand.owner_id
        thread.can_shortlist = is_open and status == ResponseStatus.INTERESTED
        thread.can_invite = is_open and status in (
            ResponseStatus.INTERESTED,
            ResponseStatus.SHORTLISTED,
        )
        thread.can_decline = status in (ResponseStatus.INTERESTED, ResponseStatus.SHORTLISTED)
        if is_open and status == ResponseStatus.ACCEPTED:
            thread.terms_form = bound.get(("terms", response.pk)) or TermsForm(
                initial=terms_initial(response.owner_terms),
                auto_id=f"id_terms{response.pk}_%s",
            )
    elif side == "supplier":
        my_enterprise = response.supplier_id
        if status == ResponseStatus.INVITED:
            thread.answer_form = bound.get(("answer", response.pk)) or AnswerForm(
                auto_id=f"id_answer{response.pk}_%s"
            )
        thread.can_agree = (
            is_open
            and status == ResponseStatus.ACCEPTED
            and response.owner_agreed_at is not None
            and response.supplier_agreed_at is None
        )
    if side is not None and status != ResponseStatus.DECLINED:
        thread.meeting_form = bound.get(("meeting", response.pk)) or MeetingForm(
            auto_id=f"id_meeting{response.pk}_%s"
        )
    for meeting in response.meetings.all():
        view = MeetingView(
            meeting=meeting,
            mine=meeting.proposed_by_id == my_enterprise,
            slots=[slot_label(slot) for slot in meeting.slots],
        )
        if side is not None and not view.mine and meeting.status == MeetingStatus.PROPOSED:
            view.answer_form = bound.get(("meeting_answer", meeting.pk)) or MeetingAnswerForm(
                meeting=meeting, auto_id=f"id_slot{meeting.pk}_%s"
            )
        thread.meetings.append(view)
    return thread


def _thresholds(demand: Demand) -> list[tuple[str, Any]]:
    return [
        (Demand._meta.get_field(name).verbose_name, getattr(demand, name))
        for name in [*DEMAND_THRESHOLDS, *PASSPORT_THRESHOLDS]
        if getattr(demand, name) is not None
    ]


def _render_demand(
    request: HttpRequest,
    demand: Demand,
    *,
    bound: dict[tuple, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    user = request.user
    mine = my_enterprise_ids(user)
    is_owner = demand.owner_id in mine
    official = is_official(user)
    responses = selectors.demand_responses(demand)
    if not (is_owner or official):
        responses = responses.filter(supplier_id__in=mine)
    threads = []
    answered = set()
    for response in responses:
        answered.add(response.supplier_id)
        if is_owner:
            side = "owner"
        elif response.supplier_id in mine:
            side = "supplier"
        else:
            side = None
        threads.append(_thread(response, demand, side, bound))
    interest_form = bound.get(("interest",))
    if interest_form is None and demand.status == DemandStatus.OPEN and not is_owner:
        suppliers = (
            selectors.alliance_enterprises_of(user)
            .filter(kind=EnterpriseKind.SME)
            .exclude(pk__in=answered | {demand.owner_id})
        )
        if suppliers.exists():
            interest_form = InterestForm(suppliers=suppliers)
    collaboration = getattr(demand, "collaboration", None)
    return render(
        request,
        "alliance/demand.html",
        {
            "demand": demand,
            "is_owner": is_owner,
            "official": official,
            "thresholds": _thresholds(demand),
            "threads": threads,
            "interest_form": interest_form,
            "collaboration": collaboration,
            "volume_unit_label": unit_label(demand.volume_unit),
        },
        status=status,
    )


@login_required
def demand(request: HttpRequest, pk: int) -> HttpResponse:
    """The demand: details; the SME's interest or invitation; the owner's responses."""
    return _render_demand(request, selectors.demand_for(request.user, pk))


@login_required
@require_POST
def interest(request: HttpRequest, pk: int) -> HttpResponse:
    demand = selectors.demand_for(request.user, pk)
    suppliers = selectors.alliance_enterprises_of(request.user).filter(kind=EnterpriseKind.SME)
    form = InterestForm(request.POST, suppliers=suppliers)
    done = form_carried_out(
        request,
        form,
        lambda: response_services.interest_express(
            actor=request.user,
            demand=demand,
            supplier=form.cleaned_data["supplier"],
            message=form.cleaned_data["message"],
        ),
        success=_("Your interest is sent. The anchor enterprise sees your message."),
        to=demand_url(demand.pk, "responses"),
    )
    return done or _render_demand(request, demand, bound={("interest",): form}, status=400)


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner invites an SME, from its matches or from those who showed interest."""
    demand = owned_demand(request, pk)
    form = InviteForm(request.POST)
    back = "matches" if request.POST.get("next") == "matches" else "demand"
    target = (
        reverse("alliance:matches", args=[demand.pk])
        if back == "matches"
        else demand_url(demand.pk, "responses")
    )
    if not form.is_valid():
        messages.error(request, _("Choose an SME to invite."))
        return redirect(target)
    supplier = form.cleaned_data["supplier"]
    try:
        response_services.supplier_invite(
            actor=request.user,
            demand=demand,
            supplier=supplier,
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request,
            _("%(supplier)s is invited; it gets an email and answers on this demand's page.")
            % {"supplier": supplier.name_zh},
        )
    return redirect(target)


def _response_move(request: HttpRequest, pk: int, move, success: str) -> HttpResponse:
    response = selectors.response_for(request.user, pk)
    try:
        move(response)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, success)
    return redirect(demand_url(response.demand_id, f"response-{response.pk}"))


@login_required
@require_POST
def response_shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    return _response_move(
        request,
        pk,
        lambda response: response_services.response_shortlist(
            actor=request.user, response=response
        ),
        _("The SME is on your shortlist."),
    )


@login_required
@require_POST
def response_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _response_move(
        request,
        pk,
        lambda response: response_services.response_decline(
            actor=request.user, response=response, note=request.POST.get("note", "")[:2000]
        ),
        _("The SME is declined."),
    )


@login_required
@require_POST
def response_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The SME accepts or declines the invitation."""
    response = selectors.response_for(request.user, pk)
    form = AnswerForm(request.POST, auto_id=f"id_answer{response.pk}_%s")
    done = form_carried_out(
        request,
        form,
        lambda: response_services.response_answer(
            actor=request.user,
            response=response,
            accept=form.cleaned_data["accept"],
            note=form.cleaned_data["note"],
        ),
        success=lambda _answered: (
            _("You accepted the invitation. Agree on a meeting and the terms next.")
            if form.cleaned_data["accept"]
            else _("You declined the invitation.")
        ),
        to=demand_url(response.demand_id, f"response-{response.pk}"),
    )
    if done:
        return done
    demand = selectors.demand_for(request.user, response.demand_id)
    return _render_demand(request, demand, bound={("answer", response.pk): form}, status=400)


@login_required
@require_POST
def meeting_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Either side proposes a meeting with up to five times; the other side picks one."""
    response = selectors.response_for(request.user, pk)
    form = MeetingForm(request.POST, auto_id=f"id_meeting{response.pk}_%s")
    done = form_carried_out(
        request,
        form,
        lambda: response_services.meeting_propose(
            actor=request.user,
            response=response,
            slots=form.cleaned_data["slots"],
            duration_minutes=form.cleaned_data["duration_minutes"],
            location=form.cleaned_data["location"],
        ),
        success=_("Your meeting request is sent; the other side picks a time."),
        to=demand_url(response.demand_id, f"response-{response.pk}"),
        refused=form.add_service_errors,
    )
    if done:
        return done
    demand = selectors.demand_for(request.user, response.demand_id)
    return _render_demand(request, demand, bound={("meeting", response.pk): form}, status=400)


@login_required
@require_POST
def meeting_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    form = MeetingAnswerForm(request.POST, meeting=meeting, auto_id=f"id_slot{meeting.pk}_%s")
    response = meeting.response
    done = form_carried_out(
        request,
        form,
        lambda: response_services.meeting_answer(
            actor=request.user,
            meeting=meeting,
            slot=form.cleaned_data["slot"] or None,
            accept=form.cleaned_data["accept"],
        ),
        success=lambda _answered: (
            _("The meeting is agreed. Add it to your calendar with the .ics file.")
            if form.cleaned_data["accept"]
            else _("You declined the meeting request.")
        ),
        to=demand_url(response.demand_id, f"response-{response.pk}"),
    )
    if done:
        return done
    demand = selectors.demand_for(request.user, response.demand_id)
    return _render_demand(request, demand, bound={("meeting_answer", meeting.pk): form}, status=400)


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """An accepted meeting as an iCalendar file, for the two sides only (404 for anyone else)."""
    meeting = selectors.meeting_for(request.user, pk)
    if meeting.status != MeetingStatus.ACCEPTED or meeting.starts_at is None:
        raise Http404
    http = calendar.meeting_file(request, meeting)
    http["Cache-Control"] = "private, no-store"
    return http


@login_required
@require_POST
def agree(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner sets the terms and agrees; the supplier agrees to them. The second agreement
    creates the collaboration."""
    response = selectors.response_for(request.user, pk)
    owner_side = selectors.is_demand_owner(request.user, response.demand)
    form = TermsForm(request.POST, auto_id=f"id_terms{response.pk}_%s") if owner_side else None
    if form is None or form.is_valid():
        try:
            collaboration = collaboration_services.collaboration_agree(
                actor=request.user,
                response=response,
                terms=form.terms() if form is not None else None,
            )
        except ValidationError as error:
            if form is None:
                error_messages(request, error)
                return redirect(demand_url(response.demand_id, f"response-{response.pk}"))
            add_service_errors(error, form)
        else:
            if collaboration is not None:
                messages.success(request, _("Both sides agreed: the collaboration begins."))
                return redirect(collaboration_url(collaboration.pk))
            messages.success(
                request,
                _("Your terms are sent; the collaboration begins when the SME agrees.")
                if owner_side
                else _("You agreed; the collaboration begins when the anchor enterprise agrees."),
            )
            return redirect(demand_url(response.demand_id, f"response-{response.pk}"))
    demand = selectors.demand_for(request.user, response.demand_id)
    return _render_demand(request, demand, bound={("terms", response.pk): form}, status=400)
