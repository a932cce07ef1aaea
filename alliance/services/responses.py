"""One SME's thread with one demand: interest, shortlist, invitation and its answer, and the
meetings the two sides propose and accept.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from alliance import selectors
from alliance.models import (
    Demand,
    DemandResponse,
    DemandStatus,
    Meeting,
    MeetingStatus,
    ResponseStatus,
)
from alliance.services.common import (
    notify_members,
    record_event,
    require_alliance_member,
    require_member_of,
    require_reason,
)
from alliance.services.demands import require_demand_owner
from alliance.services.supplier_history import supplier_history_refresh
from alliance.workflow import (
    INVITEE,
    MEETING_WORKFLOW,
    OWNER,
    RESPONSE_WORKFLOW,
    SUPPLIER,
)
from directory.access import is_member_of
from directory.models import Enterprise, EnterpriseKind, ListingStatus
from ssb_portal.workflow import transition

MAX_MEETING_SLOTS = 5


def _move(response: DemandResponse, *, actor, to_status: str, role: str, note: str = "") -> None:
    def stamp(current: str, target: str) -> None:
        now = timezone.now()
        if target == ResponseStatus.INVITED:
            response.invited_at = now
        if current == ResponseStatus.INVITED and role == SUPPLIER:
            response.answered_at = now

    transition(
        response,
        RESPONSE_WORKFLOW,
        target=to_status,
        roles=role,
        prepare=stamp,
        also_update=["invited_at", "answered_at"],
        record=lambda _current, _target: record_event(
            actor=actor,
            action=f"response_{to_status}",
            subject=response,
            note=note,
            data={"demand": response.demand_id, "supplier": response.supplier_id},
        ),
    )


def interest_express(
    *, actor: AbstractBaseUser, demand: Demand, supplier: Enterprise, message: str
) -> DemandResponse:
    """An SME member tells the anchor it can supply what the demand asks for."""
    require_member_of(actor, supplier.pk)
    message = require_reason(message, field="message")
    if supplier.pk == demand.owner_id:
        raise ValidationError(_("An enterprise cannot answer its own demand."))
    require_alliance_member(supplier)
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        if not selectors.demand_visible_to_enterprise(demand, supplier):
            raise PermissionDenied(_("This demand is not open to your enterprise."))
        if demand.status != DemandStatus.OPEN:
            raise ValidationError(_("This demand is no longer open."))
        try:
            with transaction.atomic():
                response = DemandResponse.objects.create(
                    demand=demand,
                    supplier=supplier,
                    status=ResponseStatus.INTERESTED,
                    message=message,
                )
        except IntegrityError as error:
            raise ValidationError(_("Your enterprise has already answered this demand.")) from error
        record_event(actor=actor, action="interest", subject=response, note=message)
        notify_members(
            demand.owner,
            lambda: _("interest in your demand"),
            lambda: _("%(supplier)s is interested in “%(title)s”.")
            % {"supplier": supplier, "title": demand.title},
            reverse("alliance:demand", args=[demand.pk]),
        )
    return response


def response_shortlist(*, actor: AbstractBaseUser, response: DemandResponse) -> DemandResponse:
    with transaction.atomic():
        response = (
            DemandResponse.objects.select_for_update().select_related("demand").get(pk=response.pk)
        )
        require_demand_owner(actor, response.demand)
        _move(response, actor=actor, to_status=ResponseStatus.SHORTLISTED, role=OWNER)
    return response


def supplier_invite(
    *, actor: AbstractBaseUser, demand: Demand, supplier: Enterprise, message: str = ""
) -> DemandResponse:
    """The anchor invites an SME, from its matches or from those who showed interest."""
    require_demand_owner(actor, demand)
    require_alliance_member(supplier)
    if supplier.kind != EnterpriseKind.SME or supplier.status != ListingStatus.VERIFIED:
        raise ValidationError(_("Only verified SMEs can be invited."))
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        if demand.status != DemandStatus.OPEN:
            raise ValidationError(_("This demand is no longer open."))
        response = (
            DemandResponse.objects.select_for_update()
            .filter(demand=demand, supplier=supplier)
            .first()
        )
        if response is None:
            response = DemandResponse(demand=demand, supplier=supplier, message=message)
            response.status = ResponseStatus.INVITED
            response.invited_at = timezone.now()
            response.save()
            record_event(actor=actor, action="response_invited", subject=response, note=message)
        else:
            _move(response, actor=actor, to_status=ResponseStatus.INVITED, role=OWNER, note=message)
        notify_members(
            supplier,
            lambda: _("an invitation"),
            lambda: _("%(owner)s invites you to supply “%(title)s”.")
            % {"owner": demand.owner, "title": demand.title},
            reverse("alliance:demand", args=[demand.pk]),
        )
    return response


def response_answer(
    *, actor: AbstractBaseUser, response: DemandResponse, accept: bool, note: str = ""
) -> DemandResponse:
    """The SME accepts or declines an invitation; how fast it answers counts in later matches."""
    with transaction.atomic():
        response = (
            DemandResponse.objects.select_for_update().select_related("demand").get(pk=response.pk)
        )
        require_member_of(actor, response.supplier_id)
        target = ResponseStatus.ACCEPTED if accept else ResponseStatus.DECLINED
        _move(response, actor=actor, to_status=target, role=SUPPLIER, note=note)
        supplier_history_refresh(suppliers=[response.supplier_id])
        notify_members(
            response.demand.owner,
            lambda: _("invitation accepted") if accept else _("invitation declined"),
            lambda: _("%(supplier)s answered your invitation for “%(title)s”.")
            % {"supplier": response.supplier, "title": response.demand.title},
            reverse("alliance:demand", args=[response.demand_id]),
        )
    return response


def response_decline(
    *, actor: AbstractBaseUser, response: DemandResponse, note: str = ""
) -> DemandResponse:
    """The anchor turns down an interested or shortlisted SME."""
    with transaction.atomic():
        response = (
            DemandResponse.objects.select_for_update().select_related("demand").get(pk=response.pk)
        )
        require_demand_owner(actor, response.demand)
        _move(response, actor=actor, to_status=ResponseStatus.DECLINED, role=OWNER, note=note)
    return response


def side_of(actor: AbstractBaseUser, response: DemandResponse) -> Enterprise:
    """The enterprise the actor speaks for in this exchange: the demand's owner or the
    supplier; anyone else is refused (PermissionDenied)."""
    if is_member_of(actor, response.demand.owner_id):
        return response.demand.owner
    if is_member_of(actor, response.supplier_id):
        return response.supplier
    raise PermissionDenied(_("Only the two sides of this exchange may do this."))


# --- meetings ---------------------------------------------------------------------------------


def _parse_slots(slots: Sequence[Any]) -> list[datetime.datetime]:
    if not slots or len(slots) > MAX_MEETING_SLOTS:
        raise ValidationError(
            {"slots": _("Propose from 1 to %(n)s time slots.") % {"n": MAX_MEETING_SLOTS}}
        )
    parsed = []
    now = timezone.now()
    for raw in slots:
        moment = raw if isinstance(raw, datetime.datetime) else parse_datetime(str(raw))
        if moment is None:
            raise ValidationError(
                {"slots": _("“%(slot)s” is not a date and time.") % {"slot": raw}}
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        if moment <= now:
            raise ValidationError({"slots": _("Propose times in the future.")})
        parsed.append(moment)
    return sorted(set(parsed))


def meeting_propose(
    *,
    actor: AbstractBaseUser,
    response: DemandResponse,
    slots: Sequence[Any],
    duration_minutes: int = 60,
    location: str = "",
) -> Meeting:
    """Either side proposes a meeting with time slots; the other picks one."""
    response = DemandResponse.objects.select_related("demand__owner", "supplier").get(
        pk=response.pk
    )
    side = side_of(actor, response)
    if response.status == ResponseStatus.DECLINED:
        raise ValidationError(_("This exchange was declined."))
    moments = _parse_slots(slots)
    meeting = Meeting(
        response=response,
        proposed_by=side,
        slots=[moment.isoformat() for moment in moments],
        duration_minutes=duration_minutes,
        location=location,
    )
    meeting.full_clean(exclude=["response", "proposed_by"])
    with transaction.atomic():
        meeting.save()
        record_event(
            actor=actor, action="meeting_proposed", subject=meeting, data={"slots": meeting.slots}
        )
        other = response.supplier if side.pk == response.demand.owner_id else response.demand.owner
        notify_members(
            other,
            lambda: _("a meeting request"),
            lambda: _("%(side)s proposes a meeting about “%(title)s”.")
            % {"side": side, "title": response.demand.title},
            reverse("alliance:demand", args=[response.demand_id]),
        )
    return meeting


def meeting_answer(
    *, actor: AbstractBaseUser, meeting: Meeting, slot: str | None, accept: bool = True
) -> Meeting:
    """The other side accepts one of the proposed slots, or declines."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update()
            .select_related("response__demand__owner", "response__supplier")
            .get(pk=meeting.pk)
        )
        side = side_of(actor, meeting.response)
        if side.pk == meeting.proposed_by_id:
            raise PermissionDenied(_("The other side answers a meeting request."))

        def choose_slot(_current: str, _target: str) -> None:
            if not accept:
                return
            chosen = parse_datetime(str(slot)) if slot else None
            # Instants, not text: the same moment may be written with another offset.
            proposed = {parse_datetime(text): text for text in meeting.slots}
            if chosen is None or timezone.is_naive(chosen) or chosen not in proposed:
                raise ValidationError({"slot": _("Choose one of the proposed times.")})
            meeting.starts_at = chosen

        transition(
            meeting,
            MEETING_WORKFLOW,
            target=MeetingStatus.ACCEPTED if accept else MeetingStatus.DECLINED,
            roles=INVITEE,
            prepare=choose_slot,
            also_update=["starts_at"],
            record=lambda _current, target: record_event(
                actor=actor, action=f"meeting_{target}", subject=meeting
            ),
        )
        notify_members(
            meeting.proposed_by,
            lambda: _("meeting accepted") if accept else _("meeting declined"),
            lambda: _("The meeting about “%(title)s” was answered.")
            % {"title": meeting.response.demand.title},
            reverse("alliance:demand", args=[meeting.response.demand_id]),
        )
    return meeting
