"""The officials' workbench.

Officials (staff users in the "Official" group) review listings here. A listing's data
belongs to its enterprise (members edit it on the portal, every edit audited), so the change
pages are read-only: an official decides through the actions, each of which asks for a reason
on an intermediate form and calls one service per selected row. A refused row is reported
and left untouched; the other rows still go through.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import (
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db.models import Count, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from directory import selectors, services
from directory.models import (
    Certification,
    District,
    Enterprise,
    EnterpriseGroup,
    Invitation,
    LcrPublication,
    LcrPublishedFigure,
    LcrTrajectory,
    ListingStatus,
    MeasurementDataset,
    Membership,
    Product,
    PurchaseImport,
    PurchaseLine,
    PurchaseLineRevision,
    StatusChange,
    SupplyCategory,
)

EMPTY = "—"


# --- showing values and pending changes ---------------------------------------------------


def _display_value(model: type[Model], name: str, value: Any) -> str:
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
            _display_value(model, name, _current_raw(obj, name)),
            _display_value(model, name, proposed),
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
            (_field_label(model, name), _display_value(model, name, value))
            for name, value in changes.items()
        ),
    )


SPECIAL_STATUS_LABELS = {
    services.RECOMMENDED: _("Recommended"),
    services.NOT_RECOMMENDED: _("Not recommended"),
    "deleted": _("Deleted"),
}


def status_label(value: str) -> str:
    if not value:
        return EMPTY
    if value in ListingStatus.values:
        return str(ListingStatus(value).label)
    return str(SPECIAL_STATUS_LABELS.get(value, value))


# --- actions with a reason form -----------------------------------------------------------


class ReasonForm(forms.Form):
    required_css_class = "required"

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text=_("Sent to the enterprise's members and kept in the status history."),
    )

    def __init__(self, *args, required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].help_text = _(
                "Optional. Sent to the enterprise's members and kept in the status history."
            )


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error) or gettext("You may not make this change.")


def run_with_reason(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    action: str,
    title: str,
    reason_required: bool,
    apply: Callable[[Model, str], Any],
    done_message: Callable[[int], str],
) -> HttpResponse | None:
    """Ask for a reason, then apply one service call per selected row.

    The first POST (the changelist's action) shows the form; the form posts back to the
    changelist with `post` set. Each row is its own transaction inside the service, so a
    refused row changes nothing and the others still go through.
    """
    form = ReasonForm(request.POST if "post" in request.POST else None, required=reason_required)
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        done = 0
        for obj in queryset:
            try:
                apply(obj, reason)
            except (ValidationError, PermissionDenied, ObjectDoesNotExist) as error:
                modeladmin.message_user(
                    request,
                    format_html("{}: {}", obj, _error_text(error)),
                    level=messages.ERROR,
                )
            else:
                done += 1
        if done:
            modeladmin.message_user(request, done_message(done), level=messages.SUCCESS)
        return None

    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": opts,
        "app_label": opts.app_label,
        "queryset": queryset,
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/directory/reason_form.html", context)


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


# --- read-only inlines --------------------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fk_name = "enterprise"
    verbose_name_plural = _("status history")
    fields = ("created_at", "actor", "product", "from_label", "to_label", "reason", "changed")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "product")

    @admin.display(description=_("from"))
    def from_label(self, change: StatusChange) -> str:
        return status_label(change.from_status)

    @admin.display(description=_("to"))
    def to_label(self, change: StatusChange) -> str:
        return status_label(change.to_status)

    @admin.display(description=_("changed values"))
    def changed(self, change: StatusChange) -> str:
        return changed_values_list(Product if change.product_id else Enterprise, change.changes)


class ProductStatusChangeInline(StatusChangeInline):
    fk_name = "product"
    fields = ("created_at", "actor", "from_label", "to_label", "reason", "changed")
    readonly_fields = fields


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


# --- listings -----------------------------------------------------------------------------


class ListingAdmin(admin.ModelAdmin):
    """Read-only change pages; changes of state only through the actions (services)."""

    change_form_template = "admin/directory/listing_change_form.html"

    def has_add_permission(self, request):
        # Listings are registered by enterprises on the portal (services), never here.
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            # The page of one listing is read-only for everybody: see the module docstring.
            return False
        # Without an object: may the user run the actions (officials hold change_*)?
        return super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "listing_actions": self.listing_actions_for(request, object_id),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def listing_actions_for(self, request, object_id) -> list[tuple[str, str]]:
        """(action name, label) of the actions that apply to this listing now."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_change_permission(request):
            return []
        actions = self.get_actions(request)
        return [
            (name, actions[name][2]) for name in self.applicable_actions(obj) if name in actions
        ]

    def applicable_actions(self, obj) -> list[str]:
        raise NotImplementedError

    @admin.display(description=_("pending changes"), boolean=True)
    def has_pending_changes(self, obj) -> bool:
        return bool(obj.pending_changes)

    @admin.display(description=_("changes awaiting verification"))
    def pending_changes_diff(self, obj) -> str:
        return pending_changes_table(obj)


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
    actions = ("verify", "return_with_reason", "withdraw", "recommend", "unrecommend")

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
            services.enterprise_set_group(actor=request.user, enterprise=enterprise, group=group)
            self.message_user(
                request,
                gettext("%(enterprise)s: group set to %(group)s.")
                % {"enterprise": enterprise, "group": group or gettext("None")},
                level=messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:directory_enterprise_change", args=[enterprise.pk])
            )
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Set the group of %(enterprise)s") % {"enterprise": enterprise},
            "subtitle": None,
            "opts": opts,
            "app_label": opts.app_label,
            "form": form,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "directory/lcr/admin_form.html", context)

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

    @admin.action(description=_("Verify (or accept pending changes)"), permissions=("change",))
    def verify(self, request, queryset):
        return run_with_reason(
            self,
            request,
            queryset,
            action="verify",
            title=gettext("Verify (or accept pending changes)"),
            reason_required=False,
            apply=lambda enterprise, reason: services.enterprise_verify(
                actor=request.user, enterprise=enterprise, reason=reason
            ),
            done_message=lambda count: ngettext(
                "%(count)d enterprise verified.", "%(count)d enterprises verified.", count
            )
            % {"count": count},
        )

    @admin.action(
        description=_("Return with reason (or reject pending changes)"), permissions=("change",)
    )
    def return_with_reason(self, request, queryset):
        return run_with_reason(
            self,
            request,
            queryset,
            action="return_with_reason",
            title=gettext("Return with reason (or reject pending changes)"),
            reason_required=True,
            apply=lambda enterprise, reason: services.enterprise_return(
                actor=request.user, enterprise=enterprise, reason=reason
            ),
            done_message=lambda count: ngettext(
                "%(count)d enterprise returned.", "%(count)d enterprises returned.", count
            )
            % {"count": count},
        )

    @admin.action(description=_("Withdraw from the directory"), permissions=("change",))
    def withdraw(self, request, queryset):
        return run_with_reason(
            self,
            request,
            queryset,
            action="withdraw",
            title=gettext("Withdraw from the directory"),
            reason_required=True,
            apply=lambda enterprise, reason: services.enterprise_withdraw(
                actor=request.user, enterprise=enterprise, reason=reason
            ),
            done_message=lambda count: ngettext(
                "%(count)d enterprise withdrawn.", "%(count)d enterprises withdrawn.", count
            )
            % {"count": count},
        )

    @admin.action(description=_("Mark recommended"), permissions=("change",))
    def recommend(self, request, queryset):
        return run_with_reason(
            self,
            request,
            queryset,
            action="recommend",
            title=gettext("Mark recommended"),
            reason_required=False,
            apply=lambda enterprise, reason: services.enterprise_set_recommended(
                actor=request.user, enterprise=enterprise, recommended=True, reason=reason
            ),
            done_message=lambda count: ngettext(
                "%(count)d enterprise recommended.", "%(count)d enterprises recommended.", count
            )
            % {"count": count},
        )

    @admin.action(description=_("Remove recommendation"), permissions=("change",))
    def unrecommend(self, request, queryset):
        return run_with_reason(
            self,
            request,
            queryset,
            action="unrecommend",
            title=gettext("Remove recommendation"),
            reason_required=False,
            apply=lambda enterprise, reason: services.enterprise_set_recommended(
                actor=request.user, enterprise=enterprise, recommended=False, reason=reason
            ),
            done_message=lambda count: ngettext(
                "%(count)d enterprise is no longer recommended.",
                "%(count)d enterprises are no longer recommended.",
                count,
            )
            % {"count": count},
        )


