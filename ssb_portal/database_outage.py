"""While the database cannot be reached, every page answers a friendly 503 (in the visitor's
language, with Retry-After) and the API a JSON 503, never a server error with a traceback.

`DatabaseOutageMiddleware.process_exception` answers a view whose database went away (the
session and the user are looked up lazily, in the view); `server_error` (handler500) answers
what a middleware raised when it met the outage first (with DEBUG off, as in production). A kept
connection is health-checked before a request uses it (CONN_HEALTH_CHECKS).
An error from a database that still answers (a missing table, a bad query) stays a 500: only an
unreachable database is an outage. The next request connects again, so the portal recovers by
itself when the database is back.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import defaults

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again (a restart of PostgreSQL takes a few).
RETRY_AFTER_SECONDS = 5
# SQLSTATE classes PostgreSQL sends when it is going away or not there yet: 08 connection
# exceptions, 57P0x shut down by an administrator or a crash, cannot connect now.
GONE_SQLSTATE_PREFIXES = ("08", "57P")
UNAVAILABLE = _("The portal's database cannot be reached just now. Please try again in a moment.")


def is_connection_failure(error: BaseException) -> bool:
    """True when `error` comes from a database that cannot be reached (refused, restarted,
    connection cut), not from a query the database answered with an error."""
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    if connection.connection is None:
        return True  # connecting failed, or the broken connection is already closed
    if _driver_says_gone(error.__cause__):
        return True
    try:
        return not connection.is_usable()
    except Exception:  # noqa: BLE001 (asking a dead connection may fail in any way)
        return True


def _driver_says_gone(cause: BaseException | None) -> bool:
    """What psycopg reported, when it did: a lost connection (an operational error the client
    raised, without a server's SQLSTATE) or a server going down. Judged from the error, not from
    the connection afterwards: by then a closed connection may have been opened anew and be
    usable, and the error would have become a 500."""
    try:
        import psycopg
    except ImportError:  # SQLite-only installs
        return False
    if not isinstance(cause, psycopg.OperationalError):
        return False
    return cause.sqlstate is None or cause.sqlstate.startswith(GONE_SQLSTATE_PREFIXES)


def unavailable_response(request) -> HttpResponse:
    """The 503: JSON under /api/, a page in the visitor's language elsewhere. Neither touches
    the database (no session, no user): the language comes from the cookie or the browser."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": gettext(UNAVAILABLE)}, status=503)
        else:
            page = loader.render_to_string(
                "503.html", {"LANGUAGE_CODE": translation.get_language()}
            )
            response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Logged once, as a warning, by this module; Django's request logger would log every 503
    # of an outage again as an error (it honours this mark of its own).
    response._has_been_logged = True
    return response


def _log_outage(request, error: BaseException) -> None:
    # One line, no traceback: an outage is an operational event, not a bug.
    logger.warning(
        "Database unreachable, answered 503: %s %s: %s",
        request.method,
        request.path,
        str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
    )


class DatabaseOutageMiddleware:
    """Turns a view's connection failure into the 503. It opens no connection itself: a request
    that needs no database (a refused API call, say) never touches it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_connection_failure(exception):
            _log_outage(request, exception)
            return unavailable_response(request)
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """Django's 500 page, unless the error was the database going away (raised by a middleware
    after the connection check): then the 503."""
    error = sys.exc_info()[1]
    if error is not None and is_connection_failure(error):
        return unavailable_response(request)
    return defaults.server_error(request, template_name)
