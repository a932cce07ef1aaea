"""Accounts: an SME signs up with its enterprise and confirms the account by email."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from directory.models import Enterprise, SupplyCategory
from directory.services.enterprises import enterprise_from_data, enterprise_register
from ssb_portal.mail import absolute_url, send_mail_on_commit

User = get_user_model()


ACTIVATION_SALT = "directory.account-activation"


def activation_token_make(user: AbstractBaseUser) -> str:
    return signing.dumps({"user": user.pk}, salt=ACTIVATION_SALT)


@transaction.atomic
def account_signup_with_enterprise(
    *,
    username: str,
    email: str,
    password: str,
    enterprise_data: dict[str, Any],
    categories: Iterable[SupplyCategory],
) -> tuple[AbstractBaseUser, Enterprise]:
    """An SME signs up: an inactive user and its pending enterprise, confirmed by email."""
    errors: dict[str, list] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken.")]
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this email address exists already.")]
    user = User(username=username, email=email, is_active=False)
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        # Report the enterprise's problems in the same answer, so the form is fixed at once.
        try:
            enterprise_from_data(enterprise_data).full_clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    enterprise = enterprise_register(actor=user, data=enterprise_data, categories=categories)
    link = absolute_url(reverse("account_activate", args=[activation_token_make(user)]))
    send_mail_on_commit(
        lambda: _("Confirm your SSB Portal account"),
        lambda: _(
            "Welcome to SSB Portal.\n\nConfirm your account by opening this link within "
            "%(days)d days:\n%(link)s\n\nYour enterprise %(name)s is registered and waits "
            "for verification by the city's officials."
        )
        % {
            "days": settings.ACCOUNT_ACTIVATION_DAYS,
            "link": link,
            "name": enterprise.name_zh,
        },
        [email],
    )
    return user, enterprise


@transaction.atomic
def account_activate(*, token: str) -> AbstractBaseUser:
    try:
        payload = signing.loads(
            token,
            salt=ACTIVATION_SALT,
            max_age=settings.ACCOUNT_ACTIVATION_DAYS * 86400,
        )
    except signing.SignatureExpired as error:
        raise ValidationError(
            _("This confirmation link has expired. Sign up again or ask for help.")
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(_("This confirmation link is not valid.")) from error
    user = User.objects.select_for_update().filter(pk=payload["user"]).first()
    if user is None:
        raise ValidationError(_("This confirmation link is not valid."))
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user
