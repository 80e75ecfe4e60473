"""Delete senders' addresses and contacts the directory no longer needs (run nightly by cron):
those of suggestions received more than 90 days ago, and of closed suggestions whose sender was
told or never confirmed (programs/suggestions/retention.py)."""

from django.core.management.base import BaseCommand

from programs.suggestions.retention import forget_old_addresses


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options) -> None:
        cleared = forget_old_addresses()
        self.stdout.write(f"Deleted the addresses of {cleared} suggestion(s).")
