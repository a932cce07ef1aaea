"""The talent programme's pages, under /talent/ (namespace "talent")."""

from django.urls import path, re_path

from talent import views

app_name = "talent"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    re_path(
        r"^dashboard/export\.(?P<fmt>csv|xlsx)$", views.dashboard_export, name="dashboard_export"
    ),
    re_path(
        r"^graduates/template\.(?P<fmt>csv|xlsx)$",
        views.graduates_template,
        name="graduates_template",
    ),
    path("universities/<str:uscc>/", views.university, name="university"),
    path("universities/<str:uscc>/programmes/new/", views.programme_add, name="programme_add"),
    path("universities/<str:uscc>/bases/new/", views.training_base_add, name="training_base_add"),
    path("universities/<str:uscc>/students/new/", views.student_add, name="student_add"),
    path("universities/<str:uscc>/students/<int:pk>/", views.student_edit, name="student_edit"),
    path(
        "universities/<str:uscc>/students/<int:pk>/account/",
        views.student_link,
        name="student_link",
    ),
    path(
        "universities/<str:uscc>/internships/new/",
        views.internship_offer,
        name="internship_offer",
    ),
    path(
        "universities/<str:uscc>/internships/<int:pk>/move/",
        views.university_internship_move,
        name="university_internship_move",
    ),
    path("universities/<str:uscc>/graduates/", views.graduates_upload, name="graduates_upload"),
    path("enterprises/<str:uscc>/", views.enterprise, name="enterprise"),
    path(
        "enterprises/<str:uscc>/internships/<int:pk>/move/",
        views.enterprise_internship_move,
        name="enterprise_internship_move",
    ),
    path(
        "enterprises/<str:uscc>/graduates/<int:pk>/confirm/",
        views.graduate_confirm,
        name="graduate_confirm",
    ),
    path("enterprises/<str:uscc>/experts/new/", views.expert_add, name="expert_add"),
    path("enterprises/<str:uscc>/experts/<int:pk>/", views.expert_edit, name="expert_edit"),
    path("scholarships/", views.scholarships, name="scholarships"),
    path("scholarships/<int:fund_id>/apply/", views.scholarship_apply, name="scholarship_apply"),
    path(
        "scholarships/applications/<int:pk>/withdraw/",
        views.scholarship_withdraw,
        name="scholarship_withdraw",
    ),
]
