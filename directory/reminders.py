"""The directory's reminders (issue 18): a certificate about to expire, told to the members of
its enterprise 60, 30 and 7 days before; a verified bill of materials about to run out, told
30 and 7 days before; and who is told of what an enterprise is due, used by the apps above as
well. The reminders' run also expires the bills whose validity has passed (a chore)."""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.composition.services import bills_page_path, bom_expire_due
from directory.models import BillOfMaterials, BomStatus, Certification, Membership
from ssb_portal.pages import url_at
from ssb_portal.reminders import (
    Chore,
    DueItem,
    ReminderKind,
    name_in_language,
    register,
    register_chore,
)

#: Days before expiry at which a certificate's holders are reminded (the largest first).
CERTIFICATE_WARNING_DAYS = (60, 30, 7)
#: Days before a verified bill of materials runs out at which its supplier is reminded.
BILL_WARNING_DAYS = (30, 7)


def members_by_enterprise(
    enterprise_ids, *, user: AbstractBaseUser | None = None
) -> dict[int, list[AbstractBaseUser]]:
    """The active members of each enterprise (only `user`, when given), in one query: those
    reminded of what their enterprise is due."""
    memberships = Membership.objects.filter(
        enterprise_id__in=set(enterprise_ids), user__is_active=True
    ).select_related("user")
    if user is not None:
        memberships = memberships.filter(user=user)
    members: dict[int, list[AbstractBaseUser]] = defaultdict(list)
    for membership in memberships:
        members[membership.enterprise_id].append(membership.user)
    return members


def expiry_warning(days_left: int, warnings: tuple[int, ...]) -> str:
    """The occasion something with `days_left` is reminded of: the nearest of the `warnings`
    it has reached (a run missed at 30 days still tells at 7)."""
    reached = min(days for days in warnings if days_left <= days)
    return f"{reached}-days"


def _expiring(
    rows,
    *,
    kind: str,
    warnings: tuple[int, ...],
    today: date,
    user: AbstractBaseUser | None,
    enterprise_path: str,
    text: Callable[[object], Callable[[], str]],
    path: Callable[[object], str],
):
    """What runs out within the largest of `warnings` days, told to the members of the
    enterprise at `enterprise_path` of each row (only `user`, when given): one query for the
    rows, one for the members."""
    rows = rows.filter(
        valid_until__gte=today, valid_until__lte=today + timedelta(days=max(warnings))
    ).select_related(enterprise_path)
    if user is not None:
        rows = rows.filter(**{f"{enterprise_path}__memberships__user": user})
    rows = list(rows)

    def enterprise_of(row):
        for name in enterprise_path.split("__"):
            row = getattr(row, name)
        return row

    members = members_by_enterprise([enterprise_of(row).pk for row in rows], user=user)
    for row in rows:
        for member in members[enterprise_of(row).pk]:
            yield DueItem(
                kind=kind,
                object_id=str(row.pk),
                recipient=member,
                due_on=row.valid_until,
                overdue=False,
                occasion=expiry_warning((row.valid_until - today).days, warnings),
                text=text(row),
                path=path(row),
            )


def _certificate_text(
    *, scheme: str, number: str, enterprise: tuple[str, str], valid_until: date
) -> str:
    return _(
        "The %(scheme)s certificate %(number)s of %(enterprise)s expires on %(date)s: "
        "add the renewed certificate."
    ) % {
        "scheme": scheme,
        "number": number,
        "enterprise": name_in_language(*enterprise),
        "date": valid_until,
    }


def certificates_expiring(*, today: date, user: AbstractBaseUser | None = None):
    return _expiring(
        Certification.objects.all(),
        kind=CERTIFICATE_EXPIRING.key,
        warnings=CERTIFICATE_WARNING_DAYS,
        today=today,
        user=user,
        enterprise_path="enterprise",
        text=lambda certificate: partial(
            _certificate_text,
            scheme=certificate.scheme,
            number=certificate.number,
            enterprise=(certificate.enterprise.name_zh, certificate.enterprise.name_en),
            valid_until=certificate.valid_until,
        ),
        path=lambda certificate: url_at(
            "directory:my_enterprise", certificate.enterprise.uscc, anchor="certifications"
        ),
    )


CERTIFICATE_EXPIRING = register(
    ReminderKind(
        key="certificate_expiring",
        label=gettext_lazy("A certificate about to expire"),
        collect=certificates_expiring,
    )
)


def _bill_text(*, product: str, enterprise: tuple[str, str], valid_until: date) -> str:
    return _(
        "The verified bill of materials of %(product)s (%(enterprise)s) runs out on %(date)s: "
        "declare a new one in time for an official to verify it, or the product counts with "
        "its declared local share again."
    ) % {"product": product, "enterprise": name_in_language(*enterprise), "date": valid_until}


def bills_expiring(*, today: date, user: AbstractBaseUser | None = None):
    return _expiring(
        BillOfMaterials.objects.filter(status=BomStatus.VERIFIED),
        kind=BILL_EXPIRING.key,
        warnings=BILL_WARNING_DAYS,
        today=today,
        user=user,
        enterprise_path="product__enterprise",
        text=lambda bill: partial(
            _bill_text,
            product=bill.product.name,
            enterprise=(bill.product.enterprise.name_zh, bill.product.enterprise.name_en),
            valid_until=bill.valid_until,
        ),
        path=lambda bill: bills_page_path(bill.product),
    )


BILL_EXPIRING = register(
    ReminderKind(
        key="bill_of_materials_expiring",
        label=gettext_lazy("A verified bill of materials about to run out"),
        collect=bills_expiring,
    )
)

EXPIRE_BILLS = register_chore(
    Chore(
        key="expire_bills_of_materials",
        done="bill(s) of materials expired.",
        run=lambda today: bom_expire_due(day=today),
    )
)
