"""Forms of the demonstration projects and of the two calculators (LCOS, drone flight time).

The calculators validate every input here, naming the field, before the formula runs: the
formulas raise ValueError on bad input, which must never reach the user as a 500.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alliance.demonstrations.models import DemonstrationProject, FieldReport
from alliance.demonstrations.services import DEMONSTRATION_FIELDS, FIELD_REPORT_FIELDS
from directory.models import Enterprise, ListingStatus

#: The longest lifetime the LCOS calculator takes, years.
MAX_LIFETIME_YEARS = 100
#: The largest amount or energy one entry may hold (CNY or kWh).
MAX_ENTRY = Decimal("1e15")


# --- demonstration projects ------------------------------------------------------------------


class DemonstrationForm(forms.ModelForm):
    operator = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(),
        label=_("Operator"),
        empty_label=None,
        help_text=_("Your organisation that runs the system."),
    )
    suppliers = forms.ModelMultipleChoiceField(
        queryset=Enterprise.objects.filter(status=ListingStatus.VERIFIED).order_by("name_zh"),
        label=_("Battery suppliers"),
        required=False,
        help_text=_("Verified organisations of the directory that supply the batteries."),
    )

    class Meta:
        model = DemonstrationProject
        fields = DEMONSTRATION_FIELDS
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, enterprises=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if enterprises is not None:
            self.fields["operator"].queryset = enterprises

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in DEMONSTRATION_FIELDS}


class FieldReportForm(forms.ModelForm):
    class Meta:
        model = FieldReport
        fields = FIELD_REPORT_FIELDS
        widgets = {
            "reported_on": forms.DateInput(attrs={"type": "date"}),
            "incidents": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        low = cleaned.get("lowest_temperature_c")
        high = cleaned.get("highest_temperature_c")
        if low is not None and high is not None and low > high:
            self.add_error(
                "highest_temperature_c", _("The highest temperature is below the lowest.")
            )
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FIELD_REPORT_FIELDS}

    def _post_clean(self) -> None:
        # The service builds and checks the report (its project is not a field here).
        pass


# --- calculators -----------------------------------------------------------------------------


def parse_amounts(value: Any, *, allow_zero_total: bool = True) -> list[Decimal]:
    """A list of non-negative numbers, one per year: a list, or text split by commas,
    semicolons, spaces or new lines. Raises ValidationError saying which entry is wrong."""
    if isinstance(value, list | tuple):
        entries = [str(entry).strip() for entry in value]
    else:
        entries = [entry for entry in re.split(r"[\s,;，；]+", str(value or "").strip()) if entry]
    if not entries:
        raise ValidationError(_("Give one value per year."), code="required")
    if len(entries) > MAX_LIFETIME_YEARS:
        raise ValidationError(
            _("Give at most %(years)s years.") % {"years": MAX_LIFETIME_YEARS}, code="too_long"
        )
    amounts = []
    for position, entry in enumerate(entries, start=1):
        try:
            amount = Decimal(entry)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            raise ValidationError(
                _("Year %(year)s: “%(entry)s” is not a number.")
                % {"year": position, "entry": entry[:20]},
                code="invalid",
            )
        if amount < 0:
            raise ValidationError(
                _("Year %(year)s: the value cannot be negative.") % {"year": position},
                code="negative",
            )
        if amount > MAX_ENTRY:
            raise ValidationError(
                _("Year %(year)s: the value is too large.") % {"year": position}, code="too_large"
            )
        amounts.append(amount)
    return amounts


def check_lcos_system(data: dict[str, Any]) -> dict[str, list[str]]:
    """Errors across one system's lists (by field name): equal lengths, some energy."""
    errors: dict[str, list[str]] = {}
    om = data.get("om_costs_cny")
    replacement = data.get("replacement_costs_cny")
    energy = data.get("energy_discharged_kwh")
    if om is None or replacement is None or energy is None:
        return errors
    years = len(energy)
    for name, values in (("om_costs_cny", om), ("replacement_costs_cny", replacement)):
        if len(values) != years:
            errors[name] = [
                str(
                    _(
                        "Give one value per year of the lifetime: %(given)s given, but the "
                        "energy discharged covers %(years)s years."
                    )
                    % {"given": len(values), "years": years}
                )
            ]
    if not any(energy):
        errors["energy_discharged_kwh"] = [
            str(_("The system must discharge some energy over its lifetime."))
        ]
    return errors


