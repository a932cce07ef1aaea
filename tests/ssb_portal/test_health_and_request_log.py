"""/healthz answers 200 while the database does and 503 when it does not, with no session;
every request is logged as one JSON line with its request id, user, status and duration."""

import json
import logging
import re
import sys

import pytest
from django.db import OperationalError
from django.urls import reverse

from ssb_portal import health
from ssb_portal.request_log import JsonFormatter
from tests.factories import UserFactory


@pytest.mark.django_db
def test_healthz_answers_while_the_database_does(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert not response.cookies  # no session, no CSRF cookie
    assert "no-cache" in response["Cache-Control"]


class BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    monkeypatch.setattr(health, "connection", BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "error"}


@pytest.mark.django_db
def test_healthz_needs_no_login_even_for_a_signed_in_user(client):
    client.force_login(UserFactory())
    assert client.get("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


class Lines(logging.Handler):
    """The request logger's output, formatted as in production."""

    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def request_log():
    logger = logging.getLogger("ssb_portal.requests")
    handler, level = Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.mark.django_db
def test_each_request_is_one_json_line_with_id_user_status_and_duration(client, request_log):
    user = UserFactory()
    client.force_login(user)

    response = client.get(
        reverse("directory:my_enterprises"), headers={"x-request-id": "lb-7f3a.42"}
    )

    assert response["X-Request-ID"] == "lb-7f3a.42"
    [line] = request_log
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["request_id"] == "lb-7f3a.42"
    assert entry["user_id"] == user.pk
    assert entry["method"] == "GET"
    assert entry["path"] == reverse("directory:my_enterprises")
    assert entry["status"] == 200
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
    assert entry["level"] == "INFO" and entry["logger"] == "ssb_portal.requests"


@pytest.mark.django_db
@pytest.mark.parametrize("sent", [None, "", "x" * 200, "evil\nid", 'a"b'])
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(client, request_log, sent):
    headers = {} if sent is None else {"x-request-id": sent}

    response = client.get("/healthz", headers=headers)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    entry = json.loads(request_log[-1])
    assert entry["request_id"] == response["X-Request-ID"]
    assert entry["user_id"] is None


def test_the_json_formatter_keeps_extras_and_the_traceback():
    try:
        raise ValueError("bad row 3")
    except ValueError:
        record = logging.getLogger("ssb_portal.test").makeRecord(
            "ssb_portal.test",
            logging.ERROR,
            __file__,
            1,
            "import %s failed",
            ("42",),
            exc_info=sys.exc_info(),
            extra={"import_id": 42, "名称": "电池"},
        )

    entry = json.loads(JsonFormatter().format(record))

    assert entry["message"] == "import 42 failed"
    assert entry["import_id"] == 42
    assert entry["名称"] == "电池"
    assert "ValueError: bad row 3" in entry["exception"]
    assert entry["time"].endswith("+00:00")
