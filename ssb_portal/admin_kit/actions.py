"""Actions of the officials' workbench, declared as data and run row by row.

An admin lists its actions as `RowAction`s (a service call per selected row) or
`StatusAction`s (the same, for a move of the row's status along an app's `Workflow`) and
`admin_actions(...)` builds the Django admin action functions from them. Running one:

1. The changelist's action POST shows the action's form (a reason, an amount, or only the
   go-ahead) on the one action page, `admin/action_form.html`: the selected rows, the form,
   a cancel link; it posts back with `post` set. An action without a form runs at once.
2. Once the form is valid, each row is tried on its own: a status action first checks that
   the workflow lets the official role move a row of this status to the target, then the
   service runs in its own transaction. A refused or skipped row changes nothing and is named
   in an error message with the reason; the others still go through.
3. The rows that went through are reported in one success message, in the action's words
   (`done`: how many, or which, or what happened to each).

An action whose service decides on the whole selection at once (award n scholarships of one
fund, put awards in one payment batch) is no row action: it asks with `with_action_form` and
calls its service once.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join

from ssb_portal.admin_kit.forms import ConfirmForm
from ssb_portal.admin_kit.pages import page_context
from ssb_portal.forms import error_text
from ssb_portal.workflow import Workflow

#: The one page between the list and the service; an admin may name an override of it
#: (`action_form_template`) that extends it.
ACTION_FORM_TEMPLATE = "admin/action_form.html"

#: What a row action does to one row: (actor, row, the form's cleaned data) -> a result.
RowCall = Callable[[AbstractBaseUser, Model, dict[str, Any]], Any]
#: The success message for the rows that went through, given each with its result.
Done = Callable[[list[tuple[Model, Any]]], str]


# --- the success messages -----------------------------------------------------------------


def done_counted(message: str | Promise) -> Done:
    """How many rows went through: `message` is a lazy plural with `%(count)d`."""
    return lambda done: message % {"count": len(done)}


def done_named(message: str | Promise) -> Done:
    """Which rows went through: `message` has `%(names)s`."""
    return lambda done: message % {"names": "; ".join(str(obj) for obj, _result in done)}


def done_each(done: list[tuple[Model, Any]]) -> str:
    """What happened to each row: the row, then the text its call returned."""
    return format_html_join(" ", "{}: {}", ((obj, result) for obj, result in done))


# --- the actions as data ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RowAction:
    """An admin action that calls one service per selected row.

    `form` is asked first (None: run at once), built with `form_kwargs`; `title` heads its
    page and labels its button (`label`, the action's name in the list, if not given).
    `permission` is the model permission the user needs for Django to offer the action.
    """

    name: str
    label: str | Promise
    call: RowCall
    done: Done
    form: type[forms.Form] | None = ConfirmForm
    form_kwargs: Mapping[str, Any] = field(default_factory=dict)
    title: str | Promise | None = None
    permission: str = "change"

    def check(self, obj: Model) -> None:
        """Refuse a row before its service runs (nothing to refuse here)."""


@dataclass(frozen=True, kw_only=True)
class StatusAction(RowAction):
    """A row action that moves the row's status to `target`.

    Only rows whose status `workflow` lets `role` move to `target` are tried; any other row
    is skipped and named with the workflow's refusal, before the service is called.
    """

    workflow: Workflow
    target: str
    role: str = "official"
    status_field: str = "status"

    def check(self, obj: Model) -> None:
        current = getattr(obj, self.status_field)
        self.workflow.check(current=current, target=self.target, roles=self.role)

    def sources(self) -> list[str]:
        """The statuses from which the action may move a row."""
        return self.workflow.sources(self.target, self.role)


def admin_actions(*declared: RowAction) -> tuple[Callable, ...]:
    """The Django admin action functions of the declared actions, for `ModelAdmin.actions`."""
    return tuple(_admin_action(action) for action in declared)


def _admin_action(action: RowAction) -> Callable:
    def run(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet):
        return run_rows(modeladmin, request, queryset, action)

    run.__name__ = action.name
    run.short_description = action.label
    run.allowed_permissions = (action.permission,)
    return run


# --- running them -------------------------------------------------------------------------


def run_rows(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, action: RowAction
) -> HttpResponse | None:
    """Ask for the action's form (if any), then apply it to each selected row."""
    if action.form is None:
        apply_to_rows(modeladmin, request, queryset, action, {})
        return None
    return with_action_form(
        modeladmin,
        request,
        queryset,
        action=action.name,
        title=action.title or action.label,
        form_class=action.form,
        form_kwargs=action.form_kwargs,
        then=lambda data: apply_to_rows(modeladmin, request, queryset, action, data),
    )


def apply_to_rows(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    rows: Iterable[Model],
    action: RowAction,
    data: dict[str, Any],
) -> None:
    """Try the action on each row on its own; name each refusal, then report what went
    through in one message."""
    done = []
    for obj in rows:
        try:
            action.check(obj)
            result = action.call(request.user, obj, data)
        except (ValidationError, PermissionDenied, ObjectDoesNotExist) as error:
            modeladmin.message_user(
                request, format_html("{}: {}", obj, error_text(error)), level=messages.ERROR
            )
        else:
            done.append((obj, result))
    if done:
        modeladmin.message_user(request, action.done(done), level=messages.SUCCESS)


def with_action_form(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    action: str,
    title: str | Promise,
    form_class: type[forms.Form] = ConfirmForm,
    form_kwargs: Mapping[str, Any] | None = None,
    then: Callable[[dict[str, Any]], None],
) -> HttpResponse | None:
    """Show the action's page until its form is posted back valid, then `then(cleaned_data)`
    (which reports with `modeladmin.message_user`) and back to the list."""
    bound = "post" in request.POST
    form = form_class(request.POST if bound else None, **(form_kwargs or {}))
    if bound and form.is_valid():
        then(form.cleaned_data)
        return None
    return action_form_page(modeladmin, request, queryset, action=action, title=title, form=form)


def status_text(obj: Model) -> str:
    """A row's status as the action page lists it beside the row (empty if it has none)."""
    return obj.get_status_display() if hasattr(obj, "get_status_display") else ""


def action_form_page(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    action: str,
    title: str | Promise,
    form: forms.BaseForm,
) -> TemplateResponse:
    """The action's page: the rows it applies to (with `modeladmin.action_row_status`, if
    the admin says more than the status), the form and its button, a cancel link."""
    describe = getattr(modeladmin, "action_row_status", status_text)
    context = {
        **page_context(modeladmin, request, title=title, form=form),
        "rows": [(obj, describe(obj)) for obj in queryset],
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    template = getattr(modeladmin, "action_form_template", ACTION_FORM_TEMPLATE)
    return TemplateResponse(request, template, context)
