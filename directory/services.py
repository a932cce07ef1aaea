"""Every change of state in the directory: one function per user action.

Each runs in one transaction, validates, writes its audit record (StatusChange) in that
transaction and sends email only after commit.
"""

import copy
import dataclasses
import datetime
import functools
import hashlib
import secrets
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import purchase_files, selectors
from directory.models import (
    Certification,
    DatasetKind,
    DatasetStatus,
    Enterprise,
    EnterpriseGroup,
    EnterpriseKind,
    Invitation,
    LcrPublication,
    LcrPublishedFigure,
    LcrTrajectory,
    ListingStatus,
    MeasurementDataset,
    Membership,
    MembershipRole,
    Product,
    PurchaseImport,
    PurchaseImportSource,
    PurchaseImportStatus,
    PurchaseLine,
    PurchaseLineRevision,
    StatusChange,
    SupplyCategory,
)
from directory.purchase_rows import MAX_ID, CleanLine, RowError, clean_row
from directory.validators import normalise_uscc
from directory.workflow import MEMBER, OFFICIAL, allowed_role
from ssb_portal import measurements
from ssb_portal.formulas import LCR_TARGET_PERCENT, LCR_TARGET_YEARS
from ssb_portal.mail import absolute_url, official_emails, send_mail_on_commit, with_reason
from ssb_portal.private_files import PDF, check_document
from ssb_portal.roles import ANCHOR_GROUP, SME_GROUP, is_official

User = get_user_model()

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
PRODUCT_EDITABLE_FIELDS = (
    "name",
    "category",
    "description",
    "ionic_conductivity",
    "asr",
    "specific_capacity",
    "decay_rate",
    "coulombic_efficiency",
    "coulombic_efficiency_cycles",
    "weight_reduction",
    "local_content_share",
    "price",
)
CERTIFICATION_EDITABLE_FIELDS = ("scheme", "number", "issuer", "valid_until")

ACTIVATION_SALT = "directory.account-activation"
INVITATION_SALT = "directory.invitation"


# --- helpers -------------------------------------------------------------------------------


def _is_member(user: AbstractBaseUser, enterprise: Enterprise) -> bool:
    return selectors.is_member_of(user, enterprise.pk)


def _require_member(user: AbstractBaseUser, enterprise: Enterprise) -> None:
    if not _is_member(user, enterprise):
        raise PermissionDenied(_("Only members of this enterprise may change it."))


def _require_owner(user: AbstractBaseUser, enterprise: Enterprise) -> None:
    if not Membership.objects.filter(
        user=user, enterprise=enterprise, role=MembershipRole.OWNER
    ).exists():
        raise PermissionDenied(_("Only the enterprise's administrators may manage its members."))


def _require_official(user: AbstractBaseUser) -> None:
    if not is_official(user):
        raise PermissionDenied(_("Only officials may verify listings."))


def _role_group_name(kind: str) -> str:
    return ANCHOR_GROUP if kind == EnterpriseKind.ANCHOR else SME_GROUP


def _join_role_group(user: AbstractBaseUser, kind: str) -> None:
    user.groups.add(Group.objects.get(name=_role_group_name(kind)))


