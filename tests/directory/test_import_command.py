"""`childfirst import KIND FILE`: the report it prints and the errors it gives."""

import importlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from childfirst.directory import importers
from childfirst.directory.models import Postcode, School
from tests.directory.test_importers import GIAS_HEADER, gias_row, good_schools, write_csv

pytestmark = pytest.mark.django_db

command = importlib.import_module("childfirst.web.management.commands.import")


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import", *[str(arg) for arg in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_the_counts_and_each_bad_row(tmp_path):
    rows = [*good_schools(), gias_row(100007, "Bad Postcode Academy", Postcode="E8 1D")]
    path = write_csv(tmp_path / "edubase.csv", GIAS_HEADER, rows, encoding="cp1252")

    out, _ = run("schools", path, "--quiet")

    assert out.splitlines() == [
        "Imported 4 schools: 4 new, 0 updated, 0 unchanged.",
        "1 row skipped:",
        'Row 6, column Postcode: "E8 1D" is not a UK postcode',
    ]
    assert School.objects.count() == 4


def test_importing_the_same_file_again_reports_everything_unchanged(tmp_path):
    path = write_csv(
        tmp_path / "postcodes.csv",
        ["postcode", "local_authority_code", "ward_code"],
        [["E8 1DY", "E09000012", ""], ["N1 9GU", "E09000019", ""]],
    )
    run("postcodes", path, "--quiet")

    out, _ = run("postcodes", path, "--quiet")

    assert out.splitlines() == ["Imported 2 postcodes: 0 new, 0 updated, 2 unchanged."]
    assert Postcode.objects.count() == 2


def test_large_numbers_are_written_with_thousands_separators():
    report = importers.ImportReport(noun="postcode", nouns="postcodes", created=1200, updated=34)
    report.skip(importers.TERMINATED)

    assert report.summary() == [
        "Imported 1,234 postcodes: 1,200 new, 34 updated, 0 unchanged.",
        "Left out 1 terminated postcode.",
    ]


def test_a_long_list_of_bad_rows_is_cut_short_with_a_count_of_the_rest(monkeypatch):
    monkeypatch.setattr(importers, "LISTED_LIMIT", 2)
    report = importers.ImportReport(noun="ward", nouns="wards")
    for line in range(2, 7):
        report.add_bad_row(importers.RowProblem(line, "WD24CD", "the ward code is missing"))

    assert report.summary()[1:] == [
        "5 rows skipped:",
        "Row 2, column WD24CD: the ward code is missing",
        "Row 3, column WD24CD: the ward code is missing",
        "and 3 more.",
    ]


def test_a_big_file_shows_a_progress_bar_on_stderr(tmp_path, monkeypatch):
    monkeypatch.setattr(command, "PROGRESS_BAR_FROM_BYTES", 0)
    path = write_csv(tmp_path / "edubase.csv", GIAS_HEADER, good_schools(), encoding="cp1252")

    out, err = run("schools", path)

    assert "Importing schools" in err
    assert "4 rows" in err
    assert out.startswith("Imported 4 schools")


def test_quiet_shows_no_progress_bar(tmp_path, monkeypatch):
    monkeypatch.setattr(command, "PROGRESS_BAR_FROM_BYTES", 0)
    path = write_csv(tmp_path / "edubase.csv", GIAS_HEADER, good_schools(), encoding="cp1252")

    _, err = run("schools", path, "--quiet")

    assert err == ""


def test_an_unknown_kind_lists_the_kinds_that_can_be_imported(tmp_path):
    with pytest.raises(CommandError) as error:
        run("pupils", tmp_path / "pupils.csv")

    kinds = ", ".join(sorted(command.available_importers()))
    assert str(error.value) == f'Child First cannot import "pupils". Choose one of: {kinds}.'
    assert {"local-authorities", "postcodes", "schools", "wards"} <= set(kinds.split(", "))


def test_a_missing_file_fails_with_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="There is no file at .*nowhere.csv"):
        run("schools", tmp_path / "nowhere.csv")


def test_a_file_without_the_columns_it_needs_fails_and_imports_nothing(tmp_path):
    path = write_csv(tmp_path / "wards.csv", ["code", "ward name"], [["E05009367", "Dalston"]])

    with pytest.raises(CommandError, match="missing the columns WDyyCD, WDyyNM, LADyyCD"):
        run("wards", path, "--quiet")


def test_the_command_finds_importers_in_each_child_first_app():
    found = command.available_importers()

    # Other apps add their own kinds (incidents); the directory's are always these.
    found = {kind: found[kind] for kind in found if kind in importers.IMPORTERS}
    assert found == {
        "local-authorities": importers.import_local_authorities,
        "postcodes": importers.import_postcodes,
        "schools": importers.import_schools,
        "wards": importers.import_wards,
    }
