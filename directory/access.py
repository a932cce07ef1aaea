"""Who may act for an enterprise: the membership reads and checks that every part of the
directory, and the apps above it, share."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from directory.models import Enterprise, Membership


def enterprises_of_member(user: AbstractBaseUser) -> QuerySet[Enterprise]:
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(memberships__user=user).select_related("district")


def enterprise_for_member(*, user: AbstractBaseUser, uscc: str) -> Enterprise:
    """The enterprise if the user is one of its members; 404 for everybody else."""
    return get_object_or_404(enterprises_of_member(user), uscc=uscc)


def is_member_of(user: AbstractBaseUser, enterprise_id: int) -> bool:
    """Whether the user belongs to the organisation: the one access rule every app shares."""
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, enterprise_id=enterprise_id).exists()
    )


def member_emails(enterprise: Enterprise) -> list[str]:
    """Where to write to an organisation: its active members' addresses."""
    return list(
        get_user_model()
        .objects.filter(memberships__enterprise=enterprise, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _is_member(user: AbstractBaseUser, enterprise: Enterprise) -> bool:
    return is_member_of(user, enterprise.pk)


def require_member(user: AbstractBaseUser, enterprise: Enterprise) -> None:
    if not _is_member(user, enterprise):
        raise PermissionDenied(_("Only members of this enterprise may change it."))
