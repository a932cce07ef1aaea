from django.urls import path

from subsidies.views import applications, documents, milestones, moves, public

app_name = "subsidies"

urlpatterns = [
    path("", public.programmes, name="programmes"),
    path("programmes/<int:pk>/", public.programme, name="programme"),
    path("programmes/<int:pk>/apply/", applications.apply, name="apply"),
    path("awards/", public.awards, name="awards"),
    path("awards.csv", public.awards_csv, name="awards_csv"),
    path("notices/", public.notices, name="notices"),
    path("notices/<int:pk>/", public.notice, name="notice"),
    path("applications/", applications.applications, name="applications"),
    path("applications/<int:pk>/", applications.application, name="application"),
    path("applications/<int:pk>/edit/", applications.edit, name="edit"),
    path("applications/<int:pk>/lines/", applications.lines, name="lines"),
    path("applications/<int:pk>/plan/", applications.plan, name="plan"),
    path("applications/<int:pk>/documents/new/", documents.document_add, name="document_add"),
    path(
        "applications/<int:pk>/documents/<int:document_id>/",
        documents.document,
        name="document",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_id>/remove/",
        documents.document_delete,
        name="document_delete",
    ),
    path("applications/<int:pk>/submit/", moves.submit, name="submit"),
    path("applications/<int:pk>/withdraw/", moves.withdraw, name="withdraw"),
    path("applications/<int:pk>/appeal/", moves.appeal, name="appeal"),
    path("applications/<int:pk>/messages/", moves.message, name="message"),
    path(
        "applications/<int:pk>/milestones/<int:milestone_id>/report/",
        milestones.milestone_report,
        name="milestone_report",
    ),
    path(
        "applications/<int:pk>/milestone-reports/<int:report_id>/<str:part>/",
        milestones.milestone_report_download,
        name="milestone_report_download",
    ),
    path("rd-kpis/", milestones.rd_kpis, name="rd_kpis"),
    path("rd-kpis.csv", milestones.rd_kpis_csv, name="rd_kpis_csv"),
]
