"""What every listing's admin shares: how values, pending changes and status moves read, the
reason form of the decisions, the status history inlines and the listing admin itself.

Officials (staff users in the "Official" group) review listings. A listing's data belongs to
its enterprise (members edit it on the portal, every edit audited), so the change pages are
read-only: an official decides through the actions, each of which asks for a reason on the
action page and calls one service per selected row. A refused row is reported and left
untouched; the other rows still go through.
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory.admin.waiting import LISTING_WAITS
from directory.models import Enterprise, ListingStatus, Product, StatusChange, SupplyCategory
from directory.services.enterprises import NOT_RECOMMENDED, RECOMMENDED
from directory.workflow import LISTING_WORKFLOW, OFFICIAL
from ssb_portal.admin_kit import (
    EMPTY,
    DecisionsAdmin,
    ReadOnlyInline,
    ReasonForm,
    RowAction,
    StatusAction,
    done_counted,
)
from ssb_portal.admin_kit.waiting import waiting_first

# --- showing values and pending changes ---------------------------------------------------


def display_value(model: type[Model], name: str, value: Any) -> str:
    """A raw field value (as kept in the model or in pending_changes) as an official reads it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if name == "categories":
        categories = SupplyCategory.objects.filter(pk__in=value).order_by("sort_order", "slug")
        return ", ".join(str(category) for category in categories) or EMPTY
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a key the model no longer has: show it as it was kept
        return str(value)
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _field_label(model: type[Model], name: str) -> str:
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _current_raw(obj: Model, name: str) -> Any:
    if name == "categories":
        return sorted(obj.categories.values_list("pk", flat=True))
    return getattr(obj, obj._meta.get_field(name).attname)


def pending_changes_table(obj: Enterprise | Product) -> str:
    """Pending changes as a table: field, current (public) value, proposed value."""
    if not obj.pending_changes:
        return EMPTY
    model = type(obj)
    rows = [
        (
            _field_label(model, name),
            display_value(model, name, _current_raw(obj, name)),
            display_value(model, name, proposed),
        )
        for name, proposed in obj.pending_changes.items()
    ]
    return format_html(
        '<table class="pending-changes"><thead><tr><th>{}</th><th>{}</th><th></th><th>{}</th>'
        "</tr></thead><tbody>{}</tbody></table>",
        gettext("Field"),
        gettext("Current"),
        gettext("Proposed"),
        format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>→</td><td><strong>{}</strong></td></tr>",
            rows,
        ),
    )


def changed_values_list(model: type[Model], changes: dict | None) -> str:
    """The values a status change carried, as 'field: value' lines."""
    if not changes:
        return EMPTY
    return format_html_join(
        "",
        "<div>{}: {}</div>",
        (
            (_field_label(model, name), display_value(model, name, value))
            for name, value in changes.items()
        ),
    )


SPECIAL_STATUS_LABELS = {
    RECOMMENDED: _("Recommended"),
    NOT_RECOMMENDED: _("Not recommended"),
    "deleted": _("Deleted"),
}


def status_label(value: str) -> str:
    if not value:
        return EMPTY
    if value in ListingStatus.values:
        return str(ListingStatus(value).label)
    return str(SPECIAL_STATUS_LABELS.get(value, value))


# --- filters ------------------------------------------------------------------------------


class PendingChangesFilter(admin.SimpleListFilter):
    title = _("pending changes")
    parameter_name = "has_pending_changes"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pending_changes__isnull=False)
        if self.value() == "no":
            return queryset.filter(pending_changes__isnull=True)
        return queryset


class ToStatusFilter(admin.SimpleListFilter):
    title = _("to")
    parameter_name = "to_status"

    def lookups(self, request, model_admin):
        return [*ListingStatus.choices, *SPECIAL_STATUS_LABELS.items()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(to_status=self.value())
        return queryset


# --- the status history ---------------------------------------------------------------------


class StatusChangeColumns:
    """A status change as an official reads it: from, to, and the values it carried."""

    @admin.display(description=_("from"), ordering="from_status")
    def from_label(self, change: StatusChange) -> str:
        return status_label(change.from_status)

    @admin.display(description=_("to"), ordering="to_status")
    def to_label(self, change: StatusChange) -> str:
        return status_label(change.to_status)

    @admin.display(description=_("changed values"))
    def changed(self, change: StatusChange) -> str:
        return changed_values_list(Product if change.product_id else Enterprise, change.changes)


class StatusChangeInline(StatusChangeColumns, ReadOnlyInline):
    model = StatusChange
    fk_name = "enterprise"
    verbose_name_plural = _("status history")
    fields = ("created_at", "actor", "product", "from_label", "to_label", "reason", "changed")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "product")


class ProductStatusChangeInline(StatusChangeInline):
    fk_name = "product"
    fields = ("created_at", "actor", "from_label", "to_label", "reason", "changed")
    readonly_fields = fields


# --- listings -----------------------------------------------------------------------------


class ListingReasonForm(ReasonForm):
    help_text = _("Sent to the enterprise's members and kept in the status history.")
    optional_help_text = _(
        "Optional. Sent to the enterprise's members and kept in the status history."
    )


class ListingAdmin(DecisionsAdmin):
    """Read-only change pages; changes of state only through the actions (services), which
    ask for a reason on the listings' action page. Superusers may delete a listing."""

    change_form_template = "admin/directory/listing_change_form.html"
    action_form_template = "admin/directory/reason_form.html"

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    #: What of these rows waits for an official, and since when: listed first, oldest first.
    waits = LISTING_WAITS

    def get_ordering(self, request):
        """What waits for an official first, the longest wait first; then the model's order."""
        return waiting_first(self.waits, *self.model._meta.ordering)

    def action_row_status(self, obj) -> str:
        """A listing on the action page: its status, and whether changes wait beside it."""
        if obj.pending_changes:
            return format_html("{} ({})", obj.get_status_display(), gettext("with pending changes"))
        return obj.get_status_display()

    @admin.display(description=_("pending changes"), boolean=True)
    def has_pending_changes(self, obj) -> bool:
        return bool(obj.pending_changes)

    @admin.display(description=_("changes awaiting verification"))
    def pending_changes_diff(self, obj) -> str:
        return pending_changes_table(obj)


def listing_action(
    name: str, label, call, done, *, reason_required: bool, target: str | None = None
) -> RowAction:
    """A decision on a listing: the reason form (required or not), then the service with
    the reason; `done` counts the listings decided. With a `target` status, only listings
    the workflow lets an official move there are tried."""
    declared = {
        "name": name,
        "label": label,
        "form": ListingReasonForm,
        "form_kwargs": {"required": reason_required},
        "call": lambda actor, obj, data: call(actor, obj, data["reason"]),
        "done": done_counted(done),
    }
    if target is None:
        return RowAction(**declared)
    return StatusAction(**declared, workflow=LISTING_WORKFLOW, target=target, role=OFFICIAL)
