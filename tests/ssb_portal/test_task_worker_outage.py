"""django-tasks-db's worker stops when its database cannot be reached, and bin/serve then stops
the web server with it; the portal's `db_worker` waits the outage out and starts again, while an
error of a database that answers still stops it (issue 20)."""

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django_tasks_db.management.commands import db_worker as library_worker

from ssb_portal import database_outage
from ssb_portal.management.commands import db_worker


class RefusedConnection:
    connection = None


@pytest.fixture(autouse=True)
def _database_task_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_task_worker_waits_out_a_database_outage(monkeypatch):
    runs = []

    def run(self, **options):
        runs.append(options["batch"])
        if len(runs) < 3:
            raise OperationalError("database is not currently accepting connections")

    monkeypatch.setattr(library_worker.Command, "handle", run)
    monkeypatch.setattr(database_outage, "connection", RefusedConnection())
    pauses = []
    monkeypatch.setattr(db_worker.time, "sleep", pauses.append)

    call_command("db_worker", batch=True, reload=False)

    assert len(runs) == 3
    assert pauses == [0.5, 1.0]


@pytest.mark.django_db
def test_the_task_worker_still_stops_on_errors_of_a_database_that_answers(monkeypatch):
    def broken(self, **options):
        connection.ensure_connection()
        raise OperationalError("no such table: django_tasks_db_dbtaskresult")

    monkeypatch.setattr(library_worker.Command, "handle", broken)

    with pytest.raises(OperationalError):
        call_command("db_worker", batch=True, reload=False)


def test_the_portals_worker_is_the_one_manage_py_runs():
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "ssb_portal"
