"""Rules of the house, each row written by its service: the conflicts of interest an official
declares, and the support cap per enterprise."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import ServiceFormAdmin, ServiceModelForm, cny
from subsidies.models import ConflictDeclaration, SupportCap
from subsidies.services.programmes import support_cap_set
from subsidies.services.reviews import conflict_declare


class ConflictDeclarationForm(ServiceModelForm):
    class Meta:
        model = ConflictDeclaration
        fields = ("enterprise", "reason")

    def call_service(self) -> ConflictDeclaration:
        return conflict_declare(
            actor=self.actor,
            enterprise=self.cleaned_data["enterprise"],
            reason=self.cleaned_data["reason"],
        )


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ServiceFormAdmin):
    """An official declares their own conflicts; they are never changed or removed here."""

    form = ConflictDeclarationForm
    list_display = ("user", "enterprise", "reason", "declared_at")
    list_select_related = ("user", "enterprise")
    search_fields = ("user__username", "enterprise__name_zh", "enterprise__uscc")
    autocomplete_fields = ("enterprise",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("enterprise", "reason")
        return ("user", "enterprise", "reason", "declared_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("user", "enterprise", "reason", "declared_at")

    def has_change_permission(self, request, obj=None):
        return False


class SupportCapForm(ServiceModelForm):
    class Meta:
        model = SupportCap
        fields = ("amount_cny", "years", "effective_from")

    def call_service(self) -> SupportCap:
        return support_cap_set(
            actor=self.actor,
            amount_cny=self.cleaned_data["amount_cny"],
            years=self.cleaned_data["years"],
            effective_from=self.cleaned_data["effective_from"],
        )


@admin.register(SupportCap)
class SupportCapAdmin(ServiceFormAdmin):
    """A new cap is a new row from its day on; earlier rows stay as the record."""

    form = SupportCapForm
    list_display = ("amount", "years", "effective_from", "set_by", "created_at")
    list_select_related = ("set_by",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("amount_cny", "years", "effective_from")
        return ("amount_cny", "years", "effective_from", "set_by", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("cap (CNY)"), ordering="amount_cny")
    def amount(self, cap: SupportCap) -> str:
        return cny(cap.amount_cny)
