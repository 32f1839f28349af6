"""`childfirst clocks`: check the clock rules and calendars, and keep clocks checked.

    childfirst clocks due RULE --start ISO_DATETIME [--local-authority GSS] [--school URN]
    childfirst clocks check        warn, breach and escalate the clocks due now, and say how many

`due` prints only the due time, as ISO 8601 with its offset in Europe/London
(2026-11-25T08:30:00+00:00), so scripts can read it: keep that stable. A start time without an
offset is read as Europe/London. A bad rule, time, GSS code or URN exits with code 2.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from childfirst.directory.services import local_authority_by_gss, school_by_urn
from childfirst.timescales import services
from childfirst.timescales.calendars import LONDON
from childfirst.timescales.rules import ClockRulesError, UnknownClockRule, clock_rules


def _fail(message: str):
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Work out when a clock is due, and check clocks for warnings and breaches"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        due = actions.add_parser("due", help="Print when a clock of RULE started at --start is due")
        due.add_argument("rule", metavar="RULE", help="A rule name from rules/clocks.yaml")
        due.add_argument(
            "--start",
            required=True,
            metavar="ISO_DATETIME",
            help="When the clock starts, like 2026-11-24T18:00:00+00:00 (no offset: London time)",
        )
        due.add_argument("--local-authority", default="", metavar="GSS")
        due.add_argument("--school", default="", metavar="URN")
        actions.add_parser("check", help="Warn, breach and escalate the clocks due now")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_due(self, *, rule, start, local_authority, school, **options):
        try:
            rules = clock_rules()
            rules.rule(rule)
        except (ClockRulesError, UnknownClockRule) as error:
            raise _fail(str(error)) from error
        moment = _parse_start(start)
        local_authority_id = school_id = None
        if local_authority:
            found = local_authority_by_gss(local_authority.strip().upper())
            if found is None:
                raise _fail(
                    f'"{local_authority}" is not a local authority GSS code Child First knows, '
                    "like E09000012"
                )
            local_authority_id = found.pk
        if school:
            found = school_by_urn(school.strip())
            if found is None:
                raise _fail(f'"{school}" is not the URN of a school Child First knows')
            school_id = found.pk
        due = services.due_at(
            rule=rule,
            start=moment,
            local_authority_id=local_authority_id,
            school_id=school_id,
        )
        self.stdout.write(due.astimezone(LONDON).isoformat())

    def handle_check(self, **options):
        result = services.check_clocks(now=timezone.now())
        self.stdout.write(f"{len(result.warned)} warned, {len(result.breached)} breached")


def _parse_start(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise _fail(
            f'--start "{value}" is not an ISO 8601 date and time, like 2026-11-24T18:00:00+00:00'
        ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return moment
