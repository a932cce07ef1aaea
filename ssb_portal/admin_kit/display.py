"""How the officials' workbench shows values: a dash for nothing, money, moments, links to
another row's admin page, small tables and JSON blocks inside a change page, and the record
an app keeps of one row."""

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from ssb_portal.records import ActionRecord

#: What an empty value reads as.
EMPTY = "—"


def cny(value: Decimal | None) -> str:
    """An amount in CNY with thousands separators and two decimals."""
    return EMPTY if value is None else f"{value:,.2f}"


def when(value: datetime.datetime | None) -> str:
    """A moment in the city's time, as the admin shows dates elsewhere."""
    return EMPTY if value is None else formats.localize(timezone.localtime(value))


def admin_link(obj: Model | None, text: Any = None) -> str:
    """A link to the row's admin page, or its name where it has none."""
    if obj is None:
        return EMPTY
    opts = obj._meta
    return admin_link_to(opts.app_label, opts.model_name, obj.pk, obj if text is None else text)


def admin_link_to(app_label: str, model_name: str, pk: Any, text: Any) -> str:
    """A link to the admin page of a row named by its model and key (text if it has none)."""
    try:
        url = reverse(f"admin:{app_label}_{model_name}_change", args=[pk])
    except NoReverseMatch:
        return str(text)
    return format_html('<a href="{}">{}</a>', url, text)


def table(headers: list[Any], rows: list[tuple], empty: str | None = None) -> str:
    """Rows under their headers, every cell escaped; `empty` (a dash by default) if none."""
    if not rows:
        return empty if empty is not None else EMPTY
    return format_html(
        '<table class="workbench-table"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        format_html_join("", "<th>{}</th>", ((header,) for header in headers)),
        format_html_join(
            "",
            "<tr>{}</tr>",
            ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
        ),
    )


def json_block(value: Any, *, sort_keys: bool = False) -> str:
    """A JSON value, indented in a <pre>; a dash if there is none."""
    if not value:
        return EMPTY
    return format_html(
        "<pre>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2, sort_keys=sort_keys)
    )


def record_table(
    record: type[ActionRecord], obj: Model, *, label: Callable[[str], Any] = str
) -> str:
    """The app's record (`record`, an ActionRecord model) of one row: when, who, what (the
    action as `label` reads it) and the note, oldest first."""
    events = record.objects.filter(subject_type=obj._meta.model_name, subject_id=obj.pk)
    return table(
        [gettext("At"), gettext("By"), gettext("What"), gettext("Note")],
        [
            (when(event.created_at), event.actor or EMPTY, label(event.action), event.note or EMPTY)
            for event in events.select_related("actor").order_by("created_at", "pk")
        ],
    )
