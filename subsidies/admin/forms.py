"""What the programmes' workbench asks an official: the inputs of the decisions on
applications, objections, batches and recoveries, a reviewer's scores, a message to the
applicant and the ranking of a land round."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import ReasonForm
from subsidies.models import AppealOutcome, Application, Recommendation, RecoveryReason
from subsidies.rules import SCORE_MAX


class NoteForm(ReasonForm):
    field_name = "note"
    optional_label = _("Note")
    help_text = _("Kept in the application's history; decisions are sent to the applicant.")
    optional_help_text = _(
        "Optional. Kept in the application's history; decisions are sent to the applicant."
    )


class ApproveForm(NoteForm):
    amount_cny = forms.DecimalField(
        label=_("Approved amount (CNY)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=16,
        decimal_places=2,
        help_text=_(
            "R&D proposals only: at most the requested amount; empty approves the requested "
            "amount. Other programmes award the amount their rule computed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, required=False, **kwargs)


class AssignReviewerForm(forms.Form):
    required_css_class = "required"

    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"),
        queryset=get_user_model().objects.none(),
        help_text=_(
            "A staff user; they are emailed and fill in the programme's scoring form in the "
            "admin. Reviewers with a conflict of interest are refused."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = (
            get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
        )


class AppealDecisionForm(forms.Form):
    required_css_class = "required"

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=AppealOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Reasons for the decision"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text=_("Sent to the applicant and kept in the application's history."),
    )


class RecoveryOpenForm(forms.Form):
    required_css_class = "required"

    reason = forms.ChoiceField(label=_("Reason"), choices=RecoveryReason.choices)
    amount_cny = forms.DecimalField(
        label=_("Amount to recover (CNY)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=16,
        decimal_places=2,
        help_text=_("Empty recovers the whole award."),
    )
    basis = forms.CharField(
        label=_("How the amount was set"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text=_("Full amount, or the pro-rata rule and its figures. Sent to the applicant."),
    )


class RepaymentForm(forms.Form):
    required_css_class = "required"

    amount_cny = forms.DecimalField(
        label=_("Amount received (CNY)"), min_value=Decimal("0.01"), max_digits=16, decimal_places=2
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_received_on(self) -> datetime.date:
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise ValidationError(gettext("A repayment cannot be received in the future."))
        return received_on


class PaymentReferenceForm(forms.Form):
    required_css_class = "required"

    payment_reference = forms.CharField(
        label=_("Bank payment reference"),
        max_length=64,
        help_text=_("Every award of the batch becomes disbursed; the applicants are told."),
    )


class ResolutionForm(forms.Form):
    required_css_class = "required"

    resolution = forms.CharField(
        label=_("Resolution"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text=_("Published with the objection."),
    )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3, "cols": 70}))
    internal = forms.BooleanField(label=_("Internal note (seen by officials only)"), required=False)


class ScoringForm(forms.Form):
    """The programme's scoring form: a score per criterion, a recommendation, a comment."""

    required_css_class = "required"

    def __init__(self, *args, criteria: list[dict[str, Any]], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[self.field_name(criterion)] = forms.DecimalField(
                label=criterion.get("label") or criterion["key"],
                min_value=0,
                max_value=SCORE_MAX,
                max_digits=4,
                decimal_places=1,
                help_text=_("Weight %(weight)s; score from 0 to %(max)s.")
                % {"weight": criterion.get("weight"), "max": SCORE_MAX},
            )
        self.fields["recommendation"] = forms.ChoiceField(
            label=_("Recommendation"), choices=Recommendation.choices
        )
        self.fields["comment"] = forms.CharField(
            label=_("Comment"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 5, "cols": 70}),
        )

    @staticmethod
    def field_name(criterion: dict[str, Any]) -> str:
        return f"score_{criterion['key']}"

    def scores(self) -> dict[str, Decimal]:
        return {
            str(criterion["key"]): self.cleaned_data[self.field_name(criterion)]
            for criterion in self.criteria
        }


class LandRankForm(forms.Form):
    """One rank per request of the round; 1 is the first served."""

    def __init__(self, *args, requests: list[Application], **kwargs):
        super().__init__(*args, **kwargs)
        self.requests = requests
        for position, application in enumerate(requests, start=1):
            self.fields[f"rank_{application.pk}"] = forms.IntegerField(
                label=format_html("#{}", application.pk),
                min_value=1,
                max_value=max(len(requests), 1),
                initial=application.land_rank or position,
                widget=forms.NumberInput(attrs={"style": "width: 5em"}),
            )

    def clean(self):
        cleaned = super().clean()
        ranks = [cleaned.get(f"rank_{application.pk}") for application in self.requests]
        given = [rank for rank in ranks if rank is not None]
        if len(set(given)) != len(given):
            raise ValidationError(gettext("Give each request a different rank."))
        return cleaned

    def ordered_ids(self) -> list[int]:
        ranked = sorted(self.requests, key=lambda a: self.cleaned_data[f"rank_{a.pk}"])
        return [application.pk for application in ranked]
