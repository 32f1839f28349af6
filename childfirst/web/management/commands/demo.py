"""`childfirst demo`: synthetic agencies, schools and users for trying Child First locally.

    childfirst demo                 create the demo data (once) and print the sign-in details
    childfirst demo --if-empty      the same, unless demo users exist: then only print details
    childfirst demo --show-users    only print the sign-in details
    childfirst demo --code EMAIL    print a demo user's current authenticator code

The work is a list of steps run in one transaction; add a step (and its option) to make more
demo data, such as incidents.
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from childfirst.accounts import demo as demo_accounts
from childfirst.accounts.services import AccountError
from childfirst.audit.services import SYSTEM
from childfirst.directory import demo as demo_directory
from childfirst.directory.services import agency_by_code, known_postcodes, open_school_urns
from childfirst.incidents import services as intake
from childfirst.people import synthetic
from childfirst.timescales import demo as demo_timescales

ADDRESS = "http://127.0.0.1:8000"
PARTNER_AGENCY_CODE = "mash-hackney"
CODE_HINT = "Or get the current code with: .venv/bin/childfirst demo --code EMAIL"


@dataclass(frozen=True)
class Step:
    """One part of the demo data. `run` gets the options and a shared context, and returns a
    line saying what it did."""

    name: str
    run: Callable[[dict, dict], str]


def make_directory(options: dict, context: dict) -> str:
    counts = demo_directory.create_demo_directory()
    context["directory"] = counts
    made = ", ".join(f"{number} {kind.replace('_', ' ')}" for kind, number in counts.items())
    return f"Directory: created {made}"


def make_term_dates(options: dict, context: dict) -> str:
    created = demo_timescales.create_demo_term_dates()
    return f"Term calendars: {created} term dates for 2026 to 2027 in the London boroughs"


def make_users(options: dict, context: dict) -> str:
    partner_agency = agency_by_code(PARTNER_AGENCY_CODE)
    accounts = demo_accounts.create_demo_users(partner_agency=partner_agency)
    context["accounts"] = accounts
    return f"Users: {len(accounts)} demo users ready"


INCIDENT_BATCH = 500
DEMO_SEED = 2026


def make_incidents(options: dict, context: dict) -> str:
    """Synthetic incidents over the past year, stored through intake like any other. The truth
    (which records are the same person) is kept aside in var/demo-truth.csv, so identity
    resolution can be measured against it."""
    wanted = options.get("incidents") or 0
    if not wanted:
        return "Incidents: none asked for (add --incidents N)"
    today = timezone.localdate()
    common = {
        "start": today - timedelta(days=365),
        "end": today,
        "school_urns": open_school_urns() or None,
        "postcodes": known_postcodes(),
    }
    payloads = list(synthetic.incidents(wanted, seed=DEMO_SEED, **common))
    # And some more in the demo partner's borough, so its MASH has referrals to work.
    partner = agency_by_code(PARTNER_AGENCY_CODE)
    if partner is not None and partner.local_authority is not None:
        borough = [partner.local_authority.gss_code]
        for payload in synthetic.incidents(
            max(20, wanted // 10), seed=DEMO_SEED + 1, boroughs=borough, **common
        ):
            payload["source_reference"] += "-B"  # the second run counts its references from 1
            payloads.append(payload)
    stored = refused = 0
    truth = []
    batch = []
    for payload in payloads:
        try:
            batch.append(intake.parse_incident(payload))
        except intake.InvalidIncident:
            refused += 1  # the generator makes a few impossible records, as real systems do
            continue
        truth += [
            (
                payload["source_system"],
                payload["source_reference"],
                person["ref"],
                person["_entity_id"],
            )
            for person in payload["people"]
        ]
        if len(batch) == INCIDENT_BATCH:
            stored += _store_batch(batch)
            batch = []
    stored += _store_batch(batch)
    _write_truth(truth)
    return f"Incidents: {stored:,} new synthetic incidents stored" + (
        f", {refused:,} refused by intake's checks (the generator makes a few impossible "
        "records on purpose, as real systems do)"
        if refused
        else ""
    )


def _store_batch(batch) -> int:
    if not batch:
        return 0
    outcomes = intake.store_incidents(incidents=batch, received_from=SYSTEM)
    return sum(1 for outcome in outcomes if outcome.created)


def _write_truth(rows):
    path = Path(settings.VAR_DIR) / "demo-truth.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source_system", "source_reference", "person_ref", "entity_id"])
        writer.writerows(rows)


DEMO_REFERRALS = 12


def make_referrals(options: dict, context: dict) -> str:
    """A few decisions already made and sent, so the partner portal's demo user (Hackney's
    MASH) has referrals to acknowledge: notices in Hackney referred to the MASH by the demo desk
    researcher (red ones approved by the demo supervisor), through the desk and dispatch
    services like any other."""
    from django.test import override_settings

    from childfirst.accounts.models import Role, User
    from childfirst.desk.models import DeskItem, ItemState
    from childfirst.desk.services import DecisionRequest, approve, decide
    from childfirst.dispatch.services import deliver_all_due, send_referral
    from childfirst.incidents.models import Notice
    from childfirst.screening.services import current_screenings

    mash = agency_by_code(PARTNER_AGENCY_CODE)
    researcher = User.objects.filter(email=demo_accounts.demo_email(Role.DESK_RESEARCHER)).first()
    supervisor = User.objects.filter(email=demo_accounts.demo_email(Role.DESK_SUPERVISOR)).first()
    if mash is None or researcher is None or supervisor is None:
        return "Referrals: none (no demo MASH or researcher)"
    items = list(
        DeskItem.objects.filter(
            state=ItemState.OPEN,
            local_authority_id=mash.local_authority_id,
            grade__in=["red", "amber", "green"],
        ).order_by("occurred_at")[:DEMO_REFERRALS]
    )
    sent = 0
    for item in items:
        notice = Notice.objects.select_related("incident", "involvement", "person").get(
            pk=item.notice_id
        )
        screening = current_screenings(notice_ids=[notice.pk]).get(notice.pk)
        referral = decide(
            notice=notice,
            by=researcher,
            request_=DecisionRequest(
                decision="refer",
                text=_demo_referral_text(notice, screening),
                reason="Sent to the borough's children's social care front door only: the "
                "family is known to them",
                agency_ids=(mash.pk,),
                seen_screening_id=screening.pk if screening else None,
            ),
        )
        if referral.needs_approval:
            referral = approve(referral=referral, by=supervisor, comment="Demo: approved")
        why = f"{screening.get_grade_display()} screening" if screening else "Desk review"
        reasons = [rule["reason"] for rule in (screening.rules_fired if screening else [])]
        if reasons:
            why += f": {reasons[0]}"
        sent += len(send_referral(referral=referral, by=researcher, reason=why[:500]))
    # The alerts go nowhere: the demo agencies' addresses are made up (and the console backend
    # would print a dozen emails into make run's output).
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        deliver_all_due(now=timezone.now())
    return f"Referrals: {sent} sent to {mash.name} for the partner portal's demo user"


# What the child's part in the incident was, as a researcher would write it.
ROLE_WORDS = {
    "victim": "was a victim",
    "suspect": "was a suspect",
    "witness": "was a witness",
    "present": "was there",
    "child_in_household": "lives in the household and was not there",
    "parent_or_carer": "was there as a parent or carer",
    "reporting_person": "reported it",
    "missing_person": "was reported missing",
    "person_searched": "was searched",
    "arrested_person": "was arrested",
}


def _demo_referral_text(notice, screening) -> str:
    """What a researcher might write about this child: who, what happened, why it matters."""
    from childfirst.dates import london_date

    name = notice.person.given_name or "The child"
    age = f" ({notice.age_at_incident})" if notice.age_at_incident is not None else ""
    incident = notice.incident
    text = (
        f"{name}{age} {ROLE_WORDS.get(notice.role, 'came to police notice')}. The incident: "
        f"{incident.get_kind_display().lower()}, {london_date(incident.occurred_at)}."
    )
    for rule in (screening.rules_fired if screening else [])[:2]:
        text += f" {rule['reason'].rstrip('.')}."
    return text + f" Please consider whether {name} and the family need support."


STEPS = [
    Step("directory", make_directory),
    Step("term dates", make_term_dates),
    Step("users", make_users),
    Step("incidents", make_incidents),
    Step("referrals", make_referrals),
]


class Command(BaseCommand):
    help = "Create demo agencies, schools and users, and print how to sign in"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only print the sign-in details if demo users already exist",
        )
        parser.add_argument(
            "--show-users", action="store_true", help="Only print the sign-in details"
        )
        parser.add_argument(
            "--code", metavar="EMAIL", help="Print the current 6-digit code for a demo user"
        )
        parser.add_argument(
            "--incidents",
            type=int,
            default=0,
            metavar="N",
            help="Also make N synthetic incidents over the past year (the same N gives the same "
            "incidents, so running it again adds none)",
        )

    def steps(self, options: dict) -> list[Step]:
        """The steps to run for these options."""
        return list(STEPS)

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data cannot be used in production")
        try:
            if options["code"]:
                self.stdout.write(demo_accounts.current_demo_code(options["code"]))
                return
            if options["show_users"] or (options["if_empty"] and demo_accounts.demo_users_exist()):
                self.print_sign_in_details()
                return
            context: dict = {}
            with transaction.atomic():
                for step in self.steps(options):
                    self.stdout.write(step.run(options, context))
        except (AccountError, demo_directory.DemoNotAllowed) as error:
            raise CommandError(str(error)) from error
        self.print_sign_in_details()

    def print_sign_in_details(self):
        accounts = demo_accounts.demo_accounts()
        if not accounts:
            self.stdout.write(
                "There are no demo users yet. Create them with: .venv/bin/childfirst demo"
            )
            return
        write = self.stdout.write
        write("")
        write(f"Sign in to Child First at {ADDRESS}")
        write("These demo accounts are synthetic. Never put real information into them.")
        for account in accounts:
            user = account.user
            role = user.get_role_display()
            if user.agency_id:
                role = f"{role}, {user.agency.name}"
            write("")
            write(role)
            write(f"  Email:                {user.email}")
            write(f"  Password:             {account.password}")
            write(f"  Authenticator secret: {account.totp_secret or 'none: run childfirst demo'}")
        write("")
        write("Type the authenticator secret into an authenticator app (as a key, time-based).")
        write(CODE_HINT)
