"""Base admin classes of the officials' workbench: rows only services write.

`ReadOnlyAdmin` and `ReadOnlyInline` show rows nobody changes here (records, what members
manage on the portal). `DecisionsAdmin` shows rows officials decide on: the page of one row
is read-only, and the decisions that apply to it now (`applicable_actions`) are buttons that
run the list's actions on that row.
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.db.models import Model


class NoWrites:
    """Nothing is added, changed or deleted here: only services write these rows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(NoWrites, admin.TabularInline):
    extra = 0
    can_delete = False


class ReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    """Rows that only services write: viewable, never added, changed or deleted here."""


class DecisionsAdmin(admin.ModelAdmin):
    """Read-only pages; changes of state only through the actions (services), offered as
    buttons on a row's page. Nothing is added or deleted here."""

    change_form_template = "admin/decisions_change_form.html"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return False  # the page of one row is read-only for everybody
        return super().has_change_permission(request)  # may the user run the actions?

    def has_delete_permission(self, request, obj=None):
        return False

    def applicable_actions(self, obj: Model) -> list[str]:
        """The names of the actions that apply to this row now (buttons on its page)."""
        return []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = {
            **({} if obj is None else self.decision_context(request, obj)),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def decision_context(self, request, obj: Model) -> dict:
        """What the row's page shows besides its fields: the decisions (admins add more)."""
        return {"decision_actions": self.decision_actions_for(request, obj)}

    def decision_actions_for(self, request, obj: Model) -> list[tuple[str, str]]:
        """(action name, label) of the decisions the user may take on this row now."""
        if not self.has_change_permission(request):
            return []
        actions = self.get_actions(request)
        return [
            (name, actions[name][2]) for name in self.applicable_actions(obj) if name in actions
        ]
