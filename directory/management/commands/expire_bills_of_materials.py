"""`manage.py expire_bills_of_materials`: bills whose verification ran out expire and the shares
that rested on them go back to the declared ones (their parents' with them). Every run of
`send_reminders` does this first (a chore of `directory.reminders`); this command does it
alone, by hand."""

from django.core.management.base import BaseCommand

from directory.composition.services import bom_expire_due


class Command(BaseCommand):
    help = "Expire the bills of materials whose verification ran out and roll the shares up again."

    def handle(self, *args, **options):
        expired = bom_expire_due()
        self.stdout.write(f"{expired} bill(s) of materials expired.")
