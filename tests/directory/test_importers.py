"""Importing reference data from the national files, in the layouts their publishers use."""

import csv
from datetime import date

import pytest

from childfirst.directory.importers import (
    ImportFileError,
    import_local_authorities,
    import_postcodes,
    import_schools,
    import_wards,
)
from childfirst.directory.models import (
    Agency,
    AgencyKind,
    LocalAuthority,
    Postcode,
    School,
    SchoolStatus,
    Ward,
)
from tests.builders import london_local_authority

pytestmark = pytest.mark.django_db

HACKNEY = "E09000012"
ISLINGTON = "E09000019"


def write_csv(path, header, rows, *, encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# Schools: Get Information About Schools' "all establishment data", as published -------------

# The real header's order and spelling; the importer ignores most of these columns.
GIAS_HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)",
    "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)",
    "ReasonEstablishmentOpened (name)",
    "OpenDate",
    "ReasonEstablishmentClosed (code)",
    "ReasonEstablishmentClosed (name)",
    "CloseDate",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "Boarders (code)",
    "Boarders (name)",
    "Gender (name)",
    "ReligiousCharacter (name)",
    "Street",
    "Locality",
    "Address3",
    "Town",
    "County (name)",
    "Postcode",
    "SchoolWebsite",
    "TelephoneNum",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
    "GOR (code)",
    "GOR (name)",
    "DistrictAdministrative (code)",
    "DistrictAdministrative (name)",
    "AdministrativeWard (code)",
    "AdministrativeWard (name)",
    "UKPRN",
    "Easting",
    "Northing",
]

STATUS_CODES = {"Open": "1", "Closed": "2", "Open, but proposed to close": "3"}


def gias_row(urn, name, *, status="Open", **fields):
    """One GIAS row: a Hackney primary school unless told otherwise."""
    values = {
        "URN": str(urn),
        "LA (code)": "204",
        "LA (name)": "Hackney",
        "EstablishmentNumber": "2001",
        "EstablishmentName": name,
        "TypeOfEstablishment (code)": "1",
        "TypeOfEstablishment (name)": "Community school",
        "EstablishmentTypeGroup (code)": "4",
        "EstablishmentTypeGroup (name)": "Local authority maintained schools",
        "EstablishmentStatus (code)": STATUS_CODES.get(status, "4"),
        "EstablishmentStatus (name)": status,
        "ReasonEstablishmentOpened (name)": "Not applicable",
        "OpenDate": "01-09-1995",
        "ReasonEstablishmentClosed (name)": "Not applicable",
        "CloseDate": "",
        "PhaseOfEducation (code)": "2",
        "PhaseOfEducation (name)": "Primary",
        "StatutoryLowAge": "3",
        "StatutoryHighAge": "11",
        "Boarders (name)": "No boarders",
        "Gender (name)": "Mixed",
        "ReligiousCharacter (name)": "Does not apply",
        "Street": "1 Example Road",
        "Locality": "",
        "Address3": "",
        "Town": "London",
        "County (name)": "",
        "Postcode": "E8 1DY",
        "SchoolWebsite": "www.example.org",
        "TelephoneNum": "02079460001",
        "HeadTitle (name)": "Ms",
        "HeadFirstName": "Ada",
        "HeadLastName": "Example",
        "GOR (code)": "H",
        "GOR (name)": "London",
        "DistrictAdministrative (code)": HACKNEY,
        "DistrictAdministrative (name)": "Hackney",
        "AdministrativeWard (code)": "E05009367",
        "AdministrativeWard (name)": "Test Ward",
        "UKPRN": "",
        "Easting": "534000",
        "Northing": "184000",
    }
    values.update(fields)
    return [values.get(column, "") for column in GIAS_HEADER]


