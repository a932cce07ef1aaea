"""What every service checks first: who may act, and the rows it locks.

Money moves lock the programme's row and then the enterprise's (or its group's) row,
always in that order, so concurrent decisions neither overspend nor deadlock each other.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from directory.models import Enterprise, EnterpriseGroup
from subsidies.models import Application, Programme
from subsidies.selectors.access import conflict_of_interest, is_applicant_member


def require_applicant(actor: AbstractBaseUser, application: Application) -> None:
    """Refuse (PermissionDenied) anyone who is not a member of the applicant."""
    if not is_applicant_member(actor, application):
        raise PermissionDenied(_("Only members of the applicant may do this."))


def require_no_conflict(actor: AbstractBaseUser, application: Application) -> None:
    """Separation of duties: nobody decides on their own organisation or a declared conflict."""
    reason = conflict_of_interest(actor, application.applicant)
    if reason:
        raise PermissionDenied(
            _("You may not review or decide this application. %(reason)s") % {"reason": reason}
        )


def require_note(note: str, what: str, *, field: str = "note") -> str:
    """The stripped text, or a ValidationError on `field` asking for it."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({field: _("Give the reason for %(what)s.") % {"what": what}})
    return note


def lock_application(application: Application) -> Application:
    """The application read again under a row lock (select_for_update), with its programme
    and applicant."""
    return (
        Application.objects.select_for_update()
        .select_related("programme", "applicant__district")
        .get(pk=application.pk)
    )


def lock_programme(programme_id: int) -> Programme:
    """The programme read under a row lock: the first lock of every money move."""
    return Programme.objects.select_for_update().get(pk=programme_id)


def lock_recipient(enterprise: Enterprise) -> None:
    """Lock the row whose awards one cap counts: the group's, or the enterprise's own."""
    if enterprise.group_id is not None:
        EnterpriseGroup.objects.select_for_update().get(pk=enterprise.group_id)
    else:
        Enterprise.objects.select_for_update().only("pk").get(pk=enterprise.pk)
