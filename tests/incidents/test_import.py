"""`childfirst import incidents FILE`: CSV and JSON Lines, bad rows, replays, crash and resume."""

import contextlib
import csv
import json
import os
import select
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from childfirst.audit.models import AccessLogEntry
from childfirst.incidents import importers
from childfirst.incidents.models import Incident, Involvement, Notice, Questionnaire
from childfirst.people.models import Mention
from tests.incidents.builders import payload, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["checked here", "checked in a second process"])
def checking(request, monkeypatch):
    """Every test runs twice: with rows checked in the importing process (a small file), and
    with rows checked in a second process (a big file; importers._checked_elsewhere)."""
    elsewhere = request.param == "checked in a second process"
    monkeypatch.setattr(importers, "PARALLEL_FROM_BYTES", 0 if elsewhere else 1 << 62)
    return elsewhere


def write_jsonl(path, lines):
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
        encoding="utf-8",
    )
    return path


GIVEN = ["Amara", "Tobi", "Ade", "Bea", "Cyrus", "Dara", "Eli", "Femi", "Gus", "Hana", "Ivo",
         "Jun", "Kemi", "Lars", "Mo", "Nell", "Orla", "Piet", "Quin", "Rhys", "Suki", "Tam",
         "Uma", "Vik", "Wren", "Xan", "Yusuf", "Zoe", "Aled", "Bram"]  # fmt: skip
SURNAMES = ["Abara", "Bello", "Costa", "Dvorak", "Eze", "Fahey", "Gill", "Hughes", "Iqbal",
            "Jablonski", "Kaya", "Lindqvist", "Mensah", "Novak", "Okafor", "Popescu", "Quinn",
            "Rahman", "Santos", "Tanaka", "Usman", "Varga", "Wiśniewski", "Yilmaz"]  # fmt: skip


def incidents(n, **overrides):
    """n incidents like the documented example, each in a household of its own."""
    made = []
    for i in range(1, n + 1):
        data = payload(source_reference=f"IMP-{i:05d}", **overrides)
        data["location"]["address"] = f"{i} Example Road, London"
        for number, recorded in enumerate(data["people"]):
            recorded["given_name"] = GIVEN[(3 * i + number) % len(GIVEN)]
            recorded["surname"] = SURNAMES[i % len(SURNAMES)]
            if "date_of_birth" in recorded:
                born = date.fromisoformat(recorded["date_of_birth"])
                recorded["date_of_birth"] = (born - timedelta(days=i * 7919 % 1825)).isoformat()
            if "address" in recorded:
                recorded["address"] = data["location"]["address"]
        made.append(data)
    return made


def run(*args):
    out = StringIO()
    call_command("import", *[str(arg) for arg in args], stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def stored_references():
    return sorted(Incident.objects.values_list("source_reference", flat=True))


# JSON Lines ------------------------------------------------------------------------------------


def test_a_json_lines_file_is_imported_with_a_report(tmp_path):
    path = write_jsonl(tmp_path / "incidents.jsonl", incidents(3))

    lines = run("incidents", path, "--quiet")

    assert lines == [
        "Imported 3 incidents: 3 new, 0 already stored.",
        "6 children came to notice in the new incidents.",
        "The worker screens them and puts them in the desk's queue.",
    ]
    assert Incident.objects.count() == 3
    assert Notice.objects.count() == 6
    assert Questionnaire.objects.count() == 3
    assert (
        AccessLogEntry.objects.filter(
            subject_type="incident", actor_label="File import: incidents.jsonl"
        ).count()
        == 3
    )


def test_an_import_collects_garbage_less_often_than_a_web_process(tmp_path):
    import gc

    from childfirst import bulk

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)  # Python's default, as a web process has it
        run("incidents", write_jsonl(tmp_path / "incidents.jsonl", incidents(1)), "--quiet")
        assert gc.get_threshold() == bulk.BATCH_GC_THRESHOLDS
    finally:
        gc.set_threshold(*before)


