"""The synthetic data generator: deterministic, with known truth and configurable errors."""

import csv
from collections import Counter, defaultdict
from datetime import date, datetime

import pytest

from childfirst.people import synthetic
from childfirst.people.identifiers import clean_pnc_id, valid_nhs_number

NO_ERRORS = {key: 0.0 for key in synthetic.DEFAULT_ERROR_RATES}
PERSON_KEYS = {"ref", "role", "given_name", "surname", "_entity_id"}
OPTIONAL_PERSON_KEYS = {
    "date_of_birth",
    "sex",
    "ethnicity",
    "address",
    "postcode",
    "nhs_number",
    "pnc_id",
    "age",
    "appears_under_18",
    "present",
    "where_during_incident",
    "school_urn",
    "voice",
}


@pytest.fixture(scope="module")
def payloads():
    return list(synthetic.incidents(3000, seed=11))


def test_the_same_seed_gives_the_same_person_records():
    first = list(synthetic.person_records(2000, seed=5))
    again = list(synthetic.person_records(2000, seed=5))
    other = list(synthetic.person_records(2000, seed=6))
    assert first == again
    assert first != other


def test_the_same_seed_gives_the_same_incidents():
    assert list(synthetic.incidents(200, seed=5)) == list(synthetic.incidents(200, seed=5))
    assert list(synthetic.incidents(200, seed=5)) != list(synthetic.incidents(200, seed=6))


def test_person_records_have_the_documented_columns_and_unique_record_ids():
    rows = list(synthetic.person_records(1000, seed=1))
    assert all(tuple(row) == synthetic.PERSON_COLUMNS for row in rows)
    assert len({row["record_id"] for row in rows}) == len(rows)
    assert len({row["entity_id"] for row in rows}) == 1000


def test_without_errors_every_record_of_an_entity_describes_the_same_person():
    rows = list(
        synthetic.person_records(3000, seed=2, mentions_per_person=3.0, error_rates=NO_ERRORS)
    )
    by_entity = defaultdict(set)
    for row in rows:
        by_entity[row["entity_id"]].add(tuple(v for k, v in row.items() if k != "record_id"))
    assert all(len(versions) == 1 for versions in by_entity.values())
    assert sum(len(rows) for rows in by_entity.values()) == len(by_entity)
    assert len(rows) > 2.5 * len(by_entity)


def test_a_person_keeps_the_same_truth_across_incidents():
    truth = {}
    for payload in synthetic.incidents(2000, seed=3, error_rates=NO_ERRORS):
        for person in payload["people"]:
            details = (person["given_name"], person["surname"], person["date_of_birth"])
            assert truth.setdefault(person["_entity_id"], details) == details


def test_people_reappear_in_several_incidents(payloads):
    appearances = Counter(
        person["_entity_id"] for payload in payloads for person in payload["people"]
    )
    assert sum(1 for count in appearances.values() if count >= 3) > 50


def test_twins_share_date_of_birth_surname_and_address_but_not_given_name():
    pairs = 0
    for household in synthetic.households(20000, seed=4):
        children = {child.entity_id: child for child in household.children}
        for child in household.children:
            if child.twin_of:
                twin = children[child.twin_of]
                assert twin.twin_of == child.entity_id
                assert twin.date_of_birth == child.date_of_birth
                # The same surname, in its feminine form for a Polish girl (Kowalski, Kowalska).
                assert twin.surname[:-1] == child.surname[:-1]
                assert twin.household_id == child.household_id
                assert twin.given_name != child.given_name
                pairs += 1
    assert pairs // 2 >= 50


def test_some_children_share_a_parent_exact_given_name():
    juniors = 0
    for household in synthetic.households(20000, seed=4):
        adults = {adult.entity_id: adult for adult in household.adults}
        for child in household.children:
            if child.junior_of:
                assert adults[child.junior_of].given_name == child.given_name
                juniors += 1
    assert juniors >= 20


def test_children_are_0_to_17_and_households_have_at_most_5():
    as_of = date(2026, 1, 1)
    for household in synthetic.households(10000, seed=4, as_of=as_of):
        assert len(household.children) <= 5
        assert 1 <= len([a for a in household.adults if a.role != "grandparent"]) <= 2
        for child in household.children:
            assert 0 <= child.age_on(as_of) <= 17


