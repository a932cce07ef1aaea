"""Purchase imports awaiting review: officials accept or reject them (with a reason), see
each one's effect per year, and set the thresholds beyond which an import waits."""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from directory.admin.lcr import OfficialsLcrAdmin
from directory.models import (
    PurchaseImport,
    PurchaseImportReview,
    PurchaseImportReviewChange,
    PurchaseReviewPolicy,
)
from directory.purchases import review
from ssb_portal.admin_kit import (
    EMPTY,
    ReadOnlyInline,
    ReasonForm,
    StatusAction,
    done_counted,
    table,
)
from ssb_portal.admin_kit.waiting import waiting_first


class ReviewReasonForm(ReasonForm):
    help_text = _("Kept with the decision and sent to the firm's members.")
    optional_help_text = help_text


def _review_action(name: str, label, call, done, *, target: str, required: bool) -> StatusAction:
    return StatusAction(
        name=name,
        label=label,
        form=ReviewReasonForm,
        form_kwargs={"required": required},
        call=lambda actor, obj, data: call(actor=actor, purchase_import=obj, reason=data["reason"]),
        done=done_counted(done),
        workflow=review.REVIEW_WORKFLOW,
        target=target,
        role=review.OFFICIAL,
        status_field="review_status",
    )


ACCEPT = _review_action(
    "accept_import",
    _("Accept the import (it counts)"),
    review.purchase_import_accept,
    ngettext_lazy(
        "%(count)d import accepted: it is being imported.",
        "%(count)d imports accepted: they are being imported.",
        "count",
    ),
    target=PurchaseImportReview.ACCEPTED,
    required=False,
)
REJECT = _review_action(
    "reject_import",
    _("Reject the import with a reason (it never counts)"),
    review.purchase_import_reject,
    ngettext_lazy("%(count)d import rejected.", "%(count)d imports rejected.", "count"),
    target=PurchaseImportReview.REJECTED,
    required=True,
)


def review_ordering() -> list[Any]:
    """Imports awaiting review first, the oldest of them first; then the others, newest first."""
    return waiting_first(
        [(Q(review_status=PurchaseImportReview.AWAITING), "created_at")],
        F("created_at").desc(),
        F("pk").desc(),
    )


def _number(text: str | None) -> str:
    return EMPTY if text is None else text


def effect_table(purchase_import: PurchaseImport) -> str:
    """The import's measured effect, one row per year."""
    if not purchase_import.review_effect:
        return EMPTY
    crossed = {"share": gettext("share of the year's value"), "points": gettext("LCR points")}
    return table(
        [
            gettext("Year"),
            gettext("Total before (CNY)"),
            gettext("Total with it (CNY)"),
            gettext("Local before (CNY)"),
            gettext("Local with it (CNY)"),
            gettext("LCR before (%)"),
            gettext("LCR with it (%)"),
            gettext("Crossed"),
        ],
        [
            (
                row["year"],
                row["total_before"],
                row["total_after"],
                row["local_before"],
                row["local_after"],
                _number(row["lcr_before"]),
                _number(row["lcr_after"]),
                ", ".join(crossed[name] for name in row["crossed"]) or EMPTY,
            )
            for row in purchase_import.review_effect
        ],
    )


def effect_summary(purchase_import: PurchaseImport) -> str:
    """One line per year for the list: the LCR before → with it."""
    return "; ".join(
        f"{row['year']}: {_number(row['lcr_before'])} → {_number(row['lcr_after'])} %"
        for row in purchase_import.review_effect
    )


class PurchaseImportReviewChangeInline(ReadOnlyInline):
    model = PurchaseImportReviewChange
    fields = ("changed_at", "actor", "from_status", "to_status", "reason")
    readonly_fields = fields
    verbose_name_plural = _("review decisions")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


# --- the thresholds ---------------------------------------------------------------------------


class PurchaseReviewPolicyForm(forms.Form):
    required_css_class = "required"

    max_share_percent = forms.DecimalField(
        label=_("Largest share an import may add (%)"),
        decimal_places=2,
        max_digits=5,
        help_text=PurchaseReviewPolicy._meta.get_field("max_share_percent").help_text,
    )
    max_lcr_points = forms.DecimalField(
        label=_("Largest LCR move (percentage points)"),
        decimal_places=2,
        max_digits=5,
        help_text=PurchaseReviewPolicy._meta.get_field("max_lcr_points").help_text,
    )
    floor_cny = forms.DecimalField(
        label=_("Floor (CNY)"),
        decimal_places=2,
        max_digits=16,
        help_text=PurchaseReviewPolicy._meta.get_field("floor_cny").help_text,
    )


@admin.register(PurchaseReviewPolicy)
class PurchaseReviewPolicyAdmin(OfficialsLcrAdmin):
    """The thresholds, kept as history; the newest counts. Added through the service."""

    form_class = PurchaseReviewPolicyForm
    form_title = _("Set the review thresholds of purchase imports")
    list_display = ("max_share_percent", "max_lcr_points", "floor_cny", "updated_by", "updated_at")
    list_select_related = ("updated_by",)
    fields = list_display
    readonly_fields = fields

    def initial(self) -> dict[str, Decimal]:
        current = review.review_policy()
        return {
            "max_share_percent": current.max_share_percent,
            "max_lcr_points": current.max_lcr_points,
            "floor_cny": current.floor_cny,
        }

    def apply(self, request: HttpRequest, data: dict[str, Any]) -> str:
        review.purchase_review_policy_set(actor=request.user, **data)
        return gettext("The review thresholds are set; they apply to the next import.")
