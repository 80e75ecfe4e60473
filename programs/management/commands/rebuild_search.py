from django.core.management.base import BaseCommand

from programs.listing.search_sync import rebuild_all


class Command(BaseCommand):
    help = (
        "Rewrite every programme's search document (after loaddata, raw SQL or bulk writes, "
        "which send no signals). Saves through the ORM keep it current by themselves."
    )

    def handle(self, *args, **options) -> None:
        count = rebuild_all()
        self.stdout.write(
            self.style.SUCCESS(f"Rewrote the search documents of {count} programmes.")
        )
