"""Forms of the talent programme's pages. They parse input; the services check and write.

Fields are built from the model fields (their verbose names carry the units and their
choices the labels), so a form and the admin name a field the same way; the rules of a
record (a 5-year minimum of experience, a grade between 0 and 100, one student number per
university) are the services' to check, and their errors come back on the fields.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Enterprise
from directory.validators import normalise_uscc, validate_uscc
from talent import graduate_rows
from talent.models import (
    ExpertBenefit,
    InternshipOutcome,
    InternshipStatus,
    OverseasExpert,
    ScholarshipApplication,
    Student,
    StudyProgramme,
    TrainingBase,
)
from talent.services import EXPERT_FIELDS, STUDENT_FIELDS

__all__ = [
    "BenefitFormSet",
    "ExpertForm",
    "GraduateUploadForm",
    "InternshipMoveForm",
    "InternshipOfferForm",
    "LinkAccountForm",
    "ScholarshipApplyForm",
    "StudentForm",
    "StudyProgrammeForm",
    "TrainingBaseForm",
    "YearForm",
]

FIRST_YEAR = 2000
LAST_YEAR = 2100


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _model_fields(form: forms.Form, model, names: tuple[str, ...] | list[str]) -> None:
    """Add the model's own form fields (label, help text, choices, sizes), in this order."""
    for name in names:
        model_field = model._meta.get_field(name)
        field = model_field.formfield()
        # The model's own bounds (5+ years, 0–100, not negative) are checked on the form too,
        # so they are reported next to the field before anything reaches the service.
        field.validators = [*field.validators, *model_field.validators]
        if isinstance(field, forms.DateField):
            field.widget = _date_input()
        if isinstance(field, forms.DecimalField):
            field.widget.attrs.update({"step": "any", "inputmode": "decimal"})
        form.fields[name] = field


class ModelFieldsForm(forms.Form):
    """A form of some of a model's fields; `service_data()` is what the service takes."""

    model = None
    field_names: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = dict(self.fields)
        self.fields.clear()
        _model_fields(self, self.model, self.field_names)
        self.fields.update(fields)

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.field_names}


