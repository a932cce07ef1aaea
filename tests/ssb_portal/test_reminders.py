"""The reminder engine (issue 18): each reminder mailed once per occasion, in its reader's
language, not to those who opted out of its kind; the settings page; the read-only admin."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ssb_portal.languages import language_preference_set
from ssb_portal.management.commands.send_reminders import run_periodically
from ssb_portal.reminders import ReminderKind, kinds, register
from ssb_portal.reminders.models import ReminderOptOut, SentReminder
from ssb_portal.reminders.services import reminders_send
from tests.factories import CertificationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

EVERY_KIND = {
    "bill_of_materials_expiring",
    "call_closing",
    "certificate_expiring",
    "invitation_unanswered",
    "meeting_unanswered",
    "milestone_report",
    "notice_ending",
    "review_pending",
    "scholarship_closing",
}


@pytest.fixture
def holder(sme):
    """The SME's administrator, whose ISO 9001 certificate expires in 20 days."""
    CertificationFactory(
        enterprise=sme, valid_until=timezone.localdate() + datetime.timedelta(days=20)
    )
    return sme.owner


def send(django_capture_on_commit_callbacks, **kwargs) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return reminders_send(**kwargs)


def test_every_app_registers_its_kinds():
    assert {kind.key for kind in kinds()} == EVERY_KIND


def test_a_kind_is_registered_once():
    with pytest.raises(ValueError, match="registered twice"):
        register(ReminderKind(key="certificate_expiring", label="x", collect=lambda **kw: []))


def test_a_reminder_is_mailed_once_and_a_second_run_sends_nothing(
    holder, django_capture_on_commit_callbacks
):
    assert send(django_capture_on_commit_callbacks) == 1
    assert send(django_capture_on_commit_callbacks) == 0

    [message] = mail.outbox
    assert message.to == [holder.email]
    assert "certificate" in message.subject.lower()
    assert "expires on" in message.body
    assert reverse("reminders:settings") in message.body
    sent = SentReminder.objects.get()
    assert (sent.kind, sent.recipient, sent.occasion) == ("certificate_expiring", holder, "30-days")


def test_the_next_occasion_of_the_same_object_is_mailed_again(
    holder, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    send(django_capture_on_commit_callbacks, today=today)
    send(django_capture_on_commit_callbacks, today=today + datetime.timedelta(days=14))

    assert len(mail.outbox) == 2
    assert set(SentReminder.objects.values_list("occasion", flat=True)) == {"30-days", "7-days"}


def test_the_command_sends_once(holder, django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
        call_command("send_reminders")

    assert len(mail.outbox) == 1
    # Each run first does the calendar's chores (bills of materials that ran out expire).
    assert capsys.readouterr().out.splitlines() == [
        "0 bill(s) of materials expired.",
        "1 reminder(s) sent.",
        "0 bill(s) of materials expired.",
        "0 reminder(s) sent.",
    ]


def test_an_opted_out_kind_is_not_mailed_but_still_listed(
    holder, client, django_capture_on_commit_callbacks
):
    ReminderOptOut.objects.create(user=holder, kind="certificate_expiring")

    assert send(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert not SentReminder.objects.exists()

    client.force_login(holder)
    assert "expires on" in client.get(reverse("reminders:due")).content.decode()


def test_another_members_opt_out_does_not_stop_mine(
    holder, sme, django_capture_on_commit_callbacks
):
    colleague = MembershipFactory(enterprise=sme).user
    ReminderOptOut.objects.create(user=colleague, kind="certificate_expiring")

    send(django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [[holder.email]]


def test_a_reminder_is_written_in_its_readers_language(
    holder, sme, django_capture_on_commit_callbacks
):
    colleague = MembershipFactory(enterprise=sme).user
    language_preference_set(user=holder, language="zh-hans")
    language_preference_set(user=colleague, language="en")

    send(django_capture_on_commit_callbacks)

    by_reader = {message.to[0]: message for message in mail.outbox}
    chinese, english = by_reader[holder.email], by_reader[colleague.email]
    assert "提醒" in chinese.subject
    assert "到期" in chinese.body
    assert sme.name_zh in chinese.body
    assert "expires on" in english.body
    assert sme.name_en in english.body


def test_users_without_an_address_or_inactive_are_not_mailed(
    holder, sme, django_capture_on_commit_callbacks
):
    MembershipFactory(enterprise=sme, user=UserFactory(email=""))
    MembershipFactory(enterprise=sme, user=UserFactory(is_active=False))

    assert send(django_capture_on_commit_callbacks) == 1


def test_the_settings_page_lists_every_kind_ticked(client, sme):
    client.force_login(sme.owner)

    page = client.get(reverse("reminders:settings")).content.decode()

    for key in EVERY_KIND:
        assert f'value="{key}"' in page
    assert page.count("checked") == len(EVERY_KIND)


def test_unticking_a_kind_opts_out_and_ticking_it_again_opts_back_in(client, sme):
    client.force_login(sme.owner)
    keep = sorted(EVERY_KIND - {"certificate_expiring"})

    response = client.post(reverse("reminders:settings"), {"receive": keep})

    assert response.status_code == 302
    assert list(ReminderOptOut.objects.values_list("user", "kind")) == [
        (sme.owner.pk, "certificate_expiring")
    ]
    client.post(reverse("reminders:settings"), {"receive": sorted(EVERY_KIND)})
    assert not ReminderOptOut.objects.exists()


def test_an_unknown_kind_is_refused_on_its_field(client, sme):
    client.force_login(sme.owner)

    response = client.post(reverse("reminders:settings"), {"receive": ["no_such_kind"]})

    assert response.status_code == 400
    assert "no_such_kind" in response.content.decode()
    assert not ReminderOptOut.objects.exists()


def test_the_settings_page_asks_to_log_in(client):
    response = client.get(reverse("reminders:settings"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_officials_read_sent_reminders_and_nobody_edits_them(
    client, official, holder, django_capture_on_commit_callbacks
):
    send(django_capture_on_commit_callbacks)
    sent = SentReminder.objects.get()
    client.force_login(official)

    listing = client.get(reverse("admin:ssb_portal_sentreminder_changelist"))
    assert listing.status_code == 200
    assert "A certificate about to expire" in listing.content.decode()
    assert client.get(reverse("admin:ssb_portal_sentreminder_add")).status_code == 403
    page = client.get(reverse("admin:ssb_portal_sentreminder_change", args=[sent.pk]))
    assert page.status_code == 200
    assert 'name="occasion"' not in page.content.decode()


def test_the_loop_keeps_sending_after_a_failed_run():
    runs: list[str] = []

    def step():
        runs.append("run")
        if len(runs) == 1:
            raise RuntimeError("database away")

    def sleep(seconds):
        assert seconds == 60
        if len(runs) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_periodically(step, every=60, sleep=sleep)

    assert runs == ["run", "run", "run"]