def good_schools():
    return [
        gias_row(100001, "St Mary’s Church of England Primary School"),
        gias_row(
            100002,
            "École Maternelle de Dalston",
            status="Open, but proposed to close",
            **{
                "PhaseOfEducation (name)": "Not applicable",
                "StatutoryLowAge": "Not applicable",
                "StatutoryHighAge": "",
                "Postcode": "e81dy",
                "Locality": "Dalston",
                "Address3": "Off Kingsland Road",
            },
        ),
        gias_row(100003, "Old Road Infants", status="Closed", CloseDate="31-08-2019"),
        gias_row(
            100004,
            "Islington New Free School",
            status="Proposed to open",
            OpenDate="01-09-2027",
            **{"LA (code)": "206", "LA (name)": "Islington", "DistrictAdministrative (code)": ""},
        ),
    ]


@pytest.fixture
def ward():
    return Ward.objects.create(
        gss_code="E05009367", name="Test Ward", local_authority=london_local_authority(HACKNEY)
    )


def test_a_gias_file_in_windows_1252_imports_open_closed_and_proposed_schools(tmp_path, ward):
    path = write_csv(tmp_path / "edubase.csv", GIAS_HEADER, good_schools(), encoding="cp1252")
    assert b"St Mary\x92s" in path.read_bytes()  # really Windows-1252, as the DfE publishes it

    report = import_schools(path=path)

    assert (report.created, report.updated, report.unchanged, report.bad_row_count) == (4, 0, 0, 0)
    st_marys = School.objects.get(urn=100001)
    assert st_marys.name == "St Mary’s Church of England Primary School"
    assert st_marys.local_authority.gss_code == HACKNEY
    assert st_marys.ward == ward
    assert st_marys.status == SchoolStatus.OPEN
    assert (st_marys.kind, st_marys.phase) == ("Community school", "Primary")
    assert (st_marys.low_age, st_marys.high_age) == (3, 11)
    assert (st_marys.street, st_marys.town, st_marys.postcode) == (
        "1 Example Road",
        "London",
        "E8 1DY",
    )
    assert (st_marys.telephone, st_marys.website) == ("02079460001", "www.example.org")
    assert (st_marys.opened_on, st_marys.closed_on) == (date(1995, 9, 1), None)

    ecole = School.objects.get(urn=100002)
    assert ecole.name == "École Maternelle de Dalston"
    assert ecole.status == SchoolStatus.OPEN_PROPOSED_TO_CLOSE
    assert (ecole.low_age, ecole.high_age) == (None, None)
    assert ecole.postcode == "E8 1DY"
    assert ecole.locality == "Dalston, Off Kingsland Road"

    closed = School.objects.get(urn=100003)
    assert (closed.status, closed.closed_on) == (SchoolStatus.CLOSED, date(2019, 8, 31))

    proposed = School.objects.get(urn=100004)
    assert proposed.status == SchoolStatus.PROPOSED_TO_OPEN
    assert proposed.local_authority.gss_code == ISLINGTON  # found by its DfE code, 206


def test_each_open_school_gets_its_own_school_agency_and_others_get_none(tmp_path):
    path = write_csv(tmp_path / "edubase.csv", GIAS_HEADER, good_schools(), encoding="cp1252")

    import_schools(path=path)

    st_marys = School.objects.select_related("agency").get(urn=100001)
    assert st_marys.agency.code == "school-100001"
    assert st_marys.agency.name == st_marys.name
    assert st_marys.agency.kind == AgencyKind.SCHOOL
    assert st_marys.agency.local_authority.gss_code == HACKNEY
    assert st_marys.agency.is_active
    assert School.objects.get(urn=100002).agency.code == "school-100002"
    assert School.objects.get(urn=100003).agency is None
    assert School.objects.get(urn=100004).agency is None
    assert Agency.objects.filter(kind=AgencyKind.SCHOOL).count() == 2


