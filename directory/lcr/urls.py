"""The Local Content Ratio pages, under /directory/ (namespace "lcr")."""

from django.urls import path, re_path

from directory.lcr import views

app_name = "lcr"

urlpatterns = [
    path("lcr/", views.city_lcr, name="city"),
    path("lcr/city/", views.city_dashboard, name="dashboard"),
    re_path(r"^lcr/city/export\.(?P<fmt>csv|xlsx)$", views.city_export, name="export"),
    path("mine/<str:uscc>/lcr/", views.buyer_lcr, name="buyer"),
]
