"""Forms of the support programmes' pages. They parse and check input; the services write.

Labels come from the model fields (whose verbose names carry the units), so a form and the
admin name a field the same way.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alliance.selectors import confirmed_participations_of
from directory.models import Enterprise
from directory.templatetags.directory_tags import local_name
from subsidies.models import (
    Application,
    DatasetKind,
    DocumentKind,
    Kpi,
    KpiTarget,
    KpiValueSource,
    Milestone,
    Programme,
    ProgrammeKind,
    TemperatureUnit,
)
from subsidies.services.drafting import CLAIM_FIELDS

__all__ = [
    "AppealForm",
    "ApplyForm",
    "AwardFilterForm",
    "DocumentForm",
    "LineFilterForm",
    "LinesForm",
    "MessageForm",
    "MilestoneReportForm",
    "ObjectionForm",
    "WithdrawForm",
    "claim_form_class",
    "kpi_formset_class",
    "milestone_formset_class",
]


class ApplyForm(forms.Form):
    """Which of the user's enterprises applies; a hidden choice when there is only one."""

    enterprise = forms.ModelChoiceField(
        label=_("Applying enterprise"),
        queryset=Enterprise.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of your enterprises.")},
    )

    def __init__(self, *args: Any, enterprises, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        field.queryset = enterprises
        field.label_from_instance = lambda enterprise: (
            f"{local_name(enterprise)} · {enterprise.uscc}"
        )
        if len(enterprises) == 1:
            field.widget = forms.HiddenInput()
            field.initial = enterprises[0].pk


def claim_form_class(kind: str) -> type[forms.ModelForm]:
    """A form with the summary and exactly the claim fields of the programme kind."""
    names = ("summary", *CLAIM_FIELDS[kind])

    class ClaimForm(forms.ModelForm):
        class Meta:
            model = Application
            fields = names
            widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if kind == ProgrammeKind.RD_FUND:
                self.fields["summary"].help_text = _(
                    "What the project will achieve, how, and with whom."
                )
            if "standard_participation" in self.fields:
                field = self.fields["standard_participation"]
                field.queryset = confirmed_participations_of(self.instance.applicant)
                field.label_from_instance = lambda participation: (
                    f"{participation.standard} · {participation.standard.title} · "
                    f"{participation.get_role_display()}"
                )
                field.empty_label = _("Choose…")
            for name in ("scenario",):
                if name in self.fields:
                    self.fields[name].widget.choices = [
                        ("", _("Choose…")),
                        *list(self.fields[name].choices)[1:],
                    ]
            for field in self.fields.values():
                if isinstance(field, forms.DecimalField):
                    field.widget.attrs.update({"step": "any", "inputmode": "decimal"})

        def _post_clean(self) -> None:
            # The service validates the whole application; the form only parses its fields.
            pass

        def service_data(self) -> dict[str, Any]:
            return {name: self.cleaned_data[name] for name in names}

    return ClaimForm


class LineIdsField(forms.Field):
    """Purchase line ids from checkboxes; the service decides which may be claimed."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("Choose purchase lines from the list.")}

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        try:
            return sorted({int(item) for item in value})
        except (TypeError, ValueError) as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class LinesForm(forms.Form):
    """The lines ticked on this page, out of the lines the page showed."""

    lines = LineIdsField(label=_("Purchase lines to claim"), required=False)
    shown = LineIdsField(label=_("Lines on this page"), required=False)


class LineFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Invoice or supplier"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. INV-0012")}),
    )
    claimed = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All claimable lines")),
            ("yes", _("Only lines claimed here")),
            ("no", _("Only lines not claimed yet")),
        ],
    )


class KpiForm(forms.ModelForm):
    class Meta:
        model = KpiTarget
        fields = ("kpi", "baseline_value", "target_value")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpi"].widget.choices = [
            ("", _("Choose a KPI…")),
            *list(self.fields["kpi"].choices)[1:],
        ]
        for name in ("baseline_value", "target_value"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})

    def _post_clean(self) -> None:
        pass


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ("title", "due_on", "deliverable")
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def _post_clean(self) -> None:
        pass


class _PlanFormSet(forms.BaseFormSet):
    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        """(form index, values) of the rows kept: the existing ones and the filled-in new ones,
        less those marked for removal."""
        return [
            (index, {name: form.cleaned_data[name] for name in form.Meta.fields})
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and not self._should_delete_form(form)
        ]


def kpi_formset_class() -> type[forms.BaseFormSet]:
    return forms.formset_factory(
        KpiForm,
        formset=_PlanFormSet,
        extra=2,
        can_delete=True,
        max_num=len(Kpi),
        absolute_max=20,
    )


def milestone_formset_class() -> type[forms.BaseFormSet]:
    return forms.formset_factory(
        MilestoneForm, formset=_PlanFormSet, extra=2, can_delete=True, max_num=30, absolute_max=40
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=())
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB. The file's content is checked."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        required = [kind for kind in programme.required_documents if kind in DocumentKind.values]
        others = [kind for kind in DocumentKind.values if kind not in required]
        self.fields["kind"].choices = [("", _("Choose…"))] + [
            (kind, DocumentKind(kind).label) for kind in required + others
        ]
        if required:
            self.fields["kind"].initial = required[0]


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Why you withdraw (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Grounds of the appeal"),
        max_length=5000,
        help_text=_("Why the rejection should be reconsidered. Another official decides."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Give the grounds of your appeal.")},
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a message.")},
    )
    internal = forms.BooleanField(
        label=_("Internal note (officials only)"),
        required=False,
        help_text=_("The applicant never sees internal notes."),
    )

    def __init__(self, *args: Any, official: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not official:
            del self.fields["internal"]


class ObjectionForm(forms.Form):
    application = forms.TypedChoiceField(label=_("Award objected to"), coerce=int, choices=())
    author_name = forms.CharField(label=_("Your name"), max_length=128)
    organisation = forms.CharField(label=_("Your organisation"), max_length=160)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        help_text=_("What is wrong with this award, and how you know. Objections are public."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, awards, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", _("Choose…"))] + [
            (award.pk, f"#{award.pk} {local_name(award.applicant)}") for award in awards
        ]


class AwardFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.order_by("-year", "kind", "pk"),
        required=False,
        empty_label=_("All programmes"),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].label_from_instance = lambda programme: programme.with_year(
            local_name(programme)
        )


class MilestoneReportForm(forms.Form):
    """A milestone report: summary, evidence PDF, optional dataset and, per KPI of the
    proposal, the value reached (left blank when not measured at this milestone)."""

    reported_on = forms.DateField(
        label=_("Reported on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(
        label=_("What the milestone achieved"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    evidence = forms.FileField(
        label=_("Evidence (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    dataset = forms.FileField(
        label=_("Measurement dataset (CSV or XLSX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dataset_kind = forms.ChoiceField(
        label=_("The dataset measures"),
        choices=[("", "—"), *DatasetKind.choices],
        required=False,
    )
    temperature_unit = forms.ChoiceField(
        label=_("Temperatures in"),
        choices=[("", "—"), *TemperatureUnit.choices],
        required=False,
        help_text=_("For a conductivity dataset."),
    )

    def __init__(self, *args, targets: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi_rows = []
        for target in targets:
            self.fields[target.kpi] = forms.FloatField(
                label=target.get_kpi_display(),
                required=False,
                help_text=_("Target %(target)s, baseline %(baseline)s")
                % {"target": f"{target.target_value:g}", "baseline": f"{target.baseline_value:g}"},
            )
            self.fields[f"{target.kpi}_source"] = forms.ChoiceField(
                label=_("How it was obtained"),
                choices=KpiValueSource.choices,
                initial=KpiValueSource.REPORTED,
            )
            self.kpi_rows.append((self[target.kpi], self[f"{target.kpi}_source"]))

    def kpi_values(self) -> list[dict]:
        return [
            {
                "kpi": value.name,
                "value": self.cleaned_data[value.name],
                "source": self.cleaned_data[source.name],
            }
            for value, source in self.kpi_rows
            if self.cleaned_data.get(value.name) is not None
        ]
