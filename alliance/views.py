"""The Industry Alliance's server-rendered pages.

Public: the member directory, a member's page and the standards list. Alliance members: the
demand board, a demand with its responses, meetings and agreement, the owner's matches, an
SME's "demands for you", collaborations with milestones, documents and deliveries.

Every page parses input, calls one selector or service and renders the result. Demands,
responses, meetings and collaborations are found through the member-scoped selectors, so
what a user may not see answers 404; a service's PermissionDenied (a user who sees a thing
but may not act on it) answers 403.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from alliance import calendar, matching, selectors, services
from alliance.forms import (
    AnswerForm,
    CloseForm,
    CollaborationCloseForm,
    DemandFilterForm,
    DemandForm,
    DocumentForm,
    InterestForm,
    InviteForm,
    JoinForm,
    MeetingAnswerForm,
    MeetingForm,
    MemberFilterForm,
    MilestoneCompleteForm,
    MilestoneForm,
    NotificationForm,
    ParticipationForm,
    PartyForm,
    StandardForm,
    TermsForm,
    add_service_errors,
    slot_label,
    terms_initial,
)
from alliance.models import (
    DEMAND_THRESHOLDS,
    CollaborationModel,
    CollaborationParty,
    CollaborationStatus,
    Demand,
    DemandResponse,
    DemandStatus,
    Meeting,
    MeetingStatus,
    MemberStatus,
    ResponseStatus,
    Standard,
)
from directory import selectors as directory_selectors
from directory.models import CapacityUnit, Enterprise, EnterpriseKind, ListingStatus, Product
from directory.templatetags.directory_tags import spec_value
from ssb_portal.private_files import document_response
from ssb_portal.roles import is_official

PAGE_SIZE = 20
#: Demands shown per SME on its "demands for you" page.
FOR_ME_LIMIT = 50


# --- helpers ----------------------------------------------------------------------------------


def _posted(request: HttpRequest):
    """The POST data when the form was sent (even empty, so that it is validated), else None."""
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    page.elided_range = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return page


def _demand_url(demand_id: int, anchor: str = "") -> str:
    url = reverse("alliance:demand", args=[demand_id])
    return f"{url}#{anchor}" if anchor else url


def _collaboration_url(collaboration_id: int, anchor: str = "") -> str:
    url = reverse("alliance:collaboration", args=[collaboration_id])
    return f"{url}#{anchor}" if anchor else url


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _unit_label(unit: str) -> str:
    return str(dict(CapacityUnit.choices).get(unit, unit))


def _my_enterprise_ids(user) -> set[int]:
    return set(directory_selectors.enterprises_of_member(user).values_list("pk", flat=True))


def _owned_demand(request: HttpRequest, pk: int) -> Demand:
    """A demand for its owner's members; 404 for everybody else."""
    demand = selectors.demand_for(request.user, pk)
    if not selectors.is_demand_owner(request.user, demand):
        raise Http404
    return demand


# --- members ----------------------------------------------------------------------------------


def members(request: HttpRequest) -> HttpResponse:
    """The public member directory, filterable by kind of organisation."""
    form = MemberFilterForm(request.GET)
    queryset = selectors.members_public()
    if form.is_valid() and form.cleaned_data["kind"]:
        queryset = queryset.filter(enterprise__kind=form.cleaned_data["kind"])
    return render(
        request,
        "alliance/members.html",
        {"form": form, "page": _page(request, queryset), "filtered": bool(request.GET.get("kind"))},
    )


