from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.catalogue.loading import FixtureError, load_directory


class Command(BaseCommand):
    help = (
        "Load the directory's fixtures (guides, vocabularies, destinations, guide content, "
        "organisations, programmes). Validates every record; all or nothing; safe to re-run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--fixtures", type=Path, default=None, help="Folder holding the fixture files."
        )

    def handle(self, *args, **options) -> None:
        try:
            report = load_directory(options["fixtures"])
        except FixtureError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        self.stdout.write(self.style.SUCCESS(str(report)))
