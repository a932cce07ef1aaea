from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = _("Industry Alliance")

    def ready(self) -> None:
        # Register this app's kinds of reminder with the reminder engine.
        from alliance import reminders  # noqa: F401