@admin.register(Product)
class ProductAdmin(ListingAdmin):
    list_display = (
        "name",
        "enterprise",
        "category",
        "status",
        "has_pending_changes",
        "created_at",
    )
    list_filter = ("status", PendingChangesFilter, "category")
    list_select_related = ("enterprise", "category")
    search_fields = ("name", "enterprise__name_zh", "enterprise__name_en", "enterprise__uscc")
    search_help_text = _("Search by product name, enterprise name or its credit code.")
    readonly_fields = (
        "enterprise_link",
        "status",
        "pending_changes",
        "pending_changes_diff",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "enterprise_link",
                    "name",
                    "category",
                    "description",
                    "ionic_conductivity",
                    "asr",
                    "specific_capacity",
                    "decay_rate",
                    ("coulombic_efficiency", "coulombic_efficiency_cycles"),
                    "weight_reduction",
                    "price",
                )
            },
        ),
        (
            _("Verification"),
            {"fields": ("status", "pending_changes_diff", "created_at", "updated_at")},
        ),
    )
    inlines = (ProductStatusChangeInline,)
    actions = ("verify", "return_with_reason")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise", "category")

    def applicable_actions(self, product: Product) -> list[str]:
        if product.status == ListingStatus.PENDING or product.pending_changes:
            return ["verify", "return_with_reason"]
        if product.status == ListingStatus.VERIFIED:
            return ["return_with_reason"]
        return []

    @admin.display(description=_("enterprise"))
    def enterprise_link(self, product: Product) -> str:
        url = reverse("admin:directory_enterprise_change", args=[product.enterprise_id])
        return format_html('<a href="{}">{}</a>', url, product.enterprise)

    @admin.action(description=_("Verify (or accept pending changes)"), permissions=("change",))
    def verify(self, request, queryset):
        return run_with_reason(
            self,
            request,
            queryset,
            action="verify",
            title=gettext("Verify (or accept pending changes)"),
            reason_required=False,
            apply=lambda product, reason: services.product_verify(
                actor=request.user, product=product, reason=reason
            ),
            done_message=lambda count: ngettext(
                "%(count)d product verified.", "%(count)d products verified.", count
            )
            % {"count": count},
        )

    @admin.action(
        description=_("Return with reason (or reject pending changes)"), permissions=("change",)
    )
    def return_with_reason(self, request, queryset):
        return run_with_reason(
            self,
            request,
            queryset,
            action="return_with_reason",
            title=gettext("Return with reason (or reject pending changes)"),
            reason_required=True,
            apply=lambda product, reason: services.product_return(
                actor=request.user, product=product, reason=reason
            ),
            done_message=lambda count: ngettext(
                "%(count)d product returned.", "%(count)d products returned.", count
            )
            % {"count": count},
        )


