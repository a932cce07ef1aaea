"""The Industry Alliance's API under /api/v1/ (namespace "alliance-api")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from alliance.api.collaborations import CollaborationViewSet
from alliance.api.demands import DemandViewSet
from alliance.api.members import MemberViewSet
from alliance.api.responses import MeetingViewSet, ResponseViewSet
from alliance.api.standards import StandardViewSet
from alliance.demonstrations import api as demonstrations_api

app_name = "alliance-api"

router = SimpleRouter(use_regex_path=False)
router.register("alliance/members", MemberViewSet, basename="member")
router.register("demands", DemandViewSet, basename="demand")
router.register("responses", ResponseViewSet, basename="response")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("collaborations", CollaborationViewSet, basename="collaboration")
router.register("standards", StandardViewSet, basename="standard")

urlpatterns = router.urls

# Demonstration scenarios and calculators (issue 6).
demonstrations_router = SimpleRouter(use_regex_path=False)
demonstrations_router.register(
    "demonstrations", demonstrations_api.DemonstrationViewSet, basename="demonstration"
)
urlpatterns += demonstrations_router.urls
urlpatterns += [
    path("calculators/lcos/", demonstrations_api.LcosCalculatorView.as_view(), name="lcos"),
    path(
        "calculators/drone-flight-time/",
        demonstrations_api.DroneCalculatorView.as_view(),
        name="drone-flight-time",
    ),
]
