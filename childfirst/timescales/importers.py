"""`childfirst import term-dates FILE`: local authorities' term calendars (docs/clocks.md).

One row per run of dates, both dates included:

    local_authority,school_urn,kind,start_date,end_date,description
    E09000012,,term,2026-09-02,2026-10-23,Autumn term (first half)
    E09000012,,holiday,2026-10-26,2026-10-30,Half term
    E09000012,,inset,2026-09-01,2026-09-01,INSET day
    E09000012,900001,closure,2027-02-12,2027-02-12,Polling station

kind is term, holiday (a half term inside a term), inset or closure; school_urn (optional)
makes the row that school's own; description is optional. A row is found again by its local
authority, school, kind and start date, so importing the same file twice changes nothing and a
corrected end date or description updates the row.
"""

from django.db import transaction

from childfirst.directory.importers import (
    BATCH_SIZE,
    ImportReport,
    Layout,
    ProgressCallback,
    Row,
    RowError,
    _col,
    _date,
    _known,
    _run,
    _text,
)
from childfirst.directory.models import LocalAuthority, School
from childfirst.timescales.calendars import clear_calendar_cache
from childfirst.timescales.models import TermDate, TermDateKind

TERM_DATE_LAYOUTS = (
    Layout(
        "Child First's term dates layout",
        (
            _col("local_authority", "local_authority", "local_authority_gss", "gss_code"),
            _col("school_urn", "school_urn", "urn", required=False),
            _col("kind", "kind"),
            _col("start_date", "start_date"),
            _col("end_date", "end_date"),
            _col("description", "description", required=False),
        ),
    ),
)
KINDS = {
    "term": TermDateKind.TERM,
    "holiday": TermDateKind.HOLIDAY,
    "half term": TermDateKind.HOLIDAY,
    "half_term": TermDateKind.HOLIDAY,
    "inset": TermDateKind.INSET,
    "inset day": TermDateKind.INSET,
    "closure": TermDateKind.CLOSURE,
}


def import_term_dates(
    *, path, progress: ProgressCallback | None = None, batch_size: int = BATCH_SIZE
) -> ImportReport:
    authorities = dict(LocalAuthority.objects.values_list("gss_code", "pk"))
    names = dict(LocalAuthority.objects.values_list("pk", "name"))
    schools = {
        urn: (pk, la)
        for urn, pk, la in School.objects.values_list("urn", "pk", "local_authority_id")
    }
    report = ImportReport(noun="term date", nouns="term dates")

    def parse(row: Row):
        local_authority_id = _known(row, "local_authority", authorities, what="local authority")
        school_id = _school(row, local_authority_id, names, schools)
        kind = KINDS.get(" ".join(row.get("kind").lower().replace("-", " ").split()))
        if kind is None:
            raise RowError(
                "kind", f'"{row.get("kind")}" is not one of term, holiday, inset or closure'
            )
        start = _date(row, "start_date")
        if start is None:
            raise RowError("start_date", "the start date is missing")
        end = _date(row, "end_date")
        if end is None:
            raise RowError("end_date", "the end date is missing")
        if end < start:
            raise RowError("end_date", f"{end:%d-%m-%Y} is before the start date")
        if (end - start).days > 200:
            raise RowError("end_date", "a term or holiday cannot last more than 200 days")
        description = _text(row, "description", max_length=120) if row.has("description") else ""
        key = (local_authority_id, school_id, kind, start)
        return key, {"end_date": end, "description": description}

    try:
        return _run(
            path=path,
            layouts=TERM_DATE_LAYOUTS,
            report=report,
            parse=parse,
            save=lambda records: save_term_dates(records, report),
            key="start_date",
            progress=progress,
            batch_size=batch_size,
        )
    finally:
        clear_calendar_cache()


def _school(row: Row, local_authority_id: int, names: dict, schools: dict) -> int | None:
    if not row.has("school_urn") or not row.get("school_urn"):
        return None
    value = row.get("school_urn")
    if not value.isdigit():
        raise RowError("school_urn", f'"{value}" is not a school URN, like 100000')
    found = schools.get(int(value))
    if found is None:
        raise RowError("school_urn", f"there is no school with URN {value} in Child First")
    if found[1] != local_authority_id:
        raise RowError(
            "school_urn",
            f"school {value} is not in {names.get(local_authority_id, 'that local authority')}",
        )
    return found[0]


def save_term_dates(records: dict, report: ImportReport) -> None:
    with transaction.atomic():
        existing = {}
        authorities = {key[0] for key in records}
        for term_date in TermDate.objects.filter(local_authority_id__in=authorities):
            existing[
                (
                    term_date.local_authority_id,
                    term_date.school_id,
                    term_date.kind,
                    term_date.start_date,
                )
            ] = term_date
        new, changed = [], []
        for (authority, school, kind, start), values in records.items():
            current = existing.get((authority, school, kind, start))
            if current is None:
                new.append(
                    TermDate(
                        local_authority_id=authority,
                        school_id=school,
                        kind=kind,
                        start_date=start,
                        **values,
                    )
                )
            elif any(getattr(current, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(current, name, value)
                changed.append(current)
            else:
                report.unchanged += 1
        TermDate.objects.bulk_create(new)
        if changed:
            TermDate.objects.bulk_update(changed, ["end_date", "description"])
    report.created += len(new)
    report.updated += len(changed)


IMPORTERS = {"term-dates": import_term_dates}