def _to_json(value: Any) -> Any:
    """A field value as it is kept in pending_changes (JSON)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _changed_fields(instance: models.Model, data: dict[str, Any], fields: tuple) -> dict:
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
            changes[name] = _to_json(new)
    return changes


def _apply_changes(instance: models.Model, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        if name == "categories":
            continue
        field = instance._meta.get_field(name)
        setattr(instance, field.attname, field.to_python(value))


def _record(
    *,
    enterprise: Enterprise,
    actor: AbstractBaseUser | None,
    from_status: str,
    to_status: str,
    reason: str = "",
    product: Product | None = None,
    changes: dict | None = None,
) -> StatusChange:
    return StatusChange.objects.create(
        enterprise=enterprise,
        product=product,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        changes=changes or None,
    )


def _check_transition(*, current: str, target: str, role: str) -> None:
    required = allowed_role(current, target)
    if required is None:
        raise ValidationError(
            _("A listing that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": ListingStatus(current).label,
                "target": ListingStatus(target).label,
            }
        )
    if required != role:
        raise PermissionDenied(_("You may not make this change."))


def _category_ids(categories: Iterable[SupplyCategory]) -> list[int]:
    return sorted(category.pk for category in categories)


# --- accounts ------------------------------------------------------------------------------


def activation_token_make(user: AbstractBaseUser) -> str:
    return signing.dumps({"user": user.pk}, salt=ACTIVATION_SALT)


@transaction.atomic
def account_signup_with_enterprise(
    *,
    username: str,
    email: str,
    password: str,
    enterprise_data: dict[str, Any],
    categories: Iterable[SupplyCategory],
) -> tuple[AbstractBaseUser, Enterprise]:
    """An SME signs up: an inactive user and its pending enterprise, confirmed by email."""
    errors: dict[str, list] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken.")]
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this email address exists already.")]
    user = User(username=username, email=email, is_active=False)
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        # Report the enterprise's problems in the same answer, so the form is fixed at once.
        try:
            _enterprise_from_data(enterprise_data).full_clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    enterprise = enterprise_register(actor=user, data=enterprise_data, categories=categories)
    link = absolute_url(reverse("account_activate", args=[activation_token_make(user)]))
    send_mail_on_commit(
        lambda: _("Confirm your SSB Portal account"),
        lambda: _(
            "Welcome to SSB Portal.\n\nConfirm your account by opening this link within "
            "%(days)d days:\n%(link)s\n\nYour enterprise %(name)s is registered and waits "
            "for verification by the city's officials."
        )
        % {
            "days": settings.ACCOUNT_ACTIVATION_DAYS,
            "link": link,
            "name": enterprise.name_zh,
        },
        [email],
    )
    return user, enterprise


@transaction.atomic
def account_activate(*, token: str) -> AbstractBaseUser:
    try:
        payload = signing.loads(
            token,
            salt=ACTIVATION_SALT,
            max_age=settings.ACCOUNT_ACTIVATION_DAYS * 86400,
        )
    except signing.SignatureExpired as error:
        raise ValidationError(
            _("This confirmation link has expired. Sign up again or ask for help.")
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(_("This confirmation link is not valid.")) from error
    user = User.objects.select_for_update().filter(pk=payload["user"]).first()
    if user is None:
        raise ValidationError(_("This confirmation link is not valid."))
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


# --- registration and profile --------------------------------------------------------------


def _enterprise_from_data(data: dict[str, Any]) -> Enterprise:
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
    enterprise = _enterprise_from_data(data)
    enterprise.full_clean()
    enterprise.save()
    enterprise.categories.set(categories)
    Membership.objects.create(user=actor, enterprise=enterprise, role=MembershipRole.OWNER)
    _join_role_group(actor, enterprise.kind)
    _record(
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
    _require_member(actor, enterprise)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    changes = _changed_fields(enterprise, data, ENTERPRISE_EDITABLE_FIELDS)
    if categories is not None:
        new_ids = _category_ids(categories)
        if new_ids != sorted(enterprise.categories.values_list("pk", flat=True)):
            changes["categories"] = new_ids
    if not changes:
        return enterprise

    candidate = copy.copy(enterprise)
    _apply_changes(candidate, {**(enterprise.pending_changes or {}), **changes})
    candidate.full_clean(exclude=["uscc"])

    if enterprise.status == ListingStatus.VERIFIED:
        enterprise.pending_changes = {**(enterprise.pending_changes or {}), **changes}
        enterprise.save(update_fields=["pending_changes", "updated_at"])
        _record(
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

    _apply_changes(enterprise, changes)
    enterprise.save()
    if "categories" in changes:
        enterprise.categories.set(changes["categories"])
    if enterprise.status == ListingStatus.RETURNED:
        _transition_listing(
            subject=enterprise,
            enterprise=enterprise,
            actor=actor,
            role=MEMBER,
            target=ListingStatus.PENDING,
            reason=_("Corrected and resubmitted"),
            changes=changes,
        )
    return enterprise


def _transition_listing(
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
    current = subject.status
    _check_transition(current=current, target=target, role=role)
    subject.status = target
    update_fields = ["status", "updated_at"]
    if isinstance(subject, Enterprise):
        if target == ListingStatus.VERIFIED:
            subject.verified_at = timezone.now()
            update_fields.append("verified_at")
        if target != ListingStatus.VERIFIED and subject.recommended:
            subject.recommended = False
            update_fields.append("recommended")
    subject.save(update_fields=update_fields)
    _record(
        enterprise=enterprise,
        product=subject if isinstance(subject, Product) else None,
        actor=actor,
        from_status=current,
        to_status=target,
        reason=reason,
        changes=changes,
    )


def _notify_members_of_decision(enterprise: Enterprise, what: str, decision: str, reason: str):
    """`what` and `decision` may be lazy translations: each reader gets them in their language."""
    link = absolute_url(reverse("directory:my_enterprise", args=[enterprise.uscc]))

    def body() -> str:
        text = _("%(what)s: %(decision)s.") % {"what": what, "decision": decision}
        return with_reason(text, reason) + "\n\n" + link

    send_mail_on_commit(
        lambda: _("SSB Portal: %(what)s") % {"what": what},
        body,
        selectors.member_emails(enterprise),
    )


def _apply_pending_changes(subject: Enterprise | Product) -> dict:
    changes = subject.pending_changes or {}
    _apply_changes(subject, changes)
    subject.pending_changes = None
    subject.full_clean(exclude=["uscc"] if isinstance(subject, Enterprise) else None)
    subject.save()
    if isinstance(subject, Enterprise) and "categories" in changes:
        subject.categories.set(changes["categories"])
    return changes


def _verify_listing(
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
        _record(
            enterprise=enterprise,
            product=subject if isinstance(subject, Product) else None,
            actor=actor,
            from_status=ListingStatus.VERIFIED,
            to_status=ListingStatus.VERIFIED,
            reason=reason or changes_reason,
            changes=changes,
        )
    else:
        _transition_listing(
            subject=subject,
            enterprise=enterprise,
            actor=actor,
            role=OFFICIAL,
            target=ListingStatus.VERIFIED,
            reason=reason,
        )
    _notify_members_of_decision(enterprise, str(subject), gettext_lazy("verified"), reason)


def _return_listing(
    *, actor: AbstractBaseUser, subject: Enterprise | Product, enterprise: Enterprise, reason: str
) -> None:
    """Reject the pending changes of a verified listing, or return the listing (row locked)."""
    if subject.status == ListingStatus.VERIFIED and subject.pending_changes:
        rejected = subject.pending_changes
        subject.pending_changes = None
        subject.save(update_fields=["pending_changes", "updated_at"])
        _record(
            enterprise=enterprise,
            product=subject if isinstance(subject, Product) else None,
            actor=actor,
            from_status=ListingStatus.VERIFIED,
            to_status=ListingStatus.VERIFIED,
            reason=_("Changes returned: %(reason)s") % {"reason": reason},
            changes=rejected,
        )
    else:
        _transition_listing(
            subject=subject,
            enterprise=enterprise,
            actor=actor,
            role=OFFICIAL,
            target=ListingStatus.RETURNED,
            reason=reason,
        )
    _notify_members_of_decision(enterprise, str(subject), gettext_lazy("returned"), reason)


def _require_return_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so that the enterprise can correct it.")})


@transaction.atomic
def enterprise_verify(
    *, actor: AbstractBaseUser, enterprise: Enterprise, reason: str = ""
) -> Enterprise:
    """Verify a new registration, or accept the pending changes of a verified listing."""
    _require_official(actor)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    _verify_listing(
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
    _require_official(actor)
    _require_return_reason(reason)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if enterprise.status == ListingStatus.VERIFIED and not enterprise.pending_changes:
        raise ValidationError(
            _("%(name)s has no pending changes; withdraw the listing instead.")
            % {"name": enterprise}
        )
    _return_listing(actor=actor, subject=enterprise, enterprise=enterprise, reason=reason)
    return enterprise


@transaction.atomic
def enterprise_withdraw(
    *, actor: AbstractBaseUser, enterprise: Enterprise, reason: str
) -> Enterprise:
    """Take a verified enterprise out of the public directory, with a reason."""
    _require_official(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the listing is withdrawn.")})
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    _transition_listing(
        subject=enterprise,
        enterprise=enterprise,
        actor=actor,
        role=OFFICIAL,
        target=ListingStatus.RETURNED,
        reason=reason,
    )
    _notify_members_of_decision(enterprise, str(enterprise), gettext_lazy("withdrawn"), reason)
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
    _require_official(actor)
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
    _record(
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
    _require_official(actor)
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
    _record(
        enterprise=enterprise,
        actor=actor,
        from_status=enterprise.status,
        to_status=enterprise.status,
        changes={"group": {"from": before, "to": group.name if group else ""}},
    )
    return enterprise


# --- products ------------------------------------------------------------------------------


@transaction.atomic
def product_create(
    *, actor: AbstractBaseUser, enterprise: Enterprise, data: dict[str, Any]
) -> Product:
    """Add a product; it is public once an official verifies it."""
    _require_member(actor, enterprise)
    product = Product(
        enterprise=enterprise,
        status=ListingStatus.PENDING,
        **{name: data[name] for name in PRODUCT_EDITABLE_FIELDS if name in data},
    )
    product.full_clean()
    product.save()
    _record(
        enterprise=enterprise,
        product=product,
        actor=actor,
        from_status="",
        to_status=ListingStatus.PENDING,
        reason=_("Product added: %(name)s") % {"name": product.name},
    )
    return product


@transaction.atomic
def product_update(*, actor: AbstractBaseUser, product: Product, data: dict[str, Any]) -> Product:
    """Change a product; a verified product's edits wait for verification beside it."""
    _require_member(actor, product.enterprise)
    product = Product.objects.select_for_update().select_related("enterprise").get(pk=product.pk)
    changes = _changed_fields(product, data, PRODUCT_EDITABLE_FIELDS)
    if not changes:
        return product
    candidate = copy.copy(product)
    _apply_changes(candidate, {**(product.pending_changes or {}), **changes})
    candidate.full_clean()
    if product.status == ListingStatus.VERIFIED:
        product.pending_changes = {**(product.pending_changes or {}), **changes}
        product.save(update_fields=["pending_changes", "updated_at"])
        _record(
            enterprise=product.enterprise,
            product=product,
            actor=actor,
            from_status=product.status,
            to_status=product.status,
            reason=_("Product changes submitted for verification: %(name)s")
            % {"name": product.name},
            changes=changes,
        )
        return product
    _apply_changes(product, changes)
    product.save()
    if product.status == ListingStatus.RETURNED:
        _transition_listing(
            subject=product,
            enterprise=product.enterprise,
            actor=actor,
            role=MEMBER,
            target=ListingStatus.PENDING,
            reason=_("Corrected and resubmitted"),
            changes=changes,
        )
    return product


