"""Import reference data from the national files: local authorities, wards, postcodes, schools.

Each importer reads a CSV file in its publisher's own layout (or Child First's simpler one),
imports the good rows in batches of a few thousand, skips each bad row with a message naming
its line and column, and changes nothing when the same file is imported again. A file that
cannot be read, or that lacks a column the importer needs, raises ImportFileError before
anything is written.

Other apps may offer importers of their own: an app's `importers.py` maps each kind of file
to a function in IMPORTERS, and `childfirst import KIND FILE` finds them all.
"""

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from childfirst.directory.models import (
    Agency,
    AgencyKind,
    LocalAuthority,
    Postcode,
    School,
    SchoolStatus,
    Ward,
    gss_local_authority,
    gss_ward,
)
from childfirst.directory.services import normalise_postcode
from childfirst.words import count_of

BATCH_SIZE = 2000
# A report lists this many bad rows (and warnings) in full, and counts the rest.
LISTED_LIMIT = 1000


class ImportFileError(Exception):
    """The file as a whole cannot be imported: missing, unreadable, or without a needed column."""


@dataclass(frozen=True)
class RowProblem:
    line: int  # 1-based line in the file; the header is line 1
    column: str  # the column's name as the file spells it
    message: str

    def __str__(self):
        return f"Row {self.line}, column {self.column}: {self.message}"


@dataclass
class ImportReport:
    """What an import did. `bad_rows` lists the first LISTED_LIMIT rows that were not imported."""

    noun: str  # "school"
    nouns: str  # "schools"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows left out on purpose, not errors (a terminated postcode)
    skipped_because: Counter = field(default_factory=Counter)  # (singular, plural) -> count
    bad_rows: list[RowProblem] = field(default_factory=list)
    bad_row_count: int = 0
    warnings: list[RowProblem] = field(default_factory=list)
    warning_count: int = 0
    rows_read: int = 0

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    def add_bad_row(self, problem: RowProblem):
        self.bad_row_count += 1
        if len(self.bad_rows) < LISTED_LIMIT:
            self.bad_rows.append(problem)

    def add_warning(self, problem: RowProblem):
        self.warning_count += 1
        if len(self.warnings) < LISTED_LIMIT:
            self.warnings.append(problem)

    def skip(self, reason: tuple[str, str]):
        self.skipped += 1
        self.skipped_because[reason] += 1

    def summary(self) -> list[str]:
        """The report in plain English, one line per entry."""
        lines = [
            f"Imported {count_of(self.imported, self.noun, self.nouns)}: {self.created:,} new, "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged."
        ]
        for (singular, plural), number in self.skipped_because.items():
            lines.append(f"Left out {count_of(number, singular, plural)}.")
        if self.bad_row_count:
            lines.append(f"{count_of(self.bad_row_count, 'row', 'rows')} skipped:")
            lines += [str(problem) for problem in self.bad_rows]
            if self.bad_row_count > len(self.bad_rows):
                lines.append(f"and {self.bad_row_count - len(self.bad_rows):,} more.")
        if self.warning_count:
            lines.append(f"{count_of(self.warning_count, 'warning', 'warnings')}:")
            lines += [str(problem) for problem in self.warnings]
            if self.warning_count > len(self.warnings):
                lines.append(f"and {self.warning_count - len(self.warnings):,} more.")
        return lines


@dataclass(frozen=True)
class Progress:
    rows: int
    bytes_read: int
    total_bytes: int


ProgressCallback = Callable[[Progress], None]


# Reading files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column a layout reads, found by the first of `patterns` that a header matches.

    Patterns are regular expressions matched against the whole header, ignoring case; when
    several headers match one pattern (LAD23CD and LAD24CD) the latest year wins.
    """

    key: str
    label: str  # how an error names it when it is missing
    patterns: tuple[str, ...]
    required: bool = True


@dataclass(frozen=True)
class Layout:
    name: str
    columns: tuple[Column, ...]

    def describe(self) -> str:
        return f"{self.name} ({', '.join(c.label for c in self.columns if c.required)})"


def _col(key, *patterns, label=None, required=True) -> Column:
    return Column(key, label or patterns[0], patterns, required)


class RowError(Exception):
    """A row cannot be imported; `key` is the layout's column key."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key
        self.message = message


