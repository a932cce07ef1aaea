"""The talent programme's API under /api/v1/ (namespace "talent-api")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from talent.api.dashboard import DashboardViewSet
from talent.api.experts import ExpertViewSet
from talent.api.graduates import GraduateViewSet
from talent.api.internships import InternshipViewSet
from talent.api.scholarships import FundViewSet, ScholarshipApplicationViewSet
from talent.api.students import StudentViewSet

app_name = "talent-api"

router = SimpleRouter(use_regex_path=False)
router.register("talent/students", StudentViewSet, basename="student")
router.register("talent/internships", InternshipViewSet, basename="internship")
router.register("talent/graduates", GraduateViewSet, basename="graduate")
router.register("talent/experts", ExpertViewSet, basename="expert")
router.register("talent/scholarships/funds", FundViewSet, basename="fund")
router.register(
    "talent/scholarships/applications",
    ScholarshipApplicationViewSet,
    basename="scholarship-application",
)

urlpatterns = [
    # The dashboard is one resource, not a collection.
    path("talent/dashboard/", DashboardViewSet.as_view({"get": "list"}), name="dashboard"),
    *router.urls,
]
