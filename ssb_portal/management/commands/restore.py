"""`manage.py restore ARCHIVE`: a backup (`manage.py backup`) into the configured database and
file stores, which must be empty: create a fresh database, point DATABASE_URL (and
the private store and MEDIA_ROOT) at fresh places, then restore. Every file is
checked against the manifest's SHA-256. Afterwards: `manage.py migrate` (when the code is newer
than the backup), `verify_audit_log` and `check_private_files`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ssb_portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and empty file stores."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, **options):
        try:
            manifest = backup_restore(options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the database of {manifest['created_at']} and "
                f"{len(manifest['files'])} stored files."
            )
        )
