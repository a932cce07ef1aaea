"""Officials see the e-mail on its way out, the undelivered first, and resend it."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit.actions import RowAction, admin_actions, done_counted
from ssb_portal.admin_kit.admins import DecisionsAdmin
from ssb_portal.outgoing_mail.delivery import mail_resend
from ssb_portal.outgoing_mail.models import OutgoingMail, OutgoingMailStatus

RESEND = RowAction(
    name="resend",
    label=_("Resend"),
    call=lambda actor, mail, data: mail_resend(mail=mail),
    done=done_counted(_("%(count)d e-mails queued again.")),
    form=None,
)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(DecisionsAdmin):
    list_display = ("recipients", "subject", "status", "tries", "last_try_at", "last_error")
    list_filter = ("status",)
    search_fields = ("recipients", "subject")
    readonly_fields = (
        "recipients",
        "subject",
        "body",
        "from_email",
        "status",
        "tries",
        "last_try_at",
        "last_error",
        "created_at",
        "sent_at",
    )
    fields = readonly_fields
    actions = admin_actions(RESEND)

    def applicable_actions(self, obj: OutgoingMail) -> list[str]:
        return ["resend"] if obj.status == OutgoingMailStatus.UNDELIVERED else []
