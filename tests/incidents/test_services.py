"""Intake: checking, storing exactly once, resolving people, and finding the children."""

import copy
import dataclasses
import threading

import pytest
from django.db import IntegrityError

from childfirst.accounts.models import Role as UserRole
from childfirst.audit.models import AccessLogEntry
from childfirst.directory.models import Postcode, School, Ward
from childfirst.incidents import services
from childfirst.incidents.models import (
    Channel,
    Incident,
    Involvement,
    Notice,
    NoticeReason,
    Questionnaire,
    Role,
)
from childfirst.incidents.services import ConflictingReplay, InvalidIncident
from childfirst.people.models import Mention
from tests.builders import london_local_authority, make_user
from tests.incidents.builders import FILE_IMPORT, intake_client, payload, person, record

pytestmark = pytest.mark.django_db

# NHS numbers that pass the modulus 11 check, and PNC IDs, for people who must be matched.
NHS_AMARA = "9434765919"
PNC_DAN = "2019/0012345A"


def errors_of(data) -> dict[str, str]:
    with pytest.raises(InvalidIncident) as caught:
        services.record_incident(payload=data, received_from=FILE_IMPORT)
    return {error.field: error.message for error in caught.value.errors}


def notices(incident) -> dict[str, Notice]:
    """The incident's notices by the child's given name."""
    found = Notice.objects.filter(incident=incident).select_related("person")
    return {notice.person.given_name: notice for notice in found}


# Storing ---------------------------------------------------------------------------------------


def test_an_incident_is_stored_with_its_people_questionnaires_and_a_notice_per_child():
    result = record()

    incident = result.incident
    assert result.created
    assert incident.kind == "domestic_abuse_incident"
    assert incident.received_via == Channel.FILE
    assert [(i.ref, i.role, i.is_child) for i in incident.involvements.order_by("pk")] == [
        ("P1", Role.VICTIM, False),
        ("P3", Role.PRESENT, True),
        ("P4", Role.CHILD_IN_HOUSEHOLD, True),
    ]
    tobi = Involvement.objects.get(incident=incident, ref="P3")
    assert tobi.mention.given_name == "Tobi"
    assert tobi.mention.date_of_birth.isoformat() == "2016-09-03"
    assert tobi.voice == "Said he hid under the bed when the shouting started"
    assert tobi.where_during_incident == "In the bedroom"
    dash = Questionnaire.objects.get(incident=incident)
    assert (dash.kind, dash.respondent.ref, dash.score, dash.officer_grade) == (
        "dash",
        "P1",
        1,
        "high",
    )
    found = notices(incident)
    assert set(found) == {"Tobi", "Ade"}
    assert (found["Tobi"].role, found["Tobi"].is_present, found["Tobi"].age_at_incident) == (
        Role.PRESENT,
        True,
        10,
    )
    assert (found["Ade"].role, found["Ade"].is_present, found["Ade"].age_at_incident) == (
        Role.CHILD_IN_HOUSEHOLD,
        False,
        2,
    )
    assert {n.reason for n in found.values()} == {NoticeReason.IN_INCIDENT}
    assert {n.status for n in found.values()} == {"new"}


def test_the_same_payload_again_returns_the_same_incident_and_changes_nothing():
    data = payload()
    first = record(data)
    counts = (Incident.objects.count(), Mention.objects.count(), Notice.objects.count())

    again = record(data)

    assert not again.created
    assert again.incident.pk == first.incident.pk
    assert (Incident.objects.count(), Mention.objects.count(), Notice.objects.count()) == counts


def test_the_same_incident_spelt_differently_is_still_a_replay():
    data = payload()
    first = record(data)
    respelt = payload(
        source_system="niche",
        source_reference=data["source_reference"],
        location={"address": "Flat 2, 14 Example Road, London", "postcode": "e81dy"},
        occurred_at="2026-11-23T21:40:00",  # London is on GMT in November
        _truth={"household": 7},
    )

    assert record(respelt).incident.pk == first.incident.pk