def test_schools_in_authorities_child_first_does_not_have_are_counted_not_reported(tmp_path):
    kent = gias_row(
        118000,
        "Ashford Example Primary School",
        **{
            "LA (code)": "886",
            "LA (name)": "Kent",
            "DistrictAdministrative (code)": "E07000105",
            "Postcode": "TN23 1AA",
        },
    )
    path = write_csv(
        tmp_path / "edubase.csv", GIAS_HEADER, [*good_schools(), kent], encoding="cp1252"
    )

    report = import_schools(path=path)

    assert report.created == 4
    assert report.skipped == 1
    assert report.bad_row_count == 0
    assert not School.objects.filter(urn=118000).exists()
    assert "Left out 1 school in a local authority Child First does not have." in report.summary()


def test_bad_school_rows_are_reported_by_row_and_column_and_the_good_rows_imported(tmp_path):
    rows = [
        *good_schools(),  # lines 2 to 5
        gias_row("12A45", "Not A Number School"),  # line 6
        gias_row(100006, ""),  # line 7
        gias_row(100007, "Bad Postcode Academy", Postcode="E8 1D"),  # line 8
        gias_row(100008, "Bad Date School", OpenDate="31-02-2001"),  # line 9
        gias_row(100009, "Unheard Of Status School", status="Shut"),  # line 10
        gias_row(100001, "St Mary’s again"),  # line 11
    ]
    path = write_csv(tmp_path / "edubase.csv", GIAS_HEADER, rows, encoding="cp1252")

    report = import_schools(path=path)

    assert report.created == 4
    assert [str(problem) for problem in report.bad_rows] == [
        'Row 6, column URN: "12A45" is not a URN: a URN is a whole number, like 100000',
        "Row 7, column EstablishmentName: the school's name is missing",
        'Row 8, column Postcode: "E8 1D" is not a UK postcode',
        'Row 9, column OpenDate: "31-02-2001" is not a date like 01-09-2010',
        'Row 10, column EstablishmentStatus (name): "Shut" is not a status: use Open, Closed, '
        "Open, but proposed to close, or Proposed to open",
        'Row 11, column URN: "100001" is also on row 2; only the first is imported',
    ]
    assert report.bad_row_count == 6
    assert set(School.objects.values_list("urn", flat=True)) == {100001, 100002, 100003, 100004}
    assert School.objects.get(urn=100001).name == "St Mary’s Church of England Primary School"
    assert not Agency.objects.filter(code__in=["school-100006", "school-100007"]).exists()


def test_importing_the_same_schools_file_again_changes_nothing_and_keeps_the_dsl(tmp_path):
    path = write_csv(tmp_path / "edubase.csv", GIAS_HEADER, good_schools(), encoding="cp1252")
    import_schools(path=path)
    School.objects.filter(urn=100001).update(
        dsl_name="Jo Example",
        dsl_email="dsl@example.org",
        dsl_phone="020 7946 0002",
        school_day_starts="08:45",
    )
    before = list(School.objects.order_by("urn").values())
    agencies_before = list(Agency.objects.order_by("code").values())

    report = import_schools(path=path)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert list(School.objects.order_by("urn").values()) == before
    assert list(Agency.objects.order_by("code").values()) == agencies_before
    st_marys = School.objects.get(urn=100001)
    assert (st_marys.dsl_name, st_marys.dsl_email, st_marys.dsl_phone) == (
        "Jo Example",
        "dsl@example.org",
        "020 7946 0002",
    )


def test_a_renamed_school_is_updated_with_its_agency_and_keeps_its_dsl(tmp_path):
    first = write_csv(tmp_path / "first.csv", GIAS_HEADER, good_schools(), encoding="cp1252")
    import_schools(path=first)
    School.objects.filter(urn=100001).update(dsl_name="Jo Example", dsl_email="dsl@example.org")
    rows = good_schools()
    rows[0] = gias_row(
        100001, "St Mary’s Primary Academy", StatutoryHighAge="7", Street="2 Example Road"
    )
    second = write_csv(tmp_path / "second.csv", GIAS_HEADER, rows, encoding="cp1252")

    report = import_schools(path=second)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    school = School.objects.select_related("agency").get(urn=100001)
    assert (school.name, school.high_age, school.street) == (
        "St Mary’s Primary Academy",
        7,
        "2 Example Road",
    )
    assert school.agency.name == "St Mary’s Primary Academy"
    assert (school.dsl_name, school.dsl_email) == ("Jo Example", "dsl@example.org")
    assert Agency.objects.filter(code="school-100001").count() == 1


