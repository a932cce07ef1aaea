"""`manage.py restore_drill`: proves that a backup restores (issue 20; README, "Operations").

Backs up this database and its stores, restores the archive into a fresh database (PostgreSQL:
a new database named <name>_restore_drill, dropped afterwards; SQLite: a scratch file) and fresh
local stores, in a separate process as an operator would, then compares what must survive:
the audit chain verifies with as many entries, the LCR figures are the same to the fen, every
stored file reads back with the same SHA-256, and no row's file is missing. Exit status 1 when
anything differs. `--figures-only` prints those figures of this database as JSON.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from directory.restore_drill import drill_figures
from ssb_portal.backup import POSTGRESQL, backup_create


class Command(BaseCommand):
    help = "Back up, restore into a fresh database and stores, and compare what must survive."

    def add_arguments(self, parser):
        parser.add_argument("--figures-only", action="store_true")

    def handle(self, *args, **options):
        if options["figures_only"]:
            self.stdout.write(json.dumps(drill_figures()))
            return
        before = drill_figures()
        with tempfile.TemporaryDirectory(prefix="ssb-restore-drill-") as scratch:
            archive = Path(scratch) / "backup.tar.gz"
            manifest = backup_create(archive)
            self.stdout.write(
                f"backup: {archive.stat().st_size} bytes, {len(manifest['files'])} stored files"
            )
            with FreshDatabase(scratch) as database_url:
                environ = {
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": "ssb_portal.settings",
                    "DATABASE_URL": database_url,
                    "PRIVATE_STORAGE": "local",
                    "PRIVATE_MEDIA_ROOT": f"{scratch}/private",
                    "MEDIA_ROOT": f"{scratch}/media",
                }
                manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
                restored = subprocess.run(
                    [*manage, "restore", str(archive)], env=environ, capture_output=True, text=True
                )
                if restored.returncode != 0:
                    raise CommandError(f"The restore failed:\n{restored.stdout}{restored.stderr}")
                after = json.loads(
                    subprocess.run(
                        [*manage, "restore_drill", "--figures-only"],
                        env=environ,
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout
                )
        report(self.stdout, before, after)


def report(out, before: dict, after: dict) -> None:
    checks = {
        "audit chain intact after the restore": after["audit"]["broken"] is None
        and after["audit"] == before["audit"],
        "LCR by buyer and year equal to the fen": after["lcr_by_buyer_and_year"]
        == before["lcr_by_buyer_and_year"],
        "LCR by year equal to the fen": after["lcr_by_year"] == before["lcr_by_year"],
        "every stored file read back with the same SHA-256": after["files"] == before["files"],
        "no row's file missing": not after["vanished_files"],
    }
    out.write(
        f"audit entries verified: {before['audit']['checked']} before, "
        f"{after['audit']['checked']} after; LCR rows: {len(after['lcr_by_buyer_and_year'])}; "
        f"stored files: {len(after['files'])}"
    )
    for name, ok in checks.items():
        out.write(f"{'ok  ' if ok else 'FAIL'} {name}")
    if not all(checks.values()):
        raise CommandError("The restore drill failed.")


class FreshDatabase:
    """A new, empty database of the same engine for the restore; PostgreSQL's is dropped
    afterwards."""

    def __init__(self, scratch: str) -> None:
        self.scratch = scratch
        self.name = ""

    def __enter__(self) -> str:
        settings_dict = connection.settings_dict
        if settings_dict["ENGINE"] != POSTGRESQL:
            return f"sqlite:///{self.scratch}/restored.sqlite3"
        self.name = f"{settings_dict['NAME']}_restore_drill"[:63]
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')
        password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
        return (
            f"postgres://{settings_dict['USER']}{password}@{settings_dict['HOST']}:"
            f"{settings_dict['PORT'] or 5432}/{self.name}"
        )

    def __exit__(self, *exc_info) -> None:
        if self.name:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        with connection._nodb_cursor() as cursor:
            cursor.execute(statement)
