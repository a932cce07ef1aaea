"""Bills of materials and safe-harbour tables: officials see each bill with its lines and
history, verify a waiting one on a page of its own (the verifier's report, a PDF, and a
validity date: the upload an action's page cannot carry), return or withdraw one with a
reason; they keep the safe-harbour tables (reference data)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from directory.admin.listings import ListingReasonForm
from directory.composition.services import bom_return, bom_verify
from directory.composition.workflow import BOM_WORKFLOW
from directory.models import (
    BillOfMaterials,
    BomLine,
    BomStatus,
    BomStatusChange,
    SafeHarbourClass,
    SafeHarbourTable,
)
from directory.workflow import OFFICIAL
from ssb_portal.admin_kit import DecisionsAdmin, ReadOnlyInline, admin_actions
from ssb_portal.admin_kit.actions import StatusAction, done_counted
from ssb_portal.admin_kit.pages import form_page
from ssb_portal.forms import add_service_errors

RETURN = StatusAction(
    name="return_bom",
    label=_("Return or withdraw with reason"),
    form=ListingReasonForm,
    call=lambda actor, bom, data: bom_return(actor=actor, bom=bom, reason=data["reason"]),
    done=done_counted(
        ngettext_lazy(
            "%(count)d bill of materials returned.",
            "%(count)d bills of materials returned.",
            "count",
        )
    ),
    workflow=BOM_WORKFLOW,
    target=BomStatus.RETURNED,
    role=OFFICIAL,
)


class BomVerifyForm(forms.Form):
    required_css_class = "required"

    evidence = forms.FileField(
        label=_("verifier's report (PDF)"),
        help_text=_("Kept privately with the bill; its SHA-256 joins the audit chain."),
    )
    valid_until = forms.DateField(
        label=_("valid until"),
        widget=AdminDateWidget,
        help_text=_(
            "The verification runs from today until this day; the supplier is "
            "reminded 30 and 7 days before, and the bill expires after it."
        ),
    )
    reason = forms.CharField(
        label=_("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        help_text=_("Optional. Sent to the enterprise's members and kept in the history."),
    )


class BomLineInline(ReadOnlyInline):
    model = BomLine
    fields = (
        "kind",
        "description",
        "component_class",
        "origin",
        "cost",
        "local_share",
        "component",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("component", "component_class")


class BomStatusChangeInline(ReadOnlyInline):
    model = BomStatusChange
    fields = ("at", "actor", "from_status", "to_status", "reason")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(BillOfMaterials)
class BillOfMaterialsAdmin(DecisionsAdmin):
    list_display = (
        "product",
        "status",
        "computed_share",
        "safe_harbour",
        "valid_from",
        "valid_until",
    )
    list_filter = ("status", "cost_unit")
    list_select_related = ("product__enterprise", "safe_harbour__category")
    search_fields = ("product__name", "product__enterprise__name_zh", "product__enterprise__uscc")
    fields = (
        "product",
        "cost_unit",
        "safe_harbour",
        "status",
        "computed_share",
        "declared_by",
        "declared_at",
        "evidence_name",
        "evidence_sha256",
        "verified_by",
        "valid_from",
        "valid_until",
    )
    readonly_fields = fields
    inlines = (BomLineInline, BomStatusChangeInline)
    actions = admin_actions(RETURN)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/verify/",
                self.admin_site.admin_view(self.verify_view),
                name="directory_billofmaterials_verify",
            ),
            *super().get_urls(),
        ]

    def applicable_actions(self, bom: BillOfMaterials) -> list[str]:
        return [RETURN.name] if bom.status in RETURN.sources() else []

    def decision_context(self, request: HttpRequest, bom: BillOfMaterials) -> dict:
        context = super().decision_context(request, bom)
        if bom.status == BomStatus.SUBMITTED and self.has_change_permission(request):
            url = reverse("admin:directory_billofmaterials_verify", args=[bom.pk])
            context["decision_links"] = [(url, gettext("Verify with the report…"))]
        return context

    def verify_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The verifier's report and the validity date, then `bom_verify`; a refusal (no PDF,
        a past date, a bill no longer waiting, no official) is shown on the form."""
        bom = self.get_object(request, unquote(object_id))
        if bom is None:
            raise Http404
        if not self.has_change_permission(request):
            raise PermissionDenied
        sent = request.method == "POST"
        form = BomVerifyForm(request.POST if sent else None, request.FILES if sent else None)
        if sent and form.is_valid():
            try:
                bom_verify(actor=request.user, bom=bom, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as refusal:
                add_service_errors(refusal, form)
            else:
                bom.refresh_from_db(fields=["computed_share", "valid_until"])
                self.message_user(
                    request,
                    gettext(
                        "The bill of materials of %(product)s is verified: computed local share "
                        "%(share)s %%, valid until %(date)s. The enterprise's members are told "
                        "by e-mail."
                    )
                    % {
                        "product": bom.product,
                        "share": bom.computed_share,
                        "date": bom.valid_until,
                    },
                    level=messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:directory_billofmaterials_change", args=[bom.pk])
                )
        title = gettext("Verify the bill of materials of %(product)s") % {"product": bom.product}
        return form_page(
            self,
            request,
            title=title,
            form=form,
            submit_label=gettext("Verify"),
            back_url=reverse("admin:directory_billofmaterials_change", args=[bom.pk]),
        )

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("directory.change_product")

    def has_module_permission(self, request):
        return request.user.has_perm("directory.change_product")

    def has_change_permission(self, request, obj=None):
        # The page is read-only; without an object: may the user run the actions?
        return obj is None and request.user.has_perm("directory.change_product")

    def action_row_status(self, bom: BillOfMaterials) -> str:
        return f"{bom.get_status_display()} · {bom.product.enterprise}"


class SafeHarbourClassInline(admin.TabularInline):
    model = SafeHarbourClass
    fields = ("name_zh", "name_en", "cost_share", "sort_order")
    extra = 1


@admin.register(SafeHarbourTable)
class SafeHarbourTableAdmin(admin.ModelAdmin):
    list_display = ("category", "note")
    list_select_related = ("category",)
    inlines = (SafeHarbourClassInline,)
