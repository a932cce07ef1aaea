from django.core.management.base import BaseCommand, CommandError

from ssb_portal.audit_chain.verify import HeadsFileError, audit_chain_verify, read_heads_file


class Command(BaseCommand):
    help = (
        "Check the audit chain: every link, every entry's key, and every published head (and "
        "those of --heads FILE); name the first break and exit non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--heads",
            action="append",
            default=[],
            metavar="FILE",
            help="a CSV (sequence,hash) or JSON copy of published heads kept outside",
        )

    def handle(self, *args, **options):
        extra = []
        for path in options["heads"]:
            try:
                extra += read_heads_file(path)
            except (OSError, HeadsFileError, ValueError) as error:
                raise CommandError(f"Cannot read heads from {path}: {error}") from error
        checked, broken = audit_chain_verify(extra_heads=extra)
        if broken is not None:
            raise CommandError(
                f"Audit log broken at entry {broken.sequence}: {broken.problem} "
                f"({checked} entries before it are intact)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log intact: {checked} entries checked"
                + (f", {len(extra)} heads from outside agree." if extra else ".")
            )
        )
