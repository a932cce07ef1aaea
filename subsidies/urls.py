from django.urls import path

from subsidies import views

app_name = "subsidies"

urlpatterns = [
    path("", views.programmes, name="programmes"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("programmes/<int:pk>/apply/", views.apply, name="apply"),
    path("awards/", views.awards, name="awards"),
    path("awards.csv", views.awards_csv, name="awards_csv"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/edit/", views.edit, name="edit"),
    path("applications/<int:pk>/lines/", views.lines, name="lines"),
    path("applications/<int:pk>/plan/", views.plan, name="plan"),
    path("applications/<int:pk>/documents/new/", views.document_add, name="document_add"),
    path(
        "applications/<int:pk>/documents/<int:document_id>/",
        views.document,
        name="document",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_id>/remove/",
        views.document_delete,
        name="document_delete",
    ),
    path("applications/<int:pk>/submit/", views.submit, name="submit"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/appeal/", views.appeal, name="appeal"),
    path("applications/<int:pk>/messages/", views.message, name="message"),
    path(
        "applications/<int:pk>/milestones/<int:milestone_id>/report/",
        views.milestone_report,
        name="milestone_report",
    ),
    path(
        "applications/<int:pk>/milestone-reports/<int:report_id>/<str:part>/",
        views.milestone_report_download,
        name="milestone_report_download",
    ),
    path("rd-kpis/", views.rd_kpis, name="rd_kpis"),
    path("rd-kpis.csv", views.rd_kpis_csv, name="rd_kpis_csv"),
]
