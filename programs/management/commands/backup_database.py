from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.catalogue.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole database (users, history, timestamps): pg_dump or SQLite's backup API."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="The backup file to write.")

    def handle(self, *args, **options) -> None:
        try:
            path = backup(options["path"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Backed up to {path} ({path.stat().st_size:,} bytes).")
        )
