from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.catalogue.loading import FixtureError, Overwrite, load_directory
from programs.models import FixtureRecord


class Command(BaseCommand):
    help = (
        "Load the directory's fixtures (guides, vocabularies, destinations, guide content, "
        "organisations, programmes). Validates every record; all or nothing; safe to re-run: "
        "rows edited or deleted since the last load are kept and listed (exit status 1, or a "
        "warning with --keep-edits) unless --overwrite names them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--fixtures", type=Path, default=None, help="Folder holding the fixture files."
        )
        parser.add_argument(
            "--keep-edits",
            action="store_true",
            help="Keep rows edited or deleted since the last load, list them as a warning and "
            "exit 0 (what `make run` does on every start).",
        )
        parser.add_argument(
            "--overwrite",
            nargs="*",
            metavar="ROW",
            default=None,
            help="Replace the named rows (as listed in [brackets], e.g. "
            "programs.programme:some-slug) with the fixtures' values, creating deleted ones "
            "again. With no ROW: list every such row and ask before replacing them all.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="With a bare --overwrite: replace the rows it lists without asking.",
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
            overwrite = self.rows_to_overwrite(options)
            report = load_directory(
                options["fixtures"], overwrite=overwrite, dry_run=options["dry_run"]
            )
        except FixtureError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        kept = report.kept
        if kept and options["keep_edits"]:
            for row in kept:
                self.stderr.write(self.style.WARNING(f"Kept: {row}"))
            self.stderr.write(
                self.style.WARNING(
                    f"{len(kept)} rows were edited or deleted in this database since the fixtures "
                    "last wrote them and were kept as they are. To replace one with the fixtures' "
                    "values: manage.py load_directory --overwrite ROW (the name in brackets)."
                )
            )
        elif kept:
            for row in kept:
                self.stderr.write(str(row))
            raise CommandError(
                f"{report} The {len(kept)} rows above were edited or deleted since the fixtures "
                "last wrote them and were left as they are; review them, then re-run with "
                "--overwrite ROW (the name in brackets) to replace one with the fixtures' values, "
                "or --keep-edits to keep them all."
            )
        self.stdout.write(self.style.SUCCESS(str(report)))

    def rows_to_overwrite(self, options) -> Overwrite:
        """The rows named after --overwrite; a bare --overwrite lists every row it would replace
        and asks (unless --no-input), then replaces exactly those."""
        named = options["overwrite"]
        if named is None:
            return False
        if named:
            return frozenset(named)
        preview = load_directory(options["fixtures"], dry_run=True)
        if not preview.kept:
            return frozenset()
        self.stdout.write(
            f"--overwrite will replace these {len(preview.kept)} rows with the fixtures' values, "
            "discarding what was edited in this database (and creating deleted rows again):"
        )
        for row in preview.kept:
            self.stdout.write(f"  {row}")
        if options["interactive"] and not self.confirmed():
            raise CommandError("Nothing was replaced or loaded.")
        return frozenset(row.key for row in preview.kept)

    def confirmed(self) -> bool:
        try:
            answer = input("Replace them? Type 'yes' to continue, anything else to stop: ")
        except EOFError:
            return False
        return answer.strip().lower() == "yes"