@transaction.atomic
def product_verify(*, actor: AbstractBaseUser, product: Product, reason: str = "") -> Product:
    _require_official(actor)
    product = Product.objects.select_for_update().select_related("enterprise").get(pk=product.pk)
    _verify_listing(
        actor=actor,
        subject=product,
        enterprise=product.enterprise,
        reason=reason,
        changes_reason=_("Product changes verified"),
    )
    return product


@transaction.atomic
def product_return(*, actor: AbstractBaseUser, product: Product, reason: str) -> Product:
    """Reject a product's pending changes, or return (withdraw) the product."""
    _require_official(actor)
    _require_return_reason(reason)
    product = Product.objects.select_for_update().select_related("enterprise").get(pk=product.pk)
    _return_listing(actor=actor, subject=product, enterprise=product.enterprise, reason=reason)
    return product


@transaction.atomic
def product_delete(*, actor: AbstractBaseUser, product: Product) -> None:
    _require_member(actor, product.enterprise)
    _record(
        enterprise=product.enterprise,
        actor=actor,
        from_status=product.status,
        to_status="deleted",
        reason=_("Product removed: %(name)s") % {"name": product.name},
    )
    product.delete()


# --- certifications ------------------------------------------------------------------------

# Certificates count in the search as soon as they are added; the history keeps who added or
# removed which, for officials and members to see.
CERTIFICATION_ADDED = "added"
CERTIFICATION_REMOVED = "deleted"


@transaction.atomic
def certification_add(
    *, actor: AbstractBaseUser, enterprise: Enterprise, data: dict[str, Any]
) -> Certification:
    _require_member(actor, enterprise)
    certification = Certification(
        enterprise=enterprise,
        **{name: data[name] for name in CERTIFICATION_EDITABLE_FIELDS if name in data},
    )
    certification.full_clean()
    certification.save()
    _record(
        enterprise=enterprise,
        actor=actor,
        from_status="",
        to_status=CERTIFICATION_ADDED,
        reason=_("Certification added: %(certificate)s, valid until %(date)s")
        % {"certificate": certification, "date": certification.valid_until},
    )
    return certification


@transaction.atomic
def certification_delete(*, actor: AbstractBaseUser, certification: Certification) -> None:
    _require_member(actor, certification.enterprise)
    _record(
        enterprise=certification.enterprise,
        actor=actor,
        from_status="",
        to_status=CERTIFICATION_REMOVED,
        reason=_("Certification removed: %(certificate)s") % {"certificate": certification},
    )
    certification.delete()