def test_a_different_payload_for_the_same_reference_is_refused_and_changes_nothing():
    data = payload()
    first = record(data)
    counts = (Incident.objects.count(), Mention.objects.count(), Notice.objects.count())
    changed = payload(source_reference=data["source_reference"], narrative="Something else")
    changed["people"][1]["date_of_birth"] = "2015-09-03"

    with pytest.raises(ConflictingReplay) as caught:
        record(changed)

    assert caught.value.incident.pk == first.incident.pk
    assert caught.value.differences == ["narrative", "people[1]"]
    assert "nothing was changed" in str(caught.value)
    assert (Incident.objects.count(), Mention.objects.count(), Notice.objects.count()) == counts
    assert Incident.objects.get().narrative == data["narrative"]


def test_a_replay_from_another_api_client_is_refused():
    data = payload()
    first_client, _ = intake_client()
    other_client, _ = intake_client()
    services.record_incident(payload=data, received_from=first_client)

    with pytest.raises(ConflictingReplay, match="another sender") as caught:
        services.record_incident(payload=data, received_from=other_client)
    assert caught.value.other_sender


def test_two_requests_at_once_give_one_incident(monkeypatch):
    """The second request looked before the first had committed; the unique constraint stops
    its insert and the retry finds the first incident."""
    data = payload()
    first = record(data)
    looked = []
    real_lookup = services._stored_incidents

    def before_the_first_committed(keys):
        looked.append(keys)
        return {} if len(looked) == 1 else real_lookup(keys)

    monkeypatch.setattr(services, "_stored_incidents", before_the_first_committed)

    again = record(data)

    assert len(looked) == 2
    assert not again.created
    assert again.incident.pk == first.incident.pk
    assert Incident.objects.count() == 1


def test_an_integrity_error_that_is_not_a_race_is_raised(monkeypatch):
    def broken(*args, **kwargs):
        raise IntegrityError("something else")

    monkeypatch.setattr(services, "_create", broken)
    with pytest.raises(IntegrityError):
        record()
    assert Incident.objects.count() == 0


def test_the_officers_form_records_as_the_signed_in_officer():
    officer = make_user(role=UserRole.FRONTLINE_OFFICER, full_name="Sam Example")
    data = payload(source_system="CHILDFIRST-FORM", source_reference="F-000001")

    result = services.record_incident(payload=data, received_from=officer)

    assert result.incident.received_via == Channel.FORM
    assert result.incident.received_from_user == officer
    entry = AccessLogEntry.objects.get(subject_type="incident", action="create")
    assert entry.user == officer


def test_creating_an_incident_and_each_notice_is_in_the_access_log():
    result = record()

    entries = AccessLogEntry.objects.order_by("pk")
    assert [(e.action, e.subject_type) for e in entries] == [
        ("create", "incident"),
        ("create", "notice"),
        ("create", "notice"),
    ]
    assert entries[0].actor_label == "File import: tests"
    assert {e.person_id for e in entries[1:]} == {
        str(n.person_id) for n in result.incident.notices.all()
    }


def test_the_location_is_resolved_to_its_local_authority_and_ward():
    hackney = london_local_authority("E09000012")
    ward = Ward.objects.create(gss_code="E05900001", name="Example Fields", local_authority=hackney)
    Postcode.objects.create(postcode="E8 1DY", local_authority=hackney, ward=ward)
    School.objects.create(urn=900123, name="Example Primary School", local_authority=hackney)
    data = payload()
    data["people"][1]["school_urn"] = 900123

    incident = record(data).incident

    assert (incident.local_authority, incident.ward) == (hackney, ward)
    assert Involvement.objects.get(ref="P3").school.name == "Example Primary School"


