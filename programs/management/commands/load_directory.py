from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.catalogue.loading import FixtureError, load_directory
from programs.models import FixtureRecord


class Command(BaseCommand):
    help = (
        "Load the directory's fixtures (guides, vocabularies, destinations, guide content, "
        "organisations, programmes). Validates every record; all or nothing; safe to re-run: "
        "rows edited since the last load are kept and listed as conflicts (exit status 1) "
        "unless --overwrite is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--fixtures", type=Path, default=None, help="Folder holding the fixture files."
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace rows edited since the last load with the fixtures' values.",
        )
        parser.add_argument(
            "--only-if-empty",
            action="store_true",
            help="Seed a new database: do nothing when the fixtures were ever loaded into it.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and count everything, list the conflicts, and save nothing.",
        )

    def handle(self, *args, **options) -> None:
        if options["only_if_empty"] and FixtureRecord.objects.exists():
            self.stdout.write("The directory was loaded before; nothing to do (--only-if-empty).")
            return
        try:
            report = load_directory(
                options["fixtures"], overwrite=options["overwrite"], dry_run=options["dry_run"]
            )
        except FixtureError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for conflict in report.conflicts:
            self.stderr.write(str(conflict))
        if report.conflicts:
            raise CommandError(
                f"{report} The {len(report.conflicts)} rows above were edited since the "
                "fixtures last wrote them and were left as they are; review them, then re-run "
                "with --overwrite to replace them with the fixtures' values."
            )
        self.stdout.write(self.style.SUCCESS(str(report)))
