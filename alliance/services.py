"""Every change of state in the Industry Alliance: one function per user action.

Each runs in one transaction, checks who may act, records an AllianceEvent (who, what,
why) and sends email only after commit.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from alliance import matching, selectors
from alliance.models import (
    AllianceEvent,
    AllianceMember,
    Collaboration,
    CollaborationDocument,
    CollaborationMilestone,
    CollaborationParty,
    CollaborationStatus,
    Demand,
    DemandResponse,
    DemandStatus,
    DemandVisibility,
    DemonstrationProject,
    FieldReport,
    Meeting,
    MeetingStatus,
    MemberStatus,
    ParticipationStatus,
    PartyRole,
    ResponseStatus,
    Standard,
    StandardParticipation,
)
from alliance.workflow import (
    APPLICANT,
    DEMAND_TRANSITIONS,
    MEMBER_TRANSITIONS,
    OFFICIAL,
    OWNER,
    RESPONSE_TRANSITIONS,
    SUPPLIER,
    allowed_role,
)
from directory.models import (
    CertificationScheme,
    Enterprise,
    EnterpriseKind,
    ListingStatus,
    Membership,
)
from directory.selectors import is_member_of, member_emails
from ssb_portal.mail import (
    Compose,
    absolute_url,
    official_emails,
    send_mail_on_commit,
    with_reason,
)
from ssb_portal.private_files import document_fill
from ssb_portal.records import record_action
from ssb_portal.roles import is_official
from subsidies.rules import standard_key

#: Fields of a demand its owner sets.
DEMAND_FIELDS = (
    "title",
    "description",
    "category",
    "ionic_conductivity_min",
    "asr_max",
    "specific_capacity_min",
    "decay_rate_max",
    "coulombic_efficiency_min",
    "weight_reduction_min",
    "required_certifications",
    "annual_volume",
    "volume_unit",
    "needed_by",
    "preferred_model",
    "visibility",
)
#: Terms the anchor proposes for the collaboration; the supplier agrees to them as they are.
TERM_FIELDS = (
    "agreed_value_cny",
    "starts_on",
    "ends_on",
    "committed_annual_volume",
    "volume_unit",
)
MAX_MEETING_SLOTS = 5


# --- helpers ----------------------------------------------------------------------------------


def _record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    subject: models.Model,
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> AllianceEvent:
    return record_action(
        AllianceEvent, actor=actor, action=action, subject=subject, note=note, data=data
    )


def _is_member_of(user: AbstractBaseUser, enterprise_id: int) -> bool:
    return is_member_of(user, enterprise_id)


def _require_member_of(user: AbstractBaseUser, enterprise_id: int) -> None:
    if not _is_member_of(user, enterprise_id):
        raise PermissionDenied(_("Only members of this organisation may do this."))


def _require_official(user: AbstractBaseUser) -> None:
    if not is_official(user):
        raise PermissionDenied(_("Only officials may do this."))


def _require_alliance_member(enterprise: Enterprise) -> None:
    if not AllianceMember.objects.filter(
        enterprise=enterprise, status=MemberStatus.APPROVED
    ).exists():
        raise ValidationError(
            _("%(name)s is not a member of the alliance yet.") % {"name": enterprise}
        )


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give the reason.")})
    return reason


def _check(table: dict, current: str, target: str, role: str, labels) -> None:
    required = allowed_role(table, current, target)
    if required is None:
        raise ValidationError(
            _("“%(current)s” cannot become “%(target)s”.")
            % {"current": labels(current).label, "target": labels(target).label}
        )
    if required != role:
        raise PermissionDenied(_("You may not make this change."))


# --- membership -------------------------------------------------------------------------------


@transaction.atomic
def member_apply(
    *,
    actor: AbstractBaseUser,
    enterprise: Enterprise,
    motivation: str = "",
    notify_new_demands: bool = True,
) -> AllianceMember:
    """A verified enterprise, university or institute applies (or applies again) to join."""
    _require_member_of(actor, enterprise.pk)
    if enterprise.status != ListingStatus.VERIFIED:
        raise ValidationError(
            _("Only organisations verified in the directory may join the alliance.")
        )
    member = AllianceMember.objects.select_for_update().filter(enterprise=enterprise).first()
    if member is None:
        member = AllianceMember.objects.create(
            enterprise=enterprise,
            motivation=motivation,
            notify_new_demands=notify_new_demands,
            applied_by=actor,
        )
    else:
        _check(MEMBER_TRANSITIONS, member.status, MemberStatus.APPLIED, APPLICANT, MemberStatus)
        member.status = MemberStatus.APPLIED
        member.motivation = motivation
        member.notify_new_demands = notify_new_demands
        member.applied_by = actor
        member.applied_at = timezone.now()
        member.save(
            update_fields=["status", "motivation", "notify_new_demands", "applied_by", "applied_at"]
        )
    _record(actor=actor, action="applied", subject=member, note=motivation)
    send_mail_on_commit(
        lambda: _("SSB Portal: an alliance application to decide"),
        lambda: _("%(name)s applies to join the Industry Alliance.") % {"name": enterprise}
        + "\n\n"
        + absolute_url(reverse("admin:alliance_alliancemember_change", args=[member.pk])),
        official_emails(),
    )
    return member


def _decide_member(
    *, actor: AbstractBaseUser, member: AllianceMember, status: str, reason: str
) -> AllianceMember:
    _require_official(actor)
    with transaction.atomic():
        member = AllianceMember.objects.select_for_update().get(pk=member.pk)
        _check(MEMBER_TRANSITIONS, member.status, status, OFFICIAL, MemberStatus)
        member.status = status
        member.decided_by = actor
        member.decided_at = timezone.now()
        member.decision_reason = reason
        member.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        _record(actor=actor, action=status, subject=member, note=reason)
        approved = status == MemberStatus.APPROVED

        def outcome() -> str:
            return _("approved") if approved else _("declined")

        def body() -> str:
            text = _("Your application to join the Industry Alliance was %(outcome)s.") % {
                "outcome": outcome()
            }
            return with_reason(text, reason)

        send_mail_on_commit(
            lambda: _("SSB Portal: alliance membership %(outcome)s") % {"outcome": outcome()},
            body,
            member_emails(member.enterprise),
        )
    return member


def member_approve(
    *, actor: AbstractBaseUser, member: AllianceMember, reason: str = ""
) -> AllianceMember:
    return _decide_member(actor=actor, member=member, status=MemberStatus.APPROVED, reason=reason)


def member_decline(
    *, actor: AbstractBaseUser, member: AllianceMember, reason: str
) -> AllianceMember:
    reason = _require_reason(reason)
    return _decide_member(actor=actor, member=member, status=MemberStatus.DECLINED, reason=reason)


@transaction.atomic
def member_set_notifications(
    *, actor: AbstractBaseUser, member: AllianceMember, notify_new_demands: bool
) -> AllianceMember:
    _require_member_of(actor, member.enterprise_id)
    member.notify_new_demands = notify_new_demands
    member.save(update_fields=["notify_new_demands"])
    return member


# --- demands ----------------------------------------------------------------------------------


def _clean_demand(demand: Demand) -> None:
    schemes = demand.required_certifications or []
    if not isinstance(schemes, list) or any(s not in CertificationScheme.values for s in schemes):
        raise ValidationError(
            {"required_certifications": _("Choose certification schemes from the list.")}
        )
    demand.required_certifications = sorted(set(schemes))
    if demand.annual_volume is not None and not demand.volume_unit:
        raise ValidationError({"volume_unit": _("Give the unit of the annual volume.")})
    demand.full_clean(exclude=["owner", "created_by"])


def _apply(demand: Demand, data: Mapping[str, Any]) -> list[str]:
    unknown = sorted(set(data) - set(DEMAND_FIELDS))
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    for name, value in data.items():
        setattr(demand, name, value)
    return list(data)


def demand_create(*, actor: AbstractBaseUser, owner: Enterprise, data: Mapping[str, Any]) -> Demand:
    """An anchor member posts a demand; SMEs that qualify and opted in hear of it."""
    _require_member_of(actor, owner.pk)
    if owner.kind != EnterpriseKind.ANCHOR:
        raise PermissionDenied(_("Only anchor enterprises post demands."))
    _require_alliance_member(owner)
    demand = Demand(owner=owner, created_by=actor)
    _apply(demand, data)
    _clean_demand(demand)
    with transaction.atomic():
        demand.save()
        _record(actor=actor, action="demand_posted", subject=demand)
        if demand.visibility == DemandVisibility.MEMBERS:
            _announce(demand)
    return demand


def _announce(demand: Demand) -> None:
    """Email the qualifying SMEs that asked to hear of new demands, each its own message."""
    send_mail_on_commit(
        lambda: _("SSB Portal: a new demand fits you: %(title)s") % {"title": demand.title},
        lambda: _("%(owner)s is looking for suppliers.") % {"owner": demand.owner}
        + "\n\n"
        + absolute_url(reverse("alliance:demand", args=[demand.pk])),
        selectors.demand_subscriber_emails(demand),
        one_message_each=True,
    )


def _require_owner(actor: AbstractBaseUser, demand: Demand) -> None:
    _require_member_of(actor, demand.owner_id)


def demand_update(*, actor: AbstractBaseUser, demand: Demand, data: Mapping[str, Any]) -> Demand:
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        _require_owner(actor, demand)
        if demand.status != DemandStatus.OPEN:
            raise ValidationError(_("Only an open demand can be changed."))
        fields = _apply(demand, data)
        _clean_demand(demand)
        demand.save(update_fields=[*fields, "updated_at"])
        _record(actor=actor, action="demand_changed", subject=demand, data={"fields": fields})
    return demand


def demand_close(*, actor: AbstractBaseUser, demand: Demand, note: str = "") -> Demand:
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        _require_owner(actor, demand)
        _check(DEMAND_TRANSITIONS, demand.status, DemandStatus.CLOSED, OWNER, DemandStatus)
        demand.status = DemandStatus.CLOSED
        demand.save(update_fields=["status", "updated_at"])
        _record(actor=actor, action="demand_closed", subject=demand, note=note)
    return demand


# --- responses --------------------------------------------------------------------------------


def _move(response: DemandResponse, *, actor, to_status: str, role: str, note: str = "") -> None:
    _check(RESPONSE_TRANSITIONS, response.status, to_status, role, ResponseStatus)
    now = timezone.now()
    if to_status == ResponseStatus.INVITED:
        response.invited_at = now
    if response.status == ResponseStatus.INVITED and role == SUPPLIER:
        response.answered_at = now
    response.status = to_status
    response.save()
    _record(
        actor=actor,
        action=f"response_{to_status}",
        subject=response,
        note=note,
        data={"demand": response.demand_id, "supplier": response.supplier_id},
    )


def supplier_history_refresh(*, suppliers: Iterable[int] | QuerySet) -> int:
    """Recount, from the records themselves, what matching ranks these suppliers on: the
    collaborations they completed as supplier and their median hours to answer an invitation
    (AllianceMember.completed_collaborations and median_answer_hours). Called inside the
    transaction of every service that changes either; `suppliers` are enterprise ids, or a
    queryset of them (a subquery, however many). Returns the members whose figures changed."""
    if not isinstance(suppliers, QuerySet):
        suppliers = list(suppliers)
    with transaction.atomic():
        # Locked first: two answers at once are then counted one after the other, the second
        # reading the first once it is committed, and neither figure is lost.
        members = list(
            AllianceMember.objects.select_for_update()
            .filter(enterprise_id__in=suppliers)
            .only("pk", "enterprise_id", "completed_collaborations", "median_answer_hours")
        )
        completed = dict(
            CollaborationParty.objects.filter(
                enterprise_id__in=suppliers,
                role=PartyRole.SUPPLIER,
                collaboration__status=CollaborationStatus.COMPLETED,
            )
            .values("enterprise_id")
            .annotate(n=Count("pk"))
            .values_list("enterprise_id", "n")
        )
        hours: dict[int, list[float]] = {}
        for supplier_id, invited_at, answered_at in DemandResponse.objects.filter(
            supplier_id__in=suppliers, invited_at__isnull=False, answered_at__isnull=False
        ).values_list("supplier_id", "invited_at", "answered_at"):
            hours.setdefault(supplier_id, []).append(matching.answer_hours(invited_at, answered_at))
        changed = []
        for member in members:
            figures = (
                completed.get(member.enterprise_id, 0),
                matching.median_hours(hours.get(member.enterprise_id, [])),
            )
            if figures != (member.completed_collaborations, member.median_answer_hours):
                member.completed_collaborations, member.median_answer_hours = figures
                changed.append(member)
        AllianceMember.objects.bulk_update(
            changed, ["completed_collaborations", "median_answer_hours"], batch_size=500
        )
    return len(changed)


def _notify(enterprise: Enterprise, subject: Compose, body: Compose, path: str) -> None:
    send_mail_on_commit(
        lambda: _("SSB Portal: %(subject)s") % {"subject": subject()},
        lambda: body() + "\n\n" + absolute_url(path),
        member_emails(enterprise),
    )


def interest_express(
    *, actor: AbstractBaseUser, demand: Demand, supplier: Enterprise, message: str
) -> DemandResponse:
    """An SME member tells the anchor it can supply what the demand asks for."""
    _require_member_of(actor, supplier.pk)
    message = _require_reason(message, field="message")
    if supplier.pk == demand.owner_id:
        raise ValidationError(_("An enterprise cannot answer its own demand."))
    _require_alliance_member(supplier)
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
        _record(actor=actor, action="interest", subject=response, note=message)
        _notify(
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
        _require_owner(actor, response.demand)
        _move(response, actor=actor, to_status=ResponseStatus.SHORTLISTED, role=OWNER)
    return response


def supplier_invite(
    *, actor: AbstractBaseUser, demand: Demand, supplier: Enterprise, message: str = ""
) -> DemandResponse:
    """The anchor invites an SME, from its matches or from those who showed interest."""
    _require_owner(actor, demand)
    _require_alliance_member(supplier)
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
            _record(actor=actor, action="response_invited", subject=response, note=message)
        else:
            _move(response, actor=actor, to_status=ResponseStatus.INVITED, role=OWNER, note=message)
        _notify(
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
        _require_member_of(actor, response.supplier_id)
        target = ResponseStatus.ACCEPTED if accept else ResponseStatus.DECLINED
        _move(response, actor=actor, to_status=target, role=SUPPLIER, note=note)
        supplier_history_refresh(suppliers=[response.supplier_id])
        _notify(
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
        _require_owner(actor, response.demand)
        _move(response, actor=actor, to_status=ResponseStatus.DECLINED, role=OWNER, note=note)
    return response


def _side_of(actor: AbstractBaseUser, response: DemandResponse) -> Enterprise:
    if _is_member_of(actor, response.demand.owner_id):
        return response.demand.owner
    if _is_member_of(actor, response.supplier_id):
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
    side = _side_of(actor, response)
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
        _record(
            actor=actor, action="meeting_proposed", subject=meeting, data={"slots": meeting.slots}
        )
        other = response.supplier if side.pk == response.demand.owner_id else response.demand.owner
        _notify(
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
        side = _side_of(actor, meeting.response)
        if side.pk == meeting.proposed_by_id:
            raise PermissionDenied(_("The other side answers a meeting request."))
        if meeting.status != MeetingStatus.PROPOSED:
            raise ValidationError(_("This meeting request has been answered already."))
        if accept:
            chosen = parse_datetime(str(slot)) if slot else None
            # Instants, not text: the same moment may be written with another offset.
            proposed = {parse_datetime(text): text for text in meeting.slots}
            if chosen is None or timezone.is_naive(chosen) or chosen not in proposed:
                raise ValidationError({"slot": _("Choose one of the proposed times.")})
            meeting.starts_at = chosen
            meeting.status = MeetingStatus.ACCEPTED
        else:
            meeting.status = MeetingStatus.DECLINED
        meeting.save(update_fields=["starts_at", "status"])
        _record(actor=actor, action=f"meeting_{meeting.status}", subject=meeting)
        _notify(
            meeting.proposed_by,
            lambda: _("meeting accepted") if accept else _("meeting declined"),
            lambda: _("The meeting about “%(title)s” was answered.")
            % {"title": meeting.response.demand.title},
            reverse("alliance:demand", args=[meeting.response.demand_id]),
        )
    return meeting


# --- agreement and collaborations -------------------------------------------------------------


def _clean_terms(terms: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(terms) - set(TERM_FIELDS))
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    probe = Collaboration(title="-", model="supply", starts_on=terms.get("starts_on"))
    for name, value in terms.items():
        setattr(probe, name, value)
    probe.full_clean(exclude=["title", "demand", "model", "status"])
    return {
        name: str(getattr(probe, name)) if getattr(probe, name) is not None else None
        for name in TERM_FIELDS
    }


def collaboration_agree(
    *, actor: AbstractBaseUser, response: DemandResponse, terms: Mapping[str, Any] | None = None
) -> Collaboration | None:
    """One side agrees to collaborate on the anchor's terms; the second agreement creates it.

    The anchor sets the terms (value, dates, committed volume) as it agrees; changing them
    withdraws the supplier's earlier agreement. Returns the collaboration once both agreed.
    """
    with transaction.atomic():
        response = (
            DemandResponse.objects.select_for_update()
            .select_related("demand__owner", "supplier")
            .get(pk=response.pk)
        )
        side = _side_of(actor, response)
        if response.status != ResponseStatus.ACCEPTED:
            raise ValidationError(_("Agree to collaborate once the invitation is accepted."))
        demand = Demand.objects.select_for_update().get(pk=response.demand_id)
        if demand.status != DemandStatus.OPEN:
            raise ValidationError(_("This demand is no longer open."))
        now = timezone.now()
        if side.pk == demand.owner_id:
            if terms is None:
                raise ValidationError({"starts_on": _("Set the terms: at least the start date.")})
            cleaned = _clean_terms(terms)
            if cleaned != response.owner_terms:
                response.supplier_agreed_at = None
            response.owner_terms = cleaned
            response.owner_agreed_at = now
        else:
            if response.owner_agreed_at is None:
                raise ValidationError(_("The anchor enterprise sets the terms first."))
            response.supplier_agreed_at = now
        response.save()
        _record(
            actor=actor, action="agreed", subject=response, data={"terms": response.owner_terms}
        )
        if response.owner_agreed_at and response.supplier_agreed_at:
            return _collaboration_from(response, demand, actor)
    return None


def _collaboration_from(response: DemandResponse, demand: Demand, actor) -> Collaboration:
    terms = response.owner_terms
    collaboration = Collaboration(
        title=demand.title,
        demand=demand,
        model=demand.preferred_model,
        agreed_value_cny=Decimal(terms["agreed_value_cny"])
        if terms.get("agreed_value_cny")
        else None,
        starts_on=datetime.date.fromisoformat(terms["starts_on"]),
        ends_on=datetime.date.fromisoformat(terms["ends_on"]) if terms.get("ends_on") else None,
        committed_annual_volume=(
            Decimal(terms["committed_annual_volume"])
            if terms.get("committed_annual_volume")
            else None
        ),
        volume_unit=terms.get("volume_unit") or "",
    )
    collaboration.full_clean(exclude=["demand"])
    collaboration.save()
    CollaborationParty.objects.bulk_create(
        [
            CollaborationParty(
                collaboration=collaboration, enterprise=demand.owner, role=PartyRole.ANCHOR
            ),
            CollaborationParty(
                collaboration=collaboration, enterprise=response.supplier, role=PartyRole.SUPPLIER
            ),
        ]
    )
    demand.status = DemandStatus.MATCHED
    demand.save(update_fields=["status", "updated_at"])
    _record(
        actor=actor,
        action="collaboration_created",
        subject=collaboration,
        data={"demand": demand.pk},
    )
    for party in (demand.owner, response.supplier):
        _notify(
            party,
            lambda: _("a collaboration begins"),
            lambda: _("Both sides agreed: the collaboration “%(title)s” is active.")
            % {"title": collaboration.title},
            reverse("alliance:collaboration", args=[collaboration.pk]),
        )
    return collaboration


def _require_party(actor: AbstractBaseUser, collaboration: Collaboration) -> None:
    parties = collaboration.parties.values_list("enterprise_id", flat=True)
    if not Membership.objects.filter(user=actor, enterprise_id__in=parties).exists():
        raise PermissionDenied(_("Only the parties may change this collaboration."))


def collaboration_add_party(
    *, actor: AbstractBaseUser, collaboration: Collaboration, enterprise: Enterprise
) -> CollaborationParty:
    """A party brings in a university or research institute (or another SME)."""
    _require_party(actor, collaboration)
    _require_alliance_member(enterprise)
    role = (
        PartyRole.UNIVERSITY
        if enterprise.kind in (EnterpriseKind.UNIVERSITY, EnterpriseKind.RESEARCH_INSTITUTE)
        else PartyRole.SUPPLIER
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                party = CollaborationParty.objects.create(
                    collaboration=collaboration, enterprise=enterprise, role=role
                )
        except IntegrityError as error:
            raise ValidationError({"enterprise": _("Already a party.")}) from error
        _record(
            actor=actor,
            action="party_added",
            subject=collaboration,
            data={"enterprise": enterprise.pk},
        )
        supplier_history_refresh(suppliers=[enterprise.pk])
    return party


def milestone_add(
    *, actor: AbstractBaseUser, collaboration: Collaboration, title: str, due_on: datetime.date
) -> CollaborationMilestone:
    _require_party(actor, collaboration)
    milestone = CollaborationMilestone(collaboration=collaboration, title=title, due_on=due_on)
    milestone.full_clean(exclude=["collaboration"])
    with transaction.atomic():
        milestone.save()
        _record(actor=actor, action="milestone_added", subject=collaboration, note=title)
    return milestone


def milestone_complete(
    *, actor: AbstractBaseUser, milestone: CollaborationMilestone, completed_on: datetime.date
) -> CollaborationMilestone:
    _require_party(actor, milestone.collaboration)
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("A milestone cannot be completed in the future.")})
    with transaction.atomic():
        milestone.completed_on = completed_on
        milestone.save(update_fields=["completed_on"])
        _record(
            actor=actor,
            action="milestone_completed",
            subject=milestone.collaboration,
            note=milestone.title,
        )
    return milestone


def collaboration_close(
    *, actor: AbstractBaseUser, collaboration: Collaboration, status: str, note: str = ""
) -> Collaboration:
    """Mark a collaboration completed or terminated (with a reason)."""
    _require_party(actor, collaboration)
    if status not in (CollaborationStatus.COMPLETED, CollaborationStatus.TERMINATED):
        raise ValidationError({"status": _("Choose completed or terminated.")})
    if status == CollaborationStatus.TERMINATED:
        note = _require_reason(note, field="note")
    with transaction.atomic():
        collaboration = Collaboration.objects.select_for_update().get(pk=collaboration.pk)
        if collaboration.status != CollaborationStatus.ACTIVE:
            raise ValidationError(_("This collaboration is already closed."))
        collaboration.status = status
        collaboration.closed_at = timezone.now()
        collaboration.save(update_fields=["status", "closed_at"])
        _record(actor=actor, action=f"collaboration_{status}", subject=collaboration, note=note)
        supplier_history_refresh(
            suppliers=collaboration.parties.filter(role=PartyRole.SUPPLIER).values("enterprise_id")
        )
    return collaboration


def collaboration_document_add(
    *, actor: AbstractBaseUser, collaboration: Collaboration, title: str, upload: UploadedFile
) -> CollaborationDocument:
    """Attach a PDF, JPEG or PNG (checked by content, stored outside the web root)."""
    _require_party(actor, collaboration)
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the document a title.")})
    document = CollaborationDocument(collaboration=collaboration, title=title.strip())
    with transaction.atomic():
        document_fill(document, upload=upload, actor=actor)
        try:
            document.save()
            _record(
                actor=actor, action="document_added", subject=collaboration, note=document.title
            )
        except BaseException:
            document.file.storage.delete(document.file.name)
            raise
    return document


# --- standards --------------------------------------------------------------------------------


def standard_register(*, actor: AbstractBaseUser, data: Mapping[str, Any]) -> Standard:
    """Record a standard (body, number, title, international or not, stage); once per key."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to record a standard."))
    standard = Standard(**{k: data.get(k) for k in ("body", "number", "title", "stage")})
    standard.is_international = bool(data.get("is_international"))
    standard.key = standard_key(standard.body or "", standard.number or "")
    if Standard.objects.filter(key=standard.key).exists():
        raise ValidationError({"number": _("This standard is recorded already.")})
    standard.full_clean()
    with transaction.atomic():
        standard.save()
        _record(actor=actor, action="standard_recorded", subject=standard)
    return standard


