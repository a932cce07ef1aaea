"""The header's "Due (n)" link. Counting what is due takes a query or two per kind, too many
for every page, so the count is kept in the session: counted at login and whenever the due
list is shown, and again once it is older than COUNT_FRESH_SECONDS."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from ssb_portal.reminders.selectors import due_for

SESSION_KEY = "reminders_due_count"
COUNT_FRESH_SECONDS = 600


def due_count_remember(request: HttpRequest, count: int) -> None:
    request.session[SESSION_KEY] = {"count": count, "at": time.time()}


def due_count(request: HttpRequest) -> dict:
    """Context processor: `due_count` for a signed-in user (None for anyone else)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"due_count": None}
    kept = request.session.get(SESSION_KEY)
    if not kept or time.time() - kept["at"] > COUNT_FRESH_SECONDS:
        kept = {"count": len(due_for(user))}
        due_count_remember(request, kept["count"])
    return {"due_count": kept["count"]}


@receiver(user_logged_in, dispatch_uid="ssb_portal.reminders.count_due_at_login")
def _count_due_at_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        due_count_remember(request, len(due_for(user)))
