"""`childfirst import incidents FILE`: incidents from a CSV or JSON Lines file (docs/intake.md).

Each row (a CSV row, or one JSON object per line) is checked like an API request. Good rows are
stored in batches, one transaction each; a bad row is left out and reported by its line and
field, and changes nothing. Intake is idempotent on (source system, source reference), so
importing a file again, or again after a crash part way, stores what is missing and skips what
is stored: no row is lost and none is stored twice.
"""

import codecs
import contextlib
import csv
import io
import json
import multiprocessing
import queue
import re
import sys
import threading
import traceback
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from django.db import DataError, IntegrityError

from childfirst.audit.services import SystemActor
from childfirst.bulk import COLLECT_EVERY_BATCHES, collect_young, without_gc
from childfirst.directory.importers import (
    LISTED_LIMIT,
    ImportFileError,
    ImportReport,
    Progress,
    ProgressCallback,
    RowProblem,
)
from childfirst.incidents.schemas import PersonIn, QuestionnaireIn
from childfirst.incidents.services import (
    InvalidIncident,
    ParsedIncident,
    StoreOutcome,
    parse_incident,
    store_incidents,
    stored_keys,
    worked_out_ahead,
)
from childfirst.people.matching import KeySets, record_from_parts, record_parts
from childfirst.people.services import rank_mentions_ahead
from childfirst.words import count_of

# Incidents stored in one transaction. Bigger batches cost fewer commits and round trips (2,000
# imports about a tenth faster than 500 on PostgreSQL: bench/intake.py); a crash loses at most
# one batch's work, which importing the file again stores.
BATCH_SIZE = 2000
JSON_LINES_SUFFIXES = {".jsonl", ".ndjson", ".json"}
# Files this big or bigger are checked in a second process (about 600 incidents).
PARALLEL_FROM_BYTES = 1 << 20
CHECK_CHUNK = 200
# With rows checked in a second process, the first batches are smaller (this many rows, then
# twice as many each time, up to BATCH_SIZE), so storing starts as soon as the checking process
# has a few chunks ready, rather than waiting for a whole batch.
FIRST_BATCH = 400

# The CSV layout: one incident per row; people and questionnaires as numbered column groups.
CSV_TOP = ("source_system", "source_reference", "kind", "occurred_at", "reported_at", "narrative")
CSV_NESTED = {
    "location_address": ("location", "address"),
    "location_postcode": ("location", "postcode"),
    "officer_name": ("officer", "name"),
    "officer_collar_number": ("officer", "collar_number"),
    "officer_email": ("officer", "email"),
}
CSV_REQUIRED = ("source_system", "source_reference", "kind", "occurred_at")
PERSON_FIELDS = tuple(PersonIn.model_fields)
QUESTIONNAIRE_FIELDS = tuple(QuestionnaireIn.model_fields)
GROUP_RE = re.compile(r"^(person|questionnaire)_(\d{1,3})_([a-z0-9_]+)$")
ANSWER_RE = re.compile(r"^\s*([A-Za-z0-9_]+)\s*[=:]\s*(.*?)\s*$")


@dataclass(frozen=True)
class LineProblem(RowProblem):
    """A bad row, named the way its file names things: "Row 7, column person_2_role" in a CSV
    file, "Line 7, field people[1].role" in a JSON Lines file."""

    unit: str = "Row"
    place: str = "column"

    def __str__(self):
        where = f"{self.unit} {self.line}"
        if self.column:
            where += f", {self.place} {self.column}"
        return f"{where}: {self.message}"


