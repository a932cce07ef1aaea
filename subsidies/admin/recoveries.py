"""Recoveries (clawbacks): opened from a disbursed application, repaid or written off here."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import (
    DecisionsAdmin,
    ReadOnlyInline,
    RowAction,
    admin_actions,
    cny,
    done_each,
)
from subsidies.admin.forms import NoteForm, RepaymentForm
from subsidies.models import Recovery, Repayment
from subsidies.services.recoveries import recovery_record_repayment, recovery_write_off


class RepaymentInline(ReadOnlyInline):
    model = Repayment
    fields = ("received_on", "amount_cny", "recorded_by", "recorded_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


def _repaid(actor, recovery: Recovery, data: dict) -> str:
    recovery_record_repayment(
        actor=actor,
        recovery=recovery,
        amount_cny=data["amount_cny"],
        received_on=data["received_on"],
    )
    recovery.refresh_from_db()
    return gettext("%(amount)s CNY recorded; %(status)s.") % {
        "amount": cny(data["amount_cny"]),
        "status": recovery.get_status_display(),
    }


RECORD_REPAYMENT = RowAction(
    name="record_repayment",
    label=_("Record a repayment"),
    form=RepaymentForm,
    call=_repaid,
    done=done_each,
)
WRITE_OFF = RowAction(
    name="write_off",
    label=_("Write off"),
    form=NoteForm,
    call=lambda actor, recovery, data: recovery_write_off(
        actor=actor, recovery=recovery, note=data["note"]
    ).get_status_display(),
    done=done_each,
)


@admin.register(Recovery)
class RecoveryAdmin(DecisionsAdmin):
    """Recoveries are opened from a disbursed application (its action); repaid or written
    off here."""

    list_display = (
        "application",
        "reason",
        "amount",
        "repaid",
        "status",
        "opened_at",
        "opened_by",
    )
    list_filter = ("status", "reason")
    list_select_related = ("application__applicant", "application__programme", "opened_by")
    search_fields = ("application__applicant__name_zh", "application__applicant__uscc")
    fields = (
        "application",
        "reason",
        "basis",
        "amount_cny",
        "repaid_cny",
        "status",
        "opened_by",
        "opened_at",
        "closed_at",
        "note",
    )
    readonly_fields = fields
    inlines = (RepaymentInline,)
    actions = admin_actions(RECORD_REPAYMENT, WRITE_OFF)

    @admin.display(description=_("amount (CNY)"), ordering="amount_cny")
    def amount(self, recovery: Recovery) -> str:
        return cny(recovery.amount_cny)

    @admin.display(description=_("repaid (CNY)"), ordering="repaid_cny")
    def repaid(self, recovery: Recovery) -> str:
        return cny(recovery.repaid_cny)
