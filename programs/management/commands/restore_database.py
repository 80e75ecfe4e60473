from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.catalogue.backups import BackupError, restore


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by backup_database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="The backup file to restore.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: everything stored now is replaced."
        )

    def handle(self, *args, **options) -> None:
        if not options["yes"]:
            raise CommandError("Restoring replaces everything stored now; add --yes to confirm.")
        try:
            restore(options["path"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {options['path']}."))