@dataclass
class IncidentImportReport(ImportReport):
    """An ImportReport that counts each bad row once however many fields it gets wrong, and
    the notices (children) the new incidents made."""

    notices: int = 0
    _listed: int = field(default=0, repr=False)

    def add_bad_row_problems(self, problems: list[RowProblem]):
        self.bad_row_count += 1
        for problem in problems:
            self._listed += 1
            if len(self.bad_rows) < LISTED_LIMIT:
                self.bad_rows.append(problem)

    def summary(self) -> list[str]:
        lines = [
            f"Imported {count_of(self.imported, self.noun, self.nouns)}: {self.created:,} new, "
            f"{self.unchanged:,} already stored.",
            f"{count_of(self.notices, 'child', 'children')} came to notice in the new "
            f"{self.nouns}.",
        ]
        if self.notices:
            lines.append("The worker screens them and puts them in the desk's queue.")
        if self.bad_row_count:
            lines.append(f"{count_of(self.bad_row_count, 'row', 'rows')} not imported:")
            lines += [str(problem) for problem in self.bad_rows]
            if self._listed > len(self.bad_rows):
                lines.append(f"and {self._listed - len(self.bad_rows):,} more problems.")
        return lines


@dataclass
class _Row:
    line: int
    payload: dict | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column or field, message)
    # CSV only: the payload's people[i] and questionnaires[i] -> their column group numbers.
    groups: dict = field(default_factory=dict)


