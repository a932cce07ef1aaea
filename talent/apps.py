from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Talent programme")

    def ready(self) -> None:
        # Register this app's kinds of reminder with the reminder engine.
        from talent import reminders  # noqa: F401
