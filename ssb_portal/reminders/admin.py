"""Sent reminders in the officials' workbench: read only, a record of what was mailed."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ssb_portal.reminders.models import SentReminder
from ssb_portal.reminders.registry import kinds


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "kind_label", "object_id", "recipient", "occasion", "due_on"]
    list_filter = ["kind", "occasion", "sent_at"]
    search_fields = ["recipient__username", "recipient__email", "object_id"]
    list_select_related = ["recipient"]
    date_hierarchy = "sent_at"

    @admin.display(description=_("kind of reminder"), ordering="kind")
    def kind_label(self, sent: SentReminder) -> str:
        labels = {kind.key: kind.label for kind in kinds()}
        return str(labels.get(sent.kind, sent.kind))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
