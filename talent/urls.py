"""The talent programme's pages, under /talent/ (namespace "talent")."""

from django.urls import path, re_path

from talent.views import enterprise, graduates, public, scholarships, university

app_name = "talent"

urlpatterns = [
    path("", public.home, name="home"),
    path("dashboard/", public.dashboard, name="dashboard"),
    re_path(
        r"^dashboard/export\.(?P<fmt>csv|xlsx)$", public.dashboard_export, name="dashboard_export"
    ),
    re_path(
        r"^graduates/template\.(?P<fmt>csv|xlsx)$",
        graduates.graduates_template,
        name="graduates_template",
    ),
    path("universities/<str:uscc>/", university.university, name="university"),
    path("universities/<str:uscc>/programmes/new/", university.programme_add, name="programme_add"),
    path(
        "universities/<str:uscc>/bases/new/", university.training_base_add, name="training_base_add"
    ),
    path("universities/<str:uscc>/students/new/", university.student_add, name="student_add"),
    path(
        "universities/<str:uscc>/students/<int:pk>/", university.student_edit, name="student_edit"
    ),
    path(
        "universities/<str:uscc>/students/<int:pk>/account/",
        university.student_link,
        name="student_link",
    ),
    path(
        "universities/<str:uscc>/internships/new/",
        university.internship_offer,
        name="internship_offer",
    ),
    path(
        "universities/<str:uscc>/internships/<int:pk>/move/",
        university.university_internship_move,
        name="university_internship_move",
    ),
    path("universities/<str:uscc>/graduates/", graduates.graduates_upload, name="graduates_upload"),
    path("enterprises/<str:uscc>/", enterprise.enterprise, name="enterprise"),
    path(
        "enterprises/<str:uscc>/internships/<int:pk>/move/",
        enterprise.enterprise_internship_move,
        name="enterprise_internship_move",
    ),
    path(
        "enterprises/<str:uscc>/graduates/<int:pk>/confirm/",
        enterprise.graduate_confirm,
        name="graduate_confirm",
    ),
    path("enterprises/<str:uscc>/experts/new/", enterprise.expert_add, name="expert_add"),
    path("enterprises/<str:uscc>/experts/<int:pk>/", enterprise.expert_edit, name="expert_edit"),
    path("scholarships/", scholarships.scholarships, name="scholarships"),
    path(
        "scholarships/<int:fund_id>/apply/",
        scholarships.scholarship_apply,
        name="scholarship_apply",
    ),
    path(
        "scholarships/applications/<int:pk>/withdraw/",
        scholarships.scholarship_withdraw,
        name="scholarship_withdraw",
    ),
]
