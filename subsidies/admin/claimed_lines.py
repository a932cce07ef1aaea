"""An application's claimed lines on its admin page, as officials decide on them: each
pending correction (values on record beside the proposed ones, the computed amount now and
with it applied) with its "apply" and "dismiss" pages, and each claimed line its supplier
has not confirmed with an "accept with a reason" page. Each page asks for the reason and
calls one service; `ClaimedLineDecisions` gives `ApplicationAdmin` these pages and fields,
and `PendingCorrectionFilter` the queue's filter."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory.models import ConfirmationStatus, PurchaseLine
from directory.purchases.confirmation_selectors import confirmation_status
from ssb_portal.admin_kit import ReasonForm, add_service_errors, cny, form_page, table, when
from ssb_portal.roles import is_official
from subsidies.models import Application
from subsidies.selectors.corrections import application_pending_corrections
from subsidies.services.correction_decisions import (
    application_correction_apply,
    application_correction_dismiss,
)
from subsidies.services.line_acceptance import purchase_line_accept_unconfirmed


class ApplyNoteForm(ReasonForm):
    label = _("Note")
    optional_label = _("Note (optional)")
    optional_help_text = _("Kept with the decision in the audit record.")


class DismissReasonForm(ReasonForm):
    help_text = _("Why the line keeps the values on record; the applicant is told.")


class AcceptReasonForm(ReasonForm):
    help_text = _(
        "Why this line may count for the subsidy without its supplier's confirmation; "
        "kept in the audit record."
    )


class PendingCorrectionFilter(admin.SimpleListFilter):
    title = _("pending purchase line corrections")
    parameter_name = "pending_corrections"

    def lookups(self, request, model_admin):
        return [("yes", _("Has pending corrections")), ("no", _("None pending"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(has_pending_corrections=self.value() == "yes")
        return queryset


def _value(value) -> str:
    return "—" if value in (None, "") else str(value)


class ClaimedLineDecisions:
    """The read-only fields and pages of the claimed lines' decisions."""

    @admin.display(description=_("pending corrections of claimed lines"))
    def pending_corrections_table(self, application: Application) -> str:
        rows = []
        for pending in application_pending_corrections(application):
            correction = pending.correction
            url = reverse(
                "admin:subsidies_application_correction",
                args=[application.pk, correction.pk, "apply"],
            )
            rows.append(
                (
                    correction.pk,
                    str(correction.line),
                    when(correction.proposed_at),
                    format_html_join(
                        "",
                        "<div>{}: {} → {}</div>",
                        ((name, _value(old), _value(new)) for name, old, new in pending.changes),
                    ),
                    format_html(
                        "{} → {}{}",
                        cny(pending.amount_now_cny),
                        cny(pending.amount_applied_cny),
                        ""
                        if pending.still_counts
                        else format_html(
                            "<div>{}</div>", gettext("the line drops out of the claim")
                        ),
                    ),
                    format_html(
                        '<a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a>',
                        url,
                        gettext("Apply"),
                        url.replace("/apply/", "/dismiss/"),
                        gettext("Dismiss"),
                    ),
                )
            )
        return table(
            [
                "#",
                gettext("Line"),
                gettext("Proposed at"),
                gettext("On record → proposed"),
                gettext("Computed amount (CNY): now → applied"),
                gettext("Decision"),
            ],
            rows,
            empty=gettext("None pending."),
        )

    @admin.display(description=_("claimed lines without their supplier's confirmation"))
    def unconfirmed_lines_table(self, application: Application) -> str:
        lines = (
            PurchaseLine.objects.filter(
                pk__in=application.claimed_lines.values("purchase_line"),
            )
            .annotate(confirmation_status=confirmation_status())
            .exclude(confirmation_status=ConfirmationStatus.CONFIRMED)
            .select_related("subsidy_acceptance")
            .order_by("invoice_date", "pk")
        )
        rows = []
        for line in lines:
            acceptance = getattr(line, "subsidy_acceptance", None)
            accepted = acceptance is not None and acceptance.amount_cny == line.amount
            url = reverse("admin:subsidies_application_accept_line", args=[application.pk, line.pk])
            rows.append(
                (
                    str(line),
                    line.supplier_name,
                    cny(line.amount),
                    line.confirmation_status,
                    acceptance.reason
                    if accepted
                    else format_html(
                        '<a class="button" href="{}">{}</a>', url, gettext("Accept with a reason")
                    ),
                )
            )
        return table(
            [
                gettext("Line"),
                gettext("Supplier"),
                gettext("Amount (CNY excl. VAT)"),
                gettext("Supplier's confirmation"),
                gettext("Accepted by an official"),
            ],
            rows,
            empty=gettext("Every claimed line is confirmed by its supplier."),
        )

    def claimed_line_urls(self) -> list:
        return [
            path(
                "<path:object_id>/corrections/<int:correction_id>/<str:decision>/",
                self.admin_site.admin_view(self.correction_view),
                name="subsidies_application_correction",
            ),
            path(
                "<path:object_id>/lines/<int:line_id>/accept-unconfirmed/",
                self.admin_site.admin_view(self.accept_line_view),
                name="subsidies_application_accept_line",
            ),
        ]

    def _official_application(self, request: HttpRequest, object_id: str) -> Application:
        application = self.get_object(request, unquote(object_id))
        if application is None:
            raise Http404
        if not is_official(request.user):
            raise PermissionDenied
        return application

    def _decision_page(
        self,
        request: HttpRequest,
        application: Application,
        *,
        form: ReasonForm,
        call: Callable[[str], str],
        title: str,
        intro: str,
        submit_label: str,
    ) -> HttpResponse:
        back = reverse("admin:subsidies_application_change", args=[application.pk])
        if form.is_bound and form.is_valid():
            try:
                done = call(form.cleaned_data[form.field_name])
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(error, form)
            else:
                self.message_user(request, done, level=messages.SUCCESS)
                return HttpResponseRedirect(back)
        return form_page(
            self,
            request,
            title=title,
            form=form,
            intro=intro,
            back_url=back,
            submit_label=submit_label,
        )

    def correction_view(
        self, request: HttpRequest, object_id: str, correction_id: int, decision: str
    ) -> HttpResponse:
        application = self._official_application(request, object_id)
        if decision not in ("apply", "dismiss"):
            raise Http404
        pending = {p.correction.pk: p for p in application_pending_corrections(application)}
        data = request.POST if request.method == "POST" else None
        intro = ""
        if correction_id in pending:
            one = pending[correction_id]
            intro = format_html(
                "<p>{}</p>{}<p>{}</p>",
                str(one.correction.line),
                format_html_join(
                    "",
                    "<div>{}: {} → {}</div>",
                    ((name, _value(old), _value(new)) for name, old, new in one.changes),
                ),
                gettext("Computed amount: %(now)s CNY now, %(applied)s CNY with it applied.")
                % {"now": cny(one.amount_now_cny), "applied": cny(one.amount_applied_cny)},
            )
        if decision == "apply":
            form = ApplyNoteForm(data, required=False)

            def call(note: str) -> str:
                application_correction_apply(
                    actor=request.user,
                    application=application,
                    correction_id=correction_id,
                    note=note,
                )
                return gettext("Correction %(pk)s applied.") % {"pk": correction_id}

            title = gettext("Apply correction %(pk)s") % {"pk": correction_id}
            label = gettext("Apply")
        else:
            form = DismissReasonForm(data)

            def call(reason: str) -> str:
                application_correction_dismiss(
                    actor=request.user,
                    application=application,
                    correction_id=correction_id,
                    reason=reason,
                )
                return gettext("Correction %(pk)s dismissed.") % {"pk": correction_id}

            title = gettext("Dismiss correction %(pk)s") % {"pk": correction_id}
            label = gettext("Dismiss")
        return self._decision_page(
            request,
            application,
            form=form,
            call=call,
            title=title,
            intro=intro,
            submit_label=label,
        )

    def accept_line_view(self, request: HttpRequest, object_id: str, line_id: int) -> HttpResponse:
        application = self._official_application(request, object_id)
        line = PurchaseLine.objects.filter(
            pk=line_id, pk__in=application.claimed_lines.values("purchase_line")
        ).first()
        if line is None:
            raise Http404
        form = AcceptReasonForm(request.POST if request.method == "POST" else None)

        def call(reason: str) -> str:
            purchase_line_accept_unconfirmed(actor=request.user, line_id=line.pk, reason=reason)
            return gettext("Line %(line)s accepted without its supplier's confirmation.") % {
                "line": line
            }

        return self._decision_page(
            request,
            application,
            form=form,
            call=call,
            title=gettext("Accept line %(line)s without its supplier's confirmation")
            % {"line": line},
            intro=format_html(
                "<p>{} · {} · {} CNY</p>", str(line), line.supplier_name, cny(line.amount)
            ),
            submit_label=gettext("Accept"),
        )