# --- records and reference data ----------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services write: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = (
        "enterprise",
        "product",
        "actor",
        "created_at",
        "from_label",
        "to_label",
        "reason",
    )
    list_filter = (ToStatusFilter,)
    list_select_related = ("enterprise", "product", "actor")
    search_fields = ("enterprise__name_zh", "enterprise__name_en", "enterprise__uscc")
    search_help_text = _("Search by enterprise name or credit code.")
    date_hierarchy = "created_at"
    fields = (
        "enterprise",
        "product",
        "actor",
        "created_at",
        "from_label",
        "to_label",
        "reason",
        "changed",
    )
    readonly_fields = fields

    @admin.display(description=_("from"), ordering="from_status")
    def from_label(self, change: StatusChange) -> str:
        return status_label(change.from_status)

    @admin.display(description=_("to"), ordering="to_status")
    def to_label(self, change: StatusChange) -> str:
        return status_label(change.to_status)

    @admin.display(description=_("changed values"))
    def changed(self, change: StatusChange) -> str:
        return changed_values_list(Product if change.product_id else Enterprise, change.changes)


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "scheme", "number", "issuer", "valid_until", "is_valid")
    list_filter = ("scheme", "valid_until")
    list_select_related = ("enterprise",)
    search_fields = ("number", "enterprise__name_zh", "enterprise__name_en", "enterprise__uscc")
    fields = ("enterprise", "scheme", "number", "issuer", "valid_until")
    readonly_fields = fields

    @admin.display(description=_("valid"), boolean=True)
    def is_valid(self, certification: Certification) -> bool:
        return certification.is_valid


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "enterprise", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "enterprise")
    search_fields = ("user__username", "user__email", "enterprise__name_zh", "enterprise__uscc")
    fields = ("user", "enterprise", "role", "created_at")
    readonly_fields = fields


class InvitationStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("accepted", _("Accepted")), ("revoked", _("Revoked"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        if self.value() == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "enterprise", "invited_by", "created_at", "accepted_at", "revoked_at")
    list_filter = (InvitationStateFilter,)
    list_select_related = ("enterprise", "invited_by")
    search_fields = ("email", "enterprise__name_zh", "enterprise__uscc")
    fields = ("email", "enterprise", "invited_by", "created_at", "accepted_at", "revoked_at")
    readonly_fields = fields


class ReferenceDataAdmin(admin.ModelAdmin):
    """Loaded by a data migration. Names may be corrected; codes and slugs never change."""

    def get_readonly_fields(self, request, obj=None):
        return self.stable_fields if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False  # referenced by listings and used as identifiers by the API


@admin.register(District)
class DistrictAdmin(ReferenceDataAdmin):
    list_display = ("code", "name_zh", "name_en", "is_local", "sort_order")
    list_filter = ("is_local",)
    search_fields = ("code", "name_zh", "name_en")
    stable_fields = ("code",)


@admin.register(SupplyCategory)
class SupplyCategoryAdmin(ReferenceDataAdmin):
    list_display = ("slug", "name_zh", "name_en", "parent", "sort_order")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("parent",)
    search_fields = ("slug", "name_zh", "name_en")
    stable_fields = ("slug",)


class GroupEnterpriseInline(ReadOnlyInline):
    model = Enterprise
    fk_name = "group"
    verbose_name_plural = _("enterprises of the group")
    fields = ("uscc", "name_zh", "name_en", "district", "status")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("district")


@admin.register(EnterpriseGroup)
class EnterpriseGroupAdmin(admin.ModelAdmin):
    """Groups of enterprises under common control; an enterprise joins one on its own page."""

    list_display = ("name", "enterprise_count", "created_at")
    search_fields = ("name",)
    fields = ("name", "note", "created_at")
    readonly_fields = ("created_at",)
    inlines = (GroupEnterpriseInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(enterprise_count=Count("enterprises"))

    @admin.display(description=_("enterprises"), ordering="enterprise_count")
    def enterprise_count(self, group: EnterpriseGroup) -> int:
        return group.enterprise_count

    def has_delete_permission(self, request, obj=None):
        # Enterprises keep their group (PROTECT); an empty group may go, for superusers.
        return request.user.is_superuser


# --- the Local Content Ratio --------------------------------------------------------------


class LcrTrajectoryForm(forms.Form):
    required_css_class = "required"

    baseline_year = forms.IntegerField(
        label=_("Baseline year"),
        min_value=selectors.LCR_FIRST_YEAR,
        max_value=selectors.LCR_LAST_YEAR,
    )
    baseline_percent = forms.DecimalField(
        label=_("Baseline LCR (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_(
            "Leave empty to take the measured city-wide LCR of the baseline year from the "
            "purchase records."
        ),
    )
    goal_percent = forms.DecimalField(
        label=_("Goal LCR (%)"), min_value=0, max_value=100, decimal_places=2
    )
    goal_years = forms.IntegerField(label=_("Years to reach the goal"), min_value=1, max_value=50)


class LcrPublishForm(forms.Form):
    required_css_class = "required"

    year = forms.IntegerField(
        label=_("Year"),
        min_value=selectors.LCR_FIRST_YEAR,
        max_value=selectors.LCR_LAST_YEAR,
        help_text=_(
            "Freezes the city's figure and every firm's figure of the year. Published figures "
            "never change afterwards, whatever happens to suppliers or purchase lines."
        ),
    )


class OfficialsLcrAdmin(ReadOnlyAdmin):
    """Rows kept by services: listed read-only, added through one form that calls the service.

    Access follows the model permissions of the officials' group (view and add); the services
    check the official role again.
    """

    form_class: type[forms.Form]
    form_title: str = ""

    def has_add_permission(self, request, obj=None):
        return admin.ModelAdmin.has_add_permission(self, request)

    def initial(self) -> dict[str, Any]:
        return {}

    def apply(self, request: HttpRequest, data: dict[str, Any]) -> str:
        """Call the service; return the message to show."""
        raise NotImplementedError

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = self.form_class(data, initial=self.initial())
        if form.is_bound and form.is_valid():
            try:
                done = self.apply(request, form.cleaned_data)
            except ValidationError as error:
                problems = error.message_dict if hasattr(error, "error_dict") else {}
                for field, errors in problems.items():
                    form.add_error(field if field in form.fields else None, errors)
                if not problems:
                    form.add_error(None, error)
            else:
                self.message_user(request, done, level=messages.SUCCESS)
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                )
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": self.form_title,
            "subtitle": None,
            "opts": opts,
            "app_label": opts.app_label,
            "form": form,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "directory/lcr/admin_form.html", context)