def member(request: HttpRequest, uscc: str) -> HttpResponse:
    """A member's public page: its collaborations (no money) and its confirmed standards work."""
    member = selectors.member_public(uscc)
    enterprise = member.enterprise
    collaborations = [party.collaboration for party in enterprise.collaboration_parties.all()]
    prefetch_related_objects(
        collaborations,
        Prefetch("parties", queryset=CollaborationParty.objects.select_related("enterprise")),
    )
    return render(
        request,
        "alliance/member.html",
        {
            "member": member,
            "enterprise": enterprise,
            "collaborations": collaborations,
            "participations": list(enterprise.standard_participations.all()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """A verified organisation's member applies to join; the user's side of each application."""
    enterprises = list(
        directory_selectors.enterprises_of_member(request.user)
        .select_related("alliance_membership")
        .order_by("name_zh", "pk")
    )
    rows = [(e, getattr(e, "alliance_membership", None)) for e in enterprises]
    may_apply = [
        e.pk
        for e, membership in rows
        if e.status == ListingStatus.VERIFIED
        and (membership is None or membership.status == MemberStatus.DECLINED)
    ]
    form = None
    if may_apply:
        form = JoinForm(
            _posted(request),
            enterprises=Enterprise.objects.filter(pk__in=may_apply).order_by("name_zh", "pk"),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.member_apply(
                    actor=request.user,
                    enterprise=form.cleaned_data["enterprise"],
                    motivation=form.cleaned_data["motivation"],
                    notify_new_demands=form.cleaned_data["notify_new_demands"],
                )
            except ValidationError as error:
                add_service_errors(error, form)
            else:
                messages.success(
                    request,
                    _(
                        "Your application is sent. The officials decide it; you get an email "
                        "with their decision."
                    ),
                )
                return redirect("alliance:join")
    elif request.method == "POST":
        messages.error(request, _("None of your organisations can apply now."))
        return redirect("alliance:join")
    return render(
        request,
        "alliance/join.html",
        {"rows": rows, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


# --- the demand board -------------------------------------------------------------------------


@login_required
def demands(request: HttpRequest) -> HttpResponse:
    """The demands the user's alliance organisations may see; a page on joining otherwise."""
    official = is_official(request.user)
    mine = list(selectors.alliance_enterprises_of(request.user))
    if not mine and not official:
        return render(request, "alliance/not_member.html", {})
    form = DemandFilterForm(request.GET)
    queryset = selectors.demands_visible_to(request.user)
    if form.is_valid():
        category = form.cleaned_data["category"]
        if category is not None:
            queryset = queryset.filter(Q(category=category) | Q(category__parent=category))
        if form.cleaned_data["status"]:
            queryset = queryset.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["model"]:
            queryset = queryset.filter(preferred_model=form.cleaned_data["model"])
    return render(
        request,
        "alliance/demands.html",
        {
            "form": form,
            "page": _page(request, queryset),
            "filtered": any(request.GET.get(name) for name in ("category", "status", "model")),
            "mine": {e.pk for e in mine},
            "can_post": any(e.kind == EnterpriseKind.ANCHOR for e in mine),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def demand_new(request: HttpRequest) -> HttpResponse:
    owners = selectors.alliance_enterprises_of(request.user).filter(kind=EnterpriseKind.ANCHOR)
    if not owners.exists():
        return render(request, "alliance/not_member.html", {"anchor_only": True})
    form = DemandForm(_posted(request), owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            demand = services.demand_create(
                actor=request.user, owner=form.cleaned_data["owner"], data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("Your demand is posted. The SMEs that qualify and asked for it get an email."),
            )
            return redirect(_demand_url(demand.pk))
    return render(
        request,
        "alliance/demand_form.html",
        {"form": form, "demand": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def demand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    demand = _owned_demand(request, pk)
    if demand.status != DemandStatus.OPEN:
        messages.error(request, _("Only an open demand can be changed."))
        return redirect(_demand_url(demand.pk))
    form = DemandForm(_posted(request), instance=demand)
    if request.method == "POST" and form.is_valid():
        try:
            services.demand_update(actor=request.user, demand=demand, data=form.service_data())
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("The demand is saved."))
            return redirect(_demand_url(demand.pk))
    return render(
        request,
        "alliance/demand_form.html",
        {"form": form, "demand": demand},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def demand_close(request: HttpRequest, pk: int) -> HttpResponse:
    demand = _owned_demand(request, pk)
    form = CloseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.demand_close(actor=request.user, demand=demand, note=form.cleaned_data["note"])
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("The demand is closed."))
        return redirect(_demand_url(demand.pk))
    return render(request, "alliance/demand_close.html", {"demand": demand, "form": form})


# --- one demand: responses, meetings, agreement -----------------------------------------------


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
    unit = _unit_label(terms.get("volume_unit") or "")
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
        for name in DEMAND_THRESHOLDS
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
    mine = _my_enterprise_ids(user)
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
            "volume_unit_label": _unit_label(demand.volume_unit),
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
    if form.is_valid():
        try:
            services.interest_express(
                actor=request.user,
                demand=demand,
                supplier=form.cleaned_data["supplier"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request, _("Your interest is sent. The anchor enterprise sees your message.")
            )
            return redirect(_demand_url(demand.pk, "responses"))
    return _render_demand(request, demand, bound={("interest",): form}, status=400)


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner invites an SME, from its matches or from those who showed interest."""
    demand = _owned_demand(request, pk)
    form = InviteForm(request.POST)
    back = "matches" if request.POST.get("next") == "matches" else "demand"
    target = (
        reverse("alliance:matches", args=[demand.pk])
        if back == "matches"
        else _demand_url(demand.pk, "responses")
    )
    if not form.is_valid():
        messages.error(request, _("Choose an SME to invite."))
        return redirect(target)
    supplier = form.cleaned_data["supplier"]
    try:
        services.supplier_invite(
            actor=request.user,
            demand=demand,
            supplier=supplier,
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        _error_messages(request, error)
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
        _error_messages(request, error)
    else:
        messages.success(request, success)
    return redirect(_demand_url(response.demand_id, f"response-{response.pk}"))


@login_required
@require_POST
def response_shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    return _response_move(
        request,
        pk,
        lambda response: services.response_shortlist(actor=request.user, response=response),
        _("The SME is on your shortlist."),
    )


@login_required
@require_POST
def response_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _response_move(
        request,
        pk,
        lambda response: services.response_decline(
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
    if form.is_valid():
        accept = form.cleaned_data["accept"]
        try:
            services.response_answer(
                actor=request.user, response=response, accept=accept, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("You accepted the invitation. Agree on a meeting and the terms next.")
                if accept
                else _("You declined the invitation."),
            )
            return redirect(_demand_url(response.demand_id, f"response-{response.pk}"))
    demand = selectors.demand_for(request.user, response.demand_id)
    return _render_demand(request, demand, bound={("answer", response.pk): form}, status=400)


@login_required
@require_POST
def meeting_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Either side proposes a meeting with up to five times; the other side picks one."""
    response = selectors.response_for(request.user, pk)
    form = MeetingForm(request.POST, auto_id=f"id_meeting{response.pk}_%s")
    if form.is_valid():
        try:
            services.meeting_propose(
                actor=request.user,
                response=response,
                slots=form.cleaned_data["slots"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                location=form.cleaned_data["location"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, _("Your meeting request is sent; the other side picks a time.")
            )
            return redirect(_demand_url(response.demand_id, f"response-{response.pk}"))
    demand = selectors.demand_for(request.user, response.demand_id)
    return _render_demand(request, demand, bound={("meeting", response.pk): form}, status=400)


@login_required
@require_POST
def meeting_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    form = MeetingAnswerForm(request.POST, meeting=meeting, auto_id=f"id_slot{meeting.pk}_%s")
    response = meeting.response
    if form.is_valid():
        accept = form.cleaned_data["accept"]
        try:
            services.meeting_answer(
                actor=request.user,
                meeting=meeting,
                slot=form.cleaned_data["slot"] or None,
                accept=accept,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("The meeting is agreed. Add it to your calendar with the .ics file.")
                if accept
                else _("You declined the meeting request."),
            )
            return redirect(_demand_url(response.demand_id, f"response-{response.pk}"))
    demand = selectors.demand_for(request.user, response.demand_id)
    return _render_demand(request, demand, bound={("meeting_answer", meeting.pk): form}, status=400)


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """An accepted meeting as an iCalendar file, for the two sides only (404 for anyone else)."""
    meeting = selectors.meeting_for(request.user, pk)
    if meeting.status != MeetingStatus.ACCEPTED or meeting.starts_at is None:
        raise Http404
    response = meeting.response
    content = calendar.meeting_ics(
        uid=f"alliance-meeting-{meeting.pk}@{request.get_host()}",
        starts_at=meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        summary=_("Meeting: %(title)s") % {"title": response.demand.title},
        location=meeting.location,
        description=_("%(owner)s and %(supplier)s, about the demand “%(title)s”.")
        % {
            "owner": response.demand.owner.name_zh,
            "supplier": response.supplier.name_zh,
            "title": response.demand.title,
        }
        + "\n"
        + request.build_absolute_uri(_demand_url(response.demand_id)),
        stamp=meeting.created_at,
    )
    http = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    http["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
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
            collaboration = services.collaboration_agree(
                actor=request.user,
                response=response,
                terms=form.terms() if form is not None else None,
            )
        except ValidationError as error:
            if form is None:
                _error_messages(request, error)
                return redirect(_demand_url(response.demand_id, f"response-{response.pk}"))
            add_service_errors(error, form)
        else:
            if collaboration is not None:
                messages.success(request, _("Both sides agreed: the collaboration begins."))
                return redirect(_collaboration_url(collaboration.pk))
            messages.success(
                request,
                _("Your terms are sent; the collaboration begins when the SME agrees.")
                if owner_side
                else _("You agreed; the collaboration begins when the anchor enterprise agrees."),
            )
            return redirect(_demand_url(response.demand_id, f"response-{response.pk}"))
    demand = selectors.demand_for(request.user, response.demand_id)
    return _render_demand(request, demand, bound={("terms", response.pk): form}, status=400)


# --- matches ----------------------------------------------------------------------------------


PART_LABELS = {
    "specs": gettext_lazy("Technical margin"),
    "capacity": gettext_lazy("Capacity for the volume"),
    "local": gettext_lazy("Local supplier"),
    "recommended": gettext_lazy("Recommended supplier"),
    "track_record": gettext_lazy("Completed collaborations"),
    "responsiveness": gettext_lazy("Answer speed"),
}


@dataclass
class PartRow:
    key: str
    label: str
    points: float
    max_points: int
    figure: str


@dataclass
class MatchRow:
    match: selectors.Match
    parts: list[PartRow]
    reasons: list[str]
    response: DemandResponse | None


def _product_label(name: str) -> str:
    return str(Product._meta.get_field(name).verbose_name)


def _figure(part: matching.Part) -> str:
    """The figure behind a score part, in words."""
    detail = part.detail
    if part.key == "specs":
        if not detail.get("margins"):
            return _("No threshold given: half the points.")
        return "; ".join(
            _("%(spec)s: beats the threshold by %(margin)s %%")
            % {"spec": _product_label(name), "margin": spec_value(margin)}
            for name, margin in detail["margins"].items()
        )
    if part.key == "capacity":
        if detail.get("ratio") is None:
            return _("Capacity or volume not stated, or in different units: half the points.")
        return _("Annual capacity is %(ratio)s %% of the demanded volume.") % {
            "ratio": spec_value(detail["ratio"])
        }
    if part.key == "local":
        return _("Yes, registered in the city.") if detail.get("local") else _("No.")
    if part.key == "recommended":
        return (
            _("Yes, on the Procurement Recommendation Directory.")
            if detail.get("recommended")
            else _("No.")
        )
    if part.key == "track_record":
        return _("%(count)s completed in the alliance.") % {"count": detail.get("completed", 0)}
    if part.key == "responsiveness":
        if detail.get("median_hours") is None:
            return _("No earlier invitation: half the points.")
        return _("Median answer time: %(hours)s hours.") % {
            "hours": spec_value(detail["median_hours"])
        }
    return ""


def _reasons(demand: Demand, match: selectors.Match) -> list[str]:
    """Why the candidate qualifies: the category, each threshold met, each certificate held."""
    reasons = [_("“%(product)s” is in the demanded category.") % {"product": match.product_name}]
    for name, (product_field, lookup) in DEMAND_THRESHOLDS.items():
        threshold = getattr(demand, name)
        if threshold is None:
            continue
        reasons.append(
            (
                _("%(spec)s: %(value)s, at least %(threshold)s")
                if lookup == "gte"
                else _("%(spec)s: %(value)s, at most %(threshold)s")
            )
            % {
                "spec": _product_label(product_field),
                "value": spec_value(match.product.get(product_field)),
                "threshold": spec_value(threshold),
            }
        )
    for scheme in demand.required_certifications:
        reasons.append(_("Holds a valid %(scheme)s certificate.") % {"scheme": scheme})
    return reasons


@login_required
def matches(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranked candidates for the demand's owner (and officials), each score explained."""
    demand = selectors.demand_for(request.user, pk)
    is_owner = selectors.is_demand_owner(request.user, demand)
    if not (is_owner or is_official(request.user)):
        raise Http404
    responses = {response.supplier_id: response for response in demand.responses.all()}
    rows = [
        MatchRow(
            match=match,
            parts=[
                PartRow(
                    key=part.key,
                    label=str(PART_LABELS.get(part.key, part.key)),
                    points=part.points,
                    max_points=part.max_points,
                    figure=_figure(part),
                )
                for part in match.score.parts
            ],
            reasons=_reasons(demand, match),
            response=responses.get(match.enterprise_id),
        )
        for match in selectors.demand_matches(demand)
    ]
    return render(
        request,
        "alliance/matches.html",
        {
            "demand": demand,
            "rows": rows,
            "is_owner": is_owner,
            "can_invite": is_owner and demand.status == DemandStatus.OPEN,
            "points": {
                "specs": matching.SPEC_POINTS,
                "capacity": matching.CAPACITY_POINTS,
                "local": matching.LOCAL_POINTS,
                "recommended": matching.RECOMMENDED_POINTS,
                "track_record": matching.TRACK_RECORD_POINTS,
                "responsiveness": matching.RESPONSIVENESS_POINTS,
                "per_collaboration": matching.POINTS_PER_COMPLETED_COLLABORATION,
            },
            "limit": selectors.MATCH_LIMIT,
        },
    )


# --- an SME's demands -------------------------------------------------------------------------


@login_required
def for_me(request: HttpRequest) -> HttpResponse:
    """For each of the user's alliance SMEs: the open demands that fit its categories."""
    suppliers = list(
        selectors.alliance_enterprises_of(request.user)
        .filter(kind=EnterpriseKind.SME)
        .select_related("alliance_membership")
    )
    sections = []
    for supplier in suppliers:
        demands_ = list(selectors.demands_for_supplier(supplier)[:FOR_ME_LIMIT])
        answered = dict(
            DemandResponse.objects.filter(supplier=supplier, demand__in=demands_).values_list(
                "demand_id", "status"
            )
        )
        for item in demands_:
            status = answered.get(item.pk)
            item.my_status = ResponseStatus(status).label if status else ""
        sections.append(
            {
                "enterprise": supplier,
                "demands": demands_,
                "form": NotificationForm(
                    initial={"notify_new_demands": supplier.alliance_membership.notify_new_demands},
                    auto_id=f"id_notify{supplier.pk}_%s",
                ),
            }
        )
    return render(request, "alliance/for_me.html", {"sections": sections})


@login_required
@require_POST
def notifications(request: HttpRequest, uscc: str) -> HttpResponse:
    supplier = get_object_or_404(
        selectors.alliance_enterprises_of(request.user).select_related("alliance_membership"),
        uscc=uscc,
    )
    form = NotificationForm(request.POST)
    form.is_valid()
    notify = bool(form.cleaned_data.get("notify_new_demands"))
    services.member_set_notifications(
        actor=request.user, member=supplier.alliance_membership, notify_new_demands=notify
    )
    message = (
        _("%(name)s gets an email when a demand that fits is posted.")
        if notify
        else _("%(name)s no longer gets emails of new demands.")
    )
    messages.success(request, message % {"name": supplier.name_zh})
    return redirect("alliance:for_me")


# --- collaborations ---------------------------------------------------------------------------


@login_required
def collaborations(request: HttpRequest) -> HttpResponse:
    queryset = selectors.collaborations_visible_to(request.user).order_by("-created_at", "-pk")
    return render(
        request,
        "alliance/collaborations.html",
        {"page": _page(request, queryset), "official": is_official(request.user)},
    )


def _party_candidates(party_ids: set[int]):
    return (
        Enterprise.objects.filter(
            alliance_membership__status=MemberStatus.APPROVED,
            kind__in=(EnterpriseKind.UNIVERSITY, EnterpriseKind.RESEARCH_INSTITUTE),
        )
        .exclude(pk__in=party_ids)
        .order_by("name_zh", "pk")
    )


def _render_collaboration(
    request: HttpRequest, pk: int, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    collaboration = selectors.collaboration_for(request.user, pk)
    parties = list(collaboration.parties.all())
    party_ids = {party.enterprise_id for party in parties}
    is_party = bool(party_ids & _my_enterprise_ids(request.user))
    active = is_party and collaboration.status == CollaborationStatus.ACTIVE
    milestones = list(collaboration.milestones.all())
    context = {
        "collaboration": collaboration,
        "parties": parties,
        "milestones": milestones,
        "documents": list(collaboration.documents.all()),
        "is_party": is_party,
        "can_change": active,
        "official": is_official(request.user),
        "deliveries": (
            selectors.supply_delivered(collaboration)
            if collaboration.model == CollaborationModel.LONG_TERM_SUPPLY
            else None
        ),
        "milestone_form": (bound.get("milestone") or MilestoneForm()) if active else None,
        "complete_forms": (
            {
                m.pk: bound.get(f"complete-{m.pk}")
                or MilestoneCompleteForm(auto_id=f"id_complete{m.pk}_%s")
                for m in milestones
                if m.completed_on is None
            }
            if active
            else {}
        ),
        "document_form": (bound.get("document") or DocumentForm()) if is_party else None,
        "party_form": (bound.get("party") or PartyForm(candidates=_party_candidates(party_ids)))
        if active
        else None,
        "volume_unit_label": _unit_label(collaboration.volume_unit),
        "today": timezone.localdate(),
    }
    for milestone in milestones:
        milestone.complete_form = context["complete_forms"].get(milestone.pk)
    return render(request, "alliance/collaboration.html", context, status=status)


@login_required
def collaboration(request: HttpRequest, pk: int) -> HttpResponse:
    """Parties, model, value, dates, milestones, documents and, for supply, deliveries."""
    return _render_collaboration(request, pk)


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = selectors.collaboration_for(request.user, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(
                actor=request.user,
                collaboration=collaboration,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("The milestone is added."))
            return redirect(_collaboration_url(collaboration.pk, "milestones"))
    return _render_collaboration(request, pk, bound={"milestone": form}, status=400)


@login_required
@require_POST
def milestone_complete(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    collaboration = selectors.collaboration_for(request.user, pk)
    milestone = get_object_or_404(collaboration.milestones.all(), pk=milestone_id)
    milestone.collaboration = collaboration
    form = MilestoneCompleteForm(request.POST, auto_id=f"id_complete{milestone.pk}_%s")
    if form.is_valid():
        try:
            services.milestone_complete(
                actor=request.user,
                milestone=milestone,
                completed_on=form.cleaned_data["completed_on"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request, _("“%(title)s” is marked completed.") % {"title": milestone.title}
            )
            return redirect(_collaboration_url(collaboration.pk, "milestones"))
    return _render_collaboration(request, pk, bound={f"complete-{milestone.pk}": form}, status=400)


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = selectors.collaboration_for(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.collaboration_document_add(
                actor=request.user,
                collaboration=collaboration,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("“%(title)s” is attached.") % {"title": document.title})
            return redirect(_collaboration_url(collaboration.pk, "documents"))
    return _render_collaboration(request, pk, bound={"document": form}, status=400)


def collaboration_document(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """Stream a private document to the parties and officials; 404 for anyone else (anonymous
    visitors included: the page does not reveal that the file exists)."""
    collaboration = selectors.collaboration_for(request.user, pk)
    document = get_object_or_404(collaboration.documents.all(), pk=document_id)
    return document_response(document)


@login_required
@require_POST
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = selectors.collaboration_for(request.user, pk)
    party_ids = {party.enterprise_id for party in collaboration.parties.all()}
    form = PartyForm(request.POST, candidates=_party_candidates(party_ids))
    if form.is_valid():
        try:
            party = services.collaboration_add_party(
                actor=request.user,
                collaboration=collaboration,
                enterprise=form.cleaned_data["enterprise"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request, _("%(name)s is now a party.") % {"name": party.enterprise.name_zh}
            )
            return redirect(_collaboration_url(collaboration.pk, "parties"))
    return _render_collaboration(request, pk, bound={"party": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def collaboration_close(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = selectors.collaboration_for(request.user, pk)
    if collaboration.status != CollaborationStatus.ACTIVE:
        messages.error(request, _("This collaboration is already closed."))
        return redirect(_collaboration_url(collaboration.pk))
    form = CollaborationCloseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.collaboration_close(
                actor=request.user,
                collaboration=collaboration,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("The collaboration is closed."))
            return redirect(_collaboration_url(collaboration.pk))
    return render(
        request,
        "alliance/collaboration_close.html",
        {"collaboration": collaboration, "form": form},
        status=400 if form.errors else 200,
    )


# --- standards --------------------------------------------------------------------------------


def standards(request: HttpRequest) -> HttpResponse:
    """Every recorded standard with its confirmed lead and participants."""
    page = _page(request, selectors.standards_public())
    for standard in page.object_list:
        confirmed = standard.confirmed_participations
        standard.leads = [p for p in confirmed if p.role == "lead"]
        standard.participants = [p for p in confirmed if p.role != "lead"]
    return render(request, "alliance/standards.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def standard_new(request: HttpRequest) -> HttpResponse:
    form = StandardForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.standard_register(actor=request.user, data=form.service_data())
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
    enterprises = directory_selectors.enterprises_of_member(request.user).order_by("name_zh", "pk")
    if not enterprises.exists():
        return render(request, "alliance/participation_form.html", {"form": None})
    initial = {}
    standard_id = request.GET.get("standard", "")
    if standard_id.isdigit():
        initial["standard"] = Standard.objects.filter(pk=standard_id).first()
    form = ParticipationForm(_posted(request), enterprises=enterprises, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            participation = services.participation_declare(
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