def test_an_import_collects_cycles_every_few_batches_and_leaves_the_collector_on(
    tmp_path, monkeypatch
):
    import gc

    collected = []
    monkeypatch.setattr(importers, "COLLECT_EVERY_BATCHES", 2)
    monkeypatch.setattr(importers, "collect_young", lambda: collected.append(gc.isenabled()))
    path = write_jsonl(tmp_path / "incidents.jsonl", incidents(5))
    assert gc.isenabled()

    report = importers.import_incidents(path=path, batch_size=1, check_in_parallel=False)

    assert report.created == 5
    assert collected == [False, False]  # after batches 2 and 4, with automatic collection off
    assert gc.isenabled()  # and on again afterwards

    def stop(batches):
        raise RuntimeError("stopped part way")

    path = write_jsonl(tmp_path / "more.jsonl", incidents(3, source_system="OTHER"))
    with pytest.raises(RuntimeError, match="part way"):
        importers.import_incidents(path=path, batch_size=1, after_batch=stop)
    assert gc.isenabled()  # however the import ends


def test_importing_the_same_file_again_stores_nothing_twice(tmp_path):
    path = write_jsonl(tmp_path / "incidents.jsonl", incidents(3))
    run("incidents", path, "--quiet")
    before = (Incident.objects.count(), Mention.objects.count(), Notice.objects.count())

    lines = run("incidents", path, "--quiet")

    assert lines[0] == "Imported 3 incidents: 0 new, 3 already stored."
    assert (Incident.objects.count(), Mention.objects.count(), Notice.objects.count()) == before


def test_malformed_lines_and_bad_fields_are_reported_by_line_and_the_rest_imported(tmp_path):
    good = incidents(3)
    wrong_types = payload(source_reference="BAD-1", occurred_at=5)
    wrong_types["people"][0]["age"] = "old"
    missing = {"source_system": "NICHE", "people": [{"given_name": "No role"}]}
    path = write_jsonl(
        tmp_path / "incidents.jsonl",
        [
            good[0],
            '{"source_system": "NICHE", "source_reference": ',  # cut short
            wrong_types,
            "",  # blank lines are skipped
            '["not", "an", "incident"]',
            good[1],
            missing,
            good[2],
        ],
    )

    report = importers.import_incidents(path=path)

    assert (report.created, report.bad_row_count) == (3, 4)
    assert [str(problem) for problem in report.bad_rows] == [
        "Line 2: Is not valid JSON (Expecting value: line 1 column 48 (char 47))",
        "Line 3, field occurred_at: Enter the time as text in ISO 8601, like 2026-11-23T21:40:00Z",
        "Line 3, field people[0].age: Input should be a valid integer, unable to parse string "
        "as an integer",
        "Line 5: Must be one incident as a JSON object",
        "Line 7, field source_reference: This field is required",
        "Line 7, field kind: This field is required",
        "Line 7, field occurred_at: This field is required",
        "Line 7, field people[0].role: This field is required",
    ]
    assert stored_references() == ["IMP-00001", "IMP-00002", "IMP-00003"]


def test_a_conflicting_row_is_reported_and_the_stored_incident_kept(tmp_path):
    first = payload(source_reference="SAME-1")
    changed = payload(source_reference="SAME-1", kind="violence")
    path = write_jsonl(tmp_path / "incidents.jsonl", [first, first, changed])

    report = importers.import_incidents(path=path)

    assert (report.created, report.unchanged, report.bad_row_count) == (1, 1, 1)
    assert str(report.bad_rows[0]).startswith(
        "Line 3, field source_reference: NICHE SAME-1 is already stored with different details "
        "(kind); nothing was changed."
    )
    assert Incident.objects.get().kind == "domestic_abuse_incident"


def test_a_json_array_file_is_refused_as_a_whole(tmp_path):
    path = tmp_path / "incidents.json"
    path.write_text(json.dumps(incidents(2)))

    with pytest.raises(CommandError, match="holds a JSON array: write one incident per line"):
        run("incidents", path, "--quiet")
    assert Incident.objects.count() == 0


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        run("incidents", tmp_path / "nothing.jsonl", "--quiet")


