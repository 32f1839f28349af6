"""`childfirst createuser`: add a user with a role, asking for their password twice."""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from childfirst.accounts.models import Role
from childfirst.accounts.services import AccountError, create_user
from childfirst.directory.services import agency_by_code

ROLES_HELP = "; ".join(f"{role.value} ({role.label})" for role in Role)


class Command(BaseCommand):
    help = "Create a user with a role. They set up their authenticator app when they first sign in."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The email address they sign in with")
        parser.add_argument("--name", required=True, help='Their full name, like "Jo Smith"')
        parser.add_argument(
            "--role",
            required=True,
            choices=Role.values,
            metavar="ROLE",
            help=f"One of: {ROLES_HELP}",
        )
        parser.add_argument(
            "--agency", default="", metavar="CODE", help="Partner users only: their agency's code"
        )
        parser.add_argument("--collar", default="", metavar="N", help="Police collar number")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input instead of asking",
        )

    def handle(self, *args, email, name, role, agency, collar, password_stdin, **options):
        found_agency = None
        if agency:
            found_agency = agency_by_code(agency)
            if found_agency is None:
                raise CommandError(f"agency: There is no agency with the code {agency}")
        if password_stdin:
            stdin = options.get("stdin") or sys.stdin
            password = stdin.readline().rstrip("\r\n")
        else:
            password = self.ask_for_password()
        if not password:
            raise CommandError("password: Enter a password")
        try:
            validate_password(password, user=get_user_model()(email=email, full_name=name))
        except ValidationError as error:
            raise CommandError(f"password: {' '.join(error.messages)}") from error
        try:
            user = create_user(
                email=email,
                full_name=name,
                role=role,
                password=password,
                agency=found_agency,
                collar_number=collar,
            )
        except AccountError as error:
            raise CommandError(str(error)) from error
        agency_text = f" at {user.agency.name}" if user.agency_id else ""
        self.stdout.write(
            f"Created {user.full_name} ({user.email}), {user.get_role_display()}{agency_text}. "
            "They will set up their authenticator app when they first sign in."
        )

    def ask_for_password(self) -> str:
        password = getpass.getpass("Password: ")
        again = getpass.getpass("Password (again): ")
        if password != again:
            raise CommandError("password: The passwords do not match")
        return password
