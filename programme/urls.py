"""The programme dashboard, under /programme/ (namespace "programme")."""

from django.urls import path

from programme import views

app_name = "programme"

urlpatterns = [
    path("", views.dashboard_public, name="dashboard"),
    path("dashboard.csv", views.dashboard_public_csv, name="dashboard_csv"),
    path("officials/", views.dashboard_officials, name="officials"),
    path("officials/dashboard.csv", views.dashboard_officials_csv, name="officials_csv"),
]
