"""Disbursement batches as the spreadsheet finance pays from (XLSX, built with pandas).

One row per award, then a total row. Amounts are numbers with two decimals (CNY), so that
finance can sum and check them; the recipient is named as registered, with its USCC.
"""

from collections.abc import Iterable
from decimal import Decimal

import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext as _

from ssb_portal.exports import Sheet, xlsx_content
from subsidies.models import Application

AMOUNT_FORMAT = "#,##0.00"
DATETIME_FORMAT = "YYYY-MM-DD HH:MM"
SHEET = "disbursement"


def _columns() -> list[str]:
    """Headers in the active language, in order."""
    return [
        _("Batch reference"),
        _("Application #"),
        _("Recipient"),
        _("USCC"),
        _("Programme"),
        _("Amount (CNY)"),
        _("Public notice ended"),
    ]


def disbursement_frame(awards: Iterable[Application]) -> pd.DataFrame:
    """One row per award and a total row; expects `selectors.disbursement_batch_awards`."""
    rows = []
    total = Decimal("0.00")
    for award in awards:
        amount = award.awarded_amount_cny or Decimal("0.00")
        total += amount
        ends = award.notice.ends_at if award.notice_id else None
        rows.append(
            [
                award.disbursement_batch.reference,
                award.pk,
                award.applicant.name_zh,
                award.applicant.uscc,
                award.programme.name_zh,
                # A number, not text, so finance can sum it: any amount below a trillion CNY
                # reads back to the same two decimals from Excel's floating point.
                float(amount),
                # Excel keeps no time zones: the local time of the city, as officials read it.
                timezone.localtime(ends).replace(tzinfo=None) if ends else None,
            ]
        )
    rows.append([_("Total"), None, None, None, None, float(total), None])
    return pd.DataFrame(rows, columns=_columns())


def disbursement_xlsx(awards: Iterable[Application]) -> bytes:
    frame = disbursement_frame(awards)
    return xlsx_content(
        Sheet.from_frame(
            SHEET,
            frame,
            number_formats={
                frame.columns.get_loc(_("Amount (CNY)")): AMOUNT_FORMAT,
                frame.columns.get_loc(_("Public notice ended")): DATETIME_FORMAT,
            },
            widths=[22, 14, 36, 22, 36, 18, 20],
            bold_last_row=True,
        )
    )
