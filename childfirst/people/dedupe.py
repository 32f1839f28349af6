"""Deduplicate a CSV of people with the matcher the app uses, and measure it against truth.

`childfirst identity dedupe INPUT.csv --id-column COL --map given_name=COL,... [--truth COL]
[--threshold P] --out PAIRS.csv`

The rows are resolved one by one exactly as intake resolves mentions: the same blocking keys,
the same in-process index, the same comparison levels, weights and safeguards (the active
identity model, or the shipped default), exact identifiers first, and each row joins the best
person scoring at or above the threshold or starts a new one. Every pair of rows that ends up as
one person is written to PAIRS.csv as `id_l,id_r,match_probability`, where the probability is
the pair's own score when that reaches the threshold, and otherwise the weaker of the two scores
that joined the rows to their person (so every written pair is at or above the threshold). With
a truth column, pairwise precision, recall and F1 are worked out over all pairs of rows.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from childfirst.people import matching as mt
from childfirst.people.identifiers import clean_nhs_number, clean_pnc_id, valid_nhs_number
from childfirst.people.index import IdentityIndex, MentionRow

FIELDS = (
    "given_name",
    "surname",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "address_1",
    "address_2",
    "street_number",
    "suburb",
    "town",
    "nhs_number",
    "pnc_id",
)


class DedupeError(ValueError):
    """Bad arguments or input, with a message that names the problem."""


def parse_mapping(text: str) -> dict[str, str]:
    """'given_name=first,surname=last' -> {'given_name': 'first', 'surname': 'last'}."""
    mapping = {}
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, column = part.partition("=")
        name, column = name.strip(), column.strip()
        if not sep or not column:
            raise DedupeError(f"--map: '{part}' should be FIELD=COLUMN")
        if name not in FIELDS:
            raise DedupeError(f"--map: unknown field '{name}'. Fields: {', '.join(FIELDS)}")
        mapping[name] = column
    if not mapping:
        raise DedupeError("--map: give at least one FIELD=COLUMN")
    return mapping


def record_from_row(row: dict, mapping: dict[str, str]) -> mt.Record:
    def get(name):
        column = mapping.get(name)
        return (row.get(column) or "").strip() if column else ""

    address = get("address")
    if not address:
        street = " ".join(p for p in (get("street_number"), get("address_1")) if p)
        address = mt.address_from_parts(street, get("address_2"), get("suburb"), get("town"))
    nhs = get("nhs_number")
    return mt.make_record(
        given_name_text=get("given_name"),
        surname_text=get("surname"),
        dob=mt.parse_dob(get("date_of_birth")),
        sex=get("sex"),
        postcode_text=get("postcode"),
        address_text=address,
        nhs=clean_nhs_number(nhs) if valid_nhs_number(nhs) else "",
        pnc=clean_pnc_id(get("pnc_id")),
    )


@dataclass
class Input:
    ids: list[str] = field(default_factory=list)
    records: list[mt.Record] = field(default_factory=list)
    truth: list[str] | None = None


def read_input(path: str | Path, *, id_column: str, mapping: dict[str, str],
               truth_column: str | None = None) -> Input:  # fmt: skip
    path = Path(path)
    if not path.exists():
        raise DedupeError(f"{path}: no such file")
    data = Input(truth=[] if truth_column else None)
    reader = csv.DictReader(io.StringIO(_text_of(path), newline=""), skipinitialspace=True)
    try:
        # Spaces after the commas are not part of a name or a value ("rec_id, given_name, ...",
        # as the FEBRL test files are written).
        reader.fieldnames = [name.strip() for name in reader.fieldnames or ()]
        columns = set(reader.fieldnames)
        wanted = {"--id-column": id_column, **{f"--map {k}": v for k, v in mapping.items()}}
        if truth_column:
            wanted["--truth"] = truth_column
        missing = [f"{flag} ({column})" for flag, column in wanted.items() if column not in columns]
        if missing:
            raise DedupeError(f"{path}: no column for {', '.join(missing)}")
        for row in reader:
            data.ids.append((row[id_column] or "").strip())  # None: the row is short
            data.records.append(record_from_row(row, mapping))
            if truth_column:
                data.truth.append((row[truth_column] or "").strip())
    except csv.Error as error:
        raise DedupeError(
            f"{path}, line {reader.line_num}: cannot be read as CSV ({error})"
        ) from None
    return data


def _text_of(path: Path) -> str:
    """The file's text: UTF-8 (with or without a byte order mark), else Windows-1252, the
    encoding Excel saves CSV files in (as `childfirst import` reads them)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


@dataclass
class Result:
    person_of: list[int]  # person number of each row
    joined_with: list[float]  # the probability that joined each row to its person (1 if first)
    pairs: list[tuple[int, int, float]]  # (row, row, probability), rows in file order
    seconds: float


