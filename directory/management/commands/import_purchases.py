"""`manage.py import_purchases FILE --buyer USCC`: record a firm's purchase lines from a file.

The same reader as the upload page and the same service as every other way in: every bad row
is reported (row, column, reason) and then nothing is saved. The command line is trusted, so
it records for any buyer. Exits with status 1 when the file or any row is refused.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.models import Enterprise, PurchaseImportSource
from directory.purchases import files as purchase_files
from directory.purchases import services
from directory.validators import normalise_uscc


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of purchase lines for a buyer (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A CSV (UTF-8 or GBK) or XLSX file.")
        parser.add_argument(
            "--buyer", required=True, help="The buying enterprise's unified social credit code."
        )

    def handle(self, *args, file: Path, buyer: str, verbosity: int, **options):
        uscc = normalise_uscc(buyer)
        enterprise = Enterprise.objects.filter(uscc=uscc).first()
        if enterprise is None:
            raise CommandError(_("No enterprise with the code %(uscc)s.") % {"uscc": uscc})
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error.strerror}
            ) from error

        started = time.perf_counter()
        try:
            parsed = purchase_files.read_purchase_file(content)
        except purchase_files.PurchaseFileError as error:
            self._report_errors([problem.as_dict() for problem in error.errors])
        if parsed.unknown_columns:
            self.stdout.write(
                _("Ignored columns: %(columns)s") % {"columns": ", ".join(parsed.unknown_columns)}
            )
        purchase_import, outcome = services.purchase_lines_import(
            actor=None,
            buyer=enterprise,
            raw_rows=parsed.rows,
            source=PurchaseImportSource.COMMAND,
            filename=file.name,
            first_row=parsed.first_row,
        )
        if not outcome.ok:
            self._report_errors(outcome.errors)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(outcome.summary()))
        if verbosity >= 2:
            self.stdout.write(
                _("%(rows)d rows in %(seconds).1f s (%(rate)d rows/s), import %(id)d.")
                % {
                    "rows": len(parsed.rows),
                    "seconds": elapsed,
                    "rate": len(parsed.rows) / elapsed if elapsed else 0,
                    "id": purchase_import.pk,
                }
            )

    def _report_errors(self, errors: list[dict]) -> None:
        for error in errors:
            self.stderr.write(self._describe(error))
        raise CommandError(
            ngettext(
                "%(count)d problem; nothing was saved.",
                "%(count)d problems; nothing was saved.",
                len(errors),
            )
            % {"count": len(errors)}
        )

    @staticmethod
    def _describe(error: dict) -> str:
        if error["row"] == purchase_files.FILE_ROW:
            return _("file: %(message)s") % error
        if not error["column"]:
            return _("row %(row)d: %(message)s") % error
        return _("row %(row)d, %(column)s: %(message)s") % error