def test_an_unknown_postcode_or_school_is_kept_as_recorded():
    data = payload(location={"address": "1 Nowhere Lane", "postcode": "ZZ9 9ZZ"})
    data["people"][1]["school_urn"] = 999999

    incident = record(data).incident

    assert (incident.location_postcode, incident.local_authority) == ("ZZ9 9ZZ", None)
    tobi = Involvement.objects.get(ref="P3")
    assert (tobi.school, tobi.school_urn) == (None, 999999)


def test_a_time_without_an_offset_is_london_time():
    summer = record(occurred_at="2026-07-01T00:30:00").incident

    assert summer.occurred_at.isoformat() == "2026-06-30T23:30:00+00:00"


def test_people_without_refs_are_numbered_in_order():
    data = payload(
        people=[person("victim"), person("present", given_name="Kit", age=4)],
        questionnaires=[],
    )

    incident = record(data).incident

    assert list(incident.involvements.order_by("pk").values_list("ref", flat=True)) == [
        "P1",
        "P2",
    ]


# Checking --------------------------------------------------------------------------------------


def test_missing_fields_are_all_named():
    assert errors_of({"people": [{"given_name": "Sam"}]}) == {
        "source_system": "This field is required",
        "source_reference": "This field is required",
        "kind": "This field is required",
        "occurred_at": "This field is required",
        "people[0].role": "This field is required",
    }


def test_wrong_types_and_values_are_named():
    data = payload(kind="burglary", occurred_at=12345, location="E8 1DY")
    data["people"][0].update(age="ten", present="maybe", role="bystander")
    data["people"][1]["date_of_birth"] = "03/09/2016"

    errors = errors_of(data)

    assert set(errors) == {
        "kind",
        "occurred_at",
        "location",
        "people[0].role",
        "people[0].age",
        "people[0].present",
        "people[1].date_of_birth",
    }
    assert errors["kind"].startswith("Must be one of: domestic_abuse_incident, ")
    assert "enter it as 2016-09-03, 2016-09 or 2016" in errors["people[1].date_of_birth"]


def test_unknown_fields_are_refused_and_fields_starting_with_an_underscore_ignored():
    data = payload(colour="blue", _truth={"entity": "E1"})
    data["people"][0]["_entity_id"] = "E00000001"
    data["people"][0]["shoe_size"] = 7

    errors = errors_of(data)

    assert set(errors) == {"colour", "people[0].shoe_size"}
    assert errors["colour"].startswith("Child First does not know this field")


def test_keys_in_capitals_are_still_checked_and_underscored_ones_ignored_among_them():
    data = payload(Colour="blue", _truth={"entity": "E1"})
    data["people"][0].update({"Shoe_size": 7, "_entity_id": "E00000001"})

    errors = errors_of(data)

    assert set(errors) == {"Colour", "people[0].Shoe_size"}


def test_underscored_keys_are_ignored_in_every_part_and_the_senders_payload_is_left_alone():
    data = payload(_truth={"entity": "E1"})
    data["location"]["_geocoded"] = True
    data["officer"]["_badge"] = "x"
    data["people"][1]["_entity_id"] = "E00000002"
    data["questionnaires"] = [{"kind": "dash", "answers": {"q1": "yes"}, "_form": "v2"}]
    sent = copy.deepcopy(data)
    plain = copy.deepcopy(data)
    del plain["_truth"], plain["location"]["_geocoded"], plain["officer"]["_badge"]
    del plain["people"][1]["_entity_id"], plain["questionnaires"][0]["_form"]

    parsed = services.parse_incident(data)

    assert data == sent  # nothing taken out of the sender's own dicts
    assert parsed.canonical == services.parse_incident(plain).canonical
    assert "_geocoded" not in parsed.canonical["location"]
    # Unknown keys next to them are still refused, where they are.
    data["location"]["floor"] = 2
    data["questionnaires"][0]["score"] = 3
    assert set(errors_of(data)) == {"location.floor", "questionnaires[0].score"}


