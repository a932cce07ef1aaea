"""Officials' sessions end sooner: OFFICIAL_SESSION_MAX_AGE after login and
OFFICIAL_SESSION_IDLE after their last request (settings, from the environment); everyone
else keeps Django's SESSION_COOKIE_AGE.

At login a signal notes in the session whether the user is an official and when they logged
in; the middleware then needs no database query to decide (only the session it reads anyway).
An official whose session ran out is logged out and sent to the login page with a message.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils.translation import gettext as _

from ssb_portal.roles import is_official

OFFICIAL_KEY = "ssb_official"
LOGIN_AT_KEY = "ssb_login_at"
SEEN_AT_KEY = "ssb_seen_at"
# Activity is noted at most this often (seconds), so that an official's every request does
# not write the session; the idle timeout is exact to within this.
SEEN_RESOLUTION = 60


def _expiry(now: float, login_at: float) -> int:
    """Seconds the session may still live: the idle timeout, cut at the absolute limit."""
    remaining = settings.OFFICIAL_SESSION_MAX_AGE - (now - login_at)
    return max(1, int(min(settings.OFFICIAL_SESSION_IDLE, remaining)))


@receiver(user_logged_in, dispatch_uid="ssb_portal.sessions.note_login")
def note_login(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return  # token logins (API) have no session
    if not is_official(user):
        request.session.pop(OFFICIAL_KEY, None)
        return
    now = time.time()
    request.session[OFFICIAL_KEY] = True
    request.session[LOGIN_AT_KEY] = now
    request.session[SEEN_AT_KEY] = now
    request.session.set_expiry(_expiry(now, now))


class OfficialSessionMiddleware:
    """Ends an official's session past its absolute or idle limit; refreshes it on activity.

    Sits after the session, authentication and message middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.get(OFFICIAL_KEY):
            now = time.time()
            login_at = session.get(LOGIN_AT_KEY, now)
            seen_at = session.get(SEEN_AT_KEY, now)
            too_old = now - login_at >= settings.OFFICIAL_SESSION_MAX_AGE
            idle = now - seen_at >= settings.OFFICIAL_SESSION_IDLE
            if too_old or idle:
                return self.expired(request, idle=idle and not too_old)
            if LOGIN_AT_KEY not in session or now - seen_at >= SEEN_RESOLUTION:
                session[LOGIN_AT_KEY] = login_at
                session[SEEN_AT_KEY] = now
                session.set_expiry(_expiry(now, login_at))
        return self.get_response(request)

    def expired(self, request, *, idle: bool):
        logout(request)
        if request.path.startswith("/api/"):
            # The API answers as to anyone signed out (401/403) rather than with a page.
            return self.get_response(request)
        if idle:
            text = _("You were signed out after %(minutes)d minutes without activity.") % {
                "minutes": settings.OFFICIAL_SESSION_IDLE // 60
            }
        else:
            text = _("Officials are signed out %(hours)d hours after signing in.") % {
                "hours": settings.OFFICIAL_SESSION_MAX_AGE // 3600
            }
        messages.warning(request, text + " " + _("Please sign in again."))
        return redirect_to_login(request.get_full_path())
