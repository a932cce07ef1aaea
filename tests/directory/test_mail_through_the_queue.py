"""Every e-mail goes through the task queue: a mail server that is down never turns a saved
action into an error page; the mail waits, with its error, retried with back-off, then in
the admin for an official to resend once the server is back."""

import datetime
import socket

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ssb_portal.outgoing_mail.delivery import mail_deliver
from ssb_portal.outgoing_mail.models import OutgoingMail, OutgoingMailStatus
from ssb_portal.task_recovery.services import recover_stalled_tasks
from tests.directory.test_accounts import SIGNUP, link_in, signup_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SMTP = "django.core.mail.backends.smtp.EmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
FOUNDER = "founder@newsme.example"


@pytest.fixture
def mail_server_down(settings):
    """SMTP pointed at a port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAIL_DELIVERY_BACKEND = SMTP
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5


def test_a_sign_up_with_the_mail_server_down_ends_on_the_normal_page(
    client, mail_server_down, settings, official, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("signup_done")
    undelivered = OutgoingMail.objects.get(recipients=FOUNDER)
    assert undelivered.status == OutgoingMailStatus.UNDELIVERED
    assert undelivered.tries == 1
    assert undelivered.last_try_at is not None
    assert "ConnectionRefusedError" in undelivered.last_error
    assert not mail.outbox

    # The officials see it, with its error; the server is back and they resend it.
    settings.MAIL_DELIVERY_BACKEND = LOCMEM
    client.force_login(official)
    changelist = reverse("admin:ssb_portal_outgoingmail_changelist")
    listing = client.get(changelist, {"status": "undelivered"}).content.decode()
    assert "founder@newsme.example" in listing
    assert "ConnectionRefusedError" in listing
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post(
            changelist, {"action": "resend", "_selected_action": [undelivered.pk]}, follow=True
        )

    assert "1 e-mails queued again." in resent.content.decode()
    (message,) = mail.outbox
    assert message.to == [FOUNDER]
    assert "/accounts/activate/" in link_in(message, "activate")
    undelivered.refresh_from_db()
    assert (undelivered.status, undelivered.tries) == (OutgoingMailStatus.SENT, 2)
    # Sent once: resending a sent mail is refused and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            changelist, {"action": "resend", "_selected_action": [undelivered.pk]}, follow=True
        )
    assert "Only undelivered e-mail can be resent." in again.content.decode()
    assert len(mail.outbox) == 1


def test_only_officials_see_the_outgoing_mail(client, mail_server_down):
    staff_without_role = UserFactory(is_staff=True)
    client.force_login(staff_without_role)

    response = client.get(reverse("admin:ssb_portal_outgoingmail_changelist"))

    assert response.status_code == 403


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_request_does_not_wait_for_the_mail_server(
    client, database_queue, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data())

    assert response.status_code == 302
    (queued,) = OutgoingMail.objects.all()
    assert (queued.status, queued.tries, queued.recipients) == ("queued", 0, FOUNDER)
    assert DBTaskResult.objects.ready().count() == 1
    assert not mail.outbox


def test_failed_tries_are_retried_later_and_later_then_left_undelivered(
    client, database_queue, mail_server_down, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_MAX_TRIES = 3
    settings.MAIL_RETRY_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, signup_data())
    queued = OutgoingMail.objects.get(recipients=FOUNDER)

    delays = []
    for _try in range(3):
        mail_deliver(mail_id=queued.pk)
        queued.refresh_from_db()
        deliveries = deliveries_of(queued)
        delays.append(deliveries[-1].run_after - queued.last_try_at)

    assert delays[:2] == [datetime.timedelta(seconds=60), datetime.timedelta(seconds=120)]
    assert (queued.status, queued.tries) == (OutgoingMailStatus.UNDELIVERED, 3)
    assert len(deliveries_of(queued)) == 3  # the first delivery and two retries, no more


def deliveries_of(outgoing: OutgoingMail) -> list[DBTaskResult]:
    return [
        task
        for task in DBTaskResult.objects.order_by("enqueued_at")
        if task.args_kwargs["args"] == [outgoing.pk]
    ]


def test_a_delivery_whose_worker_died_is_tried_again(
    client, database_queue, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, signup_data())
    (delivery,) = DBTaskResult.objects.all()
    delivery.claim("died-while-sending")
    OutgoingMail.objects.update(status=OutgoingMailStatus.SENDING)

    recover_stalled_tasks(
        now=timezone.now() + datetime.timedelta(seconds=settings.TASK_STALL_SECONDS + 1)
    )

    delivery.refresh_from_db()
    assert delivery.status == "READY"
    assert OutgoingMail.objects.get().status == OutgoingMailStatus.QUEUED
    mail_deliver(mail_id=OutgoingMail.objects.get().pk)
    assert [message.to for message in mail.outbox] == [[FOUNDER]]
