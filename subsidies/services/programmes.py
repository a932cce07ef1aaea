"""What officials set for the money: programmes with their rules, and the support cap."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from directory.models import SupplyCategory
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.roles import require_official
from subsidies.models import Programme, SupportCap
from subsidies.selectors.money import programme_committed_cny
from subsidies.services.guards import lock_programme


def support_cap_set(
    *, actor: AbstractBaseUser, amount_cny: Decimal, years: int, effective_from: datetime.date
) -> SupportCap:
    require_official(actor)
    cap = SupportCap(
        amount_cny=amount_cny, years=years, effective_from=effective_from, set_by=actor
    )
    cap.full_clean(exclude=["set_by"])
    with transaction.atomic():
        cap.save()
        audit_append(
            actor=actor,
            action="cap_set",
            subject=cap,
            data={"amount_cny": cap.amount_cny, "years": years, "effective_from": effective_from},
        )
    return cap


def programme_save(
    *,
    actor: AbstractBaseUser,
    programme: Programme,
    changed: Sequence[str] = (),
    categories: Iterable[SupplyCategory] | None = None,
) -> Programme:
    """Create or change a programme; its rule's parameters are part of the audit record."""
    require_official(actor)
    creating = programme.pk is None
    programme.full_clean()
    if programme.is_monetary and programme.budget_cny is None:
        raise ValidationError({"budget_cny": _("A programme that pays money needs a budget.")})
    with transaction.atomic():
        if not creating:
            lock_programme(programme.pk)
            committed = programme_committed_cny(programme)
            if programme.budget_cny is not None and programme.budget_cny < committed:
                raise ValidationError(
                    {
                        "budget_cny": _(
                            "%(committed)s CNY is already awarded; the budget cannot be lower."
                        )
                        % {"committed": f"{committed:,.2f}"}
                    }
                )
        programme.save()
        if categories is not None:
            programme.eligible_categories.set(categories)
        audit_append(
            actor=actor,
            action="programme_created" if creating else "programme_changed",
            subject=programme,
            data={
                "changed": list(changed),
                "kind": programme.kind,
                "budget_cny": programme.budget_cny,
                "rate_percent": programme.rate_percent,
                "lead_reward_cny": programme.lead_reward_cny,
                "participate_reward_cny": programme.participate_reward_cny,
                "max_award_cny": programme.max_award_cny,
                "second_approval_above_cny": programme.second_approval_above_cny,
                "notice_days": programme.notice_days,
                "review_required": programme.review_required,
                "eligible_categories": sorted(
                    programme.eligible_categories.values_list("slug", flat=True)
                ),
                "required_documents": programme.required_documents,
            },
        )
    return programme
