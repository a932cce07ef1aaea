"""Email sent by services: only after the transaction commits, to de-duplicated addresses."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from ssb_portal.roles import OFFICIAL_GROUP


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_mail_on_commit(subject: str, body: str, recipients: Iterable[str]) -> None:
    addresses = sorted({address for address in recipients if address})
    if not addresses:
        return
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses))


def official_emails() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(groups__name=OFFICIAL_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
