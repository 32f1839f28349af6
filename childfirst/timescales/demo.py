"""A believable 2026 to 2027 London term calendar for the demo boroughs.

London boroughs mostly follow the dates London Councils recommend; these are made up in that
shape (check a borough's own published dates before relying on them). Idempotent: a second run
creates nothing.
"""

from datetime import date

from childfirst.directory.importers import ImportReport
from childfirst.directory.models import LocalAuthority
from childfirst.timescales.calendars import clear_calendar_cache
from childfirst.timescales.importers import save_term_dates
from childfirst.timescales.models import TermDateKind

TERM, HOLIDAY, INSET = TermDateKind.TERM, TermDateKind.HOLIDAY, TermDateKind.INSET

LONDON_2026_27 = (
    (TERM, date(2026, 9, 1), date(2026, 12, 18), "Autumn term"),
    (INSET, date(2026, 9, 1), date(2026, 9, 1), "INSET day"),
    (HOLIDAY, date(2026, 10, 26), date(2026, 10, 30), "Autumn half term"),
    (HOLIDAY, date(2026, 12, 21), date(2027, 1, 1), "Christmas holiday"),
    (TERM, date(2027, 1, 4), date(2027, 3, 25), "Spring term"),
    (INSET, date(2027, 1, 4), date(2027, 1, 4), "INSET day"),
    (HOLIDAY, date(2027, 2, 15), date(2027, 2, 19), "Spring half term"),
    (HOLIDAY, date(2027, 3, 29), date(2027, 4, 9), "Easter holiday"),
    (TERM, date(2027, 4, 12), date(2027, 7, 21), "Summer term"),
    (HOLIDAY, date(2027, 5, 31), date(2027, 6, 4), "Summer half term"),
)


def create_demo_term_dates() -> int:
    """The calendar above for every London borough Child First has; returns how many term
    dates were created."""
    authorities = LocalAuthority.objects.filter(gss_code__startswith="E09").values_list(
        "pk", flat=True
    )
    records = {
        (authority, None, kind, start): {"end_date": end, "description": description}
        for authority in authorities
        for kind, start, end, description in LONDON_2026_27
    }
    report = ImportReport(noun="term date", nouns="term dates")
    if records:
        save_term_dates(records, report)
    clear_calendar_cache()
    return report.created