# Crash and resume ------------------------------------------------------------------------------


class Crash(Exception):
    pass


def test_after_a_crash_part_way_importing_again_stores_every_row_exactly_once(tmp_path):
    rows = incidents(23)
    rows[9]["people"][0]["date_of_birth"] = "yesterday"  # one bad row in the third batch
    path = write_jsonl(tmp_path / "incidents.jsonl", rows)

    def crash_after_the_second_batch(batches_done):
        if batches_done == 2:
            raise Crash("power cut")

    with pytest.raises(Crash):
        importers.import_incidents(
            path=path, batch_size=4, after_batch=crash_after_the_second_batch
        )

    assert stored_references() == [f"IMP-{i:05d}" for i in range(1, 9)]  # two whole batches
    report = importers.import_incidents(path=path, batch_size=4)

    assert (report.created, report.unchanged, report.bad_row_count) == (14, 8, 1)
    assert stored_references() == [f"IMP-{i:05d}" for i in range(1, 24) if i != 10]
    assert Incident.objects.count() == 22
    assert Involvement.objects.count() == 22 * 3
    assert Mention.objects.count() == 22 * 3
    assert Notice.objects.count() == 22 * 2


def test_a_failure_while_checking_rows_stops_the_import_and_says_what_failed(
    tmp_path, monkeypatch, checking
):
    path = write_jsonl(tmp_path / "incidents.jsonl", incidents(9))
    real_parse = importers.parse_incident

    def fail_on_the_seventh(payload):
        if payload["source_reference"] == "IMP-00007":
            raise ZeroDivisionError("a fault in the checking code")
        return real_parse(payload)

    monkeypatch.setattr(importers, "parse_incident", fail_on_the_seventh)

    with pytest.raises(
        RuntimeError if checking else ZeroDivisionError, match="a fault in the checking code"
    ):
        importers.import_incidents(path=path, batch_size=4)

    # Rows are checked 200 at a time before any is stored, so the fault came first: nothing
    # was stored, and importing again once the fault is mended stores every row.
    assert stored_references() == []
    monkeypatch.setattr(importers, "parse_incident", real_parse)
    assert importers.import_incidents(path=path, batch_size=4).created == 9


def test_people_already_stored_are_found_again_from_a_new_file(tmp_path):
    """Identity resolution gets the same answers whichever process worked out the people's
    comparison records and blocking keys."""

    def named_and_dated(rows):  # the two people with a name and a date of birth
        for row in rows:
            row["people"] = row["people"][:2]
            row["questionnaires"] = []
        return rows

    first = named_and_dated(incidents(4))
    importers.import_incidents(path=write_jsonl(tmp_path / "first.jsonl", first))
    persons = set(Mention.objects.values_list("person_id", flat=True))
    assert len(persons) == 4 * 2

    again = named_and_dated(incidents(4, source_system="OTHER-SYSTEM"))
    report = importers.import_incidents(path=write_jsonl(tmp_path / "again.jsonl", again))

    assert report.created == 4
    assert Mention.objects.count() == 4 * 2 * 2
    assert set(Mention.objects.values_list("person_id", flat=True)) == persons
    for stored in Mention.objects.filter(source_system="OTHER-SYSTEM"):
        twin = Mention.objects.get(
            source_system="NICHE",
            source_reference=stored.source_reference,
            source_person_ref=stored.source_person_ref,
        )
        assert stored.person_id == twin.person_id