class Skip(Exception):
    """Not an error: the row is left out on purpose (a terminated postcode)."""

    def __init__(self, reason: tuple[str, str]):
        super().__init__(reason[1])
        self.reason = reason


class Row:
    """One data row, read by the layout's column keys."""

    __slots__ = ("_columns", "_values", "line", "warnings")

    def __init__(self, line: int, values: list[str], columns: dict[str, tuple[int, str]]):
        self.line = line
        self._values = values
        self._columns = columns
        self.warnings: list[tuple[str, str]] = []

    def has(self, key: str) -> bool:
        return key in self._columns

    def get(self, key: str) -> str:
        found = self._columns.get(key)
        if found is None or found[0] >= len(self._values):
            return ""
        return self._values[found[0]].strip()

    def header(self, key: str) -> str:
        return self._columns[key][1]

    def warn(self, key: str, message: str):
        self.warnings.append((key, message))


def _match_layout(header: list[str], layouts: tuple[Layout, ...]):
    """The first layout whose required columns the header has, and where each column is."""
    names = [name.strip().lstrip("\ufeff") for name in header]
    best = None
    for layout in layouts:
        columns, missing = {}, []
        for column in layout.columns:
            found = _find_column(names, column)
            if found is not None:
                columns[column.key] = found
            elif column.required:
                missing.append(column.label)
        if not missing:
            return layout, columns
        if best is None or len(missing) < len(best[1]):
            best = (layout, missing)
    layout, missing = best
    plural = "column" if len(missing) == 1 else "columns"
    layouts_text = " or ".join(candidate.describe() for candidate in layouts)
    raise ImportFileError(
        f"The file is missing the {plural} {', '.join(missing)}, so nothing was imported. "
        f"The header row needs the columns of {layouts_text}."
    )