def participation_declare(
    *,
    actor: AbstractBaseUser,
    standard: Standard,
    enterprise: Enterprise,
    role: str,
    joined_on: datetime.date,
    evidence: str,
    left_on: datetime.date | None = None,
) -> StandardParticipation:
    """An organisation declares its role in a standard's work; an official confirms it."""
    _require_member_of(actor, enterprise.pk)
    participation = StandardParticipation(
        standard=standard,
        enterprise=enterprise,
        role=role,
        joined_on=joined_on,
        left_on=left_on,
        evidence=(evidence or "").strip(),
        declared_by=actor,
    )
    if left_on is not None and left_on < joined_on:
        raise ValidationError({"left_on": _("The end of the participation is before its start.")})
    participation.full_clean(exclude=["standard", "enterprise"], validate_constraints=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                participation.save()
        except IntegrityError as error:
            raise ValidationError(
                {
                    "role": _(
                        "Your organisation already takes part in this standard, or another "
                        "organisation leads it."
                    )
                }
            ) from error
        _record(actor=actor, action="participation_declared", subject=participation)
        send_mail_on_commit(
            lambda: _("SSB Portal: a standards participation to confirm"),
            lambda: str(participation)
            + "\n\n"
            + absolute_url(
                reverse("admin:alliance_standardparticipation_change", args=[participation.pk])
            ),
            official_emails(),
        )
    return participation


def participation_decide(
    *,
    actor: AbstractBaseUser,
    participation: StandardParticipation,
    confirm: bool,
    reason: str = "",
) -> StandardParticipation:
    _require_official(actor)
    if not confirm:
        reason = _require_reason(reason)
    with transaction.atomic():
        participation = StandardParticipation.objects.select_for_update().get(pk=participation.pk)
        if participation.status != ParticipationStatus.PENDING:
            raise ValidationError(_("This participation has been decided already."))
        participation.status = (
            ParticipationStatus.CONFIRMED if confirm else ParticipationStatus.REJECTED
        )
        participation.confirmed_by = actor
        participation.confirmed_at = timezone.now()
        participation.decision_reason = reason
        participation.save(
            update_fields=["status", "confirmed_by", "confirmed_at", "decision_reason"]
        )
        _record(
            actor=actor,
            action=f"participation_{participation.status}",
            subject=participation,
            note=reason,
        )

        def outcome() -> str:
            return _("confirmed") if confirm else _("not confirmed")

        def body() -> str:
            text = _("Your participation in %(standard)s was %(outcome)s.") % {
                "standard": participation.standard,
                "outcome": outcome(),
            }
            return with_reason(text, reason)

        send_mail_on_commit(
            lambda: _("SSB Portal: standards participation %(outcome)s") % {"outcome": outcome()},
            body,
            member_emails(participation.enterprise),
        )
    return participation


# --- demonstration projects (issue 6) ---------------------------------------------------------

#: Fields of a demonstration project its operator sets.
DEMONSTRATION_FIELDS = (
    "scenario",
    "name",
    "site",
    "system_size_kwh",
    "start_date",
    "status",
    "description",
)

#: Fields of a field report its operator files.
FIELD_REPORT_FIELDS = (
    "reported_on",
    "cycles_done",
    "capacity_retention_percent",
    "round_trip_efficiency_percent",
    "specific_energy_wh_per_kg",
    "volumetric_energy_wh_per_l",
    "peak_discharge_c_rate",
    "lowest_temperature_c",
    "highest_temperature_c",
    "incident_count",
    "incidents",
)


def demonstration_create(
    *,
    actor: AbstractBaseUser,
    operator: Enterprise,
    data: Mapping[str, Any],
    suppliers: Sequence[Enterprise] = (),
) -> DemonstrationProject:
    """A member of the operating organisation records a demonstration project (public)."""
    _require_member_of(actor, operator.pk)
    project = DemonstrationProject(
        operator=operator,
        created_by=actor,
        **{name: data[name] for name in DEMONSTRATION_FIELDS if name in data},
    )
    project.name = (project.name or "").strip()
    project.site = (project.site or "").strip()
    if project.system_size_kwh is not None and project.system_size_kwh <= 0:
        raise ValidationError({"system_size_kwh": _("The system size must be above 0 kWh.")})
    project.full_clean(exclude=["operator", "created_by"])
    with transaction.atomic():
        project.save()
        project.suppliers.set(suppliers)
        _record(actor=actor, action="demonstration_created", subject=project)
    return project


def field_report_file(
    *, actor: AbstractBaseUser, project: DemonstrationProject, data: Mapping[str, Any]
) -> FieldReport:
    """A member of the project's operator files what the system measured in the field."""
    _require_member_of(actor, project.operator_id)
    report = FieldReport(
        project=project,
        filed_by=actor,
        **{name: data[name] for name in FIELD_REPORT_FIELDS if name in data},
    )
    report.incidents = (report.incidents or "").strip()
    if report.incident_count is None:
        report.incident_count = 0
    low, high = report.lowest_temperature_c, report.highest_temperature_c
    if low is not None and high is not None and low > high:
        raise ValidationError(
            {"highest_temperature_c": _("The highest temperature is below the lowest.")}
        )
    if report.incident_count and not report.incidents:
        raise ValidationError({"incidents": _("Describe the incidents you count.")})
    if report.reported_on is not None and report.reported_on < project.start_date:
        raise ValidationError({"reported_on": _("The report is dated before the project started.")})
    if report.reported_on is not None and report.reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("The report cannot be dated in the future.")})
    report.full_clean(exclude=["project", "filed_by"])
    with transaction.atomic():
        report.save()
        _record(actor=actor, action="field_report_filed", subject=project)
    return report