@pytest.mark.parametrize("checking", ["checked in a second process"], indirect=True)
def test_the_checking_process_skips_identity_work_while_rows_turn_out_stored(tmp_path, monkeypatch):
    """A file imported again after a crash: its stored rows need no identity records, its new
    ones do. Rows go 2 at a time here, so the few chunks the process is ahead are a few rows."""
    monkeypatch.setattr(importers, "CHECK_CHUNK", 2)
    rows = incidents(300)
    importers.import_incidents(path=write_jsonl(tmp_path / "half.jsonl", rows[:150]))
    came_with_identities = []
    real_store = importers.store_incidents

    def store(*, incidents, **options):
        came_with_identities.append([p.identities is not None for p in incidents])
        return real_store(incidents=incidents, **options)

    monkeypatch.setattr(importers, "store_incidents", store)

    report = importers.import_incidents(
        path=write_jsonl(tmp_path / "all.jsonl", rows), batch_size=10
    )

    assert (report.created, report.unchanged) == (150, 150)
    assert Mention.objects.count() == 300 * 3
    assert Notice.objects.count() == 300 * 2
    # Once the first batch was found stored, the process stopped preparing identities (rows
    # 141 to 150 came without); once new rows were stored, it started again (291 to 300).
    assert not any(came_with_identities[14])
    assert all(came_with_identities[29])


@pytest.mark.parametrize("checking", ["checked in a second process"], indirect=True)
def test_once_rows_turn_out_new_the_rest_of_the_file_is_not_looked_up(tmp_path, monkeypatch):
    """A file resumed after a crash has its stored rows first: once a chunk has new rows, the
    rest are taken to be new, so a new file costs one look-up, not one a chunk."""
    monkeypatch.setattr(importers, "CHECK_CHUNK", 2)
    looked_up = []
    real_stored_keys = importers.stored_keys

    def stored_keys(keys):
        looked_up.append(len(keys))
        return real_stored_keys(keys)

    monkeypatch.setattr(importers, "stored_keys", stored_keys)

    report = importers.import_incidents(path=write_jsonl(tmp_path / "new.jsonl", incidents(40)))

    assert report.created == 40
    assert looked_up == [2]


def test_a_batch_the_database_refuses_is_stored_row_by_row(tmp_path, monkeypatch):
    """If one row of a batch breaks the batch's transaction, the others still go in."""
    from django.db import DataError

    from childfirst.incidents import services

    path = write_jsonl(tmp_path / "incidents.jsonl", incidents(4))
    real_create = services._create

    def refuse_the_third(outcomes, *args):
        if any(o.parsed.key[1] == "IMP-00003" for o in outcomes):
            raise DataError("value too long")
        return real_create(outcomes, *args)

    monkeypatch.setattr(services, "_create", refuse_the_third)

    report = importers.import_incidents(path=path)

    assert (report.created, report.bad_row_count) == (3, 1)
    assert str(report.bad_rows[0]) == (
        "Line 3: The database refused it (value too long); nothing was stored"
    )
    assert stored_references() == ["IMP-00001", "IMP-00002", "IMP-00004"]


def test_progress_is_reported_after_each_batch(tmp_path):
    path = write_jsonl(tmp_path / "incidents.jsonl", incidents(5))
    seen = []

    importers.import_incidents(path=path, batch_size=2, progress=seen.append)

    assert [p.rows for p in seen] == [2, 4, 5]
    assert seen[-1].bytes_read == seen[-1].total_bytes == path.stat().st_size


@pytest.mark.parametrize("checking", ["checked in a second process"], indirect=True)
def test_with_rows_checked_elsewhere_storing_starts_with_smaller_batches(tmp_path, monkeypatch):
    """Storing need not wait for the checking process to check a whole batch first: the first
    batches are smaller, each twice the one before, up to the batch size."""
    monkeypatch.setattr(importers, "FIRST_BATCH", 2)
    path = write_jsonl(tmp_path / "incidents.jsonl", incidents(40))
    seen = []

    report = importers.import_incidents(path=path, batch_size=10, progress=seen.append)

    assert [p.rows for p in seen] == [2, 6, 14, 24, 34, 40]
    assert report.created == 40 and stored_references() == [f"IMP-{i:05d}" for i in range(1, 41)]


def test_a_big_file_shows_a_progress_bar(tmp_path, monkeypatch):
    import importlib

    command = importlib.import_module("childfirst.web.management.commands.import")
    monkeypatch.setattr(command, "PROGRESS_BAR_FROM_BYTES", 0)
    path = write_jsonl(tmp_path / "incidents.jsonl", incidents(2))
    err = StringIO()

    call_command("import", "incidents", str(path), stdout=StringIO(), stderr=err)

    assert "Importing incidents" in err.getvalue()


