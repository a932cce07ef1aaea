"""The tamper-evident audit log: read-only, with a button that checks its hash chain."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import ReadOnlyAdmin, json_block
from ssb_portal.audit_chain.verify import audit_chain_verify
from ssb_portal.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The hash-chained audit log: readable, never added, changed or deleted (not even by a
    superuser). `manage.py verify_audit_log` (or the button of the list) checks the chain."""

    change_list_template = "admin/subsidies/auditentry_change_list.html"
    list_display = (
        "sequence",
        "created_at",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "short_hash",
    )
    list_filter = ("action", "object_type")
    search_fields = ("=object_id", "object_type", "action", "actor_name")
    search_help_text = _("Search by object id (exact), object type, action or actor.")
    show_full_result_count = False
    fields = (
        "sequence",
        "created_at",
        "actor_id",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "data_pretty",
        "previous_hash",
        "entry_hash",
    )
    readonly_fields = fields

    def get_urls(self):
        return [
            path(
                "verify/",
                self.admin_site.admin_view(self.verify_view),
                name="subsidies_auditentry_verify",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("hash"))
    def short_hash(self, entry: AuditEntry) -> str:
        return entry.entry_hash[:12]

    @admin.display(description=_("data"))
    def data_pretty(self, entry: AuditEntry) -> str:
        return json_block(entry.data, sort_keys=True)

    def verify_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        checked, broken = audit_chain_verify()
        if broken is None:
            self.message_user(
                request,
                gettext("Audit log intact: %(count)d entries checked.") % {"count": checked},
                level=messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                gettext(
                    "Audit log broken at entry %(sequence)d: %(problem)s (%(count)d entries "
                    "before it are intact)."
                )
                % {"sequence": broken.sequence, "problem": broken.problem, "count": checked},
                level=messages.ERROR,
            )
        return HttpResponseRedirect(reverse("admin:ssb_portal_auditentry_changelist"))
