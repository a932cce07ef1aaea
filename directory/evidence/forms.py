"""The form a member attaches measured data and its lab report with."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import DatasetKind, TemperatureUnit


class DatasetForm(forms.Form):
    """Measured data and the lab report behind a product's spec; the service reads the file."""

    kind = forms.ChoiceField(label=_("What the data measure"), choices=DatasetKind.choices)
    temperature_unit = forms.ChoiceField(
        label=_("Temperature unit"),
        choices=[("", _("— (capacity data)")), *TemperatureUnit.choices],
        required=False,
        help_text=_("For conductivity data: the unit of the temperature column."),
    )
    lab = forms.CharField(label=_("Laboratory"), max_length=160)
    method = forms.CharField(
        label=_("Method"),
        max_length=255,
        help_text=_("e.g. EIS with blocking electrodes; galvanostatic cycling at 0.5C."),
    )
    measured_on = forms.DateField(
        label=_("Measured on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    data_file = forms.FileField(
        label=_("Data file (CSV or XLSX)"),
        help_text=_(
            "Header row first. Conductivity: a temperature column and a conductivity column "
            "in S/cm. Capacity: cycle, discharge capacity and, optionally, charge capacity. "
            "Chinese or English headers."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    report = forms.FileField(
        label=_("Test report (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