def test_answers_are_read_the_way_officers_write_them_and_a_bad_one_is_named():
    data = payload()
    data["questionnaires"] = [
        {"kind": "dash", "answers": {"q1": True, "q2": " Not Known ", "q3": False, "q4": "No"}}
    ]
    parsed = services.parse_incident(data)
    assert parsed.canonical["questionnaires"][0]["answers"] == {
        "q1": "yes",
        "q2": "not_known",
        "q3": "no",
        "q4": "no",
    }
    data["questionnaires"][0]["answers"] = {"q1": "yes", "q2": "x" * 21, "q3": ["yes"]}
    errors = errors_of(data)
    assert set(errors) == {"questionnaires[0].answers.q2", "questionnaires[0].answers.q3"}
    data["questionnaires"][0]["answers"] = "q1=yes"
    assert set(errors_of(data)) == {"questionnaires[0].answers"}


def test_an_incident_with_private_keys_hashes_as_one_without():
    plain = payload(source_reference="CAD-2026-0000042")
    marked = payload(source_reference="CAD-2026-0000042", _truth={"entity": "E1"})
    marked["people"][0]["_entity_id"] = "E00000001"
    assert (
        services.parse_incident(marked).payload_hash == services.parse_incident(plain).payload_hash
    )


def test_not_an_object_is_refused():
    assert errors_of(["an", "array"]) == {
        "(incident)": "An incident must be a JSON object (a mapping of fields)"
    }


def test_checks_across_fields_name_the_field():
    data = payload(occurred_at="2026-12-25T10:00:00Z")
    data["people"][1]["ref"] = "P1"
    data["people"][2]["date_of_birth"] = "2027-01"
    data["questionnaires"] = [
        {"kind": "dash", "respondent": "P9", "answers": {"q28": "yes", "q1": "maybe"}},
        {"kind": "horoscope", "answers": {}},
        {"kind": "dash", "officer_grade": "extreme"},
    ]

    assert errors_of(data) == {
        "occurred_at": "Is in the future: enter when it happened",
        "people[1].ref": '"P1" names another person too',
        "people[2].date_of_birth": "Is after the incident happened",
        "questionnaires[0].respondent": 'No person in this incident has ref "P9"',
        "questionnaires[0].answers.q28": (
            "Is not a question of DASH (2009) risk identification checklist (q1 to q27)"
        ),
        "questionnaires[0].answers.q1": "Answer with one of: yes, no, not_known",
        "questionnaires[1].kind": (
            'Child First has no questionnaire "horoscope": use one of dara, dash, young_people'
        ),
        "questionnaires[2].officer_grade": "Grade with one of: standard, medium, high",
    }


def test_a_child_in_the_household_cannot_also_be_present():
    data = payload()
    data["people"][2]["present"] = True

    assert list(errors_of(data)) == ["people[2]"]


def test_bad_postcodes_nhs_numbers_and_emails_are_named():
    data = payload(location={"postcode": "E8 1D"}, officer={"email": "not an email"})
    data["people"][0]["nhs_number"] = "123"

    assert set(errors_of(data)) == {
        "location.postcode",
        "officer.email",
        "people[0].nhs_number",
    }


def test_a_refused_incident_changes_nothing():
    data = payload()
    data["people"][1]["date_of_birth"] = "not a date"

    errors_of(data)

    assert (Incident.objects.count(), Mention.objects.count(), Notice.objects.count()) == (0, 0, 0)


# Who is a child --------------------------------------------------------------------------------


def child_notices(*people) -> dict[str, Notice]:
    data = payload(people=list(people), questionnaires=[])
    return notices(record(data).incident)


def test_a_17_year_old_is_a_child_and_an_18_year_old_is_not_on_the_incident_date():
    found = child_notices(
        person("victim", given_name="Seventeen", date_of_birth="2008-11-24"),
        person("victim", given_name="Eighteen", date_of_birth="2008-11-23"),
    )

    assert list(found) == ["Seventeen"]
    assert found["Seventeen"].age_at_incident == 17