# --- members -------------------------------------------------------------------------------


def invitation_token_make(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk}, salt=INVITATION_SALT)


@transaction.atomic
def member_invite(*, actor: AbstractBaseUser, enterprise: Enterprise, email: str) -> Invitation:
    """An administrator invites a colleague by email."""
    _require_owner(actor, enterprise)
    email = User.objects.normalize_email(email.strip())
    if Membership.objects.filter(enterprise=enterprise, user__email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s is a member already.") % {"email": email}})
    invitation = Invitation(enterprise=enterprise, email=email, invited_by=actor)
    invitation.full_clean()
    invitation.save()
    link = absolute_url(reverse("invitation_accept", args=[invitation_token_make(invitation)]))
    send_mail_on_commit(
        lambda: _("Invitation to join %(name)s on SSB Portal") % {"name": enterprise.name_zh},
        lambda: _(
            "%(inviter)s invites you to join %(name)s on SSB Portal.\n\nAccept within "
            "%(days)d days:\n%(link)s"
        )
        % {
            "inviter": actor.get_full_name() or actor.get_username(),
            "name": enterprise.name_zh,
            "days": settings.INVITATION_VALID_DAYS,
            "link": link,
        },
        [email],
    )
    return invitation


def invitation_from_token(token: str) -> Invitation:
    try:
        payload = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.INVITATION_VALID_DAYS * 86400
        )
    except signing.SignatureExpired as error:
        raise ValidationError(_("This invitation has expired. Ask for a new one.")) from error
    except signing.BadSignature as error:
        raise ValidationError(_("This invitation link is not valid.")) from error
    invitation = (
        Invitation.objects.select_related("enterprise").filter(pk=payload["invitation"]).first()
    )
    if invitation is None or not invitation.is_open:
        raise ValidationError(_("This invitation has been used or withdrawn."))
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: AbstractBaseUser | None = None,
    username: str = "",
    password: str = "",
) -> Membership:
    """Join the inviting enterprise, as the logged-in user or as a new account.

    The link reached the invited address, so a new account made from it is active at once.
    """
    invitation = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation has been used or withdrawn."))
    if user is None or not user.is_authenticated:
        errors: dict[str, list] = {}
        if User.objects.filter(username__iexact=username).exists():
            errors["username"] = [_("This username is taken.")]
        user = User(username=username, email=invitation.email, is_active=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            errors["password"] = error.messages
        if errors:
            raise ValidationError(errors)
        user.set_password(password)
        user.save()
    if Membership.objects.filter(user=user, enterprise=invitation.enterprise).exists():
        raise ValidationError(
            _("You are a member of %(name)s already.") % {"name": invitation.enterprise}
        )
    membership = Membership.objects.create(
        user=user, enterprise=invitation.enterprise, role=MembershipRole.MEMBER
    )
    _join_role_group(user, invitation.enterprise.kind)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def invitation_revoke(*, actor: AbstractBaseUser, invitation: Invitation) -> None:
    _require_owner(actor, invitation.enterprise)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def member_remove(*, actor: AbstractBaseUser, membership: Membership) -> None:
    """An administrator removes a colleague; the last administrator cannot be removed."""
    _require_owner(actor, membership.enterprise)
    owners = Membership.objects.select_for_update().filter(
        enterprise=membership.enterprise, role=MembershipRole.OWNER
    )
    if membership.role == MembershipRole.OWNER and owners.count() <= 1:
        raise ValidationError(
            _("An enterprise needs at least one administrator; you cannot remove the last one.")
        )
    membership.delete()


# --- purchase records ----------------------------------------------------------------------

PURCHASE_BATCH_SIZE = 2000
PURCHASE_PROGRESS_EVERY = 2000
PURCHASE_COMPARED_FIELDS = (
    "supplier_id",
    "supplier_name",
    "invoice_date",
    "category_id",
    "product_id",
    "quantity",
    "unit",
    "amount",
    "description",
)


@dataclasses.dataclass
class PurchaseImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _("%(new)d new, %(updated)d updated, %(unchanged)d unchanged") % {
            "new": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def _require_buyer_member(actor: AbstractBaseUser | None, buyer: Enterprise) -> None:
    """Members record their own firm's purchases; the command line (no actor) is trusted."""
    if actor is not None:
        _require_member(actor, buyer)


def _purchase_lookups(raw_rows: Sequence[Mapping[str, Any]]) -> dict[str, dict]:
    usccs = {
        normalise_uscc(str(row.get("supplier_uscc") or ""))
        for row in raw_rows
        if row.get("supplier_uscc")
    }
    product_ids = set()
    for row in raw_rows:
        text = str(row.get("product") or "").strip().removesuffix(".0")
        if text.isascii() and text.isdigit() and int(text) <= MAX_ID:
            product_ids.add(int(text))
    supplier_names: dict[str, str] = {}
    for chunk in _chunks(sorted(usccs), 500):
        supplier_names.update(
            Enterprise.objects.filter(uscc__in=chunk).values_list("uscc", "name_zh")
        )
    product_suppliers: dict[int, str] = {}
    for chunk in _chunks(sorted(product_ids), 500):
        product_suppliers.update(
            Product.objects.filter(pk__in=chunk).values_list("pk", "enterprise__uscc")
        )
    return {
        "category_ids": dict(SupplyCategory.objects.values_list("slug", "pk")),
        "supplier_names": supplier_names,
        "product_suppliers": product_suppliers,
    }


def _chunks(items: Sequence, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _line_values(line: CleanLine) -> dict[str, Any]:
    return {
        "supplier_id": line.supplier_uscc,
        "supplier_name": line.supplier_name,
        "invoice_date": line.invoice_date,
        "category_id": line.category_id,
        "product_id": line.product_id,
        "quantity": line.quantity,
        "unit": line.unit,
        "amount": line.amount,
        "description": line.description,
    }


def purchase_lines_validate(
    raw_rows: Sequence[Mapping[str, Any]],
    *,
    first_row: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[list[CleanLine], list[dict]]:
    """Every row cleaned, or every problem of every row (row numbers from `first_row`).

    `on_progress(rows_checked)` is called every PURCHASE_PROGRESS_EVERY rows and at the end.
    """
    lookups = _purchase_lookups(raw_rows)
    clean: list[CleanLine] = []
    errors: list[RowError] = []
    first_seen: dict[tuple[str, int], int] = {}
    for offset, raw in enumerate(raw_rows):
        if on_progress is not None and offset and offset % PURCHASE_PROGRESS_EVERY == 0:
            on_progress(offset)
        row_number = first_row + offset
        line, row_errors = clean_row(raw, row=row_number, **lookups)
        errors.extend(row_errors)
        if line is None:
            continue
        if line.key in first_seen:
            errors.append(
                RowError(
                    row_number,
                    "line_no",
                    _("Invoice %(invoice)s line %(line)d appears twice (first in row %(row)d).")
                    % {
                        "invoice": line.invoice_no,
                        "line": line.line_no,
                        "row": first_seen[line.key],
                    },
                )
            )
            continue
        first_seen[line.key] = row_number
        clean.append(line)
    if on_progress is not None:
        on_progress(len(raw_rows))
    return clean, [error.as_dict() for error in errors]


def purchase_lines_import(
    *,
    actor: AbstractBaseUser | None,
    buyer: Enterprise,
    raw_rows: Sequence[Mapping[str, Any]],
    source: str,
    filename: str = "",
    purchase_import: PurchaseImport | None = None,
    first_row: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[PurchaseImport, PurchaseImportOutcome]:
    """Record a firm's purchase lines: all or nothing, idempotent, corrections kept in history.

    The key of a line is (buyer, invoice number, line number). A line sent again with the
    same values changes nothing; with other values it is a correction: updated, and its
    earlier values kept as a revision. If any row is bad, nothing is saved and every problem
    is reported with its row, column and reason. The PurchaseImport row is the audit record.

    `on_progress(rows_checked)` reports the checking of the rows, which only reads and so
    runs before the transaction: what it records is visible to others (the result page)
    while the import runs. The writing that follows is one transaction.
    """
    _require_buyer_member(actor, buyer)
    lines, errors = purchase_lines_validate(raw_rows, first_row=first_row, on_progress=on_progress)
    with transaction.atomic():
        # One import at a time per buyer: a second one waits, then finds the first one's
        # lines and counts them as unchanged instead of inserting them twice.
        Enterprise.objects.select_for_update().filter(pk=buyer.pk).values_list("pk").first()
        if purchase_import is None:
            purchase_import = PurchaseImport.objects.create(
                buyer=buyer,
                submitted_by=actor,
                source=source,
                filename=filename,
                status=PurchaseImportStatus.RUNNING,
            )
        outcome = PurchaseImportOutcome(errors=errors)
        if not outcome.errors:
            _purchase_lines_write(
                actor=actor,
                buyer=buyer,
                lines=lines,
                purchase_import=purchase_import,
                outcome=outcome,
            )
        _purchase_import_finish(purchase_import, outcome, total=len(raw_rows))
    return purchase_import, outcome


def _purchase_lines_write(
    *,
    actor: AbstractBaseUser | None,
    buyer: Enterprise,
    lines: list[CleanLine],
    purchase_import: PurchaseImport,
    outcome: PurchaseImportOutcome,
) -> None:
    now = timezone.now()
    by_key = {line.key: line for line in lines}
    stored_keys: set[tuple[str, int]] = set()
    changed_lines: list[PurchaseLine] = []
    revisions: list[PurchaseLineRevision] = []
    for invoices in _chunks(sorted({line.invoice_no for line in lines}), 500):
        stored_rows = (
            PurchaseLine.objects.filter(buyer=buyer, invoice_no__in=invoices)
            # Unordered: the model's default order would lead the database to walk the
            # buyer's date index instead of the unique key's (a hundredfold slower).
            .order_by()
            .values_list("pk", "invoice_no", "line_no", *PURCHASE_COMPARED_FIELDS)
        )
        for pk, invoice_no, line_no, *stored in stored_rows:
            line = by_key.get((invoice_no, line_no))
            if line is None:
                continue
            stored_keys.add(line.key)
            values = _line_values(line)
            previous = dict(zip(PURCHASE_COMPARED_FIELDS, stored, strict=True))
            if previous == values:
                outcome.unchanged += 1
                continue
            changed = PurchaseLine(pk=pk, last_import=purchase_import, updated_at=now, **values)
            changed_lines.append(changed)
            revisions.append(
                PurchaseLineRevision(
                    line=changed,
                    purchase_import=purchase_import,
                    changed_by=actor,
                    changed_at=now,
                    previous_values={k: _to_json(v) for k, v in previous.items()},
                )
            )
    new_lines = [line for line in lines if line.key not in stored_keys]
    _purchase_lines_insert(buyer=buyer, lines=new_lines, purchase_import=purchase_import, now=now)
    PurchaseLine.objects.bulk_update(
        changed_lines,
        [*PURCHASE_COMPARED_FIELDS, "last_import", "updated_at"],
        batch_size=PURCHASE_BATCH_SIZE,
    )
    PurchaseLineRevision.objects.bulk_create(revisions, batch_size=PURCHASE_BATCH_SIZE)
    outcome.created = len(new_lines)
    outcome.updated = len(changed_lines)


PURCHASE_INSERTED_FIELDS = (
    "buyer",
    "invoice_no",
    "line_no",
    "supplier",
    "supplier_name",
    "invoice_date",
    "category",
    "description",
    "product",
    "quantity",
    "unit",
    "amount",
    "last_import",
    "created_at",
    "updated_at",
)


def _purchase_lines_insert(
    *,
    buyer: Enterprise,
    lines: list[CleanLine],
    purchase_import: PurchaseImport,
    now: datetime.datetime,
) -> None:
    """New lines written straight to the table: COPY on PostgreSQL, else one prepared INSERT.

    bulk_create builds a model instance per row and prepares every field through the field
    API: for the 100,000 lines of a large file that was most of the import's time. The
    values here are clean already and only need adapting to the database's types.
    """
    if not lines:
        return
    fields = [PurchaseLine._meta.get_field(name) for name in PURCHASE_INSERTED_FIELDS]
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    adapt_date = ops.adapt_datefield_value
    adapt_decimal = ops.adapt_decimalfield_value
    rows = [
        (
            buyer.pk,
            line.invoice_no,
            line.line_no,
            line.supplier_uscc,
            line.supplier_name,
            adapt_date(line.invoice_date),
            line.category_id,
            line.description,
            line.product_id,
            None if line.quantity is None else adapt_decimal(line.quantity, 16, 3),
            line.unit,
            adapt_decimal(line.amount, 16, 2),
            purchase_import.pk,
            stamp,
            stamp,
        )
        for line in lines
    ]
    table = ops.quote_name(PurchaseLine._meta.db_table)
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: statements with thousands of parameters spend their time in the
            # driver's parsing of the placeholders; COPY has none.
            copy_sql = f"COPY {table} ({columns}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        for batch in _chunks(rows, PURCHASE_BATCH_SIZE):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", batch)


def _purchase_import_finish(
    purchase_import: PurchaseImport, outcome: PurchaseImportOutcome, *, total: int
) -> None:
    purchase_import.status = (
        PurchaseImportStatus.SUCCEEDED if outcome.ok else PurchaseImportStatus.FAILED
    )
    purchase_import.rows_total = total
    purchase_import.rows_done = total
    purchase_import.created_count = outcome.created
    purchase_import.updated_count = outcome.updated
    purchase_import.unchanged_count = outcome.unchanged
    purchase_import.errors = outcome.errors
    purchase_import.finished_at = timezone.now()
    purchase_import.save()


def _enqueue_purchase_import(import_id: int) -> None:
    # Imported here: the task module calls back into this one.
    from directory.tasks import process_purchase_import

    process_purchase_import.enqueue(import_id)


def purchase_import_submit(
    *, actor: AbstractBaseUser, buyer: Enterprise, content: bytes, filename: str
) -> tuple[PurchaseImport, list[str]]:
    """Queue an uploaded purchase file for import in the background.

    The file's kind, size and header are checked at once, so that a file that cannot be
    imported at all is refused on the spot; its rows are checked by the task. Returns the
    queued import and the headers that will be ignored.
    """
    _require_member(actor, buyer)
    try:
        kind, ignored = purchase_files.inspect_purchase_file(content)
    except purchase_files.PurchaseFileError as error:
        raise ValidationError({"file": [problem.message for problem in error.errors]}) from None
    purchase_import = PurchaseImport(
        buyer=buyer,
        submitted_by=actor,
        source=PurchaseImportSource.UPLOAD,
        filename=filename[:255],
        status=PurchaseImportStatus.QUEUED,
    )
    # A neutral stored name: the user's own file name is kept in `filename`.
    purchase_import.file.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(content), save=False)
    with transaction.atomic():
        purchase_import.save()
        transaction.on_commit(functools.partial(_enqueue_purchase_import, purchase_import.pk))
    return purchase_import, ignored


def purchase_import_claim(*, purchase_import: PurchaseImport) -> bool:
    """Mark a queued import as running; False when it is not queued (a repeated delivery)."""
    claimed = PurchaseImport.objects.filter(
        pk=purchase_import.pk, status=PurchaseImportStatus.QUEUED
    ).update(status=PurchaseImportStatus.RUNNING)
    if claimed:
        purchase_import.status = PurchaseImportStatus.RUNNING
    return bool(claimed)


def purchase_import_progress(
    *, purchase_import: PurchaseImport, rows_done: int, rows_total: int | None = None
) -> None:
    """Record how far a running import got, for its result page."""
    purchase_import.rows_done = rows_done
    fields = ["rows_done"]
    if rows_total is not None:
        purchase_import.rows_total = rows_total
        fields.append("rows_total")
    purchase_import.save(update_fields=fields)


def purchase_import_fail(*, purchase_import: PurchaseImport, errors: list[dict]) -> None:
    """End an import that could not run (unreadable file, lost access): nothing was saved."""
    purchase_import.status = PurchaseImportStatus.FAILED
    purchase_import.errors = errors
    purchase_import.finished_at = timezone.now()
    purchase_import.save(update_fields=["status", "errors", "finished_at"])


# --- the Local Content Ratio: trajectory and published years -------------------------------


def _require_lcr_official(user: AbstractBaseUser) -> None:
    if not is_official(user):
        raise PermissionDenied(_("Only officials may set the LCR trajectory or publish figures."))


def _check_lcr_year(year: int, field: str) -> None:
    if not selectors.LCR_FIRST_YEAR <= year <= selectors.LCR_LAST_YEAR:
        raise ValidationError(
            {
                field: _("Enter a year between %(first)d and %(last)d.")
                % {"first": selectors.LCR_FIRST_YEAR, "last": selectors.LCR_LAST_YEAR}
            }
        )


@transaction.atomic
def lcr_trajectory_set(
    *,
    actor: AbstractBaseUser,
    baseline_year: int,
    baseline_percent: Decimal | None = None,
    goal_percent: Decimal = Decimal(LCR_TARGET_PERCENT),
    goal_years: int = LCR_TARGET_YEARS,
) -> LcrTrajectory:
    """Set the programme's LCR path: a straight line from the baseline year to the goal.

    Without a baseline percentage the measured city-wide LCR of the baseline year is taken.
    Every setting is kept as its own row (who, when); the newest one counts.
    """
    _require_lcr_official(actor)
    _check_lcr_year(baseline_year, "baseline_year")
    if baseline_percent is None:
        measured = selectors.lcr_figures(PurchaseLine.objects.all(), year=baseline_year)
        if measured["lcr_percent"] is None:
            raise ValidationError(
                {
                    "baseline_percent": _(
                        "No purchases are recorded for %(year)d, so there is no measured LCR "
                        "to take: enter the baseline LCR."
                    )
                    % {"year": baseline_year}
                }
            )
        baseline_percent = measured["lcr_percent"]
    trajectory = LcrTrajectory(
        baseline_year=baseline_year,
        baseline_percent=baseline_percent,
        goal_percent=goal_percent,
        goal_years=goal_years,
        updated_by=actor,
    )
    trajectory.full_clean()
    trajectory.save()
    return trajectory


def _already_published(publication: LcrPublication) -> ValidationError:
    return ValidationError(
        {
            "year": _(
                "%(year)d was published on %(date)s by %(who)s; published figures never change."
            )
            % {
                "year": publication.year,
                "date": timezone.localtime(publication.published_at).strftime("%Y-%m-%d %H:%M"),
                "who": publication.published_by.get_username() if publication.published_by else "—",
            }
        }
    )


@transaction.atomic
def lcr_year_publish(*, actor: AbstractBaseUser, year: int) -> LcrPublication:
    """Freeze a year's figures: the city's and every buying firm's, with the year's target.

    They never change afterwards, whatever happens to suppliers or purchase lines; the live
    figures are shown beside them. The publication row (who, when) is the audit record.
    """
    _require_lcr_official(actor)
    _check_lcr_year(year, "year")
    existing = selectors.lcr_published(year)
    if existing is not None:
        raise _already_published(existing)
    lines = selectors.purchase_lines_of_year(year)
    firms = selectors.lcr_by_buyer_and_year(lines)
    if not firms:
        raise ValidationError(
            {
                "year": _("No purchases are recorded for %(year)d: there is nothing to publish.")
                % {"year": year}
            }
        )
    city = selectors.lcr_figures(lines, year=year)
    try:
        # A savepoint, so that a publication of the same year committed meanwhile by another
        # official is reported as such rather than as a database error.
        with transaction.atomic():
            publication = LcrPublication.objects.create(
                year=year,
                published_by=actor,
                local_value=city["local_value"],
                total_value=city["total_value"],
                lcr_percent=city["lcr_percent"],
                target_percent=city["target_percent"],
            )
    except IntegrityError:
        raise _already_published(selectors.lcr_published(year)) from None
    buyer_ids = dict(
        Enterprise.objects.filter(uscc__in=[row["buyer_uscc"] for row in firms]).values_list(
            "uscc", "pk"
        )
    )
    LcrPublishedFigure.objects.bulk_create(
        LcrPublishedFigure(
            publication=publication,
            buyer_id=buyer_ids[row["buyer_uscc"]],
            local_value=row["local_value"],
            total_value=row["total_value"],
            lcr_percent=row["lcr_percent"],
        )
        for row in firms
    )
    return publication


# --- technical evidence: measurement datasets ----------------------------------------------

#: A typed spec and the fit of its own data may differ by this fraction of the typed value
#: before the dataset is flagged to officials as contradicting the spec.
SPEC_CONTRADICTION_TOLERANCE = 0.20

#: File name endings accepted for each data file format (the content decides the format).
DATASET_EXTENSIONS = {
    measurements.FORMAT_CSV: (".csv", ".txt"),
    measurements.FORMAT_XLSX: (".xlsx",),
}

# Which status a dataset may move to from which; only officials move it.
DATASET_TRANSITIONS = {
    DatasetStatus.SUBMITTED: {DatasetStatus.ACCEPTED, DatasetStatus.REJECTED},
    DatasetStatus.ACCEPTED: {DatasetStatus.REJECTED},
    DatasetStatus.REJECTED: {DatasetStatus.ACCEPTED},
}


def _read_dataset_upload(upload) -> bytes:
    if upload.size > measurements.DATASET_MAX_BYTES:
        raise ValidationError(
            {
                "data_file": _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
                % {"size": upload.size, "limit": measurements.DATASET_MAX_BYTES}
            }
        )
    content = b"".join(upload.chunks())
    upload.seek(0)
    return content


def _check_report(upload) -> None:
    """The report must be a PDF, by content and name; errors on the field "report"."""
    head = upload.read(16)
    upload.seek(0)
    try:
        kind = check_document(name=upload.name, size=upload.size, head=head)
    except ValidationError as error:
        raise ValidationError({"report": error.message_dict.get("file", error.messages)}) from error
    if kind != PDF:
        raise ValidationError({"report": _("The report must be a PDF file.")})


def dataset_contradiction(product: Product, kind: str, fit: dict) -> str:
    """Why the fitted value contradicts the product's typed spec, or "" when it does not.

    σ at 25 °C is compared with the typed ionic conductivity, D (% per cycle) with the typed
    decay rate; they contradict when they differ by more than SPEC_CONTRADICTION_TOLERANCE of
    the typed value. A spec that is not typed cannot be contradicted.
    """
    if kind == DatasetKind.CONDUCTIVITY:
        typed, fitted = product.ionic_conductivity, fit.get("conductivity_25c_s_per_cm")
        label, unit = _("ionic conductivity"), "S/cm"
    else:
        typed, fitted = product.decay_rate, fit.get("decay_percent_per_cycle")
        label, unit = _("capacity decay"), "%/cycle"
    if typed is None or fitted is None:
        return ""
    if typed == 0:
        differs = abs(fitted) > 0
    else:
        differs = abs(fitted - typed) > SPEC_CONTRADICTION_TOLERANCE * abs(typed)
    if not differs:
        return ""
    return _(
        "The typed %(spec)s is %(typed).4g %(unit)s but its data fit %(fitted).4g %(unit)s "
        "(more than %(tolerance)s %% apart)."
    ) % {
        "spec": label,
        "typed": typed,
        "fitted": fitted,
        "unit": unit,
        "tolerance": round(SPEC_CONTRADICTION_TOLERANCE * 100),
    }


@transaction.atomic
def dataset_upload(
    *,
    actor: AbstractBaseUser,
    product: Product,
    kind: str,
    temperature_unit: str = "",
    lab: str,
    method: str,
    measured_on: datetime.date,
    data_file,
    report,
) -> MeasurementDataset:
    """A member attaches measured data and its lab report to a product; the data are fitted.

    Bad data are refused with every row error on "data_file"; nothing is stored unless the
    file reads, fits and the report is a PDF. A fit that contradicts the typed spec is saved,
    flagged and reported to the officials by email.
    """
    _require_member(actor, product.enterprise)
    if kind not in DatasetKind.values:
        raise ValidationError({"kind": _("Choose what the data measure.")})
    if kind == DatasetKind.CONDUCTIVITY and temperature_unit not in ("C", "K"):
        raise ValidationError(
            {"temperature_unit": _("State whether the temperatures are in °C or K.")}
        )
    if kind == DatasetKind.CAPACITY:
        temperature_unit = ""
    content = _read_dataset_upload(data_file)
    try:
        series = measurements.parse_dataset(content, kind, temperature_unit or None)
        fit = measurements.fit_series(series)
    except measurements.DatasetError as error:
        raise ValidationError({"data_file": error.messages}) from error
    if not data_file.name.lower().endswith(DATASET_EXTENSIONS[series["format"]]):
        raise ValidationError(
            {
                "data_file": _("“%(name)s” is a %(format)s file but its name says otherwise.")
                % {"name": data_file.name, "format": series["format"].upper()}
            }
        )
    _check_report(report)
    contradiction = dataset_contradiction(product, kind, fit)
    dataset = MeasurementDataset(
        product=product,
        kind=kind,
        temperature_unit=temperature_unit,
        lab=lab.strip(),
        method=method.strip(),
        measured_on=measured_on,
        original_name=data_file.name[-255:],
        file_format=series["format"],
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        token=secrets.token_hex(16),
        report_name=report.name[-255:],
        report_size_bytes=report.size,
        report_sha256=_sha256_of(report),
        series=series,
        fit=fit,
        contradicts_spec=bool(contradiction),
        contradiction_note=contradiction,
        uploaded_by=actor,
    )
    dataset.full_clean(exclude=["file", "report"])
    dataset.file.save("data", ContentFile(content), save=False)
    dataset.report.save("report", report, save=False)
    dataset.save()
    _record(
        enterprise=product.enterprise,
        product=product,
        actor=actor,
        from_status=product.status,
        to_status=product.status,
        reason=_("Measurement data attached to %(name)s: %(kind)s")
        % {"name": product.name, "kind": dataset.get_kind_display()},
    )
    if contradiction:
        send_mail_on_commit(
            lambda: _("SSB Portal: data contradict the spec of %(name)s") % {"name": product.name},
            # Worded again for each reader: the stored note is in the uploader's language.
            lambda: _("%(enterprise)s uploaded data for %(name)s. %(contradiction)s")
            % {
                "enterprise": product.enterprise.name_zh,
                "name": product.name,
                "contradiction": dataset_contradiction(product, kind, fit),
            }
            + "\n\n"
            + absolute_url(reverse("admin:directory_measurementdataset_change", args=[dataset.pk])),
            official_emails(),
        )
    return dataset


def _sha256_of(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _dataset_decide(
    *, actor: AbstractBaseUser, dataset: MeasurementDataset, target: str, reason: str
) -> MeasurementDataset:
    if not is_official(actor):
        raise PermissionDenied(_("Only officials may accept or reject measurement data."))
    dataset = (
        MeasurementDataset.objects.select_for_update()
        .select_related("product__enterprise")
        .get(pk=dataset.pk)
    )
    if target not in DATASET_TRANSITIONS.get(dataset.status, set()):
        raise ValidationError(
            _("A dataset that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": DatasetStatus(dataset.status).label,
                "target": DatasetStatus(target).label,
            }
        )
    dataset.status = target
    dataset.decided_by = actor
    dataset.decided_at = timezone.now()
    dataset.decision_reason = reason
    dataset.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    product = dataset.product
    _record(
        enterprise=product.enterprise,
        product=product,
        actor=actor,
        from_status=product.status,
        to_status=product.status,
        reason=_("Measurement data of %(name)s (%(kind)s) %(decision)s. %(reason)s")
        % {
            "name": product.name,
            "kind": dataset.get_kind_display(),
            "decision": DatasetStatus(target).label.lower(),
            "reason": reason,
        },
    )
    _notify_members_of_decision(
        product.enterprise,
        lazy(lambda: _("Measurement data of %(name)s") % {"name": product.name}, str)(),
        DatasetStatus(target).label,
        reason,
    )
    return dataset


@transaction.atomic
def dataset_accept(
    *, actor: AbstractBaseUser, dataset: MeasurementDataset, reason: str = ""
) -> MeasurementDataset:
    """An official accepts the data: the fit now backs the product's spec."""
    return _dataset_decide(
        actor=actor, dataset=dataset, target=DatasetStatus.ACCEPTED, reason=reason.strip()
    )


@transaction.atomic
def dataset_reject(
    *, actor: AbstractBaseUser, dataset: MeasurementDataset, reason: str
) -> MeasurementDataset:
    """An official rejects the data, saying why (the members are told)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the data are rejected.")})
    return _dataset_decide(
        actor=actor, dataset=dataset, target=DatasetStatus.REJECTED, reason=reason.strip()
    )
