"""Reads of the demonstration projects (issue 6): the public showcase, who operates a project."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from alliance.demonstrations.models import DemonstrationProject, FieldReport
from directory.models import Enterprise, Membership


def demonstrations_public() -> QuerySet[DemonstrationProject]:
    """Every demonstration project (a public showcase), with what its targets are judged on."""
    return (
        DemonstrationProject.objects.select_related("operator")
        .prefetch_related(
            Prefetch("suppliers", queryset=Enterprise.objects.order_by("name_zh", "pk")),
            Prefetch(
                "reports", queryset=FieldReport.objects.order_by("reported_on", "cycles_done", "pk")
            ),
        )
        .order_by("-start_date", "-pk")
    )


def demonstration_public(pk: int) -> DemonstrationProject:
    return get_object_or_404(demonstrations_public(), pk=pk)


def is_demonstration_operator(user: AbstractBaseUser | AnonymousUser, project) -> bool:
    """Whether the user is a member of the organisation that operates the project."""
    return bool(
        user.is_authenticated
        and Membership.objects.filter(user=user, enterprise_id=project.operator_id).exists()
    )