def test_a_school_that_closes_keeps_its_agency_but_the_agency_becomes_inactive(tmp_path):
    first = write_csv(tmp_path / "first.csv", GIAS_HEADER, good_schools(), encoding="cp1252")
    import_schools(path=first)
    agency = School.objects.get(urn=100001).agency
    rows = good_schools()
    rows[0] = gias_row(
        100001,
        "St Mary’s Church of England Primary School",
        status="Closed",
        CloseDate="31-08-2026",
    )
    second = write_csv(tmp_path / "second.csv", GIAS_HEADER, rows, encoding="cp1252")

    import_schools(path=second)

    school = School.objects.get(urn=100001)
    assert school.status == SchoolStatus.CLOSED
    assert school.closed_on == date(2026, 8, 31)
    assert school.agency == agency
    agency.refresh_from_db()
    assert not agency.is_active


def test_a_proposed_school_gets_its_agency_when_a_later_import_shows_it_open(tmp_path):
    first = write_csv(tmp_path / "first.csv", GIAS_HEADER, good_schools(), encoding="cp1252")
    import_schools(path=first)
    rows = good_schools()
    rows[3] = gias_row(
        100004,
        "Islington New Free School",
        OpenDate="01-09-2027",
        **{"LA (code)": "206", "LA (name)": "Islington", "DistrictAdministrative (code)": ""},
    )
    second = write_csv(tmp_path / "second.csv", GIAS_HEADER, rows, encoding="cp1252")

    report = import_schools(path=second)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    school = School.objects.select_related("agency__local_authority").get(urn=100004)
    assert school.status == SchoolStatus.OPEN
    assert school.agency.code == "school-100004"
    assert school.agency.local_authority.gss_code == ISLINGTON
    assert school.agency.is_active


def test_an_import_never_replaces_an_agency_an_administrator_linked(tmp_path):
    first = write_csv(tmp_path / "first.csv", GIAS_HEADER, good_schools(), encoding="cp1252")
    import_schools(path=first)
    federation = Agency.objects.create(
        code="dalston-federation", name="Dalston Schools Federation", kind=AgencyKind.SCHOOL
    )
    School.objects.filter(urn=100001).update(agency=federation)
    rows = good_schools()
    rows[0] = gias_row(100001, "St Mary’s Primary Academy")
    second = write_csv(tmp_path / "second.csv", GIAS_HEADER, rows, encoding="cp1252")

    import_schools(path=second)

    school = School.objects.select_related("agency").get(urn=100001)
    assert school.agency == federation
    assert school.agency.name == "Dalston Schools Federation"


def test_a_utf8_schools_file_with_a_byte_order_mark_imports_the_same(tmp_path):
    path = write_csv(tmp_path / "edubase.csv", GIAS_HEADER, good_schools(), encoding="utf-8-sig")

    report = import_schools(path=path)

    assert report.created == 4
    assert School.objects.get(urn=100002).name == "École Maternelle de Dalston"


def test_a_schools_file_without_the_columns_it_needs_imports_nothing_and_names_them(tmp_path):
    header = [column for column in GIAS_HEADER if column not in {"URN", "LA (code)"}]
    path = write_csv(tmp_path / "edubase.csv", header, [["x"] * len(header)])

    with pytest.raises(ImportFileError, match=r"missing the columns URN, LA \(code\)"):
        import_schools(path=path)
    assert not School.objects.exists()


