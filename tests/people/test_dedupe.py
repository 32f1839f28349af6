"""`childfirst identity dedupe`: the app's matcher on any CSV of people."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = ["rec", "first", "last", "dob", "gender", "pc", "addr", "nhs", "who"]
ROWS = [
    ["r1", "William", "Okafor", "07/03/2014", "M", "E8 1DY", "Flat 2, 14 Albion Road", "", "A"],
    ["r2", "Bill", "Okafor", "2014-03-07", "male", "E8 1DY", "14 Albion Rd, flat 2", "", "A"],
    ["r3", "Wiliam", "Okafor", "7 Mar 2014", "", "", "", "", "A"],
    ["r4", "Harry", "Okafor", "07/03/2014", "M", "E8 1DY", "Flat 2, 14 Albion Road", "", "B"],
    ["r5", "William", "Okafor", "02/11/1986", "M", "E8 1DY", "Flat 2, 14 Albion Road", "", "C"],
    ["r6", "Amara", "Mensah", "", "F", "", "", "943 476 5919", "D"],
    ["r7", "Amarah", "Mensa", "1990-04-12", "F", "N1 2AB", "3 Canal Street", "9434765919", "D"],
]
MAP = (
    "given_name=first,surname=last,date_of_birth=dob,sex=gender,postcode=pc,address=addr,"
    "nhs_number=nhs"
)


@pytest.fixture
def people_csv(tmp_path):
    path = tmp_path / "people.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def run(*args):
    out = StringIO()
    call_command("identity", "dedupe", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def read_pairs(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


pytestmark = pytest.mark.django_db


def test_dedupe_writes_pairs_and_prints_precision_recall_and_f1(people_csv, tmp_path):
    out_path = tmp_path / "pairs.csv"
    printed = run(people_csv, "--id-column", "rec", "--map", MAP, "--truth", "who",
                  "--out", out_path)  # fmt: skip
    pairs = read_pairs(out_path)
    assert list(pairs[0]) == ["id_l", "id_r", "match_probability"]
    found = {(p["id_l"], p["id_r"]) for p in pairs}
    assert ("r1", "r2") in found and ("r6", "r7") in found
    assert not found & {("r1", "r4"), ("r1", "r5")}  # the twin and the father
    assert all(float(p["match_probability"]) >= 0.5 for p in pairs)
    assert "precision: 1.0000" in printed
    assert "recall: 1.0000" in printed
    assert "f1: 1.0000" in printed


def test_dedupe_without_truth_writes_pairs_at_or_above_the_threshold(people_csv, tmp_path):
    out_path = tmp_path / "pairs.csv"
    printed = run(people_csv, "--id-column", "rec", "--map", MAP, "--threshold", "0.9",
                  "--out", out_path)  # fmt: skip
    assert "precision" not in printed
    assert all(float(p["match_probability"]) >= 0.9 for p in read_pairs(out_path))


def test_dedupe_understands_address_parts_and_compact_dates(tmp_path):
    path = tmp_path / "febrl.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "rec_id",
                "given_name",
                "surname",
                "street_number",
                "address_1",
                "address_2",
                "suburb",
                "postcode",
                "date_of_birth",
                "entity",
            ]
        )
        writer.writerow(
            ["a-0", "joshua", "smith", "12", "barrett street", "", "kew", "3101", "19800512", "1"]
        )
        writer.writerow(
            ["a-1", "josh", "smith", "12", "barret street", "", "kew", "3101", "19800512", "1"]
        )
        writer.writerow(["b-0", "emma", "jones", "4", "high street", "", "kew", "3101",
                         "19911103", "2"])  # fmt: skip
    out_path = tmp_path / "pairs.csv"
    fields = ("given_name", "surname", "street_number", "address_1", "address_2", "suburb",
              "postcode", "date_of_birth")  # fmt: skip
    printed = run(path, "--id-column", "rec_id", "--map", ",".join(f"{f}={f}" for f in fields),
                  "--truth", "entity", "--out", out_path)  # fmt: skip
    assert [(p["id_l"], p["id_r"]) for p in read_pairs(out_path)] == [("a-0", "a-1")]
    assert "f1: 1.0000" in printed


def test_dedupe_reads_a_file_with_spaces_after_its_commas(tmp_path):
    """As the FEBRL test files are written: "rec_id, given_name, ..." and "a-0, joshua, ..."."""
    path = tmp_path / "spaced.csv"
    path.write_text(
        "rec_id, given_name, surname, date_of_birth, postcode\n"
        "a-0, joshua, smith, 19800512, 3101\n"
        "a-1, josh, smith, 19800512, 3101\n"
        "b-0, emma, jones, 19911103, 3101\n",
        encoding="utf-8",
    )
    out_path = tmp_path / "pairs.csv"
    run(path, "--id-column", "rec_id", "--map",
        "given_name=given_name,surname=surname,date_of_birth=date_of_birth,postcode=postcode",
        "--out", out_path)  # fmt: skip
    assert [(p["id_l"], p["id_r"]) for p in read_pairs(out_path)] == [("a-0", "a-1")]


def test_dedupe_reads_a_windows_1252_file_and_refuses_one_that_is_not_csv(tmp_path):
    latin = tmp_path / "excel.csv"
    latin.write_bytes(
        b"id,given,surname,dob\n1,Zo\xeb,Smith,01/02/2010\n2,Zo\xeb,Smith,01/02/2010\n"
    )
    out_path = tmp_path / "pairs.csv"
    mapping = "given_name=given,surname=surname,date_of_birth=dob"
    run(latin, "--id-column", "id", "--map", mapping, "--out", out_path)
    assert [(p["id_l"], p["id_r"]) for p in read_pairs(out_path)] == [("1", "2")]

    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"id,given,surname,dob\n1,Zoe,Smith,01/02/2010\n2," + b"x" * 200_000 + b"\n")
    with pytest.raises(CommandError, match=r"broken.csv, line \d+: cannot be read as CSV"):
        run(broken, "--id-column", "id", "--map", mapping, "--out", out_path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "given_name=first,nickname=x"], "unknown field 'nickname'"),
        (["--map", "given_name"], "should be FIELD=COLUMN"),
        (["--map", "given_name=nope"], "no column for --map given_name"),
        (["--map", MAP, "--threshold", "1.5"], "--threshold must be between 0 and 1"),
    ],
)
def test_dedupe_says_what_is_wrong_with_its_arguments(people_csv, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run(people_csv, "--id-column", "rec", *args, "--out", tmp_path / "pairs.csv")
