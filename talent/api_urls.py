"""The talent programme's API under /api/v1/ (namespace "talent-api")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from talent import api

app_name = "talent-api"

router = SimpleRouter(use_regex_path=False)
router.register("talent/students", api.StudentViewSet, basename="student")
router.register("talent/internships", api.InternshipViewSet, basename="internship")
router.register("talent/graduates", api.GraduateViewSet, basename="graduate")
router.register("talent/experts", api.ExpertViewSet, basename="expert")
router.register("talent/scholarships/funds", api.FundViewSet, basename="fund")
router.register(
    "talent/scholarships/applications",
    api.ScholarshipApplicationViewSet,
    basename="scholarship-application",
)

urlpatterns = [
    # The dashboard is one resource, not a collection.
    path("talent/dashboard/", api.DashboardViewSet.as_view({"get": "list"}), name="dashboard"),
    *router.urls,
]
