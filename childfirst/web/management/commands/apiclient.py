"""`childfirst apiclient`: the systems that call the JSON API with a bearer token.

    childfirst apiclient create NAME --scope intake|partner [--agency CODE]
    childfirst apiclient list
    childfirst apiclient revoke NAME

`create` prints the token, and nothing else, as the last line on standard output, so scripts can
read it; everything meant for people goes to standard error. Keep that interface stable.
"""

from django.core.management.base import BaseCommand, CommandError

from childfirst import dates
from childfirst.accounts.models import ApiScope
from childfirst.accounts.services import (
    AccountError,
    create_api_client,
    list_api_clients,
    revoke_api_client,
)
from childfirst.directory.services import agency_by_code


class Command(BaseCommand):
    help = "Create, list and revoke API clients"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        create = actions.add_parser("create", help="Create a client and print its token once")
        create.add_argument("name", metavar="NAME", help="A name people will recognise")
        create.add_argument(
            "--scope",
            required=True,
            choices=ApiScope.values,
            help="intake: police records systems send incidents; "
            "partner: a partner's case system reads its agency's referrals",
        )
        create.add_argument(
            "--agency", default="", metavar="CODE", help="Partner clients only: the agency's code"
        )
        actions.add_parser("list", help="List every client")
        revoke = actions.add_parser("revoke", help="Stop a client's token working")
        revoke.add_argument("name", metavar="NAME")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"handle_{action}")(**options)
        except AccountError as error:
            raise CommandError(str(error)) from error

    def handle_create(self, *, name, scope, agency, **options):
        found_agency = None
        if scope == ApiScope.PARTNER:
            if not agency:
                raise CommandError(
                    "--agency: Give the code of the agency a partner client belongs to, "
                    "with --agency CODE"
                )
            found_agency = agency_by_code(agency)
            if found_agency is None:
                raise CommandError(f"--agency: There is no agency with the code {agency}")
        elif agency:
            raise CommandError("--agency: Intake clients do not belong to an agency; leave it out")
        new = create_api_client(name=name, scope=scope, agency=found_agency)
        for_agency = f" for {found_agency.name}" if found_agency else ""
        self.stderr.write(
            f"Created API client {new.client.name} ({scope}{for_agency}). Its token is below: "
            "copy it now, it will not be shown again."
        )
        self.stdout.write(new.token)

    def handle_list(self, **options):
        clients = list_api_clients()
        if not clients:
            self.stdout.write("There are no API clients.")
            return
        rows = [("Name", "Scope", "Agency", "Active", "Last used")]
        for client in clients:
            rows.append(
                (
                    client.name,
                    client.scope,
                    client.agency.code if client.agency else "",
                    "yes" if client.is_active else "no",
                    _when(client.last_used_at),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )

    def handle_revoke(self, *, name, **options):
        client = revoke_api_client(name=name)
        self.stdout.write(f"Revoked API client {client.name}: its token no longer works.")


def _when(moment) -> str:
    if moment is None:
        return "never"
    return dates.london_datetime(moment)