def test_the_incident_date_is_the_london_date():
    """23:30 UTC on 30 June is 00:30 on 1 July in London: the person is 18 that day."""
    data = payload(
        occurred_at="2026-06-30T23:30:00Z",
        people=[person("suspect", given_name="Birthday", date_of_birth="2008-07-01")],
        questionnaires=[],
    )

    assert notices(record(data).incident) == {}


def test_without_a_date_of_birth_a_recorded_age_or_appears_under_18_decides():
    found = child_notices(
        person("witness", given_name="Aged", age=15),
        person("witness", given_name="Looks", appears_under_18=True),
        person("witness", given_name="Adult", age=30),
        person("witness", given_name="Unknown"),
    )

    assert set(found) == {"Aged", "Looks"}
    assert (found["Aged"].age_at_incident, found["Looks"].age_at_incident) == (15, None)


def test_partial_dates_of_birth():
    found = child_notices(
        person("witness", given_name="Year", date_of_birth="2016"),
        person("witness", given_name="Month", date_of_birth="2016-09"),
        person("witness", given_name="Straddles", date_of_birth="2008"),
        person("witness", given_name="StraddlesAdult", date_of_birth="2008", age=18),
        person("witness", given_name="Grown", date_of_birth="1990"),
    )

    assert set(found) == {"Year", "Month", "Straddles"}
    assert found["Month"].age_at_incident == 10
    assert found["Year"].age_at_incident is None  # 9 or 10, depending on the day
    mention = Mention.objects.get(given_name="Month")
    assert (mention.date_of_birth, mention.date_of_birth_text) == (None, "2016-09")


@pytest.mark.parametrize(
    ("date_of_birth", "age", "appears", "expected"),
    [
        ("2008-11-24", None, None, (True, 17)),
        ("2008-11-23", None, None, (False, 18)),
        ("2008-11", None, None, (True, None)),  # 17 or 18: a child unless shown otherwise
        ("2008-11", None, False, (False, None)),
        ("2008-12", None, None, (True, 17)),
        ("2026-11", None, None, (True, 0)),
        (None, 17, None, (True, 17)),
        (None, None, None, (False, None)),
    ],
)
def test_child_facts(date_of_birth, age, appears, expected):
    from datetime import date

    facts = services.child_facts(
        date_of_birth=date_of_birth,
        recorded_age=age,
        appears_under_18=appears,
        on=date(2026, 11, 23),
    )

    assert (facts.is_child, facts.age) == expected


def test_one_notice_per_child_per_incident_even_when_named_twice(monkeypatch):
    """If identity resolution finds one child behind two of an incident's people, the child
    gets one notice, with the first role in Role's order."""
    real_store = services.store_mentions

    def same_person(decided):
        first, second = real_store(decided)
        return [first, dataclasses.replace(second, person=first.person)]

    monkeypatch.setattr(services, "store_mentions", same_person)
    data = payload(
        people=[
            person("witness", given_name="Twice", date_of_birth="2012-01-01"),
            person("victim", given_name="Twice", date_of_birth="2012-01-01"),
        ],
        questionnaires=[],
    )

    incident = record(data).incident

    assert Notice.objects.filter(incident=incident).count() == 1
    notice = Notice.objects.get(incident=incident)
    assert (notice.role, notice.involvement.ref) == (Role.VICTIM, "P2")


# Household children ----------------------------------------------------------------------------


def earlier_household_incident(**overrides):
    """1 June 2026: Dan (PNC ID known) abuses Amara at home; Tobi is present, Ade (1) asleep."""
    return record(earlier_household_payload(**overrides)).incident