def test_recording_errors_occur_at_roughly_the_configured_rates():
    rates = {
        "typo": 0.1,
        "name_swap": 0.05,
        "sex_unknown": 0.08,
        "dob_missing": 0.1,
        "dob_year_only": 0.05,
        "address_missing": 0.04,
        "nhs_missing": 0.5,
    }
    rows = list(
        synthetic.person_records(
            5000, seed=7, mentions_per_person=2.0, error_rates=rates, with_errors=True
        )
    )
    assert len(rows) >= 9000
    counts = Counter(error for row in rows for error in row["errors"].split(";") if error)
    for error in ("typo", "name_swap", "sex_unknown", "dob_missing", "dob_year_only"):
        assert counts[error] / len(rows) == pytest.approx(rates[error], abs=0.015), error
    assert sum(row["sex"] == "unknown" for row in rows) == counts["sex_unknown"]
    assert sum(row["date_of_birth"] == "" for row in rows) == counts["dob_missing"]
    assert sum(len(row["date_of_birth"]) == 4 for row in rows) == counts["dob_year_only"]
    with_nhs = sum(1 for row in rows if row["nhs_number"]) + counts["nhs_missing"]
    assert counts["nhs_missing"] / with_nhs == pytest.approx(0.5, abs=0.03)


def test_nicknames_and_transliterations_appear_in_records():
    rows = list(synthetic.person_records(5000, seed=8, with_errors=True))
    counts = Counter(error for row in rows for error in row["errors"].split(";") if error)
    assert counts["nickname"] > 0
    assert counts["transliteration"] > 0
    assert counts["surname_part"] > 0


def test_an_unknown_error_rate_is_refused():
    with pytest.raises(ValueError, match="Unknown error rates: tpyo"):
        list(synthetic.person_records(10, seed=1, error_rates={"tpyo": 0.1}))


def test_generated_nhs_numbers_pass_the_modulus_11_check_and_are_not_shared():
    owners = {}
    for household in synthetic.households(20000, seed=9):
        for person in household.people:
            if person.nhs_number:
                assert valid_nhs_number(person.nhs_number), person.nhs_number
                assert owners.setdefault(person.nhs_number, person.entity_id) == person.entity_id
    assert len(owners) > 5000


def test_pnc_ids_have_the_usual_form_and_belong_mostly_to_adults():
    adults = children = 0
    for household in synthetic.households(20000, seed=9):
        for person in household.people:
            if person.pnc_id:
                assert clean_pnc_id(person.pnc_id) == person.pnc_id
                if person.role == "child":
                    children += 1
                else:
                    adults += 1
    assert adults > children > 0


def test_postcode_districts_cover_the_32_met_boroughs():
    districts = synthetic.london_postcode_districts()
    assert sorted(districts) == [f"E090000{n:02d}" for n in range(2, 34)]
    assert {"E5", "E8", "E9", "N16"} <= set(districts["E09000012"])
    assert {"CR0", "CR2", "CR7"} <= set(districts["E09000008"])
    every = [code for codes in districts.values() for code in codes]
    assert len(every) == len(set(every))


def test_every_address_is_in_london_with_a_postcode_from_its_borough():
    districts = synthetic.london_postcode_districts()
    boroughs = set()
    for household in synthetic.households(20000, seed=10):
        for place in filter(None, (household.home, household.moved_to)):
            outward, inward = place.postcode.split(" ")
            assert outward in districts[place.borough]
            assert len(inward) == 3 and inward[0].isdigit()
            assert place.address.endswith(", London")
            boroughs.add(place.borough)
    assert len(boroughs) == 32


def test_the_name_pool_has_several_hundred_names_and_common_names_collide():
    sizes = synthetic.name_pool_sizes()
    assert sizes["given_names"] >= 500
    assert sizes["surnames"] >= 400
    men = Counter(
        adult.given_name
        for household in synthetic.households(30000, seed=12)
        for adult in household.adults
        if adult.sex == "male"
    )
    assert men["Mohammed"] >= 20


def test_ethnicities_use_the_2021_census_categories():
    labels = {synthetic.ethnicity_label(key) for key in synthetic.ETHNICITIES_19}
    assert len(labels) == 19
    for household in synthetic.households(5000, seed=13):
        for person in household.people:
            assert person.ethnicity in labels
            assert person.ethnic_group in synthetic.ETHNIC_GROUPS_5
            assert len(person.ethnicity) <= 60


