"""The support programmes' API under /api/v1/ (namespace "subsidies-api")."""

from rest_framework.routers import SimpleRouter

from subsidies import api

app_name = "subsidies-api"

router = SimpleRouter(use_regex_path=False)
router.register("programmes", api.ProgrammeViewSet, basename="programme")
router.register("applications", api.ApplicationViewSet, basename="application")

urlpatterns = router.urls