# Wards: ONS's Ward to Local Authority District lookup ----------------------------------------


def test_an_ons_ward_lookup_of_any_year_imports_wards_into_their_authorities(tmp_path):
    path = write_csv(
        tmp_path / "WD23_LAD23_UK_LU.csv",
        ["WD23CD", "WD23NM", "WD23NMW", "LAD23CD", "LAD23NM", "ObjectId"],
        [
            ["E05009367", "Dalston", "", HACKNEY, "Hackney", "1"],
            ["E05013702", "Barnsbury", "", ISLINGTON, "Islington", "2"],
        ],
    )

    report = import_wards(path=path)

    assert (report.created, report.bad_row_count) == (2, 0)
    dalston = Ward.objects.get(gss_code="E05009367")
    assert (dalston.name, dalston.local_authority.gss_code) == ("Dalston", HACKNEY)
    assert Ward.objects.get(gss_code="E05013702").local_authority.gss_code == ISLINGTON


def test_a_ward_in_an_authority_not_loaded_is_left_out_and_a_bad_code_is_a_bad_row(tmp_path):
    path = write_csv(
        tmp_path / "wards.csv",
        ["WD24CD", "WD24NM", "LAD24CD", "LAD24NM"],
        [
            ["E05009367", "Dalston", HACKNEY, "Hackney"],
            ["E05004000", "Ashford Central", "E07000105", "Ashford"],
            ["E0500936", "Short Code", HACKNEY, "Hackney"],
        ],
    )

    report = import_wards(path=path)

    assert (report.created, report.skipped) == (1, 1)
    assert "Left out 1 ward in a local authority Child First does not have." in report.summary()
    assert [str(problem) for problem in report.bad_rows] == [
        'Row 4, column WD24CD: "E0500936" is not an ONS ward code, like E05009367',
    ]
    assert list(Ward.objects.values_list("gss_code", flat=True)) == ["E05009367"]


