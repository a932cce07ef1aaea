from django.urls import path

from alliance.demonstrations import views as demonstrations_views
from alliance.views import collaborations, demand_page, demands, matches, members, standards

app_name = "alliance"

urlpatterns = [
    path("", members.members, name="members"),
    path("members/<str:uscc>/", members.member, name="member"),
    path("join/", members.join, name="join"),
    path("demands/", demands.demands, name="demands"),
    path("demands/new/", demands.demand_new, name="demand_new"),
    path("demands/<int:pk>/", demand_page.demand, name="demand"),
    path("demands/<int:pk>/edit/", demands.demand_edit, name="demand_edit"),
    path("demands/<int:pk>/close/", demands.demand_close, name="demand_close"),
    path("demands/<int:pk>/matches/", matches.matches, name="matches"),
    path("demands/<int:pk>/interest/", demand_page.interest, name="interest"),
    path("demands/<int:pk>/invite/", demand_page.invite, name="invite"),
    path(
        "responses/<int:pk>/shortlist/", demand_page.response_shortlist, name="response_shortlist"
    ),
    path("responses/<int:pk>/decline/", demand_page.response_decline, name="response_decline"),
    path("responses/<int:pk>/answer/", demand_page.response_answer, name="response_answer"),
    path("responses/<int:pk>/meetings/", demand_page.meeting_propose, name="meeting_propose"),
    path("responses/<int:pk>/agree/", demand_page.agree, name="agree"),
    path("meetings/<int:pk>/answer/", demand_page.meeting_answer, name="meeting_answer"),
    path("meetings/<int:pk>/calendar.ics", demand_page.meeting_ics, name="meeting_ics"),
    path("for-me/", demands.for_me, name="for_me"),
    path("for-me/<str:uscc>/notifications/", demands.notifications, name="notifications"),
    path("collaborations/", collaborations.collaborations, name="collaborations"),
    path("collaborations/<int:pk>/", collaborations.collaboration, name="collaboration"),
    path("collaborations/<int:pk>/milestones/", collaborations.milestone_add, name="milestone_add"),
    path(
        "collaborations/<int:pk>/milestones/<int:milestone_id>/complete/",
        collaborations.milestone_complete,
        name="milestone_complete",
    ),
    path("collaborations/<int:pk>/documents/", collaborations.document_add, name="document_add"),
    path(
        "collaborations/<int:pk>/documents/<int:document_id>/",
        collaborations.collaboration_document,
        name="collaboration_document",
    ),
    path("collaborations/<int:pk>/parties/", collaborations.party_add, name="party_add"),
    path(
        "collaborations/<int:pk>/close/",
        collaborations.collaboration_close,
        name="collaboration_close",
    ),
    path("standards/", standards.standards, name="standards"),
    path("standards/new/", standards.standard_new, name="standard_new"),
    path("standards/participations/new/", standards.participation_new, name="participation_new"),
    # Demonstration scenarios (issue 6).
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