def resolve_rows(records: list[mt.Record], *, model: mt.MatchModel,
                 threshold: float) -> Result:  # fmt: skip
    """Resolve rows in order, as intake would, each against the persons made so far. A row
    that matches two persons at or above the threshold joins the best and brings the other
    with it: intake would link it to the best and put the other in the review queue as a
    possible duplicate, which a batch run takes as read."""
    started = time.perf_counter()
    index = IdentityIndex()
    index.loaded = True
    parent = list(range(len(records)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    members: dict[int, list[int]] = {}

    def compatible(one: list[int], two: list[int]) -> bool:
        """No record of one person contradicts a record of the other (twins, a parent)."""
        for a in one:
            for b in two:
                if model.contradicts(mt.compare(records[a], records[b])):
                    return False
        return True

    joined: list[float] = []
    for row, record in enumerate(records):
        keys = mt.key_sets(record)
        positions = index.candidates(keys.narrow, keys.broad)
        ranked = mt.rank(model, record, ((find(index.person[p]), index.record(p), p)
                                         for p in positions))  # fmt: skip
        linked = [r for r in ranked if mt.is_exact(r) or r.probability >= threshold]
        joined.append(linked[0].probability if linked else 1.0)
        members[row] = [row]
        for number, found in enumerate(linked):
            root, mine = find(found.person), find(row)
            if root == mine:
                continue
            if number and not mt.is_exact(found) and not compatible(members[root], members[mine]):
                continue
            parent[root] = mine
            members[mine].extend(members.pop(root))
        index.add([MentionRow(row, row, 0, record, tuple(keys.file))])
    person_of = [find(row) for row in range(len(records))]
    pairs = []
    for rows in members.values():
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                levels = mt.compare(records[a], records[b])
                if levels[mt.POS_I] == mt.I_EXACT:
                    direct = 1.0
                else:
                    direct = model.probability_from_levels(levels)
                if direct < threshold:
                    direct = min(joined[a], joined[b])
                pairs.append((min(a, b), max(a, b), direct))
    pairs.sort()
    return Result(person_of, joined, pairs, time.perf_counter() - started)


@dataclass(frozen=True)
class Scores:
    true_pairs: int
    predicted_pairs: int
    true_positives: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(pairs: Iterable[tuple[int, int, float]], truth: list[str]) -> Scores:
    sizes = Counter(truth)
    true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    predicted = tp = 0
    for a, b, _ in pairs:
        predicted += 1
        if truth[a] == truth[b]:
            tp += 1
    return Scores(true_pairs, predicted, tp)


def write_pairs(path: str | Path, ids: list[str], pairs: list[tuple[int, int, float]]) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id_l", "id_r", "match_probability"])
        for a, b, probability in pairs:
            writer.writerow([ids[a], ids[b], f"{probability:.6f}"])


def run(*, input_path, id_column, mapping_text, out, truth_column=None, threshold=0.5,
        model: mt.MatchModel, stdout=None) -> dict:  # fmt: skip
    """The whole command: read, resolve, write pairs, print scores. Returns the figures."""
    stdout = stdout or sys.stdout
    if not 0 < threshold < 1:
        raise DedupeError("--threshold must be between 0 and 1, for example 0.5")
    mapping = parse_mapping(mapping_text)
    data = read_input(input_path, id_column=id_column, mapping=mapping, truth_column=truth_column)
    result = resolve_rows(data.records, model=model, threshold=threshold)
    write_pairs(out, data.ids, result.pairs)
    figures = {
        "records": len(data.records),
        "persons": len(set(result.person_of)),
        "pairs": len(result.pairs),
        "threshold": threshold,
        "model_version": model.version,
        "seconds": round(result.seconds, 3),
    }
    stdout.write(
        f"{figures['records']:,} records resolved to {figures['persons']:,} persons in "
        f"{figures['seconds']:.1f}s (model {model.version}, threshold {threshold}); "
        f"{figures['pairs']:,} pairs written to {out}\n"
    )
    if data.truth is not None:
        scores = evaluate(result.pairs, data.truth)
        figures.update(
            true_pairs=scores.true_pairs,
            true_positives=scores.true_positives,
            precision=scores.precision,
            recall=scores.recall,
            f1=scores.f1,
        )
        stdout.write(
            f"precision: {scores.precision:.4f}\nrecall: {scores.recall:.4f}\n"
            f"f1: {scores.f1:.4f}\n"
            f"({scores.true_positives:,} of {scores.predicted_pairs:,} pairs found are true; "
            f"{scores.true_pairs:,} true pairs)\n"
        )
    return figures
