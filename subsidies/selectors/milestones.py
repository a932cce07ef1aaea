"""R&D fund milestone reports and KPI status (issue 6): each project's KPIs against
its targets and the seed's, and the table of every funded project.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from subsidies.kpi import KpiStatus, KpiValue, kpi_status
from subsidies.models import (
    AWARDED_STATUSES,
    Application,
    KpiTarget,
    Milestone,
    MilestoneKpiValue,
    MilestoneReport,
    ProgrammeKind,
)
from subsidies.selectors.access import application_for


def _kpi_targets_with_values() -> Prefetch:
    values = MilestoneKpiValue.objects.select_related("report").order_by(
        "report__reported_on", "report_id"
    )
    return Prefetch(
        "kpi_targets",
        queryset=KpiTarget.objects.prefetch_related(Prefetch("reported_values", queryset=values)),
    )


def kpi_statuses_of(application: Application) -> list[KpiStatus]:
    """The KPI status of an application whose kpi_targets were fetched by
    `_kpi_targets_with_values` (else two queries more)."""
    return [
        kpi_status(
            kpi=target.kpi,
            baseline=target.baseline_value,
            target=target.target_value,
            values=[
                KpiValue(
                    value=item.value,
                    source=item.source,
                    reported_on=item.report.reported_on,
                    order=item.report_id,
                )
                for item in target.reported_values.all()
            ],
        )
        for target in application.kpi_targets.all()
    ]


def application_kpi_status(application: Application) -> list[KpiStatus]:
    """One project's KPIs: baseline, target, latest value, met or not (three queries)."""
    application = Application.objects.prefetch_related(_kpi_targets_with_values()).get(
        pk=application.pk
    )
    return kpi_statuses_of(application)


def milestones_with_reports(application: Application) -> list[Milestone]:
    """The project's milestones, each with its reports and their KPI values (three queries)."""
    reports = MilestoneReport.objects.prefetch_related(
        Prefetch("kpi_values", queryset=MilestoneKpiValue.objects.select_related("kpi_target"))
    )
    return list(application.milestones.prefetch_related(Prefetch("reports", queryset=reports)))


def milestone_report_for(user: AbstractBaseUser, pk: int, report_id: int) -> MilestoneReport:
    """A report of an application the user may see, or 404."""
    application = application_for(user, pk)
    return get_object_or_404(
        MilestoneReport.objects.select_related("milestone"),
        pk=report_id,
        milestone__application=application,
    )


def funded_rd_projects() -> QuerySet[Application]:
    """R&D projects awarded money: approved, in public notice or paid."""
    return (
        Application.objects.filter(kind=ProgrammeKind.RD_FUND, status__in=AWARDED_STATUSES)
        .select_related("programme", "applicant")
        .order_by("programme__year", "programme_id", "applicant__name_zh", "pk")
    )


def rd_kpi_table() -> list[tuple[Application, list[KpiStatus]]]:
    """Every funded R&D project with each KPI's status, in three queries whatever their number."""
    projects = funded_rd_projects().prefetch_related(_kpi_targets_with_values())
    return [(project, kpi_statuses_of(project)) for project in projects]