@admin.register(LcrTrajectory)
class LcrTrajectoryAdmin(OfficialsLcrAdmin):
    form_class = LcrTrajectoryForm
    form_title = _("Set the LCR trajectory")
    list_display = (
        "baseline_year",
        "baseline_percent",
        "goal_percent",
        "goal_years",
        "updated_by",
        "updated_at",
    )
    list_select_related = ("updated_by",)
    ordering = ("-updated_at", "-pk")
    fields = list_display
    readonly_fields = list_display

    def initial(self) -> dict[str, Any]:
        current = selectors.lcr_trajectory()
        return {
            "baseline_year": current.baseline_year,
            "baseline_percent": current.baseline_percent,
            "goal_percent": current.goal_percent,
            "goal_years": current.goal_years,
        }

    def apply(self, request: HttpRequest, data: dict[str, Any]) -> str:
        trajectory = services.lcr_trajectory_set(actor=request.user, **data)
        return gettext(
            "The trajectory is set: %(baseline)s %% in %(year)d, %(goal)s %% after %(years)d years."
        ) % {
            "baseline": trajectory.baseline_percent,
            "year": trajectory.baseline_year,
            "goal": trajectory.goal_percent,
            "years": trajectory.goal_years,
        }


class LcrPublishedFigureInline(ReadOnlyInline):
    model = LcrPublishedFigure
    fields = ("buyer", "local_value", "total_value", "lcr_percent")
    readonly_fields = fields
    verbose_name_plural = _("figures of the firms")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("buyer")


@admin.register(LcrPublication)
class LcrPublicationAdmin(OfficialsLcrAdmin):
    form_class = LcrPublishForm
    form_title = _("Publish (freeze) a year")
    list_display = (
        "year",
        "lcr_percent",
        "target_percent",
        "local_value",
        "total_value",
        "published_by",
        "published_at",
    )
    list_select_related = ("published_by",)
    fields = list_display
    readonly_fields = list_display
    inlines = (LcrPublishedFigureInline,)

    def apply(self, request: HttpRequest, data: dict[str, Any]) -> str:
        publication = services.lcr_year_publish(actor=request.user, year=data["year"])
        return gettext("%(year)d is published; its figures are frozen.") % {
            "year": publication.year
        }


# --- purchase records ---------------------------------------------------------------------

PURCHASE_ERRORS_SHOWN = 200
LINE_FIELDS = PurchaseLine._meta.fields


