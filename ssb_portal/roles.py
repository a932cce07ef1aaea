"""The portal's roles, as Django groups created by a migration."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

SME_GROUP = "SME"
ANCHOR_GROUP = "Anchor enterprise"
OFFICIAL_GROUP = "Official"


def is_official(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=OFFICIAL_GROUP).exists()


def require_official(user: AbstractBaseUser) -> None:
    """Refuse (PermissionDenied) anyone but an official."""
    if not is_official(user):
        raise PermissionDenied(_("Only officials may do this."))
