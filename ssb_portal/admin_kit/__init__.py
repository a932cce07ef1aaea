"""The officials' workbench kit: what every app's admin is built from.

- `display`: empty values, money, moments, links to rows, tables and JSON on a change page;
- `forms`: a service's refusal on a form, model forms saved by a service, reason and
  confirmation forms;
- `actions`: actions declared as data (`RowAction`, `StatusAction`), run row by row
  through one action page;
- `admins`: read-only admins, and read-only pages with their decisions as buttons;
- `pages`: an admin page with one form of its own;
- `waiting`: what waits for an official (the to-do list on the admin index) and the lists
  ordered with it first.

It imports nothing of the apps: they import it.
"""

from ssb_portal.admin_kit.actions import (
    RowAction,
    StatusAction,
    admin_actions,
    apply_to_rows,
    done_counted,
    done_each,
    done_named,
    run_rows,
    with_action_form,
)
from ssb_portal.admin_kit.admins import DecisionsAdmin, ReadOnlyAdmin, ReadOnlyInline
from ssb_portal.admin_kit.display import (
    EMPTY,
    admin_link,
    admin_link_to,
    cny,
    json_block,
    record_table,
    table,
    when,
)
from ssb_portal.admin_kit.forms import (
    ConfirmForm,
    ReasonForm,
    ServiceFormAdmin,
    ServiceModelForm,
)
from ssb_portal.admin_kit.pages import form_page
from ssb_portal.admin_kit.waiting import Waiting, register_waiting, waiting_first
from ssb_portal.forms import add_service_errors, error_text

__all__ = [
    "EMPTY",
    "ConfirmForm",
    "DecisionsAdmin",
    "ReadOnlyAdmin",
    "ReadOnlyInline",
    "ReasonForm",
    "RowAction",
    "ServiceFormAdmin",
    "ServiceModelForm",
    "StatusAction",
    "add_service_errors",
    "admin_actions",
    "admin_link",
    "admin_link_to",
    "apply_to_rows",
    "cny",
    "done_counted",
    "done_each",
    "done_named",
    "error_text",
    "form_page",
    "json_block",
    "record_table",
    "run_rows",
    "table",
    "when",
    "with_action_form",
    "Waiting",
    "register_waiting",
    "waiting_first",
]
