"""An enterprise's members: invitations by email, accepting and revoking them, removing members."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Enterprise, Invitation, Membership, MembershipRole
from directory.services.enterprises import join_role_group
from ssb_portal.mail import absolute_url, send_mail_on_commit

User = get_user_model()


INVITATION_SALT = "directory.invitation"


def _require_owner(user: AbstractBaseUser, enterprise: Enterprise) -> None:
    if not Membership.objects.filter(
        user=user, enterprise=enterprise, role=MembershipRole.OWNER
    ).exists():
        raise PermissionDenied(_("Only the enterprise's administrators may manage its members."))


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
    join_role_group(user, invitation.enterprise.kind)
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
