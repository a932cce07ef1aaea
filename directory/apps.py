from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Supplier directory")

    def ready(self) -> None:
        # Register this app's kinds of reminder with the reminder engine.
        from directory import reminders  # noqa: F401
