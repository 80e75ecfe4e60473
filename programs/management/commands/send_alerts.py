"""Send what saved searches and deadline alerts are owed now: digests of changes, deadline
reminders, and retries of messages the mail server refused (programs/alerts/sending.py). Safe to
run as often as you like: a message is sent once. `--schedule` instead queues the task worker's
hourly run (`manage.py db_worker` then runs it every hour; queued once however often called)."""

from django.core.management.base import BaseCommand, CommandParser

from programs.alerts.schedule import schedule
from programs.alerts.sending import send_alerts


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the hourly run for the task worker instead of sending now.",
        )

    def handle(self, *args, **options) -> None:
        if options["schedule"]:
            queued = schedule()
            self.stdout.write("Queued the hourly run." if queued else "A run is already queued.")
            return
        report = send_alerts()
        self.stdout.write(
            f"{report.planned} message(s) due, {report.sent} sent, {report.failed} not sent "
            f"(tried again later), {report.forgotten} unconfirmed alert(s) deleted."
        )