def test_payloads_have_the_intake_shape(payloads):
    for payload in payloads:
        assert payload["source_system"] in ("NICHE", "CONNECT")
        assert payload["kind"] in synthetic.KINDS
        occurred = datetime.fromisoformat(payload["occurred_at"])
        reported = datetime.fromisoformat(payload["reported_at"])
        assert occurred.tzinfo is not None
        assert date(2025, 1, 1) <= occurred.date() < date(2026, 1, 1)
        assert occurred < reported
        assert set(payload["location"]) == {"address", "postcode"}
        assert set(payload["officer"]) == {"name", "collar_number", "email"}
        assert payload["narrative"]
        refs = [person["ref"] for person in payload["people"]]
        assert len(refs) == len(set(refs)) >= 1
        for person in payload["people"]:
            assert PERSON_KEYS <= set(person) <= PERSON_KEYS | OPTIONAL_PERSON_KEYS
            assert person["role"] in synthetic.ROLES
            assert set(person) - OPTIONAL_PERSON_KEYS - PERSON_KEYS == set()
        for questionnaire in payload["questionnaires"]:
            assert questionnaire["kind"] == "dash"
            assert questionnaire["respondent"] in refs
            assert questionnaire["officer_grade"] in ("standard", "medium", "high")
            assert set(questionnaire["answers"]) == {f"q{n}" for n in range(1, 28)}
            assert set(questionnaire["answers"].values()) <= {"yes", "no", "not_known"}


def test_source_references_are_unique(payloads):
    keys = [(payload["source_system"], payload["source_reference"]) for payload in payloads]
    assert len(keys) == len(set(keys))


def test_domestic_abuse_is_the_largest_share_and_strip_searches_are_few(payloads):
    kinds = Counter(payload["kind"] for payload in payloads)
    domestic = kinds["domestic_abuse_incident"] + kinds["domestic_abuse_crime"]
    assert domestic > len(payloads) / 3
    assert kinds["missing_person"] > kinds["stop_and_search"] > kinds["strip_search"]


def test_domestic_abuse_payloads_have_a_victim_and_children_with_where_they_were(payloads):
    for payload in payloads:
        if not payload["kind"].startswith("domestic_abuse"):
            continue
        roles = [person["role"] for person in payload["people"]]
        assert roles[0] == "victim"
        for person in payload["people"]:
            if person["role"] in ("present", "child_in_household"):
                assert person["present"] is (person["role"] == "present")
            if person["role"] == "present":
                assert person["where_during_incident"]


def test_a_minority_of_dash_questionnaires_have_14_or_more_yes_answers(payloads):
    dash = [q for payload in payloads for q in payload["questionnaires"]]
    yes = [sum(answer == "yes" for answer in q["answers"].values()) for q in dash]
    high = sum(count >= 14 for count in yes)
    assert 0.05 * len(dash) < high < 0.35 * len(dash)
    assert {q["officer_grade"] for q in dash} == {"standard", "medium", "high"}


def test_children_in_payloads_are_under_18_on_the_day():
    for payload in synthetic.incidents(1000, seed=14, error_rates=NO_ERRORS):
        day = datetime.fromisoformat(payload["occurred_at"]).date()
        for person in payload["people"]:
            if person["role"] in ("present", "child_in_household", "missing_person"):
                born = date.fromisoformat(person["date_of_birth"])
                assert born <= day
                assert (day.year - born.year - ((day.month, day.day) < (born.month, born.day))) < 18


def test_some_children_carry_appears_under_18_without_a_date_of_birth(payloads):
    flagged = [
        person
        for payload in payloads
        for person in payload["people"]
        if person.get("appears_under_18")
    ]
    assert flagged
    assert all(not person["date_of_birth"] for person in flagged)


def test_school_urns_come_from_the_pool_passed_in():
    urns = {100001, 100002}
    seen = {
        person["school_urn"]
        for payload in synthetic.incidents(300, seed=15, school_urns=sorted(urns))
        for person in payload["people"]
        if "school_urn" in person
    }
    assert seen == urns


def test_write_person_csv_writes_a_header_and_the_truth_column(tmp_path):
    path = tmp_path / "people.csv"
    count = synthetic.write_person_csv(path, 500, seed=16)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == count >= 500
    assert tuple(rows[0]) == synthetic.PERSON_COLUMNS
    assert all(row["entity_id"].startswith("E") for row in rows)


def test_given_the_directorys_postcodes_new_homes_are_put_in_them_so_incidents_find_a_borough():
    # Two known units in one Hackney district and one in Camden; none in any other district.
    known = ["E8 1DY", "E8 2AA", "NW1 0AB"]
    boroughs = ["E09000012", "E09000007"]  # Hackney, Camden
    payloads = list(synthetic.incidents(150, seed=5, postcodes=known, boroughs=boroughs))
    incident_postcodes = [p["location"]["postcode"] for p in payloads if p["location"]["postcode"]]
    assert incident_postcodes
    # Where the incident happened is always a known unit (people who move may leave the
    # boroughs, so their later homes can be elsewhere; incidents are at a household's home).
    share_known = sum(pc in known for pc in incident_postcodes) / len(incident_postcodes)
    assert share_known > 0.9
