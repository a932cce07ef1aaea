"""`manage.py demo_logins [--url URL]`: the demo logins that exist, with the demo password.

`make run` prints them last, after the seeding commands and the e-mails they print, so that
they are the first thing a visitor reads above the server's own lines.
"""

from django.core.management.base import BaseCommand

from directory.demo.users import demo_logins


class Command(BaseCommand):
    help = "Print the demo logins that exist, with the demo password and what each reaches."

    def add_arguments(self, parser):
        parser.add_argument("--url", help="Where the portal runs, printed with the logins.")

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(demo_logins(options["url"])))
