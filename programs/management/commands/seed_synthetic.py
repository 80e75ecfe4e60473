from django.core.management.base import BaseCommand

from programs.synthetic import seed_synthetic


class Command(BaseCommand):
    help = (
        "Add N synthetic programmes for benchmarking (slugs 'synthetic-…', organisation "
        "'Synthetic data (benchmark only)'). Never run this on a real directory."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--programmes", type=int, required=True, help="How many to add.")
        parser.add_argument("--seed", type=int, default=5, help="Random seed (repeatable runs).")

    def handle(self, *args, **options) -> None:
        total = seed_synthetic(options["programmes"], options["seed"])
        self.stdout.write(self.style.SUCCESS(f"{total} synthetic programmes in the database."))
