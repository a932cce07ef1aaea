"""The recommendation directory as a spreadsheet (CSV or XLSX), built with pandas."""

from collections.abc import Callable
from typing import Any

import pandas as pd
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from directory.models import Enterprise
from ssb_portal.exports import frame_csv, frame_xlsx


def _directory_columns() -> list[tuple[str, Callable[[Enterprise], Any]]]:
    """Header (in the active language) and value of each column, in order."""
    return [
        (_("USCC"), lambda e: e.uscc),
        (_("Name (Chinese)"), lambda e: e.name_zh),
        (_("Name (English)"), lambda e: e.name_en),
        (_("Kind"), lambda e: e.get_kind_display()),
        (_("District"), lambda e: e.district.name_zh),
        (_("Local"), lambda e: e.district.is_local),
        (_("Recommended"), lambda e: e.recommended),
        (_("Categories"), lambda e: "; ".join(c.slug for c in e.categories.all())),
        (_("Products"), lambda e: "; ".join(p.name for p in e.public_products)),
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


def directory_frame(enterprises: QuerySet[Enterprise]) -> pd.DataFrame:
    """One row per enterprise; expects the queryset of `selectors.with_public_details`."""
    columns = _directory_columns()
    rows = [[value(enterprise) for _header, value in columns] for enterprise in enterprises]
    # An empty result still carries the header row.
    return pd.DataFrame(rows, columns=[header for header, _value in columns])


def directory_csv(enterprises: QuerySet[Enterprise]) -> bytes:
    return frame_csv(directory_frame(enterprises))


def directory_xlsx(enterprises: QuerySet[Enterprise]) -> bytes:
    return frame_xlsx(directory_frame(enterprises), sheet_name="directory")