@admin.register(PurchaseImport)
class PurchaseImportAdmin(ReadOnlyAdmin):
    """Every delivery of purchase lines (upload, API, command line) and its outcome."""

    list_display = (
        "created_at",
        "buyer",
        "source",
        "status",
        "rows_total",
        "created_count",
        "updated_count",
        "unchanged_count",
        "error_count",
        "submitted_by",
    )
    list_filter = ("status", "source")
    list_select_related = ("buyer", "submitted_by")
    search_fields = ("buyer__name_zh", "buyer__name_en", "buyer__uscc", "filename")
    search_help_text = _("Search by buyer name or credit code, or by file name.")
    date_hierarchy = "created_at"
    fields = (
        "buyer",
        "submitted_by",
        "source",
        "filename",
        "status",
        "created_at",
        "finished_at",
        "rows_total",
        "rows_done",
        "created_count",
        "updated_count",
        "unchanged_count",
        "errors_table",
    )
    readonly_fields = fields

    @admin.display(description=_("problems"))
    def error_count(self, purchase_import: PurchaseImport) -> int:
        return len(purchase_import.errors)

    @admin.display(description=_("problems"))
    def errors_table(self, purchase_import: PurchaseImport) -> str:
        if not purchase_import.errors:
            return EMPTY
        shown = purchase_import.errors[:PURCHASE_ERRORS_SHOWN]
        table = format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            gettext("Row"),
            gettext("Column"),
            gettext("Problem"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (error["row"] or EMPTY, error["column"] or EMPTY, error["message"])
                    for error in shown
                ),
            ),
        )
        hidden = len(purchase_import.errors) - len(shown)
        if hidden <= 0:
            return table
        return format_html(
            "{}<p>{}</p>",
            table,
            ngettext("… and %(count)d more.", "… and %(count)d more.", hidden) % {"count": hidden},
        )


class PurchaseLineRevisionInline(ReadOnlyInline):
    model = PurchaseLineRevision
    fields = ("changed_at", "changed_by", "purchase_import", "previous")
    readonly_fields = fields
    verbose_name_plural = _("earlier values (corrections)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by", "purchase_import")

    @admin.display(description=_("previous values"))
    def previous(self, revision: PurchaseLineRevision) -> str:
        labels = {field.attname: capfirst(field.verbose_name) for field in LINE_FIELDS}
        return format_html_join(
            "",
            "<div>{}: {}</div>",
            (
                (labels.get(name, name), _purchase_value(name, value))
                for name, value in revision.previous_values.items()
            ),
        )


def _purchase_value(attname: str, value: Any) -> str:
    """A kept value of a purchase line; categories and products by name (the supplier is kept
    by its code, which is no primary key)."""
    if attname in ("category_id", "product_id"):
        return _display_value(PurchaseLine, attname.removesuffix("_id"), value)
    return EMPTY if value is None or value == "" else str(value)


