"""Sent reminders in the officials' workbench: read only, a record of what was mailed."""

from django.contrib import admin

from ssb_portal.reminders.models import SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "kind", "object_id", "recipient", "occasion", "due_on"]
    list_filter = ["kind", "occasion", "sent_at"]
    search_fields = ["recipient__username", "recipient__email", "object_id"]
    list_select_related = ["recipient"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