# CSV -------------------------------------------------------------------------------------------

HEADER = [
    "source_system",
    "source_reference",
    "kind",
    "occurred_at",
    "location_address",
    "location_postcode",
    "narrative",
    "officer_name",
    "person_1_ref",
    "person_1_role",
    "person_1_given_name",
    "person_1_surname",
    "person_1_date_of_birth",
    "person_2_role",
    "person_2_given_name",
    "person_2_date_of_birth",
    "person_2_age",
    "person_2_present",
    "person_3_role",
    "person_3_given_name",
    "person_3_appears_under_18",
    "questionnaire_1_kind",
    "questionnaire_1_respondent",
    "questionnaire_1_answers",
    "questionnaire_1_officer_grade",
    "_truth",
]


def csv_row(reference, **cells):
    row = {
        "source_system": "NICHE",
        "source_reference": reference,
        "kind": "domestic_abuse_incident",
        "occurred_at": "2026-11-23T21:40",
        "location_address": "14 Example Road, London",
        "location_postcode": "E8 1DY",
        "narrative": "Neighbour called.\nShouting heard, then a crash.",
        "officer_name": "PC Sam Example",
        "person_1_ref": "V",
        "person_1_role": "victim",
        "person_1_given_name": "Amara",
        "person_1_surname": "Example",
        "person_1_date_of_birth": "1990-04-12",
        "person_2_role": "present",
        "person_2_given_name": "Tobi",
        "person_2_date_of_birth": "2016-09",
        "person_2_age": "",
        "person_2_present": "yes",
        "person_3_role": "",
        "person_3_given_name": "",
        "person_3_appears_under_18": "",
        "questionnaire_1_kind": "dash",
        "questionnaire_1_respondent": "V",
        "questionnaire_1_answers": "q1=yes; q2=Not known; q14=no",
        "questionnaire_1_officer_grade": "Medium",
        "_truth": "household 7",
    }
    row.update(cells)
    return [row[name] for name in HEADER]


