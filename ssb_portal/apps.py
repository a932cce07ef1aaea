from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class SsbPortalConfig(AppConfig):
    name = "ssb_portal"
    verbose_name = _("SSB Portal")

    def ready(self) -> None:
        # Connect the login signals: `languages` remembers each user's language for email,
        # `sessions` shortens officials' sessions, the reminders' header counts what is due.
        # The reminders' admin is registered here, as ssb_portal has no admin module.
        # `task_recovery` queues again a task cut short by a worker's stop.
        from ssb_portal import languages, sessions  # noqa: F401
        from ssb_portal.page_cache import tables
        from ssb_portal.reminders import admin, header  # noqa: F401
        from ssb_portal.task_recovery import receivers  # noqa: F401

        # Every connection watches its statements for the page cache (which tables a page
        # read, which a committed write changed).
        connection_created.connect(tables.install, dispatch_uid="ssb_portal.page_cache")
