"""Who sees what: the applications a user may read or act on as the applicant's member,
their threads, and the conflicts of interest that keep a user from deciding.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from directory.access import is_member_of
from directory.models import Enterprise, Membership, PurchaseLine
from ssb_portal.roles import is_official
from subsidies.models import (
    Application,
    ApplicationStatus,
    ClaimedLine,
    ConflictDeclaration,
    Message,
    Objection,
    Review,
    Transition,
)


def applications_visible_to(
    user: AbstractBaseUser | AnonymousUser, *, official: bool | None = None
) -> QuerySet[Application]:
    """Officials see every application; members see their organisations' ones; others none.

    `official` spares the role query when the caller has already asked.
    """
    applications = Application.objects.select_related("programme", "applicant")
    if is_official(user) if official is None else official:
        return applications
    if not user.is_authenticated:
        return applications.none()
    # Assigned reviewers read what they score (but not the officials' internal notes).
    mine = Membership.objects.filter(user=user, enterprise=OuterRef("applicant"))
    reviewing = Review.objects.filter(reviewer=user, application=OuterRef("pk"))
    return applications.filter(Exists(mine) | Exists(reviewing))


def application_for(user: AbstractBaseUser, pk: int) -> Application:
    """One application the user may see, or 404 (never 403: its existence is not revealed)."""
    return get_object_or_404(applications_visible_to(user), pk=pk)


def applicant_line_for_official(user: AbstractBaseUser, pk: int, line_id: int) -> PurchaseLine:
    """A purchase line of the application's applicant, for an official to decide on; 404 for
    anyone else, and for a line that is not the applicant's."""
    if not is_official(user):
        raise Http404
    application = get_object_or_404(Application.objects.only("applicant_id"), pk=pk)
    return get_object_or_404(
        PurchaseLine.objects.only("pk"), pk=line_id, buyer_id=application.applicant_id
    )


def application_detail(user: AbstractBaseUser, pk: int) -> Application:
    """An application with everything its page shows, in a fixed number of queries."""
    official = is_official(user)
    messages = Message.objects.select_related("author")
    if not official:
        messages = messages.filter(internal=False)
    queryset = (
        applications_visible_to(user, official=official)
        .select_related("applicant__district", "notice")
        .prefetch_related(
            Prefetch(
                "claimed_lines",
                queryset=ClaimedLine.objects.select_related(
                    "purchase_line__category", "purchase_line__supplier"
                ),
            ),
            "kpi_targets",
            "milestones",
            "documents",
            Prefetch("transitions", queryset=Transition.objects.select_related("actor")),
            Prefetch("messages", queryset=messages),
            "appeals",
            Prefetch("objections", queryset=Objection.objects.order_by("lodged_at", "pk")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def is_applicant_member(user: AbstractBaseUser, application: Application) -> bool:
    return is_member_of(user, application.applicant_id)


def last_return_note(application: Application) -> str:
    """What the official asked to change the last time the application was returned."""
    returned = (
        application.transitions.filter(to_status=ApplicationStatus.RETURNED)
        .order_by("-created_at", "-pk")
        .first()
    )
    return returned.note if returned else ""


def applications_of_member(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Application]:
    """Applications of the user's own organisations (officials see only their own here too)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.select_related("programme", "applicant").filter(
        applicant__memberships__user=user
    )


def application_for_member(user: AbstractBaseUser | AnonymousUser, pk: int) -> Application:
    """An application the user may change as its applicant's member, or 404 for everybody else
    (officials included: they decide in the admin, they do not act for the applicant)."""
    return get_object_or_404(applications_of_member(user), pk=pk)


def application_messages(user: AbstractBaseUser, application: Application) -> QuerySet[Message]:
    """The application's thread as the user may read it: internal notes for officials only."""
    messages = application.messages.select_related("author")
    if not is_official(user):
        messages = messages.filter(internal=False)
    return messages


def related_enterprise_ids(enterprise: Enterprise) -> list[int]:
    """The ids of the enterprise and of every enterprise of its group."""
    if enterprise.group_id is None:
        return [enterprise.pk]
    return list(
        Enterprise.objects.filter(group_id=enterprise.group_id).values_list("pk", flat=True)
    )


def conflict_of_interest(user: AbstractBaseUser, enterprise: Enterprise) -> str | None:
    """Why the user may not review or decide for this enterprise, or None when they may.

    A conflict is declared, or detected: a membership in the enterprise or in any enterprise
    of its group.
    """
    related = related_enterprise_ids(enterprise)
    if Membership.objects.filter(user=user, enterprise_id__in=related).exists():
        return _("You are a member of the applicant's organisation or its group.")
    declared = ConflictDeclaration.objects.filter(user=user, enterprise_id__in=related).first()
    if declared is not None:
        return _("You declared a conflict of interest: %(reason)s") % {"reason": declared.reason}
    return None
