"""What a locked-out or over-eager client is told, and the portal's own request limits.

django-axes counts failed logins (portal, admin, API token) in the database and locks out a
username or a client address; `lockout_response` is its AXES_LOCKOUT_CALLABLE. Password reset
requests are not logins: `PasswordResetView` counts them per email and per client address in the
shared cache (`count_request`), so that every web process sees the same count.
"""

import hashlib
import math
from datetime import timedelta
from time import time

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from rest_framework import exceptions

from ssb_portal.client_address import client_address


class LockoutModelBackend(AxesStandaloneBackend, ModelBackend):
    """Django's ModelBackend, refusing a locked-out username or address before the password.

    Axes' own backends only refuse (they leave the password to a second backend); one backend
    that does both lets `login(request, user)` go without naming a backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        # Raises AxesBackendPermissionDenied (a PermissionDenied) while locked out; Django then
        # reports a failed login, which axes counts and answers with `lockout_response`.
        AxesStandaloneBackend.authenticate(self, request, username, password, **kwargs)
        return ModelBackend.authenticate(self, request, username, password, **kwargs)


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


def lockout_seconds(request: HttpRequest | None = None) -> int:
    """How long a locked-out client waits: the cool-off counts from the last failure."""
    cool_off = get_cool_off(request) or timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    return math.ceil(cool_off.total_seconds())


def lockout_message(seconds: float) -> str:
    minutes = _minutes(seconds)
    return ngettext(
        "Too many failed logins for this account or from this address. "
        "Try again in %(minutes)d minute.",
        "Too many failed logins for this account or from this address. "
        "Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def too_many_requests_page(request: HttpRequest, seconds: float, *, reset: bool) -> HttpResponse:
    """The site's page (429) for a client that must wait, with the wait in minutes."""
    response = render(
        request,
        "registration/locked_out.html",
        {"minutes": _minutes(seconds), "reset": reset},
        status=429,
    )
    response["Retry-After"] = str(math.ceil(seconds))
    return response


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """Axes' answer to a locked-out login: JSON for the API, the site's page otherwise."""
    seconds = lockout_seconds(request)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message(seconds)}, status=429)
        response["Retry-After"] = str(seconds)
        return response
    return too_many_requests_page(request, seconds, reset=False)


class LoginLockedOut(exceptions.Throttled):
    """The API's 429 for a locked-out username or address (with Retry-After)."""

    def __init__(self, request: HttpRequest):
        seconds = lockout_seconds(request)
        super().__init__(wait=seconds, detail=lockout_message(seconds))


def count_request(scope: str, who: str, limit: int, window: timedelta) -> int | None:
    """Count one request by `who` in a fixed window; the seconds to wait if over `limit`.

    The count lives in the shared cache (the key names a hash, never the email or address).
    """
    length = max(1, int(window.total_seconds()))
    now = int(time())
    start = now - now % length
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    key = f"limit:{scope}:{digest}:{start}"
    cache.add(key, 0, timeout=length)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=length)
        count = 1
    return start + length - now if count > limit else None


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, at most so many requests per email and per client address."""

    def form_valid(self, form):
        window = timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)
        email = form.cleaned_data["email"].strip().lower()
        waits = [
            count_request(
                "password-reset-account", email, settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT, window
            ),
            count_request(
                "password-reset-address",
                client_address(self.request) or "",
                settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
                window,
            ),
        ]
        wait = max((seconds for seconds in waits if seconds is not None), default=None)
        if wait is not None:
            return too_many_requests_page(self.request, wait, reset=True)
        return super().form_valid(form)
