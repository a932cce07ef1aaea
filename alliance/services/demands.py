"""An anchor member's demands: post, change, close; qualifying SMEs hear of new ones."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from alliance import selectors
from alliance.models import Demand, DemandStatus, DemandVisibility
from alliance.services.common import record_event, require_alliance_member, require_member_of
from alliance.workflow import DEMAND_WORKFLOW, OWNER
from directory.models import CertificationScheme, Enterprise, EnterpriseKind
from ssb_portal.mail import absolute_url, send_mail_on_commit
from ssb_portal.workflow import transition

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
    "carbon_footprint_max",
    "recycled_cobalt_min",
    "recycled_lithium_min",
    "recycled_nickel_min",
    "recycled_lead_min",
    "required_certifications",
    "annual_volume",
    "volume_unit",
    "needed_by",
    "preferred_model",
    "visibility",
)


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
    require_member_of(actor, owner.pk)
    if owner.kind != EnterpriseKind.ANCHOR:
        raise PermissionDenied(_("Only anchor enterprises post demands."))
    require_alliance_member(owner)
    demand = Demand(owner=owner, created_by=actor)
    _apply(demand, data)
    _clean_demand(demand)
    with transaction.atomic():
        demand.save()
        record_event(actor=actor, action="demand_posted", subject=demand)
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


def require_demand_owner(actor: AbstractBaseUser, demand: Demand) -> None:
    """Refuse (PermissionDenied) anyone who is not a member of the demand's owner."""
    require_member_of(actor, demand.owner_id)


def demand_update(*, actor: AbstractBaseUser, demand: Demand, data: Mapping[str, Any]) -> Demand:
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        require_demand_owner(actor, demand)
        if demand.status != DemandStatus.OPEN:
            raise ValidationError(_("Only an open demand can be changed."))
        fields = _apply(demand, data)
        _clean_demand(demand)
        demand.save(update_fields=[*fields, "updated_at"])
        record_event(actor=actor, action="demand_changed", subject=demand, data={"fields": fields})
    return demand


def demand_close(*, actor: AbstractBaseUser, demand: Demand, note: str = "") -> Demand:
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        require_demand_owner(actor, demand)
        transition(
            demand,
            DEMAND_WORKFLOW,
            target=DemandStatus.CLOSED,
            roles=OWNER,
            also_update=["updated_at"],
            record=lambda _current, _target: record_event(
                actor=actor, action="demand_closed", subject=demand, note=note
            ),
        )
    return demand
