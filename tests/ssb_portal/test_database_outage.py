"""While the database cannot be reached, pages answer a friendly 503 in the visitor's language
and the API a JSON 503, both with Retry-After and no traceback; /healthz says the database is
down; the next request after the database is back is served as usual (issue 20)."""

import logging

import psycopg
import pytest
from django.db import OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.test import RequestFactory

from ssb_portal import database_outage


class RefusedConnection:
    """A database that refuses every connection (as PostgreSQL does while it restarts)."""

    connection = None

    def cursor(self):
        raise OperationalError("connection to server at 127.0.0.1 port 5432 failed: refused")

    def is_usable(self):
        return False


@pytest.fixture(autouse=True, params=["page cache off", "page cache on"])
def page_cache(request, settings):
    """Every outage answer holds with the page cache on too (issue 20, "Load held"): the
    shared cache is then the database's own table, down with it."""
    settings.PAGE_CACHE = request.param == "page cache on"


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as on a cut connection, and the connection is no longer usable."""

    def refused(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CursorWrapper, "execute", refused)
    monkeypatch.setattr(CursorWrapper, "executemany", refused)
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    return monkeypatch


@pytest.mark.django_db
def test_a_page_answers_503_in_chinese_when_asked(client, database_down):
    response = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")

    assert response.status_code == 503
    assert response["Retry-After"] == str(database_outage.RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert "暂时无法访问" in page
    assert "Traceback" not in page and "OperationalError" not in page


@pytest.mark.django_db
def test_a_page_answers_503_in_english_when_asked(client, database_down):
    response = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
    assert "cannot be reached just now" in response.content.decode()


@pytest.mark.django_db
def test_a_form_post_answers_503_not_500(client, database_down):
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})

    assert response.status_code == 503


@pytest.mark.django_db
def test_the_api_answers_json_503(api_client, database_down):
    response = api_client.get("/api/v1/enterprises/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(database_outage.RETRY_AFTER_SECONDS)
    assert "cannot be reached" in response.json()["detail"]


@pytest.mark.django_db
def test_the_outage_is_logged_in_one_line_without_traceback(client, database_down, caplog):
    with caplog.at_level(logging.WARNING, logger="ssb_portal.database_outage"):
        client.get("/directory/")

    (record,) = [r for r in caplog.records if r.name == "ssb_portal.database_outage"]
    assert all(r.exc_info is None for r in caplog.records)
    assert "GET /directory/" in record.getMessage()


@pytest.mark.django_db
def test_healthz_says_the_database_is_down(client, monkeypatch):
    from ssb_portal import health

    monkeypatch.setattr(health, "connection", RefusedConnection())
    monkeypatch.setattr(database_outage, "connection", RefusedConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "error"}


@pytest.mark.django_db
def test_the_portal_recovers_when_the_database_is_back(client, database_down):
    assert client.get("/directory/").status_code == 503

    database_down.undo()

    assert client.get("/directory/").status_code == 200


@pytest.mark.django_db
def test_a_connection_cut_while_a_view_runs_answers_503(monkeypatch):
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    request = RequestFactory().get("/api/v1/enterprises/")
    middleware = database_outage.DatabaseOutageMiddleware(lambda request: None)

    response = middleware.process_exception(request, OperationalError("server closed"))

    assert response.status_code == 503
    assert response["Retry-After"]


@pytest.mark.django_db
def test_an_error_from_a_database_that_answers_stays_an_error(monkeypatch):
    request = RequestFactory().get("/directory/")
    middleware = database_outage.DatabaseOutageMiddleware(lambda request: None)
    connection.ensure_connection()

    assert middleware.process_exception(request, OperationalError("no such table: x")) is None


def _wrapped(cause: Exception) -> OperationalError:
    """The error as Django raises it: its own class, the driver's error as the cause."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cause",
    [
        psycopg.OperationalError("consuming input failed: server closed the connection"),
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.errors.CannotConnectNow("the database system is starting up"),
    ],
    ids=["connection lost", "administrator shutdown", "starting up"],
)
def test_a_lost_connection_is_an_outage_even_if_the_next_connection_works(cause):
    # The connection a request lost can be closed and opened anew (the database is back) before
    # the error is judged; the driver's own report must still make it a 503, not a 500.
    connection.ensure_connection()
    request = RequestFactory().get("/api/v1/enterprises/")
    middleware = database_outage.DatabaseOutageMiddleware(lambda request: None)

    response = middleware.process_exception(request, _wrapped(cause))

    assert response is not None and response.status_code == 503


@pytest.mark.django_db
def test_a_query_the_server_cancelled_stays_an_error():
    connection.ensure_connection()
    request = RequestFactory().get("/directory/")
    middleware = database_outage.DatabaseOutageMiddleware(lambda request: None)
    cancelled = psycopg.errors.QueryCanceled("canceling statement due to statement timeout")

    assert middleware.process_exception(request, _wrapped(cancelled)) is None


@pytest.mark.django_db
def test_handler500_answers_503_when_a_middleware_lost_the_database(monkeypatch):
    monkeypatch.setattr(database_outage, "connection", RefusedConnection())
    request = RequestFactory().get("/directory/", HTTP_ACCEPT_LANGUAGE="en")
    try:
        raise OperationalError("terminating connection due to administrator command")
    except OperationalError:
        response = database_outage.server_error(request)

    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()


@pytest.mark.django_db
def test_handler500_keeps_other_errors_a_500(rf):
    request = rf.get("/directory/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = database_outage.server_error(request)

    assert response.status_code == 500
