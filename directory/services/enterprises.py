"""Enterprise listings: registration, profile changes, the verification workflow, the
recommendation directory and enterprise groups."""

import copy
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.access import require_member
from directory.audit import notify_members_of_decision, record_status_change, to_json
from directory.models import (
    Enterprise,
    EnterpriseGroup,
    EnterpriseKind,
    ListingStatus,
    Membership,
    MembershipRole,
    Product,
    SupplyCategory,
)
from directory.workflow import LISTING_WORKFLOW, MEMBER, OFFICIAL
from ssb_portal.mail import absolute_url, official_emails, send_mail_on_commit
from ssb_portal.roles import ANCHOR_GROUP, SME_GROUP, is_official
from ssb_portal.workflow import transition

ENTERPRISE_EDITABLE_FIELDS = (
    "name_zh",
    "name_en",
    "kind",
    "district",
    "address",
    "contact_person",
    "phone",
    "email",
    "employees",
    "annual_capacity",
    "capacity_unit",
    "website",
)


def require_official(user: AbstractBaseUser) -> None:
    """Refuse (PermissionDenied) anyone but an official: only they decide on listings."""
    if not is_official(user):
        raise PermissionDenied(_("Only officials may verify listings."))


def _role_group_name(kind: str) -> str:
    return ANCHOR_GROUP if kind == EnterpriseKind.ANCHOR else SME_GROUP


def join_role_group(user: AbstractBaseUser, kind: str) -> None:
    """Add the user to the permission group of an enterprise of this kind (anchor or SME)."""
    user.groups.add(Group.objects.get(name=_role_group_name(kind)))


def changed_fields(instance: models.Model, data: dict[str, Any], fields: tuple) -> dict:
    """The subset of data that differs from the instance's current values, as JSON values."""
    changes = {}
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        current = getattr(instance, field.attname)
        new = data[name]
        new_raw = new.pk if isinstance(new, models.Model) else field.to_python(new)
        if new_raw != current:
            changes[name] = to_json(new)
    return changes


def apply_changes(instance: models.Model, changes: dict[str, Any]) -> None:
    """Set JSON-valued changes (as `changed_fields` returns them) on the instance, unsaved;
    categories are a relation and are set by the caller."""
    for name, value in changes.items():
        if name == "categories":
            continue
        field = instance._meta.get_field(name)
        setattr(instance, field.attname, field.to_python(value))


def _category_ids(categories: Iterable[SupplyCategory]) -> list[int]:
    return sorted(category.pk for category in categories)


# --- accounts ------------------------------------------------------------------------------


def enterprise_from_data(data: dict[str, Any]) -> Enterprise:
    """A new, unsaved, pending enterprise from a registration's editable fields."""
    return Enterprise(
        uscc=data.get("uscc", ""),
        **{name: data[name] for name in ENTERPRISE_EDITABLE_FIELDS if name in data},
        status=ListingStatus.PENDING,
    )


@transaction.atomic
def enterprise_register(
    *,
    actor: AbstractBaseUser,
    data: dict[str, Any],
    categories: Iterable[SupplyCategory] = (),
) -> Enterprise:
    """Register an enterprise (pending verification); the actor becomes its administrator."""
    enterprise = enterprise_from_data(data)
    enterprise.full_clean()
    enterprise.save()
    enterprise.categories.set(categories)
    Membership.objects.create(user=actor, enterprise=enterprise, role=MembershipRole.OWNER)
    join_role_group(actor, enterprise.kind)
    record_status_change(
        enterprise=enterprise,
        actor=actor,
        from_status="",
        to_status=ListingStatus.PENDING,
        reason=_("Registered"),
    )
    send_mail_on_commit(
        lambda: _("New registration to verify: %(name)s") % {"name": enterprise.name_zh},
        lambda: _("%(name)s (%(uscc)s) registered and waits for verification:\n%(link)s")
        % {
            "name": enterprise.name_zh,
            "uscc": enterprise.uscc,
            "link": absolute_url(
                reverse("admin:directory_enterprise_change", args=[enterprise.pk])
            ),
        },
        official_emails(),
    )
    return enterprise


