"""Password guessing stops: the portal login, the admin login and the API token endpoint lock
out a username and a client address after LOGIN_FAILURE_LIMIT failures (the right password
included, until the cool-off has passed); password reset requests are limited too. Officials
see and clear lockouts in the admin.

Issue 16 found 40 wrong passwords on /accounts/login/ and 20 on /admin/login/ all answered 200
with the right password working afterwards, and a token limit a client escaped by sending its own
X-Forwarded-For.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import checks, mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
TOKEN_URL = "/api/v1/auth/token/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def login(client, username, password, url=None, **extra):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, **extra
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- the portal's login --------------------------------------------------------------------


def test_forty_wrong_passwords_lock_the_portal_login_and_the_right_one_waits(client):
    UserFactory(username="erp")

    answers = [login(client, "erp", f"guess-{n}").status_code for n in range(40)]
    right = login(client, "erp", PASSWORD)

    limit = settings.LOGIN_FAILURE_LIMIT
    assert answers[: limit - 1] == [200] * (limit - 1)
    assert set(answers[limit - 1 :]) == {429}
    assert right.status_code == 429
    assert not logged_in(client)
    page = right.content.decode()
    assert "Too many failed logins" in page
    assert "Try again in 15 minutes." in page
    assert right["Retry-After"] == "900"
    assert 'class="site-header"' in page  # the site's own layout


def test_the_lockout_page_speaks_chinese(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    UserFactory(username="erp")

    for n in range(settings.LOGIN_FAILURE_LIMIT):
        answer = login(client, "erp", f"guess-{n}")

    assert answer.status_code == 429
    assert "15 分钟后再试" in answer.content.decode()


def test_twenty_wrong_passwords_lock_the_admin_login(client, official):
    answers = [login(client, "official", f"guess-{n}", ADMIN_LOGIN).status_code for n in range(20)]
    right = login(client, "official", PASSWORD, ADMIN_LOGIN)

    assert 429 in answers
    assert right.status_code == 429
    assert not logged_in(client)
    assert "Try again in 15 minutes." in right.content.decode()


def test_a_username_is_locked_whatever_address_guesses(client):
    UserFactory(username="erp")
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, "erp", "guess", REMOTE_ADDR=f"198.51.100.{n + 1}")

    assert login(client, "erp", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert not logged_in(client)


def test_an_address_is_locked_whatever_username_it_tries(client):
    UserFactory(username="erp")
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, f"user-{n}", "guess", REMOTE_ADDR="198.51.100.7")

    assert login(client, "erp", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429
    elsewhere = login(client, "erp", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert elsewhere.status_code == 302
    assert logged_in(client)


def test_a_few_typos_do_not_lock_anybody_out(client):
    UserFactory(username="erp")
    for n in range(settings.LOGIN_FAILURE_LIMIT - 1):
        login(client, "erp", f"typo-{n}")

    assert login(client, "erp", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client):
    UserFactory(username="erp")
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, "erp", f"guess-{n}")
    assert login(client, "erp", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert login(client, "erp", PASSWORD).status_code == 302
    assert logged_in(client)


def test_limit_and_cool_off_come_from_settings(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    UserFactory(username="erp")

    answers = [login(client, "erp", "guess").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert "Try again in 30 minutes." in login(client, "erp", PASSWORD).content.decode()


# --- the API token endpoint ----------------------------------------------------------------


def test_wrong_passwords_lock_the_token_endpoint_with_a_429_and_the_wait(api_client):
    UserFactory(username="erp")
    guess = {"username": "erp", "password": "guess"}

    answers = [
        api_client.post(TOKEN_URL, guess, format="json")
        for _ in range(settings.LOGIN_FAILURE_LIMIT)
    ]
    right = api_client.post(TOKEN_URL, {"username": "erp", "password": PASSWORD}, format="json")

    assert [a.status_code for a in answers[:-1]] == [400] * (settings.LOGIN_FAILURE_LIMIT - 1)
    assert answers[-1].status_code == 429
    assert right.status_code == 429
    assert right["Retry-After"] == "900"
    assert "Try again in 15 minutes." in right.json()["detail"]
    assert not Token.objects.exists()


def test_spoofed_forwarded_for_does_not_escape_the_token_rate_limit(api_client):
    UserFactory(username="erp")
    right = {"username": "erp", "password": PASSWORD}
    for _ in range(20):
        assert api_client.post(TOKEN_URL, right, format="json").status_code == 200
    Token.objects.all().delete()

    spoofed = [
        api_client.post(
            TOKEN_URL, right, format="json", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(30)
    ]

    assert spoofed == [429] * 30
    assert not Token.objects.exists()


def test_spoofed_forwarded_for_does_not_escape_the_lockout(api_client):
    UserFactory(username="erp")
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        api_client.post(
            TOKEN_URL,
            {"username": f"user-{n}", "password": "guess"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )

    right = api_client.post(
        TOKEN_URL,
        {"username": "erp", "password": PASSWORD},
        format="json",
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )

    assert right.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_one_proxy_the_right_most_address_is_the_client(api_client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="erp")
    right = {"username": "erp", "password": PASSWORD}

    def ask(forwarded_for: str) -> int:
        return api_client.post(
            TOKEN_URL, right, format="json", HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    # The client forges the left part; our proxy appends the address it saw.
    answers = [ask(f"10.0.0.{n}, 203.0.113.7") for n in range(21)]

    assert answers[:20] == [200] * 20
    assert answers[20] == 429
    assert ask("203.0.113.8") == 200  # another client behind the same proxy


def test_behind_one_proxy_failed_logins_count_against_the_right_most_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="erp")
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, f"user-{n}", "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7")

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert login(client, "erp", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert login(client, "erp", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


# --- password reset ------------------------------------------------------------------------


def reset(client, email, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def test_password_reset_requests_are_limited_per_email(client, settings):
    UserFactory(username="erp", email="erp@example.com")
    limit = settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT

    answers = [
        reset(client, "erp@example.com", REMOTE_ADDR=f"198.51.100.{n}").status_code
        for n in range(limit + 1)
    ]

    assert answers == [302] * limit + [429]
    assert len(mail.outbox) == limit
    refused = reset(client, "ERP@example.com", REMOTE_ADDR="203.0.113.1")
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert "Try again in" in refused.content.decode()


def test_password_reset_requests_are_limited_per_address(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 3

    answers = [reset(client, f"someone-{n}@example.com").status_code for n in range(4)]

    assert answers == [302, 302, 302, 429]
    assert reset(client, "other@example.com", REMOTE_ADDR="203.0.113.1").status_code == 302


# --- officials -----------------------------------------------------------------------------


def test_officials_see_and_clear_a_lockout_in_the_admin(client, official):
    UserFactory(username="erp")
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, "erp", f"guess-{n}", REMOTE_ADDR="198.51.100.7")
    (attempt,) = AccessAttempt.objects.all()
    assert "guess-" not in attempt.post_data  # the passwords tried are not kept

    client.force_login(official)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "erp" in listing.content.decode()
    delete_url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    client.logout()

    assert not AccessAttempt.objects.exists()
    assert login(client, "erp", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_axes_is_configured_as_its_checks_expect():
    assert [message.id for message in checks.run_checks() if message.id.startswith("axes")] == []


def test_a_request_limit_opens_again_when_its_window_ends(monkeypatch):
    from ssb_portal import login_protection

    window = timedelta(minutes=60)
    monkeypatch.setattr(login_protection, "time", lambda: 7200.0 + 600)
    assert login_protection.count_request("demo", "someone", 1, window) is None
    assert login_protection.count_request("demo", "someone", 1, window) == 3000
    assert login_protection.count_request("demo", "somebody else", 1, window) is None

    monkeypatch.setattr(login_protection, "time", lambda: 7200.0 + 3600)
    assert login_protection.count_request("demo", "someone", 1, window) is None
