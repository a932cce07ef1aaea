"""Email reaches each person in the language they read the portal in, whoever's action sent it."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from directory.models import ListingStatus
from directory.services.enterprises import enterprise_verify
from ssb_portal.languages import language_preference_set, languages_of
from ssb_portal.mail import send_mail_on_commit
from ssb_portal.models import LanguagePreference
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory

PASSWORD = "correct horse battery staple"  # UserFactory's


def _language_of(user) -> str | None:
    preference = LanguagePreference.objects.filter(user=user).first()
    return preference.language if preference else None


@pytest.mark.django_db
@pytest.mark.parametrize(("accept_language", "expected"), [("en", "en"), ("zh-CN", "zh-hans")])
def test_logging_in_remembers_the_language_the_portal_speaks(client, accept_language, expected):
    user = UserFactory(username="wang")

    response = client.post(
        reverse("login"),
        {"username": "wang", "password": PASSWORD},
        headers={"accept-language": accept_language},
    )

    assert response.status_code == 302
    assert _language_of(user) == expected


@pytest.mark.django_db
def test_switching_language_remembers_the_choice_of_a_signed_in_user(client):
    user = UserFactory(username="wang")
    client.force_login(user)
    language_preference_set(user=user, language="zh-hans")

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert _language_of(user) == "en"


@pytest.mark.django_db
def test_an_anonymous_switch_sets_the_cookie_and_stores_nothing(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.cookies["django_language"].value == "en"
    assert not LanguagePreference.objects.exists()


@pytest.mark.django_db
def test_a_language_the_portal_does_not_speak_is_not_remembered(client):
    user = UserFactory(username="wang")
    client.force_login(user)
    language_preference_set(user=user, language="zh-hans")

    response = client.post(reverse("set_language"), {"language": "klingon", "next": "/"})

    assert response.status_code == 302
    assert _language_of(user) == "zh-hans"
    assert language_preference_set(user=user, language="klingon") is None


@pytest.mark.django_db
def test_the_switch_only_answers_post(client):
    assert client.get(reverse("set_language"), {"language": "en"}).status_code == 405


@pytest.mark.django_db
def test_a_decision_reaches_each_member_in_their_own_language(
    official, django_capture_on_commit_callbacks
):
    enterprise = EnterpriseFactory(status=ListingStatus.PENDING)
    reads_chinese = MembershipFactory(enterprise=enterprise).user
    reads_english = MembershipFactory(enterprise=enterprise).user
    language_preference_set(user=reads_chinese, language="zh-hans")
    language_preference_set(user=reads_english, language="en")

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        enterprise_verify(actor=official, enterprise=enterprise)

    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert set(by_recipient) == {(reads_chinese.email,), (reads_english.email,)}
    assert "已审核通过" in by_recipient[(reads_chinese.email,)].body
    assert by_recipient[(reads_chinese.email,)].subject.startswith("固态电池产业链平台")
    assert "verified" in by_recipient[(reads_english.email,)].body
    assert by_recipient[(reads_english.email,)].subject.startswith("SSB Portal")


@pytest.mark.django_db
def test_an_address_of_unknown_language_gets_the_senders_language(
    django_capture_on_commit_callbacks,
):
    reader = UserFactory(username="li")
    language_preference_set(user=reader, language="en")

    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        send_mail_on_commit(
            lambda: translation.gettext("Reason: %(reason)s") % {"reason": "x"},
            lambda: translation.get_language(),
            ["new-colleague@example.com", reader.email],
        )

    assert sorted((message.to, message.body) for message in mail.outbox) == [
        (["li@example.com"], "en"),
        (["new-colleague@example.com"], "zh-hans"),
    ]


@pytest.mark.django_db
def test_readers_of_one_language_share_a_message_unless_each_gets_their_own(
    django_capture_on_commit_callbacks,
):
    addresses = ["a@example.com", "b@example.com"]

    with django_capture_on_commit_callbacks(execute=True):
        send_mail_on_commit(lambda: "shared", lambda: "body", addresses)
        send_mail_on_commit(lambda: "own", lambda: "body", addresses, one_message_each=True)

    assert [(message.subject, message.to) for message in mail.outbox] == [
        ("shared", addresses),
        ("own", ["a@example.com"]),
        ("own", ["b@example.com"]),
    ]


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_mail_on_commit(lambda: "s", lambda: "b", ["a@example.com"])
        raise RuntimeError

    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_languages_of_many_addresses_take_one_query(django_assert_num_queries):
    users = [UserFactory() for _ in range(5)]
    for user in users:
        language_preference_set(user=user, language="en")
    inactive = UserFactory(is_active=False)
    language_preference_set(user=inactive, language="en")

    with django_assert_num_queries(1):
        languages = languages_of([user.email for user in users] + [inactive.email, "x@example.com"])

    assert languages == {user.email: "en" for user in users}