@transaction.atomic
def enterprise_update(
    *,
    actor: AbstractBaseUser,
    enterprise: Enterprise,
    data: dict[str, Any],
    categories: Iterable[SupplyCategory] | None = None,
) -> Enterprise:
    """Change an enterprise's profile.

    A listing not yet verified changes at once (a returned one goes back to pending). A
    verified listing keeps its public values; the edits wait as pending changes until an
    official verifies them.
    """
    require_member(actor, enterprise)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    changes = changed_fields(enterprise, data, ENTERPRISE_EDITABLE_FIELDS)
    if categories is not None:
        new_ids = _category_ids(categories)
        if new_ids != sorted(enterprise.categories.values_list("pk", flat=True)):
            changes["categories"] = new_ids
    if not changes:
        return enterprise

    candidate = copy.copy(enterprise)
    apply_changes(candidate, {**(enterprise.pending_changes or {}), **changes})
    candidate.full_clean(exclude=["uscc"])

    if enterprise.status == ListingStatus.VERIFIED:
        enterprise.pending_changes = {**(enterprise.pending_changes or {}), **changes}
        enterprise.save(update_fields=["pending_changes", "updated_at"])
        record_status_change(
            enterprise=enterprise,
            actor=actor,
            from_status=enterprise.status,
            to_status=enterprise.status,
            reason=_("Changes submitted for verification"),
            changes=changes,
        )
        send_mail_on_commit(
            lambda: _("Changes to verify: %(name)s") % {"name": enterprise.name_zh},
            lambda: _("%(name)s submitted changes to its verified listing:\n%(link)s")
            % {
                "name": enterprise.name_zh,
                "link": absolute_url(
                    reverse("admin:directory_enterprise_change", args=[enterprise.pk])
                ),
            },
            official_emails(),
        )
        return enterprise

    apply_changes(enterprise, changes)
    enterprise.save()
    if "categories" in changes:
        enterprise.categories.set(changes["categories"])
    if enterprise.status == ListingStatus.RETURNED:
        transition_listing(
            subject=enterprise,
            enterprise=enterprise,
            actor=actor,
            role=MEMBER,
            target=ListingStatus.PENDING,
            reason=_("Corrected and resubmitted"),
            changes=changes,
        )
    return enterprise


def transition_listing(
    *,
    subject: Enterprise | Product,
    enterprise: Enterprise,
    actor: AbstractBaseUser,
    role: str,
    target: str,
    reason: str,
    changes: dict | None = None,
) -> None:
    """Move an enterprise or product listing along the workflow and record the move."""
    implied = _listing_move_implies(subject, target)

    def prepare(_current: str, _target: str) -> None:
        for name, value in implied.items():
            setattr(subject, name, value)

    transition(
        subject,
        LISTING_WORKFLOW,
        target=target,
        roles=role,
        prepare=prepare,
        also_update=["updated_at", *implied],
        record=lambda current, target: record_status_change(
            enterprise=enterprise,
            product=subject if isinstance(subject, Product) else None,
            actor=actor,
            from_status=current,
            to_status=target,
            reason=reason,
            changes=changes,
        ),
    )


def _listing_move_implies(subject: Enterprise | Product, target: str) -> dict[str, Any]:
    """The other fields a move to `target` sets: an enterprise keeps when it was verified,
    and leaves the recommendation directory once it is no longer verified."""
    if not isinstance(subject, Enterprise):
        return {}
    if target == ListingStatus.VERIFIED:
        return {"verified_at": timezone.now()}
    return {"recommended": False} if subject.recommended else {}


def _apply_pending_changes(subject: Enterprise | Product) -> dict:
    changes = subject.pending_changes or {}
    apply_changes(subject, changes)
    subject.pending_changes = None
    subject.full_clean(exclude=["uscc"] if isinstance(subject, Enterprise) else None)
    subject.save()
    if isinstance(subject, Enterprise) and "categories" in changes:
        subject.categories.set(changes["categories"])
    return changes


def verify_listing(
    *,
    actor: AbstractBaseUser,
    subject: Enterprise | Product,
    enterprise: Enterprise,
    reason: str,
    changes_reason: str,
) -> None:
    """Verify a new listing, or accept the pending changes of a verified one (row locked)."""
    if subject.status == ListingStatus.VERIFIED:
        if not subject.pending_changes:
            raise ValidationError(_("%(name)s has nothing to verify.") % {"name": subject})
        changes = _apply_pending_changes(subject)
        record_status_change(
            enterprise=enterprise,
            product=subject if isinstance(subject, Product) else None,
            actor=actor,
            from_status=ListingStatus.VERIFIED,
            to_status=ListingStatus.VERIFIED,
            reason=reason or changes_reason,
            changes=changes,
        )
    else:
        transition_listing(
            subject=subject,
            enterprise=enterprise,
            actor=actor,
            role=OFFICIAL,
            target=ListingStatus.VERIFIED,
            reason=reason,
        )
    notify_members_of_decision(enterprise, str(subject), gettext_lazy("verified"), reason)


