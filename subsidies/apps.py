from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Support programmes")

    def ready(self) -> None:
        from subsidies import receivers

        receivers.connect()
