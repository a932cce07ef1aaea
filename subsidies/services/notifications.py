"""The emails the services send after commit, each in its reader's language."""

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from directory.access import member_emails
from ssb_portal.mail import absolute_url, official_emails, send_mail_on_commit
from subsidies.models import Application


def application_url(application: Application) -> str:
    """The absolute link to the application's page, for emails."""
    return absolute_url(reverse("subsidies:application", args=[application.pk]))


def notify_applicant(application: Application, what: Promise, note: str = "") -> None:
    """`what` is a lazy translation, so that each reader gets it in their language."""

    def body() -> str:
        text = _("%(programme)s, application #%(pk)s: %(what)s") % {
            "programme": application.programme.name_zh,
            "pk": application.pk,
            "what": what,
        }
        return "\n\n".join(part for part in (text, note, application_url(application)) if part)

    send_mail_on_commit(
        lambda: _("SSB Portal: application #%(pk)s %(what)s")
        % {"pk": application.pk, "what": what},
        body,
        member_emails(application.applicant),
    )


def notify_officials(application: Application, what: Promise) -> None:
    """`what` is a lazy translation, so that each official gets it in their language."""
    send_mail_on_commit(
        lambda: _("SSB Portal: waiting for you: %(what)s") % {"what": what},
        lambda: _("%(applicant)s, application #%(pk)s: %(what)s")
        % {"applicant": application.applicant.name_zh, "pk": application.pk, "what": what}
        + "\n\n"
        + application_url(application),
        official_emails(),
    )