def write_csv(path, rows, header=HEADER, encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_csv_file_with_numbered_person_columns_is_imported(tmp_path):
    path = write_csv(
        tmp_path / "incidents.csv",
        [
            csv_row("CSV-1"),
            csv_row(
                "CSV-2",
                location_address="15 Other Road",
                person_1_surname="Other",
                person_2_given_name="Sol",
                person_3_role="witness",
                person_3_given_name="Kit",
                person_3_appears_under_18="Y",
            ),
        ],
    )

    lines = run("incidents", path, "--quiet")

    assert lines == [
        "Imported 2 incidents: 2 new, 0 already stored.",
        "3 children came to notice in the new incidents.",
        "The worker screens them and puts them in the desk's queue.",
    ]
    incident = Incident.objects.get(source_reference="CSV-1")
    assert incident.narrative == "Neighbour called.\nShouting heard, then a crash."
    assert list(incident.involvements.order_by("pk").values_list("ref", "role")) == [
        ("V", "victim"),
        ("P2", "present"),
    ]
    dash = Questionnaire.objects.get(incident=incident)
    assert dash.answers == {"q1": "yes", "q2": "not_known", "q14": "no"}
    assert dash.officer_grade == "medium"


def test_the_same_incident_from_csv_and_json_lines_is_a_replay(tmp_path):
    run("incidents", write_csv(tmp_path / "incidents.csv", [csv_row("CSV-1")]), "--quiet")
    as_json = {
        "source_system": "NICHE",
        "source_reference": "CSV-1",
        "kind": "domestic_abuse_incident",
        "occurred_at": "2026-11-23T21:40:00Z",
        "location": {"address": "14 Example Road, London", "postcode": "E8 1DY"},
        "narrative": "Neighbour called.\nShouting heard, then a crash.",
        "officer": {"name": "PC Sam Example"},
        "people": [
            {
                "ref": "V",
                "role": "victim",
                "given_name": "Amara",
                "surname": "Example",
                "date_of_birth": "1990-04-12",
            },
            {"role": "present", "given_name": "Tobi", "date_of_birth": "2016-09", "present": True},
        ],
        "questionnaires": [
            {
                "kind": "dash",
                "respondent": "V",
                "answers": {"q1": "yes", "q2": "not_known", "q14": "no"},
                "officer_grade": "medium",
            }
        ],
    }

    report = importers.import_incidents(path=write_jsonl(tmp_path / "same.jsonl", [as_json]))

    assert (report.created, report.unchanged, report.bad_row_count) == (0, 1, 0)


def test_bad_csv_rows_are_reported_by_row_and_column(tmp_path):
    path = write_csv(
        tmp_path / "incidents.csv",
        [
            csv_row("CSV-1"),
            csv_row("CSV-2", person_2_date_of_birth="2016-13", person_1_role="onlooker"),
            csv_row("CSV-3", questionnaire_1_answers="q1 yes"),
            csv_row("CSV-4", person_3_given_name="Nobody", person_3_appears_under_18="maybe"),
            csv_row("CSV-5"),
        ],
    )

    report = importers.import_incidents(path=path)

    assert report.created == 2
    assert [str(problem) for problem in report.bad_rows] == [
        # Row 2 spans lines 2 and 3 (the narrative has a line break), so CSV-2 starts on line 4.
        "Row 4, column person_1_role: Must be one of: victim, suspect, witness, present, "
        "child_in_household, parent_or_carer, reporting_person, missing_person, "
        "person_searched or arrested_person",
        'Row 4, column person_2_date_of_birth: "2016-13" is not a real date',
        'Row 6, column questionnaire_1_answers: "q1 yes" is not an answer: write answers as '
        "q1=yes; q2=no",
        "Row 8, column person_3_role: This field is required",
        "Row 8, column person_3_appears_under_18: Input should be a valid boolean, unable to "
        "interpret input",
    ]
    assert stored_references() == ["CSV-1", "CSV-5"]


def test_a_malformed_csv_row_is_reported_and_nothing_else_changes(tmp_path):
    path = tmp_path / "incidents.csv"
    good = csv_row("CSV-1", narrative="One line")
    short = csv_row("CSV-2", narrative="One line")[:5]
    stray_quote = csv_row("CSV-3", narrative="x")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerow(good)
        writer.writerow(short)
        handle.write(",".join(stray_quote[:6]) + ',"a "quoted" word' + "," * 19 + "\r\n")
        writer.writerow(csv_row("CSV-4", narrative="One line"))

    report = importers.import_incidents(path=path)

    assert stored_references() == ["CSV-1", "CSV-4"]
    assert [str(problem) for problem in report.bad_rows] == [
        "Row 3: Has 5 values but the header has 26 columns (is a quote or comma missing?)",
        "Row 4: Cannot be read as CSV (',' expected after '\"')",
    ]


def test_a_csv_file_with_unknown_or_missing_columns_is_refused_as_a_whole(tmp_path):
    unknown = write_csv(tmp_path / "unknown.csv", [], header=[*HEADER, "colour", "person_1_shoe"])
    missing = write_csv(tmp_path / "missing.csv", [], header=["source_system", "kind"])

    with pytest.raises(
        CommandError, match="columns Child First does not know: colour, person_1_shoe"
    ):
        run("incidents", unknown, "--quiet")
    with pytest.raises(CommandError, match="missing the columns source_reference, occurred_at"):
        run("incidents", missing, "--quiet")


def test_a_csv_file_saved_by_excel_in_windows_1252_is_read(tmp_path):
    path = write_csv(
        tmp_path / "incidents.csv",
        [csv_row("CSV-1", narrative="Caller said “help” – twice")],
        encoding="cp1252",
    )

    importers.import_incidents(path=path)

    assert Incident.objects.get().narrative == "Caller said “help” – twice"


def test_people_columns_may_skip_numbers(tmp_path):
    header = ["source_system", "source_reference", "kind", "occurred_at", "person_2_role",
              "person_2_age", "person_7_role", "person_7_age"]  # fmt: skip
    path = write_csv(
        tmp_path / "incidents.csv",
        [["NICHE", "CSV-1", "violence", "2026-11-23T21:40", "victim", "15", "suspect", "x"]],
        header=header,
    )

    report = importers.import_incidents(path=path)

    assert [str(problem) for problem in report.bad_rows] == [
        "Row 2, column person_7_age: Input should be a valid integer, unable to parse string "
        "as an integer"
    ]


def test_csv_and_json_lines_files_are_told_apart_by_their_content(tmp_path):
    path = write_jsonl(tmp_path / "incidents.txt", incidents(1))

    assert importers.import_incidents(path=path).created == 1


def test_the_documented_example_imports(tmp_path):
    data = payload(people=[person("witness", age=9)], questionnaires=[])

    report = importers.import_incidents(path=write_jsonl(tmp_path / "one.ndjson", [data]))

    assert (report.created, report.notices) == (1, 1)


@pytest.mark.parametrize("checking", ["checked in a second process"], indirect=True)
def test_an_import_killed_part_way_and_run_again_stores_every_row_exactly_once(tmp_path):
    """A real crash: `childfirst import incidents` in its own process on its own SQLite file,
    killed with SIGKILL once it reports progress, then run again. The file is big, so its rows
    are checked in a second process; if that is still at work, it ends when the killed one
    does."""
    database = tmp_path / "crash.sqlite3"
    env = {
        **os.environ,
        "CHILDFIRST_DATABASE_URL": f"sqlite:///{database}",
        "CHILDFIRST_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "childfirst.settings",
        "CHILDFIRST_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "childfirst.cli"]
    subprocess.run([*command, "migrate", "-v0"], env=env, check=True)
    # More than two batches, so that the kill comes with some stored and some not.
    rows = incidents(
        importers.BATCH_SIZE * 2 + 100, occurred_at="2025-06-01T12:00:00Z", narrative="Details."
    )
    path = write_jsonl(tmp_path / "incidents.jsonl", rows)
    assert path.stat().st_size > 1_000_000  # big enough for the progress bar

    running = subprocess.Popen(
        [*command, "import", "incidents", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    shown = b""
    while b" rows" not in shown:  # the bar shows a count of rows once a batch is stored
        byte = running.stderr.read(1)
        assert byte, f"The import ended before reporting progress: {shown[-300:]!r}"
        shown += byte
    checkers = _children_of(running.pid)  # none if the checking process has done its work
    running.kill()
    running.wait()
    running.stderr.close()
    for pid in checkers:  # the checking process ends too, instead of waiting for a reader
        with contextlib.suppress(ProcessLookupError):  # (or has ended already)
            ended = os.pidfd_open(pid)
            try:
                assert select.select([ended], [], [], 60)[0], f"Process {pid} is still running"
            finally:
                os.close(ended)

    def count(sql):
        with sqlite3.connect(database) as connection:
            return connection.execute(sql).fetchone()[0]

    stored_before = count("select count(*) from incidents_incident")
    assert 0 < stored_before < len(rows)
    # Whole batches only: with rows checked in a second process, the first batches are smaller
    # (FIRST_BATCH rows, then twice as many each time, up to BATCH_SIZE).
    ends, size, end = set(), importers.FIRST_BATCH, 0
    while end < len(rows):
        end += min(size, importers.BATCH_SIZE)
        ends.add(end)
        size *= 2
    assert stored_before in ends

    again = subprocess.run(
        [*command, "import", "incidents", str(path), "--quiet"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )

    total = len(rows)
    assert again.stdout.splitlines()[0] == (
        f"Imported {total:,} incidents: {total - stored_before:,} new, "
        f"{stored_before:,} already stored."
    )
    assert count("select count(*) from incidents_incident") == total
    assert count("select count(distinct source_reference) from incidents_incident") == total
    assert count("select count(*) from incidents_involvement") == total * 3
    assert count("select count(*) from people_mention") == total * 3
    assert count("select count(*) from incidents_notice where reason = 'in_incident'") == total * 2


def _children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid`, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found
