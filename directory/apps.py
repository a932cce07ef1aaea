from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def restore_search_triggers(sender, using: str, **kwargs) -> None:
    from django.db import connections

    from directory.search.documents import ensure_sqlite_triggers

    ensure_sqlite_triggers(connections[using])


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Supplier directory")

    def ready(self) -> None:
        # Register this app's kinds of reminder with the reminder engine.
        from directory import reminders  # noqa: F401

        # A later migration that alters the enterprise or product table on SQLite rebuilds
        # it without the search index's triggers (see directory/search/documents.py).
        post_migrate.connect(restore_search_triggers, sender=self)

        # Keep the LCR ledger in step with single saves and deletes of lines.
        from directory.lcr import ledger_signals

        ledger_signals.connect()
