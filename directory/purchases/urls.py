"""A firm's purchase records on the portal, under /directory/ (namespace "purchases")."""

from django.urls import include, path, re_path

from directory.purchases import mapping_views, views

app_name = "purchases"

urlpatterns = [
    path("", include("directory.purchases.confirmation_urls")),
    re_path(
        r"^purchases/template\.(?P<fmt>csv|xlsx)$",
        views.purchase_template,
        name="template",
    ),
    path("mine/<str:uscc>/purchases/", views.purchases, name="upload"),
    path(
        "mine/<str:uscc>/purchases/imports/<int:import_id>/",
        views.import_result,
        name="import",
    ),
    path(
        "mine/<str:uscc>/purchases/imports/<int:import_id>/errors.csv",
        views.import_errors_csv,
        name="import_errors",
    ),
    path(
        "mine/<str:uscc>/purchases/item-categories/",
        mapping_views.item_category_list,
        name="item_categories",
    ),
    path(
        "mine/<str:uscc>/purchases/column-mappings/",
        mapping_views.column_mapping_list,
        name="column_mappings",
    ),
    path(
        "mine/<str:uscc>/purchases/lines/<int:line_id>/",
        views.line_history,
        name="line",
    ),
]