def _find_column(names: list[str], column: Column) -> tuple[int, str] | None:
    for pattern in column.patterns:
        regex = re.compile(pattern, re.IGNORECASE)
        matches = [(name, index) for index, name in enumerate(names) if regex.fullmatch(name)]
        if matches:
            name, index = max(matches)  # the latest year: LAD24CD over LAD23CD
            return index, name
    return None


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without a byte order mark), UTF-16 with its mark, else Windows-1252."""
    with path.open("rb") as handle:
        start = handle.read(4)
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        for encoding in ("utf-8-sig", "cp1252"):
            handle.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := handle.read(1 << 20):
                    if b"\x00" in chunk:
                        raise ImportFileError(
                            f"{path.name} is not a CSV file: it holds binary data. "
                            "Save it as CSV and try again."
                        )
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding
    raise ImportFileError(
        f"{path.name} is not text in UTF-8 or Windows-1252. Save it as CSV and try again."
    )


class _Table:
    """An open CSV file: its layout, where each column is, and its rows in batches."""

    def __init__(self, path, layouts: tuple[Layout, ...]):
        self.path = Path(path)
        self._binary = None
        try:
            if self.path.is_dir():
                raise ImportFileError(f"{self.path} is a folder, not a file.")
            self.total_bytes = self.path.stat().st_size
            encoding = _detect_encoding(self.path)
            self._binary = self.path.open("rb")
        except FileNotFoundError as error:
            raise ImportFileError(f"There is no file at {self.path}.") from error
        except PermissionError as error:
            raise ImportFileError(f"Cannot read {self.path}: permission denied.") from error
        except OSError as error:
            raise ImportFileError(f"Cannot read {self.path}: {error.strerror}.") from error
        try:
            self._text = io.TextIOWrapper(self._binary, encoding=encoding, newline="")
            self._reader = csv.reader(self._text)
            header = next((row for row in self._read() if any(v.strip() for v in row)), None)
            if header is None:
                raise ImportFileError(f"{self.path.name} is empty: it has no header row.")
            self.layout, self.columns = _match_layout(header, layouts)
        except BaseException:
            self.close()
            raise

    def _read(self) -> Iterator[list[str]]:
        while True:
            try:
                yield next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ImportFileError(
                    f"Line {self._reader.line_num} of {self.path.name} cannot be read as CSV "
                    f"({error}); the rows before it were imported."
                ) from error

    def batches(self, size: int) -> Iterator[list[Row]]:
        batch: list[Row] = []
        line = self._reader.line_num
        for values in self._read():
            start, line = line + 1, self._reader.line_num
            if not any(value.strip() for value in values):
                continue
            batch.append(Row(start, values, self.columns))
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    @property
    def bytes_read(self) -> int:
        return self._binary.tell()

    def close(self):
        if self._binary is not None:
            self._binary.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _run(
    *,
    path,
    layouts: tuple[Layout, ...],
    report: ImportReport,
    parse: Callable[[Row], tuple[object, dict]],
    save: Callable[[dict], None],
    key: str,
    progress: ProgressCallback | None,
    batch_size: int,
    unique_across_file: bool = True,
) -> ImportReport:
    """Read the file in batches: parse each row, report the bad ones, save the good ones.

    `parse` returns (key value, fields) or raises RowError or Skip. A key seen on an earlier row
    makes a bad row; for the largest files (postcodes) only rows in the same batch are compared.
    """
    with _Table(path, layouts) as table:
        first_seen: dict = {}
        for batch in table.batches(batch_size):
            records: dict = {}
            if not unique_across_file:
                first_seen = {}
            for row in batch:
                report.rows_read += 1
                try:
                    record_key, values = parse(row)
                    if record_key in first_seen:
                        raise RowError(
                            key,
                            f'"{row.get(key)}" is also on row {first_seen[record_key]}; '
                            "only the first is imported",
                        )
                except RowError as error:
                    report.add_bad_row(RowProblem(row.line, row.header(error.key), error.message))
                    continue
                except Skip as skip:
                    report.skip(skip.reason)
                    continue
                first_seen[record_key] = row.line
                records[record_key] = values
                for warning_key, message in row.warnings:
                    report.add_warning(RowProblem(row.line, row.header(warning_key), message))
            if records:
                save(records)
            if progress is not None:
                progress(Progress(report.rows_read, table.bytes_read, table.total_bytes))
    return report


def _upsert(*, model, key: str, records: dict, report: ImportReport):
    """Create the rows not yet stored and update those that differ, in one transaction."""
    fields = list(next(iter(records.values())))
    pk = model._meta.pk.attname
    wanted = list(dict.fromkeys([pk, key, *fields]))
    with transaction.atomic():
        existing = {
            row[key]: row
            for row in model.objects.filter(**{f"{key}__in": list(records)}).values(*wanted)
        }
        new, changed = [], []
        for code, values in records.items():
            current = existing.get(code)
            if current is None:
                new.append(model(**{key: code, **values}))
            elif any(current[name] != value for name, value in values.items()):
                changed.append(model(**{key: code, pk: current[pk], **values}))
            else:
                report.unchanged += 1
        model.objects.bulk_create(new)
        if changed:
            model.objects.bulk_update(changed, fields)
    report.created += len(new)
    report.updated += len(changed)


# Values -------------------------------------------------------------------------------------

NOT_GIVEN = {"", "not applicable", "not recorded", "not known", "unknown", "n/a", "na", "null"}


def _text(row: Row, key: str, *, max_length: int, what: str = "", required=False) -> str:
    value = " ".join(row.get(key).split())
    if required and not value:
        raise RowError(key, f"the {what} is missing")
    if len(value) > max_length:
        raise RowError(key, f'"{value[:30]}…" is longer than the {max_length} characters allowed')
    return value


def _code(row: Row, key: str, *, validator, what: str, example: str) -> str:
    value = row.get(key).upper()
    if not value:
        raise RowError(key, f"the {what} is missing")
    try:
        validator(value)
    except ValidationError as error:
        raise RowError(key, f'"{row.get(key)}" is not {what}, like {example}') from error
    return value


def _known(row: Row, key: str, known: dict, *, what: str, skip_unknown=None) -> int:
    """The id for a code Child First has. An unknown code is a bad row, or, with
    `skip_unknown`, a row left out on purpose (national files cover authorities a force does
    not load)."""
    value = row.get(key).upper()
    if not value:
        raise RowError(key, f"the {what} code is missing")
    if value not in known:
        if skip_unknown is not None and gss_local_authority_shape(value):
            raise Skip(skip_unknown)
        raise RowError(key, f'"{row.get(key)}" is not a {what} that Child First knows')
    return known[value]


def gss_local_authority_shape(value: str) -> bool:
    try:
        gss_local_authority(value)
    except ValidationError:
        return False
    return True


def _whole_number(row: Row, key: str, *, what: str) -> int | None:
    value = row.get(key)
    if value.lower() in NOT_GIVEN:
        return None
    if not value.isdigit() or int(value) > 99:
        raise RowError(key, f'"{value}" is not {what}: enter a whole number of years')
    return int(value)


def _date(row: Row, key: str) -> date | None:
    value = row.get(key)
    if value.lower() in NOT_GIVEN:
        return None
    for pattern in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise RowError(key, f'"{value}" is not a date like 01-09-2010')


def _postcode(row: Row, key: str, *, required: bool) -> str:
    value = row.get(key)
    if not value:
        if required:
            raise RowError(key, "the postcode is missing")
        return ""
    postcode = normalise_postcode(value)
    if postcode is None:
        raise RowError(key, f'"{value}" is not a UK postcode')
    return postcode


# Local authorities ---------------------------------------------------------------------------

LOCAL_AUTHORITY_LAYOUTS = (
    Layout(
        "Child First's layout",
        (
            _col("gss_code", "gss_code"),
            _col("name", "name"),
            _col("dfe_code", "dfe_code", required=False),
            _col("region", "region", required=False),
            _col("police_force", "police_force", required=False),
        ),
    ),
    Layout(
        "ONS's Local Authority Districts layout",
        (
            _col("gss_code", r"LAD\d\dCD", label="LADyyCD"),
            _col("name", r"LAD\d\dNM", label="LADyyNM"),
        ),
    ),
)
DFE_CODE = re.compile(r"^\d{3}$")


def import_local_authorities(
    *, path, progress: ProgressCallback | None = None, batch_size: int = BATCH_SIZE
) -> ImportReport:
    """Local authorities anywhere in the UK, from ONS's Local Authority Districts file
    (LADyyCD, LADyyNM) or Child First's layout (gss_code, name, dfe_code, region,
    police_force). Only the columns the file has are updated: an ONS file keeps the DfE codes."""

    def parse(row: Row):
        code = _code(
            row,
            "gss_code",
            validator=gss_local_authority,
            what="an ONS local authority code",
            example="E09000012",
        )
        values = {
            "name": _text(row, "name", max_length=120, what="local authority's name", required=True)
        }
        if row.has("dfe_code"):
            dfe_code = row.get("dfe_code")
            if dfe_code and not DFE_CODE.match(dfe_code):
                raise RowError(
                    "dfe_code", f'"{dfe_code}" is not a DfE code: it has three digits, like 204'
                )
            values["dfe_code"] = dfe_code
        if row.has("region"):
            values["region"] = _text(row, "region", max_length=60)
        if row.has("police_force"):
            values["police_force"] = _text(row, "police_force", max_length=120)
        return code, values

    report = ImportReport(noun="local authority", nouns="local authorities")
    return _run(
        path=path,
        layouts=LOCAL_AUTHORITY_LAYOUTS,
        report=report,
        parse=parse,
        save=lambda records: _upsert(
            model=LocalAuthority, key="gss_code", records=records, report=report
        ),
        key="gss_code",
        progress=progress,
        batch_size=batch_size,
    )


# Wards ---------------------------------------------------------------------------------------

WARD_LAYOUTS = (
    Layout(
        "ONS's Ward to Local Authority District lookup",
        (
            _col("gss_code", r"WD\d\dCD", label="WDyyCD"),
            _col("name", r"WD\d\dNM", label="WDyyNM"),
            _col("local_authority", r"LAD\d\dCD", label="LADyyCD"),
        ),
    ),
    Layout(
        "Child First's layout",
        (
            _col("gss_code", "gss_code"),
            _col("name", "name"),
            _col("local_authority", "local_authority_code"),
        ),
    ),
)


WARD_ELSEWHERE = (
    "ward in a local authority Child First does not have",
    "wards in local authorities Child First does not have",
)


def import_wards(
    *, path, progress: ProgressCallback | None = None, batch_size: int = BATCH_SIZE
) -> ImportReport:
    """Electoral wards from ONS's Ward to Local Authority District lookup (WDyyCD, WDyyNM,
    LADyyCD) or Child First's layout (gss_code, name, local_authority_code). A ward in a local
    authority Child First does not have is left out and counted (the national file covers them
    all); a code that is not a local authority code at all is a bad row."""
    authorities = dict(LocalAuthority.objects.values_list("gss_code", "id"))

    def parse(row: Row):
        code = _code(
            row, "gss_code", validator=gss_ward, what="an ONS ward code", example="E05009367"
        )
        return code, {
            "name": _text(row, "name", max_length=120, what="ward's name", required=True),
            "local_authority_id": _known(
                row,
                "local_authority",
                authorities,
                what="local authority",
                skip_unknown=WARD_ELSEWHERE,
            ),
        }

    report = ImportReport(noun="ward", nouns="wards")
    return _run(
        path=path,
        layouts=WARD_LAYOUTS,
        report=report,
        parse=parse,
        save=lambda records: _upsert(model=Ward, key="gss_code", records=records, report=report),
        key="gss_code",
        progress=progress,
        batch_size=batch_size,
    )


# Postcodes -----------------------------------------------------------------------------------

POSTCODE_LAYOUTS = (
    Layout(
        "the ONS Postcode Directory (ONSPD)",
        (
            # The variable-length form first (E8 1DY), then the 7 and 8 character forms.
            _col("postcode", "pcds", "pcd", "pcd2", "pcd7", "pcd8", label="pcds"),
            _col("local_authority", "oslaua", r"lad\d\dcd", label="oslaua"),
            _col("ward", "osward", r"wd\d\dcd", label="osward", required=False),
            _col("terminated", "doterm", required=False),
        ),
    ),
    Layout(
        "Child First's layout",
        (
            _col("postcode", "postcode"),
            _col("local_authority", "local_authority_code"),
            _col("ward", "ward_code", required=False),
        ),
    ),
)
TERMINATED = ("terminated postcode", "terminated postcodes")
POSTCODE_ELSEWHERE = (
    "postcode in a local authority Child First does not have",
    "postcodes in local authorities Child First does not have",
)


def import_postcodes(
    *, path, progress: ProgressCallback | None = None, batch_size: int = BATCH_SIZE
) -> ImportReport:
    """Postcodes from the ONS Postcode Directory (pcds or pcd or pcd2, oslaua, osward, doterm;
    other columns ignored) or Child First's layout (postcode, local_authority_code, ward_code).
    Terminated postcodes, and postcodes in local authorities Child First does not have, are left
    out and counted; an unknown ward is a warning, and the postcode is stored without one."""
    authorities = dict(LocalAuthority.objects.values_list("gss_code", "id"))
    wards = dict(Ward.objects.values_list("gss_code", "id"))

    def parse(row: Row):
        if row.get("terminated"):
            raise Skip(TERMINATED)
        postcode = _postcode(row, "postcode", required=True)
        local_authority_id = _known(
            row,
            "local_authority",
            authorities,
            what="local authority",
            skip_unknown=POSTCODE_ELSEWHERE,
        )
        ward_code = row.get("ward").upper()
        ward_id = wards.get(ward_code)
        if ward_code and ward_id is None:
            row.warn(
                "ward",
                f'"{row.get("ward")}" is not a ward that Child First knows, so {postcode} '
                "was stored without a ward",
            )
        return postcode, {"local_authority_id": local_authority_id, "ward_id": ward_id}

    report = ImportReport(noun="postcode", nouns="postcodes")
    return _run(
        path=path,
        layouts=POSTCODE_LAYOUTS,
        report=report,
        parse=parse,
        save=lambda records: _upsert(
            model=Postcode, key="postcode", records=records, report=report
        ),
        key="postcode",
        progress=progress,
        batch_size=batch_size,
        # The directory has 2.7 million rows: remembering every postcode would cost too much.
        unique_across_file=False,
    )


# Schools -------------------------------------------------------------------------------------

SCHOOL_LAYOUTS = (
    Layout(
        "Get Information About Schools' all establishment data",
        (
            _col("urn", "URN"),
            _col("name", "EstablishmentName"),
            _col("status", r"EstablishmentStatus \(name\)", label="EstablishmentStatus (name)"),
            _col("la_code", r"LA \(code\)", label="LA (code)"),
            _col("district_code", r"DistrictAdministrative \(code\)", required=False),
            _col("ward", r"AdministrativeWard \(code\)", required=False),
            _col("kind", r"TypeOfEstablishment \(name\)", required=False),
            _col("phase", r"PhaseOfEducation \(name\)", required=False),
            _col("low_age", "StatutoryLowAge", required=False),
            _col("high_age", "StatutoryHighAge", required=False),
            _col("opened_on", "OpenDate", required=False),
            _col("closed_on", "CloseDate", required=False),
            _col("street", "Street", required=False),
            _col("locality", "Locality", required=False),
            _col("address3", "Address3", required=False),
            _col("town", "Town", required=False),
            _col("postcode", "Postcode", required=False),
            _col("website", "SchoolWebsite", required=False),
            _col("telephone", "TelephoneNum", required=False),
        ),
    ),
)
SCHOOL_STATUSES = {status.label.lower(): status.value for status in SchoolStatus}
OPEN_STATUSES = {SchoolStatus.OPEN, SchoolStatus.OPEN_PROPOSED_TO_CLOSE}
NOT_HERE = (
    "school in a local authority Child First does not have",
    "schools in local authorities Child First does not have",
)
# What an import writes to a school; never the DSL's details, the school day or the agency.
SCHOOL_FIELDS = [
    "name",
    "local_authority_id",
    "ward_id",
    "status",
    "kind",
    "phase",
    "low_age",
    "high_age",
    "street",
    "locality",
    "town",
    "postcode",
    "telephone",
    "website",
    "opened_on",
    "closed_on",
]


def import_schools(
    *, path, progress: ProgressCallback | None = None, batch_size: int = BATCH_SIZE
) -> ImportReport:
    """Schools from Get Information About Schools' "all establishment data" CSV as published
    (Windows-1252 or UTF-8), matched by URN. A school's local authority is found by
    DistrictAdministrative (code), then by LA (code) against the DfE code; schools elsewhere are
    left out. Each open school gets an agency of kind school (code school-URN), kept in step."""
    by_gss = dict(LocalAuthority.objects.values_list("gss_code", "id"))
    by_dfe = dict(LocalAuthority.objects.exclude(dfe_code="").values_list("dfe_code", "id"))
    wards = dict(Ward.objects.values_list("gss_code", "id"))

    def parse(row: Row):
        local_authority_id = by_gss.get(row.get("district_code").upper()) or by_dfe.get(
            row.get("la_code")
        )
        if local_authority_id is None:
            raise Skip(NOT_HERE)
        urn = row.get("urn")
        if not urn:
            raise RowError("urn", "the URN is missing")
        if not urn.isdigit() or not 0 < int(urn) < 2**31:
            raise RowError("urn", f'"{urn}" is not a URN: a URN is a whole number, like 100000')
        status = SCHOOL_STATUSES.get(" ".join(row.get("status").lower().split()))
        if status is None:
            raise RowError(
                "status",
                f'"{row.get("status")}" is not a status: use Open, Closed, '
                "Open, but proposed to close, or Proposed to open",
            )
        locality = ", ".join(v for v in (row.get("locality"), row.get("address3")) if v)
        values = {
            "name": _text(row, "name", max_length=200, what="school's name", required=True),
            "local_authority_id": local_authority_id,
            "ward_id": wards.get(row.get("ward").upper()),
            "status": status,
            "kind": _text(row, "kind", max_length=120),
            "phase": _text(row, "phase", max_length=60),
            "low_age": _whole_number(row, "low_age", what="an age"),
            "high_age": _whole_number(row, "high_age", what="an age"),
            "street": _text(row, "street", max_length=200),
            "locality": locality,
            "town": _text(row, "town", max_length=100),
            "postcode": _postcode(row, "postcode", required=False),
            "telephone": _text(row, "telephone", max_length=30),
            "website": _text(row, "website", max_length=300),
            "opened_on": _date(row, "opened_on"),
            "closed_on": _date(row, "closed_on"),
        }
        if len(locality) > 200:
            raise RowError(
                "locality" if row.has("locality") else "address3",
                "the Locality and Address3 together are longer than the 200 characters allowed",
            )
        return int(urn), values

    report = ImportReport(noun="school", nouns="schools")
    return _run(
        path=path,
        layouts=SCHOOL_LAYOUTS,
        report=report,
        parse=parse,
        save=lambda records: _save_schools(records=records, report=report),
        key="urn",
        progress=progress,
        batch_size=batch_size,
    )


def _save_schools(*, records: dict[int, dict], report: ImportReport):
    """Upsert one batch of schools and keep each one's own agency (school-URN) in step."""
    now = timezone.now()
    with transaction.atomic():
        existing = School.objects.in_bulk(list(records), field_name="urn")
        agencies = Agency.objects.in_bulk([f"school-{urn}" for urn in records], field_name="code")
        new_schools, changed_schools, linked_schools = [], [], []
        new_agencies, changed_agencies = [], []
        for urn, values in records.items():
            school = existing.get(urn)
            if school is None:
                school = School(urn=urn, **values)
                new_schools.append(school)
                was_open = None
            else:
                was_open = school.is_open
                if any(getattr(school, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(school, name, value)
                    school.updated_at = now
                    changed_schools.append(school)

            is_open = values["status"] in OPEN_STATUSES
            agency = agencies.get(f"school-{urn}")
            if school.agency_id is None and is_open:
                if agency is None:
                    agency = Agency(
                        code=f"school-{urn}",
                        name=values["name"],
                        kind=AgencyKind.SCHOOL,
                        local_authority_id=values["local_authority_id"],
                    )
                    new_agencies.append(agency)
                school.agency = agency
                if school.pk is not None:
                    linked_schools.append(school)
            elif agency is not None and school.agency_id == agency.pk:
                wanted = {
                    "name": values["name"],
                    "local_authority_id": values["local_authority_id"],
                    # Only a move between open and closed changes it, so an administrator's
                    # choice for a school that stays open (or closed) is kept.
                    "is_active": is_open if was_open != is_open else agency.is_active,
                }
                if any(getattr(agency, name) != value for name, value in wanted.items()):
                    for name, value in wanted.items():
                        setattr(agency, name, value)
                    changed_agencies.append(agency)

        # Agencies first, so that new schools and new links can point at them.
        Agency.objects.bulk_create(new_agencies)
        if changed_agencies:
            Agency.objects.bulk_update(changed_agencies, ["name", "local_authority", "is_active"])
        School.objects.bulk_create(new_schools)
        if changed_schools:
            School.objects.bulk_update(changed_schools, [*SCHOOL_FIELDS, "updated_at"])
        if linked_schools:
            School.objects.bulk_update(linked_schools, ["agency"])
    updated = {school.urn for school in [*changed_schools, *linked_schools]}
    report.created += len(new_schools)
    report.updated += len(updated)
    report.unchanged += len(records) - len(new_schools) - len(updated)


IMPORTERS = {
    "local-authorities": import_local_authorities,
    "wards": import_wards,
    "postcodes": import_postcodes,
    "schools": import_schools,
}
