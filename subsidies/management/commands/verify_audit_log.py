from django.core.management.base import BaseCommand, CommandError

from subsidies.audit import audit_chain_verify


class Command(BaseCommand):
    help = "Check the hash chain of the public-money audit log; name the first broken entry."

    def handle(self, *args, **options):
        checked, broken = audit_chain_verify()
        if broken is not None:
            raise CommandError(
                f"Audit log broken at entry {broken.sequence}: {broken.problem} "
                f"({checked} entries before it are intact)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {checked} entries checked."))
