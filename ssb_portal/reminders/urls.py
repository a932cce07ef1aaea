from django.urls import path

from ssb_portal.reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.due, name="due"),
    path("settings/", views.reminder_settings, name="settings"),
]
