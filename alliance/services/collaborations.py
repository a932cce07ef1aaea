"""Agreement on the anchor's terms, and the collaboration it creates: parties, milestones,
documents, closing.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import (
    Collaboration,
    CollaborationDocument,
    CollaborationMilestone,
    CollaborationParty,
    CollaborationStatus,
    Demand,
    DemandResponse,
    DemandStatus,
    PartyRole,
    ResponseStatus,
)
from alliance.services.common import (
    notify_members,
    record_event,
    require_alliance_member,
    require_reason,
)
from alliance.services.responses import side_of
from alliance.services.supplier_history import supplier_history_refresh
from alliance.workflow import COLLABORATION_WORKFLOW, DEMAND_WORKFLOW, OWNER, PARTY
from directory.models import Enterprise, EnterpriseKind, Membership
from ssb_portal.private_files import document_fill
from ssb_portal.workflow import transition

#: Terms the anchor proposes for the collaboration; the supplier agrees to them as they are.
TERM_FIELDS = (
    "agreed_value_cny",
    "starts_on",
    "ends_on",
    "committed_annual_volume",
    "volume_unit",
)


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
        side = side_of(actor, response)
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
        record_event(
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
    # The owner's demand is matched: both sides agreed, the owner first.
    transition(
        demand,
        DEMAND_WORKFLOW,
        target=DemandStatus.MATCHED,
        roles=OWNER,
        also_update=["updated_at"],
        record=lambda _current, _target: record_event(
            actor=actor,
            action="collaboration_created",
            subject=collaboration,
            data={"demand": demand.pk},
        ),
    )
    for party in (demand.owner, response.supplier):
        notify_members(
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
    require_alliance_member(enterprise)
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
        record_event(
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
        record_event(actor=actor, action="milestone_added", subject=collaboration, note=title)
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
        record_event(
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
        note = require_reason(note, field="note")
    with transaction.atomic():
        collaboration = Collaboration.objects.select_for_update().get(pk=collaboration.pk)

        def close(_current: str, _target: str) -> None:
            collaboration.closed_at = timezone.now()

        transition(
            collaboration,
            COLLABORATION_WORKFLOW,
            target=status,
            roles=PARTY,
            prepare=close,
            also_update=["closed_at"],
            record=lambda _current, _target: record_event(
                actor=actor, action=f"collaboration_{status}", subject=collaboration, note=note
            ),
        )
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
            record_event(
                actor=actor, action="document_added", subject=collaboration, note=document.title
            )
        except BaseException:
            document.file.storage.delete(document.file.name)
            raise
    return document
