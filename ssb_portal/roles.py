"""The portal's roles, as Django groups created by a migration."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

SME_GROUP = "SME"
ANCHOR_GROUP = "Anchor enterprise"
OFFICIAL_GROUP = "Official"


def is_official(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=OFFICIAL_GROUP).exists()
