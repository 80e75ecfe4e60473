from pathlib import Path

from django.core.management.base import BaseCommand

from programs.catalogue.fixture_export import export_directory


class Command(BaseCommand):
    help = (
        "Write the directory as natural-key YAML fixtures (the files load_directory reads) "
        "into a folder, in a stable order."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path, help="Folder to write the fixture files into.")

    def handle(self, *args, **options) -> None:
        paths = export_directory(options["directory"])
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(paths)} files to {options['directory']}.")
        )