@admin.register(PurchaseLine)
class PurchaseLineAdmin(ReadOnlyAdmin):
    """Firms' purchase lines, as their imports recorded them; corrections are kept inline."""

    list_display = (
        "invoice_no",
        "line_no",
        "buyer",
        "invoice_date",
        "supplier_name",
        "supplier_code",
        "category",
        "amount",
    )
    list_filter = (("category", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("buyer", "category")
    search_fields = ("invoice_no", "buyer__name_zh", "buyer__uscc", "supplier_name")
    search_help_text = _("Search by invoice number, buyer name or code, or supplier name.")
    date_hierarchy = "invoice_date"
    # Millions of lines: counting them all for every page costs more than it tells.
    show_full_result_count = False
    fields = (
        "buyer",
        "invoice_no",
        "line_no",
        "invoice_date",
        "supplier_name",
        "supplier_code",
        "category",
        "product",
        "quantity",
        "unit",
        "amount",
        "description",
        "last_import",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = (PurchaseLineRevisionInline,)

    @admin.display(description=_("supplier code"), ordering="supplier")
    def supplier_code(self, line: PurchaseLine) -> str:
        return line.supplier_id or EMPTY


# --- technical evidence: measurement datasets ----------------------------------------------


@admin.register(MeasurementDataset)
class MeasurementDatasetAdmin(ListingAdmin):
    """Officials accept or reject the data behind a product's spec; the page is read-only."""

    list_display = (
        "product",
        "enterprise",
        "kind",
        "fitted",
        "contradicts_spec",
        "status",
        "measured_on",
        "uploaded_at",
    )
    list_filter = ("status", "kind", "contradicts_spec")
    list_select_related = ("product__enterprise",)
    search_fields = ("product__name", "product__enterprise__name_zh", "product__enterprise__uscc")
    search_help_text = _("Search by product name, enterprise name or its credit code.")
    fields = (
        "product",
        "kind",
        "temperature_unit",
        "lab",
        "method",
        "measured_on",
        "files",
        "fit_table",
        "contradicts_spec",
        "contradiction_note",
        "status",
        "uploaded_by",
        "uploaded_at",
        "decided_by",
        "decided_at",
        "decision_reason",
    )
    readonly_fields = fields
    actions = ("accept", "reject")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product__enterprise")

    # Whoever reviews product listings (officials hold change_product) reviews the data
    # behind them; the services check the official role again. Model permissions of their
    # own are not needed, and Django caches the user's permissions for the request.
    @staticmethod
    def _official(request: HttpRequest) -> bool:
        return request.user.has_perm("directory.change_product")

    def has_view_permission(self, request, obj=None):
        return self._official(request)

    def has_module_permission(self, request):
        return self._official(request)

    def has_change_permission(self, request, obj=None):
        # The page of one dataset is read-only; without an object: may the user run actions?
        return obj is None and self._official(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def applicable_actions(self, dataset: MeasurementDataset) -> list[str]:
        return sorted(
            {"accepted": "accept", "rejected": "reject"}[target]
            for target in services.DATASET_TRANSITIONS.get(dataset.status, ())
        )

    @admin.display(description=_("enterprise"), ordering="product__enterprise__name_zh")
    def enterprise(self, dataset: MeasurementDataset) -> str:
        return str(dataset.product.enterprise)

    @admin.display(description=_("fitted value"))
    def fitted(self, dataset: MeasurementDataset) -> str:
        value = dataset.fitted_value
        if value is None:
            return EMPTY
        unit = "S/cm" if dataset.kind == "conductivity" else "%/cycle"
        return f"{value:.4g} {unit}"

    @admin.display(description=_("files"))
    def files(self, dataset: MeasurementDataset) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("directory:dataset_download", args=[dataset.pk, "data"]),
            dataset.original_name,
            reverse("directory:dataset_download", args=[dataset.pk, "report"]),
            dataset.report_name,
        )

    @admin.display(description=_("fit results"))
    def fit_table(self, dataset: MeasurementDataset) -> str:
        units = dataset.fit.get("units", {})
        rows = [
            (key, f"{value:.6g}" if isinstance(value, float) else value, units.get(key, ""))
            for key, value in dataset.fit.items()
            if key not in ("units", "kind") and value is not None
        ]
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><th>{}</th><td>{} {}</td></tr>", rows),
        )

    @admin.action(description=_("Accept the data"), permissions=("change",))
    def accept(self, request, queryset):
        return run_with_reason(
            self,
            request,
            queryset,
            action="accept",
            title=gettext("Accept the data"),
            reason_required=False,
            apply=lambda dataset, reason: services.dataset_accept(
                actor=request.user, dataset=dataset, reason=reason
            ),
            done_message=lambda count: ngettext(
                "%(count)d dataset accepted.", "%(count)d datasets accepted.", count
            )
            % {"count": count},
        )

    @admin.action(description=_("Reject with reason"), permissions=("change",))
    def reject(self, request, queryset):
        return run_with_reason(
            self,
            request,
            queryset,
            action="reject",
            title=gettext("Reject with reason"),
            reason_required=True,
            apply=lambda dataset, reason: services.dataset_reject(
                actor=request.user, dataset=dataset, reason=reason
            ),
            done_message=lambda count: ngettext(
                "%(count)d dataset rejected.", "%(count)d datasets rejected.", count
            )
            % {"count": count},
        )