def test_wards_in_child_first_layout_are_updated_and_a_second_import_changes_nothing(tmp_path):
    header = ["gss_code", "name", "local_authority_code"]
    first = write_csv(tmp_path / "first.csv", header, [["E05009367", "Dalston", HACKNEY]])
    import_wards(path=first)
    second = write_csv(
        tmp_path / "second.csv",
        header,
        [["e05009367", "Dalston and De Beauvoir", HACKNEY], ["E05013702", "Barnsbury", ISLINGTON]],
    )

    changed = import_wards(path=second)
    again = import_wards(path=second)

    assert (changed.created, changed.updated, changed.unchanged) == (1, 1, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Ward.objects.get(gss_code="E05009367").name == "Dalston and De Beauvoir"
    assert Ward.objects.count() == 2


# Postcodes: the ONS Postcode Directory ------------------------------------------------------

ONSPD_HEADER = [
    "pcd",
    "pcd2",
    "pcds",
    "dointr",
    "doterm",
    "oscty",
    "ced",
    "oslaua",
    "osward",
    "parish",
    "usertype",
    "oseast1m",
    "osnrth1m",
    "osgrdind",
    "ctry",
    "rgn",
    "pcon",
    "lat",
    "long",
    "pfa",
    "oa21",
    "lsoa21",
]


def onspd_row(pcds, oslaua, osward, *, doterm=""):
    outward, inward = pcds.split(" ")
    return {
        "pcd": f"{outward:<4}{inward}",
        "pcd2": f"{outward:<5}{inward}",
        "pcds": pcds,
        "dointr": "198001",
        "doterm": doterm,
        "oscty": "E99999999",
        "oslaua": oslaua,
        "osward": osward,
        "usertype": "0",
        "ctry": "E92000001",
        "rgn": "E12000007",
        "lat": "51.546",
        "long": "-0.075",
        "pfa": "E23000001",
    }


def onspd(path, rows, header=ONSPD_HEADER):
    return write_csv(path, header, [[row.get(c, "") for c in header] for row in rows])


@pytest.fixture
def wards():
    hackney = london_local_authority(HACKNEY)
    return {
        code: Ward.objects.create(gss_code=code, name=name, local_authority=hackney)
        for code, name in [("E05009367", "Dalston"), ("E05009368", "De Beauvoir")]
    }


def test_the_postcode_directory_imports_postcodes_in_their_standard_form(tmp_path, wards):
    path = onspd(
        tmp_path / "ONSPD.csv",
        [
            onspd_row("E8 1DY", HACKNEY, "E05009367"),
            onspd_row("N1 9GU", ISLINGTON, "E05013702"),  # a ward Child First lacks
            onspd_row("E8 2AA", HACKNEY, "E05009368", doterm="200812"),  # terminated
            onspd_row("TN23 1AA", "E07000105", "E05004000"),  # an authority Child First lacks
            onspd_row("E8 1D", HACKNEY, "E05009367"),
        ],
    )

    report = import_postcodes(path=path)

    assert (report.created, report.skipped, report.bad_row_count) == (2, 2, 1)
    dalston = Postcode.objects.get(postcode="E8 1DY")
    assert (dalston.local_authority.gss_code, dalston.ward) == (HACKNEY, wards["E05009367"])
    barnsbury = Postcode.objects.get(postcode="N1 9GU")
    assert (barnsbury.local_authority.gss_code, barnsbury.ward) == (ISLINGTON, None)
    assert [str(problem) for problem in report.warnings] == [
        'Row 3, column osward: "E05013702" is not a ward that Child First knows, '
        "so N1 9GU was stored without a ward"
    ]
    assert [str(problem) for problem in report.bad_rows] == [
        'Row 6, column pcds: "E8 1D" is not a UK postcode',
    ]
    assert not Postcode.objects.filter(postcode__in=["E8 2AA", "TN23 1AA"]).exists()
    assert "Left out 1 terminated postcode." in report.summary()
    assert "Left out 1 postcode in a local authority Child First does not have." in (
        report.summary()
    )


def test_the_postcode_directory_without_pcds_uses_its_seven_character_postcodes(tmp_path):
    header = [column for column in ONSPD_HEADER if column not in {"pcds", "pcd2"}]
    path = onspd(tmp_path / "ONSPD.csv", [onspd_row("E8 1DY", HACKNEY, "")], header=header)

    import_postcodes(path=path)

    assert Postcode.objects.get().postcode == "E8 1DY"


def test_importing_postcodes_again_in_batches_changes_nothing(tmp_path, wards):
    rows = [onspd_row(f"E8 {n}DY", HACKNEY, "E05009367") for n in range(1, 8)]
    path = onspd(tmp_path / "ONSPD.csv", rows)
    seen = []
    import_postcodes(path=path, batch_size=3, progress=seen.append)

    report = import_postcodes(path=path, batch_size=3)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 7)
    assert Postcode.objects.count() == 7
    assert [progress.rows for progress in seen] == [3, 6, 7]
    assert seen[-1].bytes_read == seen[-1].total_bytes == path.stat().st_size


def test_a_postcode_that_moved_ward_is_updated(tmp_path, wards):
    import_postcodes(path=onspd(tmp_path / "a.csv", [onspd_row("E8 1DY", HACKNEY, "E05009367")]))

    report = import_postcodes(
        path=onspd(tmp_path / "b.csv", [onspd_row("E8 1DY", HACKNEY, "E05009368")])
    )

    assert (report.created, report.updated) == (0, 1)
    assert Postcode.objects.get(postcode="E8 1DY").ward == wards["E05009368"]


