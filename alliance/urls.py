from django.urls import path

from alliance import views

app_name = "alliance"

urlpatterns = [
    path("", views.members, name="members"),
    path("members/<str:uscc>/", views.member, name="member"),
    path("join/", views.join, name="join"),
    path("demands/", views.demands, name="demands"),
    path("demands/new/", views.demand_new, name="demand_new"),
    path("demands/<int:pk>/", views.demand, name="demand"),
    path("demands/<int:pk>/edit/", views.demand_edit, name="demand_edit"),
    path("demands/<int:pk>/close/", views.demand_close, name="demand_close"),
    path("demands/<int:pk>/matches/", views.matches, name="matches"),
    path("demands/<int:pk>/interest/", views.interest, name="interest"),
    path("demands/<int:pk>/invite/", views.invite, name="invite"),
    path("responses/<int:pk>/shortlist/", views.response_shortlist, name="response_shortlist"),
    path("responses/<int:pk>/decline/", views.response_decline, name="response_decline"),
    path("responses/<int:pk>/answer/", views.response_answer, name="response_answer"),
    path("responses/<int:pk>/meetings/", views.meeting_propose, name="meeting_propose"),
    path("responses/<int:pk>/agree/", views.agree, name="agree"),
    path("meetings/<int:pk>/answer/", views.meeting_answer, name="meeting_answer"),
    path("meetings/<int:pk>/calendar.ics", views.meeting_ics, name="meeting_ics"),
    path("for-me/", views.for_me, name="for_me"),
    path("for-me/<str:uscc>/notifications/", views.notifications, name="notifications"),
    path("collaborations/", views.collaborations, name="collaborations"),
    path("collaborations/<int:pk>/", views.collaboration, name="collaboration"),
    path("collaborations/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "collaborations/<int:pk>/milestones/<int:milestone_id>/complete/",
        views.milestone_complete,
        name="milestone_complete",
    ),
    path("collaborations/<int:pk>/documents/", views.document_add, name="document_add"),
    path(
        "collaborations/<int:pk>/documents/<int:document_id>/",
        views.collaboration_document,
        name="collaboration_document",
    ),
    path("collaborations/<int:pk>/parties/", views.party_add, name="party_add"),
    path("collaborations/<int:pk>/close/", views.collaboration_close, name="collaboration_close"),
    path("standards/", views.standards, name="standards"),
    path("standards/new/", views.standard_new, name="standard_new"),
    path("standards/participations/new/", views.participation_new, name="participation_new"),
]

# Demonstration scenarios (issue 6).
from alliance import demonstrations_views  # noqa: E402

urlpatterns += [
    path("demonstrations/", demonstrations_views.demonstrations, name="demonstrations"),
    path("demonstrations/new/", demonstrations_views.demonstration_new, name="demonstration_new"),
    path("demonstrations/<int:pk>/", demonstrations_views.demonstration, name="demonstration"),
    path(
        "demonstrations/<int:pk>/reports/",
        demonstrations_views.demonstration_report,
        name="demonstration_report",
    ),
    path("calculators/lcos/", demonstrations_views.calculator_lcos, name="calculator_lcos"),
    path("calculators/drone/", demonstrations_views.calculator_drone, name="calculator_drone"),
]
