"""How an application's file reads on its admin page: the applicant and programme, the
claim's tables, the checks for the reviewer, the reviews, appeals, objections, recoveries and
documents. `ApplicationFile` gives `ApplicationAdmin` these read-only fields."""

from decimal import Decimal

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import EMPTY, admin_link, cny, table, when
from subsidies.models import Application
from subsidies.selectors.eligibility import application_eligibility, near_duplicate_lines
from subsidies.selectors.money import programme_budget


class ApplicationFile:
    """The read-only fields of an application's page that are more than a model field."""

    @admin.display(description=_("applicant"))
    def applicant_link(self, application: Application) -> str:
        applicant = application.applicant
        return format_html(
            "{} · {}",
            admin_link(applicant, f"{applicant.name_zh} / {applicant.name_en}"),
            applicant.uscc,
        )

    @admin.display(description=_("programme"))
    def programme_link(self, application: Application) -> str:
        return admin_link(application.programme)

    @admin.display(description=_("claimed purchase lines"))
    def claimed_lines_table(self, application: Application) -> str:
        lines = application.claimed_lines.select_related("purchase_line__supplier")
        rows = [
            (
                claim.purchase_line.invoice_label,
                claim.line_no,
                claim.invoice_date,
                claim.purchase_line.supplier_name,
                claim.supplier_uscc,
                cny(claim.amount_cny),
            )
            for claim in lines
        ]
        total = sum((claim.amount_cny for claim in lines), Decimal("0.00"))
        if rows:
            rows.append((gettext("Total"), "", "", "", "", cny(total)))
        return table(
            [
                gettext("Invoice"),
                gettext("Line"),
                gettext("Invoice date"),
                gettext("Supplier"),
                gettext("Supplier USCC"),
                gettext("Amount (CNY excl. VAT)"),
            ],
            rows,
        )

    @admin.display(description=_("KPI targets"))
    def kpi_table(self, application: Application) -> str:
        return table(
            [gettext("KPI"), gettext("Baseline"), gettext("Target")],
            [
                (target.get_kpi_display(), target.baseline_value, target.target_value)
                for target in application.kpi_targets.all()
            ],
        )

    @admin.display(description=_("milestones"))
    def milestones_table(self, application: Application) -> str:
        return table(
            [gettext("Milestone"), gettext("Due on"), gettext("Deliverable")],
            [
                (milestone.title, milestone.due_on, milestone.deliverable or EMPTY)
                for milestone in application.milestones.all()
            ],
        )

    @admin.display(description=_("eligibility (checked today)"))
    def eligibility_checklist(self, application: Application) -> str:
        eligibility = application_eligibility(application)
        return format_html(
            '<ul class="eligibility">{}</ul>',
            format_html_join(
                "",
                "<li>{} {}{}</li>",
                (
                    (
                        "✔" if check.ok else "✘",
                        check.label,
                        format_html_join(
                            "", '<div class="problem">{}</div>', ((p,) for p in check.problems)
                        ),
                    )
                    for check in eligibility.checks
                ),
            ),
        )

    @admin.display(description=_("near-duplicate claims"))
    def near_duplicates(self, application: Application) -> str:
        found = near_duplicate_lines(application)
        if not found:
            return gettext("None found.")
        rows = [
            (
                f"{pair['claim'].invoice_label}/{pair['claim'].line_no}",
                pair["claim"].invoice_date,
                cny(pair["claim"].amount_cny),
                pair["claim"].supplier_uscc,
                f"{pair['other'].invoice_label}/{pair['other'].line_no}",
                pair["other"].invoice_date,
                admin_link(pair["other"].application, f"#{pair['other'].application_id}"),
                pair["other"].application.applicant.name_zh,
            )
            for pair in found
        ]
        return format_html(
            '<p class="errornote">{}</p>{}',
            gettext(
                "These lines look like claims in other applications (same supplier and amount, "
                "invoice dates a few days apart). Check the invoices before deciding."
            ),
            table(
                [
                    gettext("This claim"),
                    gettext("Invoice date"),
                    gettext("Amount (CNY)"),
                    gettext("Supplier USCC"),
                    gettext("Looks like"),
                    gettext("Invoice date"),
                    gettext("Application"),
                    gettext("Applicant"),
                ],
                rows,
            ),
        )

    @admin.display(description=_("programme budget"))
    def budget_figures(self, application: Application) -> str:
        if not application.programme.is_monetary:
            return gettext("This programme pays no money.")
        figures = programme_budget(application.programme)
        return table(
            [gettext("Budget (CNY)"), gettext("Committed (CNY)"), gettext("Remaining (CNY)")],
            [(cny(figures["budget"]), cny(figures["committed"]), cny(figures["remaining"]))],
        )

    @admin.display(description=_("reviews"))
    def reviews_table(self, application: Application) -> str:
        criteria = application.programme.scoring_criteria or []
        labels = {str(c.get("key")): c.get("label") or c.get("key") for c in criteria}
        rows = []
        for review in application.reviews.select_related("reviewer"):
            scores = format_html_join(
                "",
                "<div>{}: {}</div>",
                ((labels.get(key, key), value) for key, value in review.scores.items()),
            )
            rows.append(
                (
                    review.reviewer.get_username(),
                    scores or EMPTY,
                    review.total_score if review.total_score is not None else EMPTY,
                    review.get_recommendation_display() or EMPTY,
                    review.comment or EMPTY,
                    when(review.submitted_at) if review.submitted_at else gettext("waiting"),
                )
            )
        return table(
            [
                gettext("Reviewer"),
                gettext("Scores (0–10)"),
                gettext("Weighted score (0–100)"),
                gettext("Recommendation"),
                gettext("Comment"),
                gettext("Submitted at"),
            ],
            rows,
            empty=gettext("No reviewer assigned."),
        )

    @admin.display(description=_("appeals"))
    def appeals_table(self, application: Application) -> str:
        return table(
            [gettext("Filed at"), gettext("Grounds"), gettext("Outcome"), gettext("Decision")],
            [
                (
                    when(appeal.filed_at),
                    appeal.grounds,
                    appeal.get_outcome_display() or gettext("waiting"),
                    appeal.decision_note or EMPTY,
                )
                for appeal in application.appeals.all()
            ],
        )

    @admin.display(description=_("objections"))
    def objections_table(self, application: Application) -> str:
        return table(
            [
                gettext("Lodged at"),
                gettext("By"),
                gettext("Reason"),
                gettext("Status"),
                gettext("Resolution"),
            ],
            [
                (
                    admin_link(objection, when(objection.lodged_at)),
                    f"{objection.author_name} ({objection.organisation})",
                    objection.reason,
                    objection.get_status_display(),
                    objection.resolution or EMPTY,
                )
                for objection in application.objections.all()
            ],
        )

    @admin.display(description=_("recoveries"))
    def recoveries_table(self, application: Application) -> str:
        return table(
            [
                gettext("Opened at"),
                gettext("Reason"),
                gettext("Amount (CNY)"),
                gettext("Repaid (CNY)"),
                gettext("Status"),
            ],
            [
                (
                    admin_link(recovery, when(recovery.opened_at)),
                    recovery.get_reason_display(),
                    cny(recovery.amount_cny),
                    cny(recovery.repaid_cny),
                    recovery.get_status_display(),
                )
                for recovery in application.recoveries.all()
            ],
        )

    @admin.display(description=_("documents"))
    def documents_list(self, application: Application) -> str:
        rows = []
        for document in application.documents.all():
            try:
                url = reverse("subsidies:document", args=[application.pk, document.pk])
            except NoReverseMatch:
                name = document.original_name
            else:
                name = format_html('<a href="{}">{}</a>', url, document.original_name)
            rows.append(
                (
                    document.get_kind_display(),
                    name,
                    filesizeformat(document.size_bytes),
                    document.sha256[:16],
                    when(document.uploaded_at),
                )
            )
        return table(
            [
                gettext("Kind"),
                gettext("File"),
                gettext("File size"),
                gettext("SHA-256"),
                gettext("Uploaded at"),
            ],
            rows,
        )
