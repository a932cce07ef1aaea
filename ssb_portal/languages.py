"""Each user's language, remembered so that email reaches them in the language they read.

A user's language is the one they picked in the header's switch, or else the one the portal
spoke to them in when they last logged in (their browser's preference or earlier pick).
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import get_supported_language_variant

from ssb_portal.models import LanguagePreference


def language_preference_set(*, user, language: str) -> LanguagePreference | None:
    """Remember `language` for `user`; a code the portal does not speak is ignored."""
    try:
        language = get_supported_language_variant(language)
    except LookupError:
        return None
    preference, _created = LanguagePreference.objects.update_or_create(
        user=user, defaults={"language": language, "updated_at": timezone.now()}
    )
    return preference


def languages_of(addresses: Iterable[str]) -> dict[str, str]:
    """The remembered language of each address that belongs to an active user with one
    (one query). Where several users share an address, the most recent choice wins."""
    rows = (
        get_user_model()
        .objects.filter(
            email__in=list(addresses), is_active=True, language_preference__isnull=False
        )
        .order_by("language_preference__updated_at")
        .values_list("email", "language_preference__language")
    )
    return dict(rows)


@receiver(user_logged_in, dispatch_uid="ssb_portal.remember_language_at_login")
def _remember_language_at_login(sender, request, user, **kwargs) -> None:
    language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
    language_preference_set(user=user, language=language)
