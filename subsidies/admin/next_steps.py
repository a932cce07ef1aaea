"""What an official reads on an application's page when its next step is not one of their
buttons: a confirmation only another official may give, a notice published from the
programme's list (all its approved awards together)."""

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils.translation import gettext

from subsidies.models import Application, Programme
from subsidies.models import ApplicationStatus as S

#: The decisions on an approval awaiting confirmation, which its first approver may not take.
SECOND_OFFICIAL = frozenset({"confirm", "decline_confirmation"})


def publish_notice_url(programme: Programme) -> str:
    """The programmes' list showing only this programme, where its notice is published."""
    return f"{reverse('admin:subsidies_programme_changelist')}?id__exact={programme.pk}"


def next_step_notes(user: AbstractBaseUser, application: Application) -> list[str]:
    if (
        application.status == S.AWAITING_CONFIRMATION
        and application.first_approved_by_id == user.pk
    ):
        return [
            gettext(
                "You approved this award; a second official confirms it (or declines and sends "
                "it back to review)."
            )
        ]
    if application.status == S.APPROVED:
        return [
            gettext(
                "Approved awards are published together, programme by programme: on the "
                "programmes' list select “%(programme)s” and run “Publish public notice of the "
                "approved awards”. The notice then runs for %(days)d days and ends at the end "
                "of its last working day."
            )
            % {"programme": application.programme, "days": application.programme.notice_days}
        ]
    return []
