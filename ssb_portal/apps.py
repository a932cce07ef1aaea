from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsbPortalConfig(AppConfig):
    name = "ssb_portal"
    verbose_name = _("SSB Portal")
