"""Overseas experts: recorded by an official for their host enterprise, with the package
C_total = base salary + housing benefit + other benefits, through the service."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import ServiceFormAdmin, ServiceModelForm, cny
from talent import services
from talent.admin.records import record_of
from talent.models import OverseasExpert


def _parse_benefits(text: str) -> list[dict[str, Any]]:
    """One benefit a line, "what: amount" (a full-width colon too); every bad line named."""
    benefits, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        label, colon, amount = line.replace("：", ":").rpartition(":")
        label = label.strip()
        try:
            value = Decimal(amount.strip().replace(",", ""))
        except InvalidOperation:
            value = None
        if not colon or not label or value is None or not value.is_finite():
            problems.append(
                gettext("Line %(line)s: write the benefit, a colon and the amount in CNY.")
                % {"line": number}
            )
        elif value < 0 or value >= Decimal("1e14") or value != value.quantize(Decimal("0.01")):
            problems.append(
                gettext(
                    "Line %(line)s: the amount is in CNY a year, at least 0, with two decimals "
                    "at most."
                )
                % {"line": number}
            )
        elif len(label) > 120:
            problems.append(
                gettext("Line %(line)s: at most 120 characters for the benefit.") % {"line": number}
            )
        else:
            benefits.append({"label": label, "amount_cny": value})
    if problems:
        raise ValidationError(problems)
    return benefits


class OverseasExpertForm(ServiceModelForm):
    benefits = forms.CharField(
        label=_("Other benefits"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_(
            "One a line: the benefit, a colon, the amount in CNY a year (“Flights: 30000”)."
        ),
    )

    class Meta:
        model = OverseasExpert
        fields = ("host", *services.EXPERT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["benefits"].initial = "\n".join(
                f"{benefit.label}: {benefit.amount_cny}" for benefit in self.instance.benefits.all()
            )

    def clean_benefits(self) -> list[dict[str, Any]]:
        return _parse_benefits(self.cleaned_data.get("benefits") or "")

    def call_service(self) -> OverseasExpert:
        existing = self.instance if self.instance.pk else None
        host = existing.host if existing else self.cleaned_data["host"]
        return services.expert_save(
            actor=self.actor,
            host=host,
            data={name: self.cleaned_data[name] for name in services.EXPERT_FIELDS},
            benefits=self.cleaned_data["benefits"],
            expert=existing,
        )


@admin.register(OverseasExpert)
class OverseasExpertAdmin(ServiceFormAdmin):
    form = OverseasExpertForm
    list_display = (
        "name",
        "host",
        "country",
        "field",
        "years_experience",
        "status",
        "signed_on",
        "total",
        "school_priority",
        "relocation_support",
    )
    list_filter = ("status", "school_priority", "relocation_support")
    list_select_related = ("host",)
    search_fields = ("name", "country", "field", "host__name_zh", "host__uscc")
    search_help_text = _("Search by name, country, field or the host enterprise.")
    autocomplete_fields = ("host",)

    def get_fieldsets(self, request, obj=None):
        package = ["base_salary_cny", "housing_benefit_cny", "benefits"]
        if obj is not None:
            package.append("total")
        fieldsets = [
            (None, {"fields": ("host", "name", "country", "field", "years_experience")}),
            (_("Recruitment"), {"fields": ("status", "signed_on")}),
            (
                _("Package: C_total = base salary + housing benefit + other benefits"),
                {"fields": (*package, "school_priority", "relocation_support")},
            ),
        ]
        if obj is not None:
            fieldsets.append((_("Record"), {"fields": ("created_at", "record")}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # The host is who recorded the expert; it does not change afterwards.
        return ("host", "total", "created_at", "record") if obj is not None else ()

    @admin.display(description=_("total package (CNY a year)"), ordering="total_package_cny")
    def total(self, expert: OverseasExpert) -> str:
        return cny(expert.total_package_cny)

    @admin.display(description=_("record"))
    def record(self, expert: OverseasExpert) -> str:
        return record_of(expert)
