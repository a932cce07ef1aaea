"""The directory search as a spreadsheet (CSV or XLSX): what an anchor searched for, and the
products and specs behind each match, in the language of the request.

One row per product that meets the search's thresholds, specs and passport figures alike (every
verified product when none was asked); a listing without such a product (possible only without
thresholds) is one row with the product columns empty. The filters applied travel with the file:
the XLSX writes them above the table; the CSV repeats them in its last column, "Search filters",
so that it stays a single table any program imports (an empty result keeps only the header).
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pandas as pd
from django import forms
from django.db.models import Model, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from directory.forms import SPEC_FIELDS
from directory.models import Enterprise, Product
from directory.templatetags.directory_tags import local_name
from ssb_portal.exports import Sheet, frame_csv, xlsx_content

EnterpriseColumn = Callable[[Enterprise], Any]
ProductColumn = Callable[[Product | None], Any]


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _enterprise_columns() -> list[tuple[str, EnterpriseColumn]]:
    """Header (in the active language) and value of each column describing the listing."""
    return [
        (_("USCC"), lambda e: e.uscc),
        (_("Name (Chinese)"), lambda e: e.name_zh),
        (_("Name (English)"), lambda e: e.name_en),
        (_("Kind"), lambda e: e.get_kind_display()),
        (_("District"), lambda e: local_name(e.district)),
        (_("Local"), lambda e: yes_no(e.district.is_local)),
        (_("Recommended"), lambda e: yes_no(e.recommended)),
        (_("Categories"), lambda e: "; ".join(local_name(c) for c in e.categories.all())),
    ]


def _contact_columns() -> list[tuple[str, EnterpriseColumn]]:
    return [
        (
            _("Valid certifications"),
            lambda e: "; ".join(
                f"{c.scheme} ({c.valid_until:%Y-%m-%d})" for c in e.valid_certifications
            ),
        ),
        (_("Contact person"), lambda e: e.contact_person),
        (_("Phone"), lambda e: e.phone),
        (_("Email"), lambda e: e.email),
        (_("Website"), lambda e: e.website),
    ]


def _spec_value(name: str) -> ProductColumn:
    return lambda product: getattr(product, name) if product else None


def _product_columns() -> list[tuple[str, ProductColumn]]:
    """The product, its category and every spec (the model's names carry the units)."""
    specs = [
        (capfirst(Product._meta.get_field(name).verbose_name), _spec_value(name))
        for name in SPEC_FIELDS
    ]
    return [
        (_("Product"), lambda p: p.name if p else None),
        (_("Product category"), lambda p: local_name(p.category) if p else None),
        *specs,
    ]


def _shown(value: Any, field: forms.Field) -> Any:
    """A cleaned filter value as a reader knows it: names rather than slugs, Yes/No, the
    choice's label; numbers stay numbers."""
    if isinstance(value, Model):
        return local_name(value)
    if isinstance(value, bool):
        return yes_no(value)
    choices = dict(getattr(field, "choices", ()))
    if isinstance(value, list | tuple):
        return "; ".join(str(choices.get(item, item)) for item in value)
    if choices:
        return str(choices.get(value, value))
    if isinstance(value, Decimal | float | int):
        return value
    return str(value)


def applied_filters(form: forms.Form) -> list[tuple[str, Any]]:
    """The label and shown value of each filter a valid search form was given, in form order."""
    return [
        (str(field.label), _shown(value, field))
        for name, field in form.fields.items()
        if (value := form.cleaned_data.get(name)) not in (None, "", [], ())
    ]


def _filters_text(filters: list[tuple[str, Any]]) -> str:
    return "; ".join(
        f"{label}: {format(value, 'g') if isinstance(value, Decimal | float) else value}"
        for label, value in filters
    )


def directory_frame(enterprises: QuerySet[Enterprise], form: forms.Form) -> pd.DataFrame:
    """One row per matching product; expects the enterprises of `EnterpriseFilter.results`
    (their products narrowed to those meeting the thresholds) and the valid search form."""
    listing = _enterprise_columns()
    product_columns = _product_columns()
    contact = _contact_columns()
    rows = []
    for enterprise in enterprises:
        products = enterprise.public_products or [None]
        described = [value(enterprise) for _header, value in listing]
        reached = [value(enterprise) for _header, value in contact]
        for product in products:
            rows.append(
                described + [value(product) for _header, value in product_columns] + reached
            )
    headers = [header for header, _value in listing + product_columns + contact]
    # Object columns: a frame would turn a column of ints with gaps into floats (500 -> 500.0).
    # An empty result still carries the header row.
    return pd.DataFrame(rows, columns=headers, dtype=object)


def directory_csv(enterprises: QuerySet[Enterprise], form: forms.Form) -> bytes:
    frame = directory_frame(enterprises, form)
    frame[_("Search filters")] = _filters_text(applied_filters(form))
    return frame_csv(frame)


def directory_xlsx(enterprises: QuerySet[Enterprise], form: forms.Form) -> bytes:
    filters = applied_filters(form) or [(_("None: every verified listing"), None)]
    sheet = Sheet.from_frame(
        "directory",
        directory_frame(enterprises, form),
        preamble=[[_("Filters")], *([label, value] for label, value in filters)],
        freeze_header=True,
    )
    return xlsx_content(sheet)
