"""Enterprises: their listing, members, products and certifications, the decisions on the
listing (verify, return, withdraw, recommend) and the group under common control."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from directory.admin.listings import (
    ListingAdmin,
    PendingChangesFilter,
    StatusChangeInline,
    listing_action,
)
from directory.models import (
    Certification,
    Enterprise,
    EnterpriseGroup,
    ListingStatus,
    Membership,
    Product,
)
from directory.services.enterprises import (
    enterprise_return,
    enterprise_set_group,
    enterprise_set_recommended,
    enterprise_verify,
    enterprise_withdraw,
)
from ssb_portal.admin_kit import EMPTY, ReadOnlyInline, admin_actions, form_page


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ("user", "user_email", "role", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description=_("email"))
    def user_email(self, membership: Membership) -> str:
        return membership.user.email or EMPTY


class ProductInline(ReadOnlyInline):
    model = Product
    fields = ("name", "category", "status", "has_pending_changes", "created_at")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category")

    @admin.display(description=_("pending changes"), boolean=True)
    def has_pending_changes(self, product: Product) -> bool:
        return bool(product.pending_changes)


class CertificationInline(ReadOnlyInline):
    model = Certification
    fields = ("scheme", "number", "issuer", "valid_until")
    readonly_fields = fields


class EnterpriseGroupChoiceForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=EnterpriseGroup.objects.order_by("name"),
        required=False,
        empty_label=_("No group"),
        help_text=_(
            "Enterprises under common control share one support cap, and a member of any of "
            "them has a conflict of interest with all of them."
        ),
    )


VERIFY = listing_action(
    "verify",
    _("Verify (or accept pending changes)"),
    lambda actor, enterprise, reason: enterprise_verify(
        actor=actor, enterprise=enterprise, reason=reason
    ),
    ngettext_lazy("%(count)d enterprise verified.", "%(count)d enterprises verified.", "count"),
    reason_required=False,
)
RETURN = listing_action(
    "return_with_reason",
    _("Return with reason (or reject pending changes)"),
    lambda actor, enterprise, reason: enterprise_return(
        actor=actor, enterprise=enterprise, reason=reason
    ),
    ngettext_lazy("%(count)d enterprise returned.", "%(count)d enterprises returned.", "count"),
    reason_required=True,
    target=ListingStatus.RETURNED,
)
WITHDRAW = listing_action(
    "withdraw",
    _("Withdraw from the directory"),
    lambda actor, enterprise, reason: enterprise_withdraw(
        actor=actor, enterprise=enterprise, reason=reason
    ),
    ngettext_lazy("%(count)d enterprise withdrawn.", "%(count)d enterprises withdrawn.", "count"),
    reason_required=True,
    target=ListingStatus.RETURNED,
)
RECOMMEND = listing_action(
    "recommend",
    _("Mark recommended"),
    lambda actor, enterprise, reason: enterprise_set_recommended(
        actor=actor, enterprise=enterprise, recommended=True, reason=reason
    ),
    ngettext_lazy(
        "%(count)d enterprise recommended.", "%(count)d enterprises recommended.", "count"
    ),
    reason_required=False,
)
UNRECOMMEND = listing_action(
    "unrecommend",
    _("Remove recommendation"),
    lambda actor, enterprise, reason: enterprise_set_recommended(
        actor=actor, enterprise=enterprise, recommended=False, reason=reason
    ),
    ngettext_lazy(
        "%(count)d enterprise is no longer recommended.",
        "%(count)d enterprises are no longer recommended.",
        "count",
    ),
    reason_required=False,
)


@admin.register(Enterprise)
class EnterpriseAdmin(ListingAdmin):
    list_display = (
        "name_zh",
        "name_en",
        "uscc",
        "kind",
        "district",
        "status",
        "recommended",
        "has_pending_changes",
        "created_at",
    )
    list_filter = (
        "status",
        PendingChangesFilter,
        "recommended",
        "kind",
        "district__is_local",
        "district",
        "categories",
    )
    list_select_related = ("district",)
    search_fields = ("name_zh", "name_en", "uscc")
    search_help_text = _("Search by name (Chinese or English) or unified social credit code.")
    date_hierarchy = "created_at"
    readonly_fields = (
        "status",
        "recommended",
        "pending_changes",
        "pending_changes_diff",
        "verified_at",
        "created_at",
        "updated_at",
        "group_link",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "uscc",
                    "name_zh",
                    "name_en",
                    "kind",
                    "district",
                    "categories",
                    "address",
                    "contact_person",
                    "phone",
                    "email",
                    "employees",
                    ("annual_capacity", "capacity_unit"),
                    "website",
                )
            },
        ),
        (
            _("Verification"),
            {
                "fields": (
                    "status",
                    "recommended",
                    "pending_changes_diff",
                    "verified_at",
                    "created_at",
                    "updated_at",
                )
            },
        ),
        (_("Group under common control"), {"fields": ("group_link",)}),
    )
    inlines = (StatusChangeInline, MembershipInline, ProductInline, CertificationInline)
    actions = admin_actions(VERIFY, RETURN, WITHDRAW, RECOMMEND, UNRECOMMEND)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/group/",
                self.admin_site.admin_view(self.group_view),
                name="directory_enterprise_group",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("group"))
    def group_link(self, enterprise: Enterprise) -> str:
        if enterprise.group_id is None:
            shown = gettext("None")
        else:
            url = reverse("admin:directory_enterprisegroup_change", args=[enterprise.group_id])
            shown = format_html('<a href="{}">{}</a>', url, enterprise.group)
        change = reverse("admin:directory_enterprise_group", args=[enterprise.pk])
        return format_html('{} · <a href="{}">{}</a>', shown, change, gettext("Change group"))

    def group_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Officials set the group directly: it is a fact they establish, not listing data."""
        enterprise = self.get_object(request, object_id)
        if enterprise is None:
            raise Http404
        if not self.has_change_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = EnterpriseGroupChoiceForm(data, initial={"group": enterprise.group_id})
        if form.is_bound and form.is_valid():
            group = form.cleaned_data["group"]
            enterprise_set_group(actor=request.user, enterprise=enterprise, group=group)
            self.message_user(
                request,
                gettext("%(enterprise)s: group set to %(group)s.")
                % {"enterprise": enterprise, "group": group or gettext("None")},
                level=messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:directory_enterprise_change", args=[enterprise.pk])
            )
        title = gettext("Set the group of %(enterprise)s") % {"enterprise": enterprise}
        return form_page(self, request, title=title, form=form, submit_label=title)

    def applicable_actions(self, enterprise: Enterprise) -> list[str]:
        names = []
        if enterprise.status == ListingStatus.PENDING or enterprise.pending_changes:
            names += ["verify", "return_with_reason"]
        if enterprise.status == ListingStatus.VERIFIED:
            names.append("withdraw")
            if enterprise.recommended:
                names.append("unrecommend")
            elif enterprise.is_local:
                names.append("recommend")
        return names
