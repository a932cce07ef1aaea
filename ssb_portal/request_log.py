"""Structured logs: a JSON formatter for every log record, and one line per request.

Each request gets an id: the `X-Request-ID` the proxy in front sent (when it looks like one),
or a new one; it is returned in the response's `X-Request-ID` header and logged with the
user id, method, path, status and duration in milliseconds (logger "ssb_portal.requests").
"""

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.utils.functional import SimpleLazyObject, empty

logger = logging.getLogger("ssb_portal.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# A forwarded id is kept only when it is short and plain, so a client cannot forge log lines.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# The attributes every LogRecord has; anything else was passed in `extra` and is logged.
_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the record's extras
    and, for an exception, its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def request_id_for(request) -> str:
    forwarded = request.headers.get(REQUEST_ID_HEADER, "")
    if REQUEST_ID_PATTERN.match(forwarded):
        return forwarded
    return uuid.uuid4().hex


def user_id_of(request) -> int | None:
    """The signed-in user's id when the request already looked the user up (no extra query
    just to log it); None for anonymous requests."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    # AuthenticationMiddleware's lazy user: not evaluated means the view never asked.
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """Outermost middleware: times the request and logs it once it has its response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id_for(request)
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response[REQUEST_ID_HEADER] = request.request_id
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.request_id,
                "user_id": user_id_of(request),
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response
