"""`childfirst import term-dates FILE`: term calendars, bad rows named by row and column, and a
second import that changes nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from childfirst.timescales.models import TermDate, TermDateKind
from childfirst.timescales.services import due_at
from tests.builders import london_local_authority
from tests.timescales.conftest import LONDON, london, make_school

HEADER = "local_authority,school_urn,kind,start_date,end_date,description\n"
GOOD = (
    "E09000012,,term,2026-09-02,2026-12-18,Autumn term\n"
    "E09000012,,holiday,2026-10-26,2026-10-30,Half term\n"
    "e09000012,,INSET day,2026-11-25,2026-11-25,Training day\n"
    "E09000019,,term,02/09/2026,18/12/2026,Autumn term\n"
)


def run(*args) -> list[str]:
    out = StringIO()
    call_command("import", *[str(arg) for arg in args], "--quiet", stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def write(tmp_path, text, name="terms.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def boroughs(db):
    return london_local_authority("E09000012"), london_local_authority("E09000019")


def test_a_term_calendar_imports_and_the_clocks_use_it_at_once(tmp_path, boroughs):
    hackney, _ = boroughs
    evening = london(2026, 11, 24, 18)
    assert due_at(rule="encompass", start=evening, local_authority_id=hackney.pk) == (
        london(2026, 11, 25, 8, 30)
    )

    assert run("term-dates", write(tmp_path, HEADER + GOOD)) == [
        "Imported 4 term dates: 4 new, 0 updated, 0 unchanged."
    ]

    inset = TermDate.objects.get(kind=TermDateKind.INSET)
    assert inset.local_authority == hackney
    assert inset.description == "Training day"
    # The INSET day on Wednesday 25 November moves Operation Encompass to Thursday.
    assert due_at(rule="encompass", start=evening, local_authority_id=hackney.pk) == (
        london(2026, 11, 26, 8, 30)
    )


def test_importing_the_same_file_again_changes_nothing(tmp_path, boroughs):
    path = write(tmp_path, HEADER + GOOD)
    run("term-dates", path)
    before = list(TermDate.objects.order_by("pk").values())
    assert run("term-dates", path) == ["Imported 4 term dates: 0 new, 0 updated, 4 unchanged."]
    assert list(TermDate.objects.order_by("pk").values()) == before


def test_a_corrected_end_date_updates_the_row(tmp_path, boroughs):
    run("term-dates", write(tmp_path, HEADER + GOOD))
    corrected = GOOD.replace("2026-10-26,2026-10-30", "2026-10-26,2026-11-02")
    assert run("term-dates", write(tmp_path, HEADER + corrected, "corrected.csv")) == [
        "Imported 4 term dates: 0 new, 1 updated, 3 unchanged."
    ]
    assert TermDate.objects.get(kind=TermDateKind.HOLIDAY).end_date.isoformat() == "2026-11-02"


def test_bad_rows_are_named_by_row_and_column_and_the_good_rows_imported(tmp_path, boroughs):
    hackney, islington = boroughs
    islington_school = make_school(islington)
    text = (
        HEADER
        + GOOD
        + "E09000099,,term,2026-09-02,2026-12-18,\n"  # row 6
        + "E09000012,,half-term,2027-02-15,2027-02-19,\n"  # row 7: a good alias
        + "E09000012,,exam,2027-02-15,2027-02-19,\n"  # row 8
        + "E09000012,,term,2027-01-04,2026-12-25,\n"  # row 9
        + "E09000012,,term,4 January 2027,2027-03-25,\n"  # row 10
        + "E09000012,,closure,2027-01-04,,\n"  # row 11
        + f"E09000012,{islington_school.urn},inset,2027-01-05,2027-01-05,\n"  # row 12
        + "E09000012,,term,2026-09-02,2026-12-17,Again\n"  # row 13: the same as row 2
        + ",,term,2026-09-02,2026-12-17,\n"  # row 14
    )
    lines = run("term-dates", write(tmp_path, text))
    assert lines == [
        "Imported 5 term dates: 5 new, 0 updated, 0 unchanged.",
        "8 rows skipped:",
        'Row 6, column local_authority: "E09000099" is not a local authority that Child First '
        "knows",
        'Row 8, column kind: "exam" is not one of term, holiday, inset or closure',
        "Row 9, column end_date: 25-12-2026 is before the start date",
        'Row 10, column start_date: "4 January 2027" is not a date like 01-09-2010',
        "Row 11, column end_date: the end date is missing",
        f"Row 12, column school_urn: school {islington_school.urn} is not in Hackney",
        'Row 13, column start_date: "2026-09-02" is also on row 2; only the first is imported',
        "Row 14, column local_authority: the local authority code is missing",
    ]
    assert TermDate.objects.count() == 5


def test_a_file_without_the_columns_imports_nothing_and_says_which_are_missing(tmp_path, db):
    path = write(tmp_path, "gss,kind,from,to\nE09000012,term,2026-09-02,2026-12-18\n")
    with pytest.raises(CommandError, match="missing the columns local_authority, start_date"):
        run("term-dates", path)
    assert not TermDate.objects.exists()


def test_a_school_row_is_that_schools_own(tmp_path, boroughs):
    hackney, _ = boroughs
    school = make_school(hackney)
    run(
        "term-dates",
        write(tmp_path, HEADER + GOOD + f"E09000012,{school.urn},closure,2026-11-26,2026-11-26,\n"),
    )
    own = TermDate.objects.get(school=school)
    assert own.kind == TermDateKind.CLOSURE
    evening = london(2026, 11, 24, 18)
    # 25 November is everyone's INSET day; 26 November is this school's own closure.
    assert due_at(rule="encompass", start=evening, school_id=school.pk).astimezone(
        LONDON
    ) == london(2026, 11, 27, 8, 30)
