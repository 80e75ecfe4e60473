import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from programs.catalogue.roles import ADVISER, EDITOR_IN_CHIEF, create_staff_user


class Command(BaseCommand):
    help = "Create a staff login in the Adviser group (or Editor-in-chief with --editor)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument(
            "--editor", action="store_true", help="Editor-in-chief: may delete records too."
        )
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="Read the password from this environment variable instead of prompting.",
        )

    def handle(self, *args, **options) -> None:
        if options["password_from_env"]:
            password = os.environ.get(options["password_from_env"], "")
        else:
            password = getpass.getpass("Password (at least 12 characters): ")
        role = EDITOR_IN_CHIEF if options["editor"] else ADVISER
        try:
            user = create_staff_user(options["username"], options["email"], password, role)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({role})."))
