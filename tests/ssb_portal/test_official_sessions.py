"""Officials' sessions end 8 hours after login or 30 minutes after their last request
(OFFICIAL_SESSION_MAX_AGE, OFFICIAL_SESSION_IDLE); everyone else keeps Django's two weeks.
Time is moved by setting the session's timestamps back."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ssb_portal.sessions import LOGIN_AT_KEY, SEEN_AT_KEY
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
HOUR = 3600


def move_back(client, key: str, seconds: float) -> None:
    session = client.session
    session[key] -= seconds
    session.save()


@pytest.fixture
def signed_in_official(client, official):
    response = client.post(reverse("login"), {"username": "official", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_an_official_session_lasts_the_idle_timeout_not_two_weeks(signed_in_official):
    response = signed_in_official.get(reverse("admin:index"))

    assert response.status_code == 200
    assert signed_in_official.session.get_expiry_age() <= 30 * 60
    assert signed_in_official.cookies["sessionid"]["max-age"] <= 30 * 60


def test_other_users_keep_the_default_lifetime(client, settings, db):
    UserFactory(username="applicant")
    client.post(reverse("login"), {"username": "applicant", "password": PASSWORD})

    response = client.get(reverse("directory:my_enterprises"))

    assert response.status_code == 200
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert LOGIN_AT_KEY not in client.session


def test_an_idle_official_is_sent_to_the_login_page_with_a_message(signed_in_official):
    move_back(signed_in_official, SEEN_AT_KEY, 31 * 60)

    response = signed_in_official.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "30 minutes without activity" in message
    assert "_auth_user_id" not in signed_in_official.session
    assert signed_in_official.get(reverse("admin:index")).status_code == 302


def test_an_active_official_is_still_signed_out_eight_hours_after_login(signed_in_official):
    move_back(signed_in_official, LOGIN_AT_KEY, 8 * HOUR + 1)

    response = signed_in_official.get(reverse("admin:index"))

    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "8 hours after signing in" in message


def test_activity_keeps_an_official_signed_in_and_restarts_the_idle_clock(signed_in_official):
    move_back(signed_in_official, SEEN_AT_KEY, 20 * 60)
    before = signed_in_official.session[SEEN_AT_KEY]

    response = signed_in_official.get(reverse("admin:index"))

    assert response.status_code == 200
    assert signed_in_official.session[SEEN_AT_KEY] > before + 19 * 60
    assert signed_in_official.session.get_expiry_age() > 29 * 60


def test_the_idle_clock_never_outlasts_the_absolute_limit(signed_in_official):
    move_back(signed_in_official, LOGIN_AT_KEY, 8 * HOUR - 5 * 60)
    move_back(signed_in_official, SEEN_AT_KEY, 2 * 60)

    assert signed_in_official.get(reverse("admin:index")).status_code == 200
    assert signed_in_official.session.get_expiry_age() <= 5 * 60


def test_the_limits_come_from_settings(client, official, settings):
    settings.OFFICIAL_SESSION_IDLE = 5 * 60
    client.post(reverse("login"), {"username": "official", "password": PASSWORD})
    move_back(client, SEEN_AT_KEY, 6 * 60)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "5 minutes without activity" in message


def test_the_api_answers_an_expired_official_as_signed_out(signed_in_official):
    move_back(signed_in_official, SEEN_AT_KEY, 31 * 60)

    response = signed_in_official.get("/api/v1/purchases/")

    assert response.status_code in {401, 403}
    assert "_auth_user_id" not in signed_in_official.session


def test_a_quiet_official_request_does_not_write_the_session(
    signed_in_official, django_assert_max_num_queries
):
    signed_in_official.get(reverse("admin:index"))
    with django_assert_max_num_queries(30) as captured:
        signed_in_official.get(reverse("admin:index"))
    writes = [q["sql"] for q in captured.captured_queries if "UPDATE" in q["sql"]]
    assert not [sql for sql in writes if "django_session" in sql]
