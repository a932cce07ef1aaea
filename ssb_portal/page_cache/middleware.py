"""Keeps the answers to anonymous GETs (pages and public API reads) and serves them again while
every table they read is unchanged.

A request is answered from the cache only when nothing in it can make its answer personal: a
GET, no session or messages cookie, no Authorization header, a path outside the signed-in
areas. The key is the scheme, host, path and query, the language and the Accept header (the
API's format). A fresh answer is kept only when it is a plain 200 that set no cookie, read
no user, added no message and wrote nothing. The CSRF token of the header's forms (the
language switch) is cut out before the page is kept, and each visitor gets a token of their
own when it is served: no visitor ever sees another's token.

The tables' versions are read before the page is rendered, so a write that commits while it
renders leaves the page already retired. When the cache (or the database holding it) cannot
be reached, the request is answered as if there were no page cache: the database outage keeps
its 503 (ssb_portal/database_outage.py).
"""

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.cache import cc_delim_re
from django.utils.functional import SimpleLazyObject, empty

from ssb_portal.database_outage import is_connection_failure
from ssb_portal.page_cache import tables

logger = logging.getLogger(__name__)

KEY_PREFIX = "page-cache:page:"
# Where the visitor's own CSRF token goes when a kept page is served. A NUL byte cannot
# appear in the HTML the templates write.
CSRF_HOLE = b"\x00csrf\x00"
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{64})(")')
_TOKEN_LIKE = re.compile(rb"[A-Za-z0-9]{64}")
# Paths whose answers are personal or part of signing in, whoever asks.
PERSONAL_PREFIXES = ("/admin/", "/accounts/", "/api/v1/auth/", "/healthz", "/i18n/")
# Request headers an answer may vary on and still be kept: the key holds the language and
# Accept, and a kept page is served only to visitors without a session or messages cookie.
KEYED_VARY_HEADERS = {"accept", "accept-language", "cookie"}
# Headers of the kept answer that belong to the request that made it.
NOT_KEPT_HEADERS = {"x-request-id", "set-cookie"}


def _may_be_anonymous_page(request) -> bool:
    if request.method != "GET" or not settings.PAGE_CACHE:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return not request.path.startswith(PERSONAL_PREFIXES)


def page_key(request) -> str:
    parts = "\n".join(
        (
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            getattr(request, "LANGUAGE_CODE", ""),
            request.META.get("HTTP_ACCEPT", ""),
        )
    )
    return KEY_PREFIX + hashlib.sha256(parts.encode()).hexdigest()


def _read_a_user(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return False
    return user.is_authenticated


def _added_a_message(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _content_without_csrf_token(request, content: bytes) -> bytes | None:
    """The page with the holes where its forms carried the visitor's CSRF token; None when
    the token appears anywhere else (the page cannot be shared)."""
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return content
    secret = request.META.get("CSRF_COOKIE", "")
    punched = _CSRF_INPUT.sub(lambda match: match[1] + CSRF_HOLE + match[3], content)
    if secret and secret.encode() in punched:
        return None
    for candidate in _TOKEN_LIKE.findall(punched):
        if _unmask_cipher_token(candidate.decode()) == secret:
            return None
    return punched


class PageCacheMiddleware:
    """Sits inside the session, locale, CSRF, authentication and messages middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_be_anonymous_page(request):
            return self.get_response(request)
        try:
            key = page_key(request)
            kept = self.kept_answer(request, key)
            if kept is not None:
                return kept
            versions = tables.table_versions(tables.portal_tables())
        except Exception as error:  # noqa: BLE001 (any cache or database failure: no cache)
            self.note_failure(request, error)
            return self.get_response(request)
        with tables.recording() as seen:
            response = self.get_response(request)
        content = self.shareable_content(request, response, seen)
        if content is not None:
            entry = {
                "versions": {table: versions[table] for table in seen.read},
                "status": response.status_code,
                "headers": [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in NOT_KEPT_HEADERS
                ],
                "content": content,
            }
            try:
                cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
            except Exception as error:  # noqa: BLE001
                self.note_failure(request, error)
        return response

    def kept_answer(self, request, key: str) -> HttpResponse | None:
        entry = cache.get(key)
        if entry is None:
            return None
        kept_versions = entry["versions"]
        if kept_versions:
            current = cache.get_many([tables.version_key(t) for t in kept_versions])
            for table, version in kept_versions.items():
                if current.get(tables.version_key(table)) != version:
                    return None
        content = entry["content"]
        if CSRF_HOLE in content:
            content = content.replace(CSRF_HOLE, get_token(request).encode())
        return HttpResponse(content, status=entry["status"], headers=entry["headers"])

    def shareable_content(self, request, response, seen: tables.Recording) -> bytes | None:
        """The answer's content when it may be kept for every anonymous visitor, else None."""
        if response.status_code != 200 or response.streaming or response.cookies:
            return None
        if seen.wrote or _read_a_user(request) or _added_a_message(request):
            return None
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return None
        if not set(cc_delim_re.split(response.get("Vary", "").lower())) <= KEYED_VARY_HEADERS | {
            ""
        }:
            return None
        return _content_without_csrf_token(request, response.content)

    @staticmethod
    def note_failure(request, error: BaseException) -> None:
        # An unreachable database is logged once by the outage middleware when the view
        # meets it too; anything else is worth one line here.
        if not is_connection_failure(error):
            logger.warning("Page cache unavailable for %s: %s", request.path, error)