def import_incidents(
    *,
    path,
    progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
    after_batch: Callable[[int], None] | None = None,
    check_in_parallel: bool | None = None,
) -> IncidentImportReport:
    """Import a file of incidents; see the module's description. `after_batch(n)` is called
    after the n-th batch is committed (tests use it to stand in for a crash).

    Rows are checked (read, validated, hashed) in a second process while this one stores the
    rows checked before, so a big file keeps both cores busy: `check_in_parallel` None means
    "for a file of PARALLEL_FROM_BYTES or more, on Linux"."""
    path = Path(path)
    reader = _open(path)
    if check_in_parallel is None:
        check_in_parallel = sys.platform == "linux" and reader.total_bytes >= PARALLEL_FROM_BYTES
    report = IncidentImportReport(noun="incident", nouns="incidents")
    actor = SystemActor(label=f"File import: {path.name}"[:200])
    batch: list[tuple[int, ParsedIncident]] = []
    batches = 0

    def score_next_batch():
        """While a batch is written: score the people of the rows checked for the next one
        against those known now (people.services.rank_mentions_ahead)."""
        room, prepared = _batch_limit(batch_size, batches + 1, True), []
        for checked, _ in chunks.ready():
            for _, _, parsed in checked:
                if parsed is not None and parsed.identities:
                    prepared += [(record, keys) for record, keys, _ in parsed.identities]
            room -= len(checked)
            if room <= 0:
                break
        if prepared:
            rank_mentions_ahead(prepared=prepared)

    def flush(position: int):
        nonlocal batches
        if not batch:
            return
        _store(batch, actor, report, reader, score_next_batch if wanted is not None else None)
        batch.clear()
        batches += 1
        if batches % COLLECT_EVERY_BATCHES == 0:
            collect_young()
        if progress is not None:
            progress(Progress(report.rows_read, position, reader.total_bytes))
        if after_batch is not None:
            after_batch(batches)

    # Cycles are collected every few batches, not after each (bulk.COLLECT_EVERY_BATCHES); the
    # checking process, forked within, does the same every few chunks.
    with without_gc():
        wanted = None  # shared with the checking process: whether rows are new, so worth preparing
        if check_in_parallel:
            wanted = multiprocessing.get_context("fork").Value("b", 1, lock=False)
            chunks = _checked_elsewhere(reader, lead=batch_size // CHECK_CHUNK, wanted=wanted)
        else:
            chunks = _checked_here(reader)
        past_stored = False
        try:
            for checked, position in chunks:
                if wanted is not None and not past_stored:
                    # Only new incidents need section hashes and identity records: while a file's
                    # rows turn out to be stored already (a file imported again after a crash), the
                    # checking process leaves them out. One indexed query a chunk until a chunk has
                    # new rows; the rest of the file is taken to be new (a file resumed after a
                    # crash has its stored rows first; any stored later cost only wasted work).
                    keys = {parsed.key for _, _, parsed in checked if parsed is not None}
                    wanted.value = past_stored = bool(keys - stored_keys(keys))
                for line, problems, parsed in checked:
                    report.rows_read += 1
                    if problems:
                        report.add_bad_row_problems([reader.problem(line, *p) for p in problems])
                        continue
                    batch.append((line, parsed))
                    if len(batch) >= _batch_limit(batch_size, batches, wanted is not None):
                        flush(position)
            flush(reader.total_bytes)
        finally:
            chunks.close()
            reader.close()
    return report


def _batch_limit(batch_size: int, batches_stored: int, in_parallel: bool) -> int:
    if not in_parallel:
        return batch_size
    return min(batch_size, FIRST_BATCH << min(batches_stored, 16))


def _store(batch, actor, report: IncidentImportReport, reader, while_writing=None):
    """One transaction for the batch; if the database refuses it, each row on its own, so one
    bad row cannot keep the others out."""
    try:
        outcomes = store_incidents(
            incidents=[parsed for _, parsed in batch],
            received_from=actor,
            bulk=True,
            while_writing=while_writing,
        )
    except (IntegrityError, DataError):
        outcomes = [_store_one(parsed, actor) for _, parsed in batch]
    for (line, _), outcome in zip(batch, outcomes, strict=True):
        if isinstance(outcome, Exception):
            message = f"The database refused it ({outcome}); nothing was stored"
            report.add_bad_row_problems([reader.problem(line, "", message)])
        elif outcome.conflict is not None:
            column = reader.column("source_reference", _Row(line))
            report.add_bad_row_problems([reader.problem(line, column, str(outcome.conflict))])
        elif outcome.created:
            report.created += 1
            report.notices += outcome.notices
        else:
            report.unchanged += 1


def _store_one(parsed: ParsedIncident, actor) -> StoreOutcome | Exception:
    for attempt in (1, 2):
        try:
            [outcome] = store_incidents(incidents=[parsed], received_from=actor, bulk=True)
            return outcome
        except IntegrityError as error:  # another writer stored it a moment ago: look again
            if attempt == 2:
                return error
        except DataError as error:
            return error
    raise AssertionError("unreachable")  # pragma: no cover


# Checking rows, here or in a second process ----------------------------------------------------

# A checked row: (line, [(column, message), ...], ParsedIncident or None). Rows go in chunks, each
# with how far into the file the reader had got.
Checked = tuple[int, list[tuple[str, str]], ParsedIncident | None]
Chunk = tuple[list[Checked], int]


def _check(reader, row: _Row) -> Checked:
    if row.problems:
        return (row.line, row.problems, None)
    try:
        parsed = parse_incident(row.payload)
    except InvalidIncident as error:
        return (row.line, [(reader.column(e.field, row), e.message) for e in error.errors], None)
    return (row.line, [], parsed)


class _Checked:
    """Checked chunks in file order, and a look at those already checked and not yet taken."""

    def __init__(self, chunks: Iterator[Chunk], ready=None, stop=None):
        self._chunks = chunks
        self._ready = ready
        self._stop = stop

    def __iter__(self):
        return self._chunks

    def ready(self) -> list[Chunk]:
        return self._ready() if self._ready is not None else []

    def close(self):
        self._chunks.close()
        if self._stop is not None:
            self._stop()


def _checked_here(reader) -> _Checked:
    def chunks():
        chunk = []
        for row in reader.rows():
            chunk.append(_check(reader, row))
            if len(chunk) >= CHECK_CHUNK:
                yield chunk, reader.bytes_read()
                chunk = []
        if chunk:
            yield chunk, reader.bytes_read()

    return _Checked(chunks())


def _checked_elsewhere(reader, *, lead: int, wanted) -> _Checked:
    """The same chunks as _checked_here, worked out by a forked child process and sent through a
    pipe as plain data (pickling pydantic models costs as much as checking them again).

    A thread here takes the chunks off the pipe as they come, so the child can work up to
    `lead` chunks ahead while this process stores a batch, and no further. The child only reads
    the file and checks rows: it never uses the database connection it was forked with, and it
    ends with os._exit (multiprocessing's way), so that connection is never closed from there.
    It works out the section hashes and the people's identity records too while
    `wanted.value` (shared memory) is true; storing works out any it did not.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    checker = context.Process(
        target=_run_checker,
        args=(reader, sender, receiver, wanted),
        name="childfirst-import-checker",
        daemon=True,
    )
    checker.start()
    sender.close()
    waiting: queue.Queue = queue.Queue(maxsize=max(lead, 1))

    def receive():
        try:
            while True:
                kind, value = receiver.recv()
                if kind == "rows":
                    rows, position = value
                    value = (
                        [
                            (line, problems, _unpacked(plain) if plain else None)
                            for line, problems, plain in rows
                        ],
                        position,
                    )
                waiting.put((kind, value))
                if kind != "rows":
                    return
        except (EOFError, OSError):
            waiting.put(("stopped", None))

    taker = threading.Thread(target=receive, name="childfirst-import-receiver", daemon=True)
    taker.start()

    def chunks():
        while True:
            kind, value = waiting.get()
            if kind == "done":
                return
            if kind == "stopped":
                raise RuntimeError("The process checking the file's rows stopped")
            if kind == "failed":
                raise RuntimeError(f"Checking the file's rows failed:\n{value}")
            yield value

    def ready() -> list[Chunk]:
        with waiting.mutex:
            return [value for kind, value in waiting.queue if kind == "rows"]

    stopped = False

    def stop():
        nonlocal stopped
        if stopped:
            return
        stopped = True
        if checker.is_alive():  # the import stopped early: the child's work is not wanted
            checker.terminate()
        checker.join()
        while taker.is_alive():  # let the thread's last put find room, then end
            with contextlib.suppress(queue.Empty):
                waiting.get(timeout=0.05)
        receiver.close()

    return _Checked(chunks(), ready, stop)


def _run_checker(reader, sender, receiver, wanted) -> None:
    # The child's copy of the pipe's other end is closed, so that if the importing process dies
    # the next send fails and the child ends, instead of waiting for a reader that is gone.
    receiver.close()
    try:
        for sent, (rows, position) in enumerate(_checked_here(reader), start=1):
            if sent % (COLLECT_EVERY_BATCHES * BATCH_SIZE // CHECK_CHUNK) == 0:
                collect_young()
            prepare = bool(wanted.value)
            plain = [
                (line, problems, _plain(parsed, prepare) if parsed else None)
                for line, problems, parsed in rows
            ]
            sender.send(("rows", (plain, position)))
        sender.send(("done", None))
    except BaseException:  # noqa: BLE001 - whatever it is, the importing process says it
        with contextlib.suppress(OSError):  # unless it is gone
            sender.send(("failed", traceback.format_exc()))
    finally:
        sender.close()


def _plain(parsed: ParsedIncident, prepare: bool) -> tuple:
    """ParsedIncident's fields as plain data to pickle; with `prepare`, the section hashes,
    identity records, ages and address keys that storing a new incident needs, worked out
    here."""
    if not prepare:
        return (parsed.canonical, parsed.payload_hash)
    identities, facts = worked_out_ahead(parsed)
    return (
        parsed.canonical,
        parsed.payload_hash,
        parsed.section_hashes,
        tuple((record_parts(record), mark, *_packed(keys)) for record, keys, mark in identities),
        facts,
    )


# A person's blocking key hashes go through the pipe as the bytes of one array of 64-bit
# integers: unpickled one by one, some 30 big integers a person cost this process about 0.1 s of
# its 0.35 s of unpickling in 10,000 incidents.


def _packed(keys: KeySets) -> tuple[int, int, bytes]:
    return (
        len(keys.file),
        len(keys.narrow),
        array("q", keys.file + keys.narrow + keys.broad).tobytes(),
    )


def _unpacked(plain: tuple) -> ParsedIncident:
    if len(plain) < 4:
        return ParsedIncident(*plain)
    canonical, payload_hash, hashes, people, facts = plain
    identities = []
    for parts, mark, files, narrows, packed in people:
        unpacked = array("q")
        unpacked.frombytes(packed)
        every = unpacked.tolist()
        narrow_end = files + narrows
        identities.append(
            (
                record_from_parts(parts),
                KeySets(every[:files], every[files:narrow_end], every[narrow_end:]),
                mark,
            )
        )
    return ParsedIncident(canonical, payload_hash, hashes, tuple(identities), facts)


# Reading files -------------------------------------------------------------------------------


def _open(path: Path):
    try:
        if path.is_dir():
            raise ImportFileError(f"{path} is a folder, not a file.")
        with path.open("rb") as handle:
            start = handle.read(4096)
    except FileNotFoundError as error:
        raise ImportFileError(f"There is no file at {path}.") from error
    except PermissionError as error:
        raise ImportFileError(f"Cannot read {path}: permission denied.") from error
    if path.suffix.lower() == ".csv":
        return _CsvFile(path)
    first = start.lstrip(codecs.BOM_UTF8).lstrip()[:1]
    if path.suffix.lower() in JSON_LINES_SUFFIXES or first == b"{":
        if first == b"[":
            raise ImportFileError(
                f"{path.name} holds a JSON array: write one incident per line (JSON Lines)."
            )
        return _JsonLinesFile(path)
    return _CsvFile(path)


class _JsonLinesFile:
    def __init__(self, path: Path):
        self.path = path
        self.total_bytes = path.stat().st_size
        self._handle = path.open("rb")

    def rows(self) -> Iterator[_Row]:
        for number, raw in enumerate(self._handle, start=1):
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if not raw.strip():
                continue
            try:
                payload = orjson.loads(raw)  # the common case, several times faster than json
            except orjson.JSONDecodeError:
                pass  # json.loads below says what is wrong, in the words it always has
            else:
                if isinstance(payload, dict):
                    yield _Row(number, payload)
                    continue
            try:
                text = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                yield _Row(number, problems=[("", "Is not UTF-8 text")])
                continue
            try:
                payload = json.loads(text)
            except ValueError as error:
                yield _Row(number, problems=[("", f"Is not valid JSON ({error})")])
                continue
            if not isinstance(payload, dict):
                yield _Row(number, problems=[("", "Must be one incident as a JSON object")])
                continue
            yield _Row(number, payload)

    def column(self, field_path: str, row: _Row) -> str:
        return "" if field_path == "(incident)" else field_path

    def problem(self, line: int, column: str, message: str) -> LineProblem:
        return LineProblem(line, column, message, unit="Line", place="field")

    def bytes_read(self) -> int:
        return self._handle.tell()

    def close(self):
        self._handle.close()


class _CsvFile:
    """A CSV file in Child First's flat layout (docs/intake.md)."""

    def __init__(self, path: Path):
        self.path = path
        self.total_bytes = path.stat().st_size
        encoding = _detect_encoding(path)
        self._binary = path.open("rb")
        self._text = io.TextIOWrapper(self._binary, encoding=encoding, errors="replace", newline="")
        self._reader = csv.reader(self._text, strict=True)
        try:
            header = next(self._reader, None)
        except csv.Error as error:
            self.close()
            raise ImportFileError(f"The header row of {path.name} is not CSV ({error}).") from error
        if header is None or not any(name.strip() for name in header):
            self.close()
            raise ImportFileError(f"{path.name} is empty: it has no header row.")
        self.header = [name.strip() for name in header]
        try:
            self._check_header()
        except ImportFileError:
            self.close()
            raise

    def _check_header(self):
        unknown, seen, repeated = [], set(), []
        for name in self.header:
            if name in seen:
                repeated.append(name)
            seen.add(name)
            if not name or name.startswith("_") or name in CSV_TOP or name in CSV_NESTED:
                continue
            match = GROUP_RE.match(name)
            fields = PERSON_FIELDS if match and match[1] == "person" else QUESTIONNAIRE_FIELDS
            if not match or match[3] not in fields:
                unknown.append(name)
        if repeated:
            raise ImportFileError(f"The header names {', '.join(repeated)} more than once.")
        if unknown:
            raise ImportFileError(
                f"The header has columns Child First does not know: {', '.join(unknown)}. "
                "docs/intake.md lists the columns (a column starting with _ is ignored); "
                "nothing was imported."
            )
        missing = [name for name in CSV_REQUIRED if name not in seen]
        if missing:
            raise ImportFileError(
                f"The file is missing the column{'s' * (len(missing) > 1)} {', '.join(missing)}, "
                "so nothing was imported."
            )

    def rows(self) -> Iterator[_Row]:
        line = self._reader.line_num
        while True:
            start = line + 1
            try:
                values = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                line = self._reader.line_num
                yield _Row(start, problems=[("", f"Cannot be read as CSV ({error})")])
                continue
            line = self._reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(self.header):
                span = f"lines {start} to {line} read as one row; " if line > start else ""
                yield _Row(
                    start,
                    problems=[
                        (
                            "",
                            f"Has {len(values)} values but the header has {len(self.header)} "
                            f"columns ({span}is a quote or comma missing?)",
                        )
                    ],
                )
                continue
            yield self._payload(start, values)

    def _payload(self, line: int, values: list[str]) -> _Row:
        payload: dict = {}
        people: dict[int, dict] = {}
        forms: dict[int, dict] = {}
        problems = []
        for name, value in zip(self.header, values, strict=True):
            value = value.strip()
            if not value or not name or name.startswith("_"):
                continue
            if name in CSV_TOP:
                payload[name] = value
            elif name in CSV_NESTED:
                part, key = CSV_NESTED[name]
                payload.setdefault(part, {})[key] = value
            else:
                match = GROUP_RE.match(name)
                number, key = int(match[2]), match[3]
                if match[1] == "person":
                    people.setdefault(number, {})[key] = value
                elif key == "answers":
                    try:
                        forms.setdefault(number, {})[key] = _answers(value)
                    except ValueError as error:
                        problems.append((name, str(error)))
                else:
                    forms.setdefault(number, {})[key] = value
        if people:
            payload["people"] = [people[number] for number in sorted(people)]
        if forms:
            payload["questionnaires"] = [forms[number] for number in sorted(forms)]
        groups = {
            "people": dict(enumerate(sorted(people))),
            "questionnaires": dict(enumerate(sorted(forms))),
        }
        return _Row(line, payload, problems, groups)

    def column(self, field_path: str, row: _Row) -> str:
        """A payload field's path as this file's column: people[1].role -> person_2_role (or
        whichever person group was the row's second)."""
        if field_path == "(incident)":
            return ""
        match = re.match(r"^(people|questionnaires)\[(\d+)\](?:\.([a-z0-9_]+))?", field_path)
        if match:
            group, index = match[1], int(match[2])
            number = row.groups.get(group, {}).get(index, index + 1)
            if group == "people":
                return f"person_{number}_{match[3] or 'role'}"
            return f"questionnaire_{number}_{match[3] or 'kind'}"
        return field_path.replace(".", "_")

    def problem(self, line: int, column: str, message: str) -> LineProblem:
        return LineProblem(line, column, message, unit="Row", place="column")

    def bytes_read(self) -> int:
        return self._binary.tell()

    def close(self):
        self._binary.close()


def _answers(text: str) -> dict[str, str]:
    """ "q1=yes; q2=no; q3=not_known" -> {"q1": "yes", ...}."""
    answers = {}
    for part in filter(None, (piece.strip() for piece in text.split(";"))):
        match = ANSWER_RE.match(part)
        if not match:
            raise ValueError(f'"{part}" is not an answer: write answers as q1=yes; q2=no')
        answers[match[1]] = match[2]
    return answers


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252 (Excel's default)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


IMPORTERS = {"incidents": import_incidents}
