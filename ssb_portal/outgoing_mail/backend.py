"""The EMAIL_BACKEND of the portal: messages are queued, not sent (ssb_portal.outgoing_mail)."""

from django.core.mail.backends.base import BaseEmailBackend

from ssb_portal.outgoing_mail.delivery import mail_queue


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            mail_queue(message)
        return len(email_messages)
