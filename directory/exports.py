"""The recommendation directory as a spreadsheet (CSV or XLSX), built with pandas."""

import io

import pandas as pd
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from directory.models import Enterprise


def directory_frame(enterprises: QuerySet[Enterprise]) -> pd.DataFrame:
    """One row per enterprise; expects the queryset of `selectors.with_public_details`."""
    rows = [
        {
            _("USCC"): enterprise.uscc,
            _("Name (Chinese)"): enterprise.name_zh,
            _("Name (English)"): enterprise.name_en,
            _("Kind"): enterprise.get_kind_display(),
            _("District"): enterprise.district.name_zh,
            _("Local"): enterprise.district.is_local,
            _("Recommended"): enterprise.recommended,
            _("Categories"): "; ".join(c.slug for c in enterprise.categories.all()),
            _("Products"): "; ".join(p.name for p in enterprise.public_products),
            _("Valid certifications"): "; ".join(
                f"{c.scheme} ({c.valid_until:%Y-%m-%d})" for c in enterprise.valid_certifications
            ),
            _("Contact person"): enterprise.contact_person,
            _("Phone"): enterprise.phone,
            _("Email"): enterprise.email,
            _("Website"): enterprise.website,
        }
        for enterprise in enterprises
    ]
    headers = [
        _("USCC"), _("Name (Chinese)"), _("Name (English)"), _("Kind"), _("District"),
        _("Local"), _("Recommended"), _("Categories"), _("Products"),
        _("Valid certifications"), _("Contact person"), _("Phone"), _("Email"), _("Website"),
    ]  # fmt: skip
    # An empty result still carries the header row.
    return pd.DataFrame(rows, columns=headers)


def directory_csv(enterprises: QuerySet[Enterprise]) -> bytes:
    # UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly.
    return directory_frame(enterprises).to_csv(index=False).encode("utf-8-sig")


def directory_xlsx(enterprises: QuerySet[Enterprise]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        directory_frame(enterprises).to_excel(writer, index=False, sheet_name="directory")
    return buffer.getvalue()
