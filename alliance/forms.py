"""Forms of the alliance's pages. They parse and check input; the services write.

Labels come from the model fields where there is one (their verbose names carry the units),
so a form and the admin name a field the same way.
"""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from alliance.models import (
    Collaboration,
    CollaborationModel,
    CollaborationStatus,
    Demand,
    DemandStatus,
    Meeting,
    Standard,
    StandardParticipation,
)
from alliance.services.demands import DEMAND_FIELDS
from alliance.services.responses import MAX_MEETING_SLOTS
from directory.forms import category_choices
from directory.models import (
    CapacityUnit,
    CertificationScheme,
    Enterprise,
    EnterpriseKind,
    SupplyCategory,
)
from directory.templatetags.directory_tags import local_name
from ssb_portal.forms import add_service_errors

__all__ = [
    "AnswerForm",
    "CollaborationCloseForm",
    "DemandFilterForm",
    "DemandForm",
    "DocumentForm",
    "InterestForm",
    "InviteForm",
    "JoinForm",
    "MeetingAnswerForm",
    "MeetingForm",
    "MemberFilterForm",
    "MilestoneCompleteForm",
    "MilestoneForm",
    "NotificationForm",
    "ParticipationForm",
    "PartyForm",
    "StandardForm",
    "TermsForm",
    "slot_label",
]

DATE_WIDGET = {"type": "date"}
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")


def _decimal_inputs(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DecimalField | forms.FloatField):
            field.widget.attrs.update({"step": "any", "inputmode": "decimal"})


def _unit_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a unit…")), *CapacityUnit.choices]


def _enterprise_label(enterprise: Enterprise) -> str:
    return f"{local_name(enterprise)} · {enterprise.uscc}"


def _one_enterprise_field(
    form: forms.Form, name: str, enterprises, label: str, hidden_when_one: bool = True
) -> None:
    """Which of the user's organisations acts; a hidden choice when there is only one."""
    field = forms.ModelChoiceField(
        label=label,
        queryset=enterprises,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your organisations.")},
    )
    field.label_from_instance = _enterprise_label
    choices = list(enterprises)
    if hidden_when_one and len(choices) == 1:
        # The only choice: not asked, and whatever is posted for it is ignored.
        field.widget = forms.HiddenInput()
        field.initial = choices[0].pk
        field.disabled = True
    form.fields[name] = field


def slot_label(slot: str) -> str:
    """A proposed slot (ISO 8601) as local date and time a person reads."""
    moment = parse_datetime(slot)
    if moment is None:
        return slot
    return date_format(timezone.localtime(moment), "Y-m-d H:i (D)")


# --- members ----------------------------------------------------------------------------------


class MemberFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *EnterpriseKind.choices],
    )


class JoinForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why your organisation joins"),
        required=False,
        max_length=5000,
        help_text=_("What you offer or look for in the alliance; the officials read it."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    notify_new_demands = forms.BooleanField(
        label=_("Email me new demands that fit"),
        required=False,
        initial=True,
        help_text=_("For SMEs: an email when an anchor member posts a demand you qualify for."),
    )

    def __init__(self, *args: Any, enterprises, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _one_enterprise_field(self, "enterprise", enterprises, _("Organisation that applies"))
        self.order_fields(["enterprise", "motivation", "notify_new_demands"])


class NotificationForm(forms.Form):
    notify_new_demands = forms.BooleanField(
        label=_("Email me new demands that fit"), required=False
    )


# --- demands ----------------------------------------------------------------------------------


class DemandFilterForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Supply category"),
        queryset=SupplyCategory.objects.all(),
        required=False,
        to_field_name="slug",
        help_text=_("A main category includes all its subcategories."),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *DemandStatus.choices]
    )
    model = forms.ChoiceField(
        label=_("Collaboration model"),
        required=False,
        choices=[("", _("Any model")), *CollaborationModel.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.choices = [
            ("", _("All categories")),
            *category_choices(value=lambda category: category.slug, include_parents=True),
        ]


class DemandForm(forms.ModelForm):
    """A demand as its anchor member writes it: thresholds with their units in the labels."""

    required_certifications = forms.MultipleChoiceField(
        label=_("Required certifications"),
        required=False,
        choices=CertificationScheme.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Certification schemes a supplier must hold, valid today."),
    )
    volume_unit = forms.ChoiceField(
        label=_("Unit of the annual volume"), required=False, choices=_unit_choices
    )

    class Meta:
        model = Demand
        fields = DEMAND_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "needed_by": _date_input(),
        }

    def __init__(self, *args: Any, owners=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.choices = [
            ("", _("Choose a category…")),
            *category_choices(value=lambda category: category.pk, include_parents=True),
        ]
        self.fields["preferred_model"].widget.choices = [
            ("", _("Choose…")),
            *CollaborationModel.choices,
        ]
        if owners is not None:
            _one_enterprise_field(self, "owner", owners, _("Posting enterprise"))
            self.order_fields(["owner", *DEMAND_FIELDS])
        _decimal_inputs(self)

    def _post_clean(self) -> None:
        # The service validates the demand as a whole; the form only parses its fields.
        pass

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in DEMAND_FIELDS}


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Why you close it (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- responses and meetings -------------------------------------------------------------------


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message to the anchor enterprise"),
        max_length=2000,
        help_text=_("What you can supply, from when, and in what volume."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a short message.")},
    )

    def __init__(self, *args: Any, suppliers, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _one_enterprise_field(self, "supplier", suppliers, _("Answering as"))
        self.order_fields(["supplier", "message"])


class InviteForm(forms.Form):
    supplier = forms.ModelChoiceField(queryset=Enterprise.objects.all(), widget=forms.HiddenInput)
    message = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    next = forms.ChoiceField(required=False, choices=[("demand", "demand"), ("matches", "matches")])


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("yes", _("Accept")), ("no", _("Decline"))],
        coerce=lambda value: value == "yes",
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MeetingForm(forms.Form):
    """Up to five proposed start times (local time), the length and the place."""

    duration_minutes = forms.IntegerField(
        label=Meeting._meta.get_field("duration_minutes").verbose_name,
        min_value=15,
        max_value=480,
        initial=60,
    )
    location = forms.CharField(
        label=Meeting._meta.get_field("location").verbose_name, required=False, max_length=255
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_MEETING_SLOTS + 1):
            self.fields[f"slot_{number}"] = forms.DateTimeField(
                label=_("Time %(number)s") % {"number": number},
                required=False,
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
            )
        self.order_fields(
            [f"slot_{n}" for n in range(1, MAX_MEETING_SLOTS + 1)]
            + ["duration_minutes", "location"]
        )

    @property
    def slot_fields(self) -> list:
        return [self[f"slot_{n}"] for n in range(1, MAX_MEETING_SLOTS + 1)]

    @property
    def other_fields(self) -> list:
        return [self["duration_minutes"], self["location"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        now = timezone.now()
        slots = []
        for number in range(1, MAX_MEETING_SLOTS + 1):
            name = f"slot_{number}"
            moment = cleaned.get(name)
            if moment is None:
                continue
            if moment <= now:
                self.add_error(name, _("Propose times in the future."))
            else:
                slots.append(moment)
        if not slots and not any(name.startswith("slot_") for name in self.errors):
            self.add_error("slot_1", _("Propose at least one time."))
        cleaned["slots"] = slots
        return cleaned

    def add_service_errors(self, error) -> None:
        """The service names the slots together: show its message on the first slot."""
        if hasattr(error, "error_dict") and "slots" in error.error_dict:
            self.add_error("slot_1", error.error_dict.pop("slots"))
            if not error.error_dict:
                return
        add_service_errors(error, self)


class MeetingAnswerForm(forms.Form):
    slot = forms.ChoiceField(
        label=_("Time that suits you"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the proposed times.")},
    )
    accept = forms.TypedChoiceField(
        choices=[("yes", _("Accept")), ("no", _("Decline"))],
        coerce=lambda value: value == "yes",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(slot, slot_label(slot)) for slot in meeting.slots]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("accept") and not cleaned.get("slot") and "slot" not in self.errors:
            self.add_error("slot", _("Choose one of the proposed times."))
        return cleaned


class TermsForm(forms.Form):
    """The collaboration's terms, set by the anchor enterprise as it agrees."""

    agreed_value_cny = forms.DecimalField(
        label=Collaboration._meta.get_field("agreed_value_cny").verbose_name,
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )
    starts_on = forms.DateField(
        label=Collaboration._meta.get_field("starts_on").verbose_name,
        widget=_date_input(),
        error_messages={"required": _("Set the start date.")},
    )
    ends_on = forms.DateField(
        label=Collaboration._meta.get_field("ends_on").verbose_name,
        required=False,
        widget=_date_input(),
    )
    committed_annual_volume = forms.DecimalField(
        label=Collaboration._meta.get_field("committed_annual_volume").verbose_name,
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Long-term supply agreements: what the supplier commits to deliver a year."),
    )
    volume_unit = forms.ChoiceField(
        label=_("Unit of the committed volume"), required=False, choices=_unit_choices
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _decimal_inputs(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end cannot be before the start."))
        if cleaned.get("committed_annual_volume") is not None and not cleaned.get("volume_unit"):
            self.add_error("volume_unit", _("Give the unit of the committed volume."))
        return cleaned

    def terms(self) -> dict[str, Any]:
        return {
            "agreed_value_cny": self.cleaned_data["agreed_value_cny"],
            "starts_on": self.cleaned_data["starts_on"],
            "ends_on": self.cleaned_data["ends_on"],
            "committed_annual_volume": self.cleaned_data["committed_annual_volume"],
            "volume_unit": self.cleaned_data["volume_unit"],
        }


def terms_initial(terms: dict[str, Any]) -> dict[str, Any]:
    """The anchor's earlier terms (stored as text) as the form's starting values."""
    initial = dict(terms or {})
    for name in ("starts_on", "ends_on"):
        if initial.get(name):
            initial[name] = datetime.date.fromisoformat(initial[name])
    return initial


# --- collaborations ---------------------------------------------------------------------------


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=_date_input())


class MilestoneCompleteForm(forms.Form):
    completed_on = forms.DateField(
        label=_("Completed on"), widget=_date_input(), initial=timezone.localdate
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB. The file's content is checked."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class PartyForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("University or institute"),
        queryset=Enterprise.objects.none(),
        empty_label=_("Choose…"),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )

    def __init__(self, *args: Any, candidates, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = candidates
        self.fields["enterprise"].label_from_instance = _enterprise_label


class CollaborationCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (CollaborationStatus.COMPLETED, CollaborationStatus.COMPLETED.label),
            (CollaborationStatus.TERMINATED, CollaborationStatus.TERMINATED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_("Required when the collaboration is terminated: say why."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- standards --------------------------------------------------------------------------------


class StandardForm(forms.ModelForm):
    class Meta:
        model = Standard
        fields = ("body", "number", "title", "is_international", "stage")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].widget.choices = [
            ("", _("Choose…")),
            *list(self.fields["stage"].choices)[1:],
        ]

    def _post_clean(self) -> None:
        # The service checks the standard (and that it is not recorded already).
        pass

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = StandardParticipation
        fields = ("standard", "enterprise", "role", "joined_on", "left_on", "evidence")
        widgets = {
            "joined_on": _date_input(),
            "left_on": _date_input(),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, enterprises, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _one_enterprise_field(self, "enterprise", enterprises, _("Your organisation"))
        self.order_fields(list(self.Meta.fields))
        standard = self.fields["standard"]
        standard.queryset = Standard.objects.order_by("body", "number")
        standard.label_from_instance = lambda item: f"{item.designation} · {item.title}"
        standard.empty_label = _("Choose a standard…")
        self.fields["role"].widget.choices = [
            ("", _("Choose…")),
            *list(self.fields["role"].choices)[1:],
        ]

    def _post_clean(self) -> None:
        # The service checks the dates and that the standard has one lead.
        pass