def return_listing(
    *, actor: AbstractBaseUser, subject: Enterprise | Product, enterprise: Enterprise, reason: str
) -> None:
    """Reject the pending changes of a verified listing, or return the listing (row locked)."""
    if subject.status == ListingStatus.VERIFIED and subject.pending_changes:
        rejected = subject.pending_changes
        subject.pending_changes = None
        subject.save(update_fields=["pending_changes", "updated_at"])
        record_status_change(
            enterprise=enterprise,
            product=subject if isinstance(subject, Product) else None,
            actor=actor,
            from_status=ListingStatus.VERIFIED,
            to_status=ListingStatus.VERIFIED,
            reason=_("Changes returned: %(reason)s") % {"reason": reason},
            changes=rejected,
        )
    else:
        transition_listing(
            subject=subject,
            enterprise=enterprise,
            actor=actor,
            role=OFFICIAL,
            target=ListingStatus.RETURNED,
            reason=reason,
        )
    notify_members_of_decision(enterprise, str(subject), gettext_lazy("returned"), reason)


def require_return_reason(reason: str) -> None:
    """Refuse to return a listing without a reason the enterprise can act on."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so that the enterprise can correct it.")})


@transaction.atomic
def enterprise_verify(
    *, actor: AbstractBaseUser, enterprise: Enterprise, reason: str = ""
) -> Enterprise:
    """Verify a new registration, or accept the pending changes of a verified listing."""
    require_official(actor)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    verify_listing(
        actor=actor,
        subject=enterprise,
        enterprise=enterprise,
        reason=reason,
        changes_reason=_("Changes verified"),
    )
    return enterprise


@transaction.atomic
def enterprise_return(
    *, actor: AbstractBaseUser, enterprise: Enterprise, reason: str
) -> Enterprise:
    """Return a pending registration, or reject the pending changes of a verified listing."""
    require_official(actor)
    require_return_reason(reason)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if enterprise.status == ListingStatus.VERIFIED and not enterprise.pending_changes:
        raise ValidationError(
            _("%(name)s has no pending changes; withdraw the listing instead.")
            % {"name": enterprise}
        )
    return_listing(actor=actor, subject=enterprise, enterprise=enterprise, reason=reason)
    return enterprise


@transaction.atomic
def enterprise_withdraw(
    *, actor: AbstractBaseUser, enterprise: Enterprise, reason: str
) -> Enterprise:
    """Take a verified enterprise out of the public directory, with a reason."""
    require_official(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the listing is withdrawn.")})
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    transition_listing(
        subject=enterprise,
        enterprise=enterprise,
        actor=actor,
        role=OFFICIAL,
        target=ListingStatus.RETURNED,
        reason=reason,
    )
    notify_members_of_decision(enterprise, str(enterprise), gettext_lazy("withdrawn"), reason)
    return enterprise


RECOMMENDED = "recommended"
NOT_RECOMMENDED = "not recommended"


@transaction.atomic
def enterprise_set_recommended(
    *,
    actor: AbstractBaseUser,
    enterprise: Enterprise,
    recommended: bool,
    reason: str = "",
) -> Enterprise:
    """Put a verified local enterprise on (or take it off) the recommendation directory."""
    require_official(actor)
    enterprise = (
        Enterprise.objects.select_for_update().select_related("district").get(pk=enterprise.pk)
    )
    if enterprise.recommended == recommended:
        return enterprise
    if recommended:
        if enterprise.status != ListingStatus.VERIFIED:
            raise ValidationError(
                _("%(name)s is not verified; only verified enterprises can be recommended.")
                % {"name": enterprise}
            )
        if not enterprise.is_local:
            raise ValidationError(
                _(
                    "%(name)s is not registered in the municipality; only local enterprises can "
                    "be recommended."
                )
                % {"name": enterprise}
            )
    enterprise.recommended = recommended
    enterprise.save(update_fields=["recommended", "updated_at"])
    record_status_change(
        enterprise=enterprise,
        actor=actor,
        from_status=NOT_RECOMMENDED if recommended else RECOMMENDED,
        to_status=RECOMMENDED if recommended else NOT_RECOMMENDED,
        reason=reason,
    )
    return enterprise


@transaction.atomic
def enterprise_set_group(
    *, actor: AbstractBaseUser, enterprise: Enterprise, group: EnterpriseGroup | None
) -> Enterprise:
    """Record that an enterprise is under a group's common control (or no longer is).

    Groups share one support cap and make a member of any firm conflicted for all of them,
    so every change is kept in the enterprise's history with the old and new group.
    """
    require_official(actor)
    enterprise = (
        Enterprise.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=enterprise.pk)
    )
    if enterprise.group_id == (group.pk if group else None):
        return enterprise
    before = enterprise.group.name if enterprise.group else ""
    enterprise.group = group
    enterprise.save(update_fields=["group", "updated_at"])
    record_status_change(
        enterprise=enterprise,
        actor=actor,
        from_status=enterprise.status,
        to_status=enterprise.status,
        changes={"group": {"from": before, "to": group.name if group else ""}},
    )
    return enterprise
