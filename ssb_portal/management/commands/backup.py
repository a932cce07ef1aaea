"""`manage.py backup [--output FILE]`: the database and every stored file in one archive with a
manifest (ssb_portal.backup; README, "Operations").
Default: var/backups/ssb-portal-<UTC time>.tar.gz."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ssb_portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the stored files together into one archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="the archive to write (.tar.gz)")

    def handle(self, *args, **options):
        output = options["output"] or (
            Path(settings.BASE_DIR)
            / "var"
            / "backups"
            / f"ssb-portal-{datetime.datetime.now(datetime.UTC):%Y%m%dT%H%M%SZ}.tar.gz"
        )
        try:
            manifest = backup_create(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the database and {len(manifest['files'])} stored files to {output}"
            )
        )