def check_discount_rate(rate: Decimal | None) -> None:
    if rate is not None and rate <= -1:
        raise ValidationError(_("The discount rate must be above −1 (−100 %)."), code="min")


class AmountsField(forms.CharField):
    """One value per year, separated by commas or spaces."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> list[Decimal] | None:
        text = super().to_python(value)
        if not text:
            return None
        return parse_amounts(text)


SYSTEMS = (
    ("ssb", _("Solid-state system")),
    ("incumbent", _("Incumbent system")),
)


def _system_fields(prefix: str, label) -> dict[str, forms.Field]:
    return {
        f"{prefix}_capital_cost_cny": forms.DecimalField(
            label=_("%(system)s: capital cost (CNY)") % {"system": label},
            min_value=0,
            max_value=MAX_ENTRY,
            max_digits=20,
            decimal_places=2,
        ),
        f"{prefix}_om_costs_cny": AmountsField(
            label=_("%(system)s: O&M cost by year (CNY)") % {"system": label},
            help_text=_("One value per year, separated by commas: 12000, 12000, 12500"),
        ),
        f"{prefix}_replacement_costs_cny": AmountsField(
            label=_("%(system)s: replacement cost by year (CNY)") % {"system": label},
            help_text=_("One value per year; 0 for years without replacement."),
        ),
        f"{prefix}_energy_discharged_kwh": AmountsField(
            label=_("%(system)s: energy discharged by year (kWh)") % {"system": label},
            help_text=_("One value per year; the lifetime is the number of years given."),
        ),
    }


class LcosForm(forms.Form):
    """Inputs of the LCOS of a solid-state system and of the incumbent it would replace."""

    discount_rate = forms.DecimalField(
        label=_("Discount rate"),
        help_text=_("Yearly, as a fraction: 0.08 for 8 %."),
        max_digits=8,
        decimal_places=6,
        max_value=10,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for prefix, label in SYSTEMS:
            self.fields.update(_system_fields(prefix, label))

    def clean_discount_rate(self) -> Decimal:
        rate = self.cleaned_data["discount_rate"]
        check_discount_rate(rate)
        return rate

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for prefix, _label in SYSTEMS:
            system = {
                name: cleaned.get(f"{prefix}_{name}")
                for name in ("om_costs_cny", "replacement_costs_cny", "energy_discharged_kwh")
            }
            for name, messages in check_lcos_system(system).items():
                self.add_error(f"{prefix}_{name}", messages)
        return cleaned

    def system(self, prefix: str) -> dict[str, Any]:
        return {
            name: self.cleaned_data[f"{prefix}_{name}"]
            for name in (
                "capital_cost_cny",
                "om_costs_cny",
                "replacement_costs_cny",
                "energy_discharged_kwh",
            )
        }


class DroneForm(forms.Form):
    system_efficiency = forms.DecimalField(
        label=_("System efficiency η"),
        help_text=_("A fraction above 0 and at most 1: 0.85 for 85 %."),
        max_digits=6,
        decimal_places=4,
    )
    pack_energy_wh = forms.DecimalField(
        label=_("Pack energy (Wh)"), min_value=0, max_digits=12, decimal_places=2
    )
    average_power_w = forms.DecimalField(
        label=_("Average power (W)"), max_digits=12, decimal_places=2
    )
    pack_mass_kg = forms.DecimalField(
        label=_("Pack mass (kg)"),
        required=False,
        max_digits=10,
        decimal_places=3,
        help_text=_("Optional: gives the pack's specific energy (Wh/kg)."),
    )

    def clean_system_efficiency(self) -> Decimal:
        value = self.cleaned_data["system_efficiency"]
        if not 0 < value <= 1:
            raise ValidationError(
                _("The efficiency is a fraction above 0 and at most 1."), code="range"
            )
        return value

    def clean_average_power_w(self) -> Decimal:
        value = self.cleaned_data["average_power_w"]
        if value <= 0:
            raise ValidationError(_("The average power must be above 0 W."), code="min")
        return value

    def clean_pack_mass_kg(self) -> Decimal | None:
        value = self.cleaned_data["pack_mass_kg"]
        if value is not None and value <= 0:
            raise ValidationError(_("The pack mass must be above 0 kg."), code="min")
        return value
