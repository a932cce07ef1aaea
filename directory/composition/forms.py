"""The supplier's forms of a bill of materials: its lines as a formset (or, with a safe-harbour
table, one origin per component class), turned into the service's `LineInput`s. The forms
check what one field can (a number is a number, a linked product exists); `bom_declare` and
`bom_amend` check the rest, and their refusals go back onto the line and field at fault."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory.composition.lines import BillRefused, LineInput
from directory.composition.selectors import components_named
from directory.models import (
    BillOfMaterials,
    BomLineKind,
    CostUnit,
    Origin,
    SafeHarbourClass,
)
from ssb_portal.forms import add_service_errors

#: Where a product is picked by its number: "#12", or a suggestion "Name · Firm #12".
PRODUCT_NUMBER = re.compile(r"#\s*(\d+)\s*$")
#: How many products an ambiguous name lists to pick from.
CANDIDATES_SHOWN = 5

ORIGIN_CHOICES = [("", "—"), *Origin.choices]
#: The fields of a line a supplier states (the names `LineInput` takes).
STATED = ("kind", "description", "origin", "cost", "local_share", "component")


def component_label(product) -> str:
    """A linked product as the component field shows it, and reads it back (by its number)."""
    return f"{product.name} · {product.enterprise.name_zh} #{product.pk}"


class BillForm(forms.Form):
    cost_unit = forms.ChoiceField(
        label=_("costs given as"),
        choices=CostUnit.choices,
        initial=CostUnit.PERCENT,
        required=False,  # a safe-harbour bill has none: the table's shares are percent
    )


class BomLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=BomLineKind.choices)
    description = forms.CharField(label=_("description"), max_length=160, required=False)
    origin = forms.ChoiceField(
        label=_("origin or source"),
        choices=ORIGIN_CHOICES,
        required=False,
        help_text=_("Of a material, and the source of goods resold."),
    )
    cost = forms.DecimalField(
        label=_("cost"), max_digits=16, decimal_places=2, required=False, localize=False
    )
    local_share = forms.DecimalField(
        label=_("local share (%)"),
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("Of direct labour and factory overhead."),
    )
    component = forms.CharField(
        label=_("component in the directory"),
        required=False,
        max_length=300,
        help_text=_("Part of a verified product's name, or its number as #123."),
    )

    def clean_component(self) -> int | None:
        text = self.cleaned_data["component"].strip()
        if not text:
            return None
        number = PRODUCT_NUMBER.search(text)
        matches = list(
            components_named(
                text, number=int(number[1]) if number else None, limit=CANDIDATES_SHOWN
            )
        )
        if len(matches) == 1:
            return matches[0].pk
        if not matches:
            raise ValidationError(
                gettext("No verified product is named like “%(text)s”.") % {"text": text}
            )
        raise ValidationError(
            gettext("Several products match; type the one meant, with its number: %(names)s")
            % {"names": "; ".join(component_label(p) for p in matches)}
        )

    def is_blank(self) -> bool:
        """A line left empty (an extra one not used): not part of the bill."""
        return not any(
            self.cleaned_data.get(name) not in (None, "") for name in STATED if name != "kind"
        )

    def line(self) -> LineInput:
        return LineInput(**{name: self.cleaned_data[name] for name in STATED})


class SafeHarbourLineForm(forms.Form):
    """One class of the category's table: its default cost share is the official's; the
    supplier states only where it comes from."""

    component_class = forms.IntegerField(widget=forms.HiddenInput)
    origin = forms.ChoiceField(label=_("origin"), choices=ORIGIN_CHOICES)

    def __init__(self, *args, classes: dict[int, SafeHarbourClass], **kwargs):
        super().__init__(*args, **kwargs)
        self.classes = classes
        # The class this form is shown for (its name and default share on the page).
        self.stated_class = classes.get(self.initial.get("component_class"))

    def is_blank(self) -> bool:
        return False

    def line(self) -> LineInput:
        stated = self.classes.get(self.cleaned_data["component_class"])
        return LineInput(
            description=f"{stated.name_zh} / {stated.name_en}"[:160] if stated else "",
            origin=self.cleaned_data["origin"],
            component_class=self.cleaned_data["component_class"],
        )


BomLineFormSet = forms.formset_factory(BomLineForm, extra=0)
SafeHarbourFormSet = forms.formset_factory(SafeHarbourLineForm, extra=0)


def line_initial(bom: BillOfMaterials) -> list[dict]:
    """A bill's lines as the formset's initial data (to change or correct it)."""
    return [
        {
            "kind": line.kind,
            "description": line.description,
            "origin": line.origin,
            "cost": line.cost,
            "local_share": line.local_share,
            "component": component_label(line.component) if line.component else "",
        }
        for line in bom.lines.all()
    ]


def harbour_formset(data, classes: list[SafeHarbourClass], origins: dict[int, str]):
    """The safe-harbour formset, one form per class of the table; `origins` those stated
    before (a bill changed or corrected)."""
    return SafeHarbourFormSet(
        data,
        prefix="harbour",
        initial=[{"component_class": c.pk, "origin": origins.get(c.pk, "")} for c in classes],
        form_kwargs={"classes": {c.pk: c for c in classes}},
    )


def stated_lines(formset) -> tuple[list, list[LineInput]]:
    """The forms of a valid formset that the supplier filled (blank lines left out), and
    their lines, numbered as the service numbers them."""
    filled = [form for form in formset.forms if not form.is_blank()]
    return filled, [form.line() for form in filled]


def put_refusal(error: ValidationError, bill_form: forms.Form, filled: list) -> None:
    """A service's refusal on the page: each line's problem on its line and field, the rest
    above the lines."""
    problems = error.problems if isinstance(error, BillRefused) else ()
    for problem in problems:
        form = filled[problem.number - 1]
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)
    if not problems:
        add_service_errors(error, bill_form)
        return
    for field, messages in error.message_dict.items():
        if field != "lines":
            bill_form.add_error(field if field in bill_form.fields else None, messages)
    stated = {problem.message for problem in problems}
    for message in error.message_dict.get("lines", []):
        if message not in stated:
            bill_form.add_error(None, message)
