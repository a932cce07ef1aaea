"""`manage.py rebuild_lcr_ledger`: sum every purchase line into the LCR ledger again.

Every write keeps the ledger in step; this is for lines written around the portal (a bulk
load straight into the table, a restored backup) and for checking: `--check` compares the
ledger with the lines first and says whether they differed.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from directory.lcr.ledger import ledger_matches_lines, rebuild_lcr_ledger


class Command(BaseCommand):
    help = _("Sum every purchase line into the LCR ledger again.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Say first whether the ledger differed from the lines."),
        )

    def handle(self, *args, check: bool = False, **options):
        if check:
            if ledger_matches_lines():
                self.stdout.write(_("The ledger matched the lines."))
            else:
                self.stdout.write(_("The ledger differed from the lines."))
        rows = rebuild_lcr_ledger()
        self.stdout.write(_("LCR ledger rebuilt: %(rows)d rows.") % {"rows": rows})
