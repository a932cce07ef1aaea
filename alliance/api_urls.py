"""The Industry Alliance's API under /api/v1/ (namespace "alliance-api")."""

from rest_framework.routers import SimpleRouter

from alliance import api

app_name = "alliance-api"

router = SimpleRouter(use_regex_path=False)
router.register("alliance/members", api.MemberViewSet, basename="member")
router.register("demands", api.DemandViewSet, basename="demand")
router.register("responses", api.ResponseViewSet, basename="response")
router.register("meetings", api.MeetingViewSet, basename="meeting")
router.register("collaborations", api.CollaborationViewSet, basename="collaboration")
router.register("standards", api.StandardViewSet, basename="standard")

urlpatterns = router.urls

# Demonstration scenarios and calculators (issue 6).
from django.urls import path  # noqa: E402

from alliance import demonstrations_api  # noqa: E402

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
