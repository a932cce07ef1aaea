"""The supplier's forms for the battery passport: a new version (the figures as the model states
them, units in the labels; substances and materials one per line; evidence kept or uploaded)
and making an older version current with a reason. The service checks what joins figures."""

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from directory.models import PassportDocument, PassportDocumentKind, PassportVersion
from directory.passport.services import RECYCLED_SPLITS, VERSION_FIELDS

#: The figures a model field holds as one value (the lists are typed one item a line).
LISTS = ("hazardous_substances", "critical_raw_materials")
SINGLE_FIGURES = [name for name in VERSION_FIELDS if name not in LISTS]
CAS_NUMBER = re.compile(r"^[0-9]{2,7}-[0-9]{2}-[0-9]$")
#: A Chinese keyboard types the full-width semicolon.
SEPARATOR = re.compile(r"[;；]")


class PassportVersionForm(forms.Form):
    hazardous_substances = forms.CharField(
        label=_("Hazardous substances"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line: name; CAS number (may be left empty); concentration (percent by "
            "weight). "
            "For example: Lithium hexafluorophosphate; 21324-40-3; 1.2"
        ),
    )
    critical_raw_materials = forms.CharField(
        label=_("Critical raw materials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: those present above 0.1 percent by weight."),
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Evidence this version lists"),
        queryset=PassportDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    file_kind = forms.ChoiceField(
        label=_("What a new evidence file documents"),
        choices=[("", "—"), *PassportDocumentKind.choices],
        required=False,
    )
    file = forms.FileField(
        label=_("New evidence file (PDF, JPEG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    note = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, documents: QuerySet[PassportDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The figures as the model states them: labels with units, choices, digits.
        self.fields = {
            **forms.fields_for_model(PassportVersion, fields=SINGLE_FIGURES),
            **self.fields,
        }
        for total, _pre, _post in RECYCLED_SPLITS.values():
            self.fields[total].help_text = _(
                "Left empty, it is the sum of the two shares below when they are given."
            )
        self.fields["documents"].queryset = documents
        self.fields["documents"].label_from_instance = lambda document: (
            f"{document.get_kind_display()}: {document.original_name}"
        )

    def clean_hazardous_substances(self) -> list[dict[str, str]]:
        substances = []
        for number, line in enumerate(self.cleaned_data["hazardous_substances"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [part.strip() for part in SEPARATOR.split(line)]
            if len(parts) != 3 or not parts[0] or not parts[2]:
                raise forms.ValidationError(
                    _("Line %(n)s: write name; CAS number; concentration (percent by weight).")
                    % {"n": number}
                )
            name, cas_number, concentration = parts
            if cas_number and not CAS_NUMBER.match(cas_number):
                raise forms.ValidationError(
                    _("Line %(n)s: “%(cas)s” is not a CAS number (like 7439-92-1).")
                    % {"n": number, "cas": cas_number}
                )
            substances.append(
                {"name": name, "cas_number": cas_number, "concentration_percent": concentration}
            )
        return substances

    def clean_critical_raw_materials(self) -> list[str]:
        lines = self.cleaned_data["critical_raw_materials"].splitlines()
        return [line.strip() for line in lines if line.strip()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("file") and not cleaned.get("file_kind"):
            self.add_error("file_kind", _("Say what the new file documents."))
        if cleaned.get("file_kind") and not cleaned.get("file") and "file" not in self.errors:
            self.add_error("file", _("Choose the file, or leave its kind empty."))
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """What passport_version_create takes, from a valid form."""
        data = self.cleaned_data
        upload = data.get("file")
        return {
            "data": {name: data.get(name) for name in VERSION_FIELDS},
            "document_ids": [document.pk for document in data["documents"]],
            "new_evidence": [(data["file_kind"], upload)] if upload else [],
            "note": data["note"],
        }


def initial_from(version: PassportVersion | None) -> dict[str, Any]:
    """The form filled with the current version's figures, to change what has changed."""
    if version is None:
        return {}
    initial = {name: getattr(version, name) for name in SINGLE_FIGURES}
    for total, pre, _post in RECYCLED_SPLITS.values():
        # A total its parts imply stays empty, so that changing a part changes it too.
        if getattr(version, pre) is not None:
            initial[total] = None
    initial["hazardous_substances"] = "\n".join(
        f"{item['name']}; {item['cas_number']}; {item['concentration_percent']}"
        for item in version.hazardous_substances
    )
    initial["critical_raw_materials"] = "\n".join(version.critical_raw_materials)
    initial["documents"] = [document.pk for document in version.documents.all()]
    return initial


class SetCurrentForm(forms.Form):
    number = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why this version becomes current again"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. the newer version had a typo")}),
    )