def test_postcodes_in_child_first_layout_are_normalised(tmp_path, wards):
    path = write_csv(
        tmp_path / "postcodes.csv",
        ["postcode", "local_authority_code", "ward_code"],
        [["e81dy", HACKNEY, "E05009367"], ["n19gu", ISLINGTON, ""], ["E8 1DY", HACKNEY, ""]],
    )

    report = import_postcodes(path=path)

    assert sorted(Postcode.objects.values_list("postcode", flat=True)) == ["E8 1DY", "N1 9GU"]
    assert report.warning_count == 0
    assert [str(problem) for problem in report.bad_rows] == [
        'Row 4, column postcode: "E8 1DY" is also on row 2; only the first is imported'
    ]


# Local authorities ---------------------------------------------------------------------------


def test_an_ons_local_authority_file_adds_authorities_and_keeps_dfe_codes(tmp_path):
    path = write_csv(
        tmp_path / "LAD_DEC_2024_UK_NC.csv",
        ["FID", "LAD24CD", "LAD24NM", "LAD24NMW", "BNG_E", "BNG_N"],
        [
            ["1", "E07000105", "Ashford", "", "600000", "140000"],
            ["2", "W06000015", "Cardiff", "Caerdydd", "318000", "177000"],
            ["3", HACKNEY, "Hackney", "", "535000", "185000"],
            ["4", "S12000033", "Aberdeen City", "", "394000", "806000"],
            ["5", "N09000003", "Belfast", "", "", ""],
        ],
    )

    report = import_local_authorities(path=path)

    assert (report.created, report.updated, report.unchanged) == (4, 0, 1)
    assert LocalAuthority.objects.get(gss_code="W06000015").name == "Cardiff"
    hackney = LocalAuthority.objects.get(gss_code=HACKNEY)
    assert (hackney.dfe_code, hackney.police_force) == ("204", "Metropolitan Police Service")
    assert LocalAuthority.objects.count() == 37


def test_local_authorities_in_child_first_layout_are_checked_row_by_row(tmp_path):
    path = write_csv(
        tmp_path / "authorities.csv",
        ["gss_code", "name", "dfe_code", "region", "police_force"],
        [
            ["E06000043", "Brighton and Hove", "846", "South East", "Sussex Police"],
            ["X09000001", "Nowhere", "", "", ""],
            ["E07000105", "Ashford", "2044", "South East", "Kent Police"],
            ["E07000106", "", "", "South East", "Kent Police"],
            [HACKNEY, "London Borough of Hackney", "204", "London", "Metropolitan Police Service"],
        ],
    )

    report = import_local_authorities(path=path)

    assert (report.created, report.updated) == (1, 1)
    brighton = LocalAuthority.objects.get(gss_code="E06000043")
    assert (brighton.dfe_code, brighton.region, brighton.police_force) == (
        "846",
        "South East",
        "Sussex Police",
    )
    assert LocalAuthority.objects.get(gss_code=HACKNEY).name == "London Borough of Hackney"
    assert [str(problem) for problem in report.bad_rows] == [
        'Row 3, column gss_code: "X09000001" is not an ONS local authority code, like E09000012',
        'Row 4, column dfe_code: "2044" is not a DfE code: it has three digits, like 204',
        "Row 5, column name: the local authority's name is missing",
    ]


def test_a_local_authority_file_without_names_imports_nothing_and_says_so(tmp_path):
    path = write_csv(tmp_path / "authorities.csv", ["LAD24CD", "BNG_E"], [["E07000105", "1"]])

    with pytest.raises(ImportFileError, match="missing the column LADyyNM"):
        import_local_authorities(path=path)
    assert not LocalAuthority.objects.filter(gss_code="E07000105").exists()


# Files that cannot be imported at all --------------------------------------------------------


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ImportFileError, match="There is no file at"):
        import_wards(path=tmp_path / "nowhere.csv")


def test_an_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")

    with pytest.raises(ImportFileError, match="empty"):
        import_postcodes(path=path)


def test_a_file_that_is_not_text_is_a_clear_error(tmp_path):
    path = tmp_path / "ONSPD.zip"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)))

    with pytest.raises(ImportFileError, match="not a CSV file"):
        import_postcodes(path=path)
