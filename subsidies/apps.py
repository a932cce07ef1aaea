from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Support programmes")

    def ready(self) -> None:
        # `reminders` registers this app's kinds of reminder with the reminder engine.
        from subsidies import receivers, reminders  # noqa: F401

        receivers.connect()