def earlier_household_payload(**overrides):
    fields = {"occurred_at": "2026-06-01T20:00:00Z", **overrides}
    return payload(
        people=[
            person(
                "victim",
                given_name="Amara",
                date_of_birth="1990-04-12",
                nhs_number=NHS_AMARA,
                address="Flat 2, 14 Example Road, London",
                postcode="E8 1DY",
            ),
            person(
                "suspect",
                given_name="Dan",
                date_of_birth="1985-02-02",
                pnc_id=PNC_DAN,
                address="Flat 2, 14 Example Road, London",
                postcode="E8 1DY",
            ),
            person("present", given_name="Tobi", date_of_birth="2016-09-03"),
            person("child_in_household", given_name="Ade", age=1),
        ],
        questionnaires=[],
        **fields,
    )


def test_children_from_the_suspects_earlier_incident_come_to_notice():
    earlier = earlier_household_incident()
    later = record(
        payload(
            kind="violence",
            location={"address": "Outside 1 High Street", "postcode": "N1 9GU"},
            people=[
                person("suspect", given_name="Dan", date_of_birth="1985-02-02", pnc_id=PNC_DAN),
                person("victim", given_name="Stranger", date_of_birth="1970-01-01"),
            ],
            questionnaires=[],
        )
    ).incident

    found = notices(later)

    assert set(found) == {"Tobi", "Ade"}
    tobi = found["Tobi"]
    assert (tobi.reason, tobi.role, tobi.is_present, tobi.involvement) == (
        NoticeReason.HOUSEHOLD_RECORDS,
        Role.CHILD_IN_HOUSEHOLD,
        False,
        None,
    )
    assert tobi.found_via_incident == earlier
    assert tobi.reason_detail == (
        f"Recorded as present in NICHE {earlier.source_reference} (1 June 2026), an earlier "
        "incident involving this incident's suspect"
    )
    assert (tobi.age_at_incident, found["Ade"].age_at_incident) == (10, 1)


def jo_at_the_same_address():
    """A victim at Flat 2, 14 Example Road, written another way."""
    return person(
        "victim",
        given_name="Jo",
        date_of_birth="1988-08-08",
        address="14 Example Rd, Flat 2",
        postcode="e81dy",
    )


def test_anyone_recorded_as_a_child_at_the_victims_address_comes_to_notice():
    earlier = record(
        payload(
            kind="missing_person",
            occurred_at="2026-03-01T12:00:00Z",
            people=[
                person(
                    "missing_person",
                    given_name="Mia",
                    date_of_birth="2011-05-05",
                    address="Flat 2, 14 Example Road, London",
                    postcode="E8 1DY",
                )
            ],
            questionnaires=[],
        )
    ).incident
    later = record(payload(people=[jo_at_the_same_address()], questionnaires=[])).incident

    mia = notices(later)["Mia"]

    assert mia.found_via_incident == earlier
    assert mia.reason_detail == (
        f"Recorded at the address of this incident's victim in NICHE {earlier.source_reference} "
        "(1 March 2026)"
    )
    assert mia.age_at_incident == 15


@pytest.mark.parametrize("bulk", [False, True], ids=["one by one", "file import"])
def test_children_from_an_earlier_incident_of_the_same_batch_come_to_notice(bulk):
    """A file's batch is written after its reads: the household search finds the batch's own
    earlier records too, through the suspect (a person new in this batch, found again by PNC ID)
    and through the victim's address."""
    later = payload(
        source_reference="LATER",
        kind="violence",
        location={"address": "Outside 1 High Street", "postcode": "N1 9GU"},
        people=[
            person("suspect", given_name="Dan", date_of_birth="1985-02-02", pnc_id=PNC_DAN),
            jo_at_the_same_address(),
        ],
        questionnaires=[],
    )
    parsed = [services.parse_incident(data) for data in (earlier_household_payload(), later)]

    earlier_outcome, later_outcome = services.store_incidents(
        incidents=parsed, received_from=FILE_IMPORT, bulk=bulk
    )

    found = notices(later_outcome.incident)
    assert set(found) == {"Tobi", "Ade"}
    assert {n.found_via_incident for n in found.values()} == {earlier_outcome.incident}
    assert found["Tobi"].reason_detail == (
        f"Recorded as present in NICHE {earlier_outcome.incident.source_reference} "
        "(1 June 2026), an earlier incident involving this incident's suspect"
    )
    assert (found["Tobi"].age_at_incident, found["Ade"].age_at_incident) == (10, 1)


