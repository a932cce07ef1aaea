"""`manage.py check_private_files`: every row whose stored file cannot be found, one line each
(model, id, field, stored name); exit status 1 when there is any, 0 when every file is there.
Run it after a restore or a storage incident (README, "Operations")."""

from django.core.management.base import BaseCommand

from ssb_portal.stored_files import file_fields, vanished_files


class Command(BaseCommand):
    help = "Report rows whose stored file has vanished; exit status 1 when any has."

    def handle(self, *args, **options) -> None:
        missing = 0
        for vanished in vanished_files():
            missing += 1
            self.stdout.write(
                f"missing: {vanished.model} id={vanished.pk} {vanished.field}={vanished.name}"
            )
        checked = sum(1 for _ in file_fields())
        if missing:
            self.stderr.write(
                f"{missing} stored files are missing ({checked} file fields checked)."
            )
            raise SystemExit(1)
        self.stdout.write(f"Every stored file is there ({checked} file fields checked).")
