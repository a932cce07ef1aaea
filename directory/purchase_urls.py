"""A firm's purchase records on the portal, under /directory/ (namespace "purchases")."""

from django.urls import path, re_path

from directory import purchase_views

app_name = "purchases"

urlpatterns = [
    re_path(
        r"^purchases/template\.(?P<fmt>csv|xlsx)$",
        purchase_views.purchase_template,
        name="template",
    ),
    path("mine/<str:uscc>/purchases/", purchase_views.purchases, name="upload"),
    path(
        "mine/<str:uscc>/purchases/imports/<int:import_id>/",
        purchase_views.import_result,
        name="import",
    ),
    path(
        "mine/<str:uscc>/purchases/imports/<int:import_id>/errors.csv",
        purchase_views.import_errors_csv,
        name="import_errors",
    ),
    path(
        "mine/<str:uscc>/purchases/lines/<int:line_id>/",
        purchase_views.line_history,
        name="line",
    ),
]