def test_household_search_leaves_out_grown_ups_old_records_later_records_and_children_named():
    earlier_household_incident(occurred_at="2022-06-01T20:00:00Z")  # beyond three years
    earlier_household_incident(source_reference="LATER", occurred_at="2026-11-23T22:00:00Z")
    record(
        payload(
            occurred_at="2025-06-01T20:00:00Z",
            people=[
                person("suspect", pnc_id=PNC_DAN),
                person("present", given_name="Grown", age=17),  # 18 or more by now
            ],
            questionnaires=[],
        )
    )
    later = record(
        payload(
            people=[
                person("suspect", given_name="Dan", pnc_id=PNC_DAN),
                person("witness", given_name="Tobi", date_of_birth="2016-09-03"),
            ],
            questionnaires=[],
        )
    ).incident

    found = notices(later)

    assert set(found) == {"Tobi"}
    assert found["Tobi"].reason == NoticeReason.IN_INCIDENT


def test_a_child_victim_does_not_start_a_household_search():
    earlier_household_incident()
    later = record(
        payload(
            people=[
                person(
                    "victim",
                    given_name="Teen",
                    date_of_birth="2010-01-01",
                    address="Flat 2, 14 Example Road",
                    postcode="E8 1DY",
                )
            ],
            questionnaires=[],
        )
    ).incident

    assert set(notices(later)) == {"Teen"}


def test_find_household_children_for_a_stored_incident():
    earlier_household_incident()
    later = record(
        payload(people=[person("suspect", given_name="Dan", pnc_id=PNC_DAN)], questionnaires=[])
    ).incident

    found = services.find_household_children(incident=later)

    assert len(found) == 2
    assert {child.found_via_incident_id for child in found} == {
        Incident.objects.exclude(pk=later.pk).get().pk
    }


def test_address_keys_ignore_spelling_but_not_the_flat():
    key = services.address_key
    assert key("Flat 2, 14 Example Road, London", "E8 1DY") == "E8 1DY|14 2|EXAMPLE"
    assert key("14 Example Rd Flat 2 E8 1DY", "e81dy") == "E8 1DY|14 2|EXAMPLE"
    assert key("Flat 3, 14 Example Road", "E8 1DY") != key("Flat 2, 14 Example Road", "E8 1DY")
    assert key("14 Example Road", "") == ""
    assert key("", "E8 1DY") == ""


@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_the_same_moment_give_one_incident(monkeypatch):
    """On PostgreSQL, two requests really race: both look, neither finds the incident, both
    insert; the unique constraint holds the second until the first commits, then refuses it,
    and its retry returns the first incident. (SQLite takes the write lock when a transaction
    begins, so there the second request simply waits and finds the first.)"""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers at BEGIN IMMEDIATE: the race cannot happen")
    data = payload()
    both_looked = threading.Barrier(2, timeout=10)
    real_lookup = services._stored_incidents
    first_looks = threading.local()

    def look_together(keys):
        found = real_lookup(keys)
        if not getattr(first_looks, "done", False):
            first_looks.done = True
            both_looked.wait()
        return found

    monkeypatch.setattr(services, "_stored_incidents", look_together)
    results, errors = [], []

    def send():
        try:
            results.append(record(data))
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(result.created for result in results) == [False, True]
    assert len({result.incident.pk for result in results}) == 1
    assert Incident.objects.count() == 1
    assert Notice.objects.count() == 2
