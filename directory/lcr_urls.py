"""The Local Content Ratio pages, under /directory/ (namespace "lcr")."""

from django.urls import path, re_path

from directory import lcr_views

app_name = "lcr"

urlpatterns = [
    path("lcr/", lcr_views.city_lcr, name="city"),
    path("lcr/city/", lcr_views.city_dashboard, name="dashboard"),
    re_path(r"^lcr/city/export\.(?P<fmt>csv|xlsx)$", lcr_views.city_export, name="export"),
    path("mine/<str:uscc>/lcr/", lcr_views.buyer_lcr, name="buyer"),
]