def initial_of(instance, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


class USCCChoiceField(forms.ModelChoiceField):
    """An enterprise of the directory given by its code, as people paste it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("No enterprise of the directory has this code.")},
        )
        super().__init__(
            queryset=Enterprise.objects.all(),
            to_field_name="uscc",
            widget=forms.TextInput(
                attrs={"autocapitalize": "characters", "spellcheck": "false", "size": 22}
            ),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            value = normalise_uscc(value)
            validate_uscc(value)
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Enterprise):
            return value.uscc
        return super().prepare_value(value)


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )


# --- the university's workspace -------------------------------------------------------------


class StudyProgrammeForm(ModelFieldsForm):
    model = StudyProgramme
    field_names = ("name", "degree", "field")


class TrainingBaseForm(ModelFieldsForm):
    model = TrainingBase
    field_names = ("name", "capacity", "started_on", "status")

    enterprise = USCCChoiceField(
        label=_("Partner enterprise (USCC)"),
        help_text=_("The verified enterprise of the directory that runs the base with you."),
    )

    field_order = ["name", "enterprise", "capacity", "started_on", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)


class StudentForm(ModelFieldsForm):
    model = Student
    field_names = STUDENT_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _(
            "Optional; the address of the student's own login links it (see below)."
        )


class LinkAccountForm(forms.Form):
    email = forms.EmailField(
        label=_("Email of the student's login"),
        help_text=_(
            "The student signs up on the portal first; their login is found by this address."
        ),
    )


class InternshipOfferForm(forms.Form):
    student = forms.ModelChoiceField(
        label=_("Student number"),
        queryset=Student.objects.none(),
        to_field_name="student_number",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"invalid_choice": _("No student of your university has this number.")},
    )
    host = USCCChoiceField(
        label=_("Host enterprise (USCC)"),
        help_text=_("A verified enterprise of the directory; it confirms the internship."),
    )
    training_base = forms.ModelChoiceField(
        label=_("Training base"),
        queryset=TrainingBase.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=_date_input())
    ends_on = forms.DateField(label=_("Ends on"), widget=_date_input())

    def __init__(
        self, *args: Any, students: QuerySet[Student], bases: QuerySet[TrainingBase], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students
        self.fields["training_base"].queryset = bases.select_related("enterprise")
        self.fields["training_base"].label_from_instance = (
            lambda base: f"{base.name} · {base.enterprise.name_zh}"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The internship ends before it starts."))
        return cleaned


#: Outcomes a university may record; a hire is confirmed by the host only.
UNIVERSITY_OUTCOMES = (InternshipOutcome.JOB_OFFERED, InternshipOutcome.NOT_HIRED)
HOST_OUTCOMES = (
    InternshipOutcome.HIRED,
    InternshipOutcome.JOB_OFFERED,
    InternshipOutcome.NOT_HIRED,
)


class InternshipMoveForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (status.value, status.label)
            for status in (
                InternshipStatus.ONGOING,
                InternshipStatus.COMPLETED,
                InternshipStatus.CANCELLED,
            )
        ],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", "—"), *[(o.value, o.label) for o in HOST_OUTCOMES]],
    )


class GraduateUploadForm(forms.Form):
    year = forms.IntegerField(label=_("Graduation year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    file = forms.FileField(
        label=_("Graduate report (CSV or XLSX)"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def clean_file(self):
        upload = self.cleaned_data["file"]
        message = graduate_rows.too_large_message(upload.size)
        if message:
            raise forms.ValidationError(message)
        return upload


# --- the enterprise's side ------------------------------------------------------------------


class ExpertForm(ModelFieldsForm):
    model = OverseasExpert
    field_names = EXPERT_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].help_text = _("Needed once the contract is signed.")


class BenefitForm(forms.Form):
    label = forms.CharField(
        label=ExpertBenefit._meta.get_field("label").verbose_name, max_length=120, required=False
    )
    amount_cny = forms.DecimalField(
        label=ExpertBenefit._meta.get_field("amount_cny").verbose_name,
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        label, amount = cleaned.get("label"), cleaned.get("amount_cny")
        if label and amount is None and "amount_cny" not in self.errors:
            self.add_error("amount_cny", _("Give the amount of this benefit."))
        if amount is not None and not label:
            self.add_error("label", _("Name the benefit."))
        return cleaned

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("label") and self.cleaned_data.get("amount_cny") is None


BenefitFormSet = forms.formset_factory(BenefitForm, extra=3, max_num=20, validate_max=True)


def benefit_rows(formset) -> tuple[list[dict[str, Any]], list[int]]:
    """The filled benefit rows for the service, and which form each came from."""
    rows, positions = [], []
    for position, form in enumerate(formset.forms):
        if form.is_blank():
            continue
        rows.append(
            {"label": form.cleaned_data["label"], "amount_cny": form.cleaned_data["amount_cny"]}
        )
        positions.append(position)
    return rows, positions


# --- the student's side ---------------------------------------------------------------------


class ScholarshipApplyForm(forms.Form):
    renewal_of = forms.ModelChoiceField(
        label=_("Renewal of"),
        queryset=ScholarshipApplication.objects.none(),
        required=False,
        empty_label=_("No, a first application"),
        help_text=_("To renew last year's award, choose it and report your progress."),
    )

    def __init__(self, *args: Any, awards: QuerySet[ScholarshipApplication], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields = dict(self.fields)
        self.fields.clear()
        _model_fields(
            self,
            ScholarshipApplication,
            ("degree", "field", "grade_average", "statement", "progress_report"),
        )
        self.fields["statement"].widget = forms.Textarea(attrs={"rows": 6})
        self.fields["progress_report"].widget = forms.Textarea(attrs={"rows": 4})
        self.fields.update(fields)
        self.fields["renewal_of"].queryset = awards
        self.fields["renewal_of"].label_from_instance = lambda application: _(
            "Award of %(year)s"
        ) % {"year": application.fund.year}
        self.order_fields(
            ["degree", "field", "grade_average", "statement", "renewal_of", "progress_report"]
        )

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
