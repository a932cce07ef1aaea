"""Email sent by services: only after the transaction commits, to de-duplicated addresses, each
in its reader's language."""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ssb_portal.languages import languages_of
from ssb_portal.roles import OFFICIAL_GROUP

# A message is written by a function, so that it can be written once per reader's language.
Compose = Callable[[], str]


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_mail_on_commit(
    subject: Compose,
    body: Compose,
    recipients: Iterable[str],
    *,
    one_message_each: bool = False,
) -> None:
    """After commit, send `subject()` and `body()` to each address, composed with the language
    its user chose active; an address with no known language gets the language active now
    (the acting person's, as for someone just signing up). Addresses sharing a language share
    a message, unless `one_message_each` (strangers who should not see each other's address)."""
    addresses = sorted({address for address in recipients if address})
    if not addresses:
        return
    fallback = translation.get_language() or settings.LANGUAGE_CODE

    def send() -> None:
        known = languages_of(addresses)
        by_language: dict[str, list[str]] = defaultdict(list)
        for address in addresses:
            by_language[known.get(address, fallback)].append(address)
        for language, group in sorted(by_language.items()):
            with translation.override(language):
                message = subject(), body()
            for to in [[address] for address in group] if one_message_each else [group]:
                send_mail(*message, settings.DEFAULT_FROM_EMAIL, to)

    transaction.on_commit(send)


def with_reason(text: str, reason: str) -> str:
    """A message's text followed by the decision's reason, where one was given."""
    if not reason:
        return text
    return text + "\n\n" + _("Reason: %(reason)s") % {"reason": reason}


def official_emails() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(groups__name=OFFICIAL_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
