"""The directory's reminders (issue 18): a certificate about to expire, told to the members of
its enterprise 60, 30 and 7 days before; a verified bill of materials about to run out, told
30 and 7 days before; and who is told of what an enterprise is due, used by the apps above as
well. The reminders' run also expires the bills whose validity has passed (a chore)."""

from collections import defaultdict
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


def expiry_warning(days_left: int, warnings: tuple[int, ...] = CERTIFICATE_WARNING_DAYS) -> str:
    """The occasion something with `days_left` is reminded of: the nearest of the `warnings`
    it has reached (a run missed at 30 days still tells at 7)."""
    reached = min(days for days in warnings if days_left <= days)
    return f"{reached}-days"


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
    certificates = Certification.objects.filter(
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=max(CERTIFICATE_WARNING_DAYS)),
    ).select_related("enterprise")
    if user is not None:
        certificates = certificates.filter(enterprise__memberships__user=user)
    certificates = list(certificates)
    members = members_by_enterprise([c.enterprise_id for c in certificates], user=user)
    for certificate in certificates:
        enterprise = certificate.enterprise
        for member in members[enterprise.pk]:
            yield DueItem(
                kind=CERTIFICATE_EXPIRING.key,
                object_id=str(certificate.pk),
                recipient=member,
                due_on=certificate.valid_until,
                overdue=False,
                occasion=expiry_warning((certificate.valid_until - today).days),
                text=partial(
                    _certificate_text,
                    scheme=certificate.scheme,
                    number=certificate.number,
                    enterprise=(enterprise.name_zh, enterprise.name_en),
                    valid_until=certificate.valid_until,
                ),
                path=url_at("directory:my_enterprise", enterprise.uscc, anchor="certifications"),
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
    bills = BillOfMaterials.objects.filter(
        status=BomStatus.VERIFIED,
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=max(BILL_WARNING_DAYS)),
    ).select_related("product__enterprise")
    if user is not None:
        bills = bills.filter(product__enterprise__memberships__user=user)
    bills = list(bills)
    members = members_by_enterprise([bill.product.enterprise_id for bill in bills], user=user)
    for bill in bills:
        enterprise = bill.product.enterprise
        for member in members[enterprise.pk]:
            yield DueItem(
                kind=BILL_EXPIRING.key,
                object_id=str(bill.pk),
                recipient=member,
                due_on=bill.valid_until,
                overdue=False,
                occasion=expiry_warning((bill.valid_until - today).days, BILL_WARNING_DAYS),
                text=partial(
                    _bill_text,
                    product=bill.product.name,
                    enterprise=(enterprise.name_zh, enterprise.name_en),
                    valid_until=bill.valid_until,
                ),
                path=bills_page_path(bill.product),
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
