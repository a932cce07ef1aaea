"""The support programmes' API under /api/v1/ (namespace "subsidies-api")."""

from rest_framework.routers import SimpleRouter

from subsidies.api.viewsets import ApplicationViewSet, ProgrammeViewSet

app_name = "subsidies-api"

router = SimpleRouter(use_regex_path=False)
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("applications", ApplicationViewSet, basename="application")

urlpatterns = router.urls
