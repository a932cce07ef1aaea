from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsbPortalConfig(AppConfig):
    name = "ssb_portal"
    verbose_name = _("SSB Portal")

    def ready(self) -> None:
        # Connects the login signal that remembers each user's language for email.
        from ssb_portal import languages  # noqa: F401
