from django.core.management.base import BaseCommand, CommandError

from programs.catalogue.audit import audit_directory
from programs.core import clock


class Command(BaseCommand):
    help = (
        "Print the review queue (stale, past deadline, missing facts) and any record "
        "that fails validation; exit with status 1 when anything needs attention."
    )

    def handle(self, *args, **options) -> None:
        report = audit_directory(clock.today())
        self.stdout.write("\n".join(report.lines()))
        if report.needs_attention:
            raise CommandError("The directory needs attention (see above).", returncode=1)
        self.stdout.write(self.style.SUCCESS("Nothing needs attention."))
